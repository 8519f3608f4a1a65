"""Exceptions of the ingest package.

Library code raises these; only the CLI turns them into messages and exit
codes, so tests and the chat can react to each case precisely.
"""
from __future__ import annotations

from .hints import ingest_command


class IngestError(Exception):
    """Base class: every expected ingest failure. `exit_code` is for the CLI."""

    exit_code = 1


class ConfigError(IngestError):
    exit_code = 2


class CorpusError(IngestError):
    """The corpus folder is missing, empty, or holds nothing indexable."""

    exit_code = 3


class IndexMissingError(IngestError):
    exit_code = 4


class IndexMismatchError(IngestError):
    """The index was built with another embedder, format or chunker."""

    exit_code = 5


class IndexCorruptError(IngestError):
    """Files in the index folder are unreadable, truncated or foreign."""

    exit_code = 6


class IndexWriteError(IngestError):
    """Writing the new index failed; the previous index is left in place."""

    exit_code = 7


class StoreUnavailableError(IngestError):
    """The Milvus store cannot be reached or opened (server down, milvus-lite file in use, extra not installed)."""

    exit_code = 8


# Runnable as printed from the project folder (see ingest/hints.py); fix_hint adds --index/--corpus.
REBUILD_HINT = ingest_command(rebuild=True)
