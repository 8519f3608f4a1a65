"""The project's one error root and its one table of exit codes.

Library code raises these; only a CLI (`python -m ingest`, `assistant`, `eval`)
turns them into a message and an exit code, so tests and the chat can react to
each case precisely. Every class names its code from `ExitCode`, the single
table: a new error kind adds a member there (and a row to the table in
docs/reliability.md), never a bare number.
"""
from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from .hints import ingest_command


class ExitCode(IntEnum):
    """Every exit code of every CLI, one meaning each (documented in docs/reliability.md)."""

    OK = 0
    FAILED = 1             # a gate or regression check failed, or an error of no more specific kind
    USAGE = 2              # argparse: unknown flag, missing or malformed argument (argparse's own code)
    CORPUS = 3             # CorpusError: corpus folder missing, empty, nothing indexable
    INDEX_MISSING = 4      # IndexMissingError
    INDEX_MISMATCH = 5     # IndexMismatchError: another format, embedder or chunker
    INDEX_CORRUPT = 6      # IndexCorruptError, SchemaError: damaged or foreign index
    INDEX_WRITE = 7        # IndexWriteError: the new index could not be written
    STORE_UNAVAILABLE = 8  # StoreUnavailableError: Milvus unreachable or unopenable
    CONFIG = 9             # ConfigError: a bad setting (flag, RAGQA_* variable or ragqa.toml)
    INVALID_QUESTION = 10  # InvalidQuestion: empty or too long question, unknown document id
    SELECTOR = 11          # SelectorError: the shipped answer-selector model is missing or damaged
    LLM = 12               # LLMError: the LLM backend is unusable
    FEEDBACK = 13          # FeedbackError: the feedback log cannot be read or written
    SERVER = 14            # the chat server cannot start (address in use, not permitted)
    GOLD = 15              # eval GoldError: a gold file is missing or malformed
    RESULTS = 16           # eval CompareError: a results.json cannot be compared
    EVAL = 17              # eval EvalError: an eval run cannot proceed or write its output
    LOAD = 18              # eval LoadError: a load test refused or could not run
    BUG = 70               # CitationError: a citation failed verification (sysexits EX_SOFTWARE)
    INTERRUPTED = 130      # Ctrl-C (128 + SIGINT)


class GroundworkError(Exception):
    """Root of every expected failure in the project; `exit_code` is what a CLI exits with."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED


def exit_code_of(exc: BaseException) -> int:
    """The exit code a CLI returns for `exc`: the one place an exception becomes a number."""
    if isinstance(exc, GroundworkError):
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.FAILED)


class ConfigError(GroundworkError):
    """A setting is unusable; the message names the setting, the value and what is allowed.

    `setting` ("chat.port"), `value` and `allowed` are empty for errors about the file itself.
    """

    exit_code = ExitCode.CONFIG

    def __init__(self, message: str, *, setting: str = "", value: object = None, allowed: str = "") -> None:
        super().__init__(message)
        self.setting, self.value, self.allowed = setting, value, allowed

    @classmethod
    def bad_value(cls, setting: str, value: object, allowed: str, source: str = "") -> ConfigError:
        """`setting 'answer.answerer' = 'LLM' (from RAGQA_ANSWERER) is not allowed; allowed: extractive, llm`."""
        shown = repr(value) if len(repr(value)) <= 200 else repr(value)[:200] + "…"
        origin = f" (from {source})" if source else ""
        return cls(f"setting {setting!r} = {shown}{origin} is not allowed; allowed: {allowed}",
                   setting=setting, value=value, allowed=allowed)


class IngestError(GroundworkError):
    """Base class: every expected ingest failure."""


class CorpusError(IngestError):
    """The corpus folder is missing, empty, or holds nothing indexable."""

    exit_code = ExitCode.CORPUS


class IndexMissingError(IngestError):
    exit_code = ExitCode.INDEX_MISSING


class IndexMismatchError(IngestError):
    """The index was built with another embedder, format or chunker."""

    exit_code = ExitCode.INDEX_MISMATCH


class IndexCorruptError(IngestError):
    """Files in the index folder are unreadable, truncated or foreign."""

    exit_code = ExitCode.INDEX_CORRUPT


class IndexWriteError(IngestError):
    """Writing the new index failed; the previous index is left in place."""

    exit_code = ExitCode.INDEX_WRITE


class StoreUnavailableError(IngestError):
    """The Milvus store cannot be reached or opened (server down, milvus-lite file in use, extra not installed)."""

    exit_code = ExitCode.STORE_UNAVAILABLE


# Runnable as printed from the project folder (see ingest/hints.py); fix_hint adds --index/--corpus.
REBUILD_HINT = ingest_command(rebuild=True)
