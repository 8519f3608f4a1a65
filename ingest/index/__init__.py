"""The index: its folder layout, manifest, typed records, reader (`open_index`) and writer.

ingest/ writes an index only through `writer.write_folder`; assistant/ reads
one only through `open_index`. See layout.py for the files of a build.
"""
from __future__ import annotations

from .layout import builds_dir
from .manifest import FORMAT_VERSION, check_compatible, file_sha256, fix_hint, read_manifest
from .reader import IndexData, OpenIndex, load_index, open_index
from .records import ChunkRecord, DocumentRecord, SentenceRecord
from .terms import TermStats

__all__ = ["FORMAT_VERSION", "ChunkRecord", "DocumentRecord", "IndexData", "OpenIndex", "SentenceRecord", "TermStats",
           "builds_dir", "check_compatible", "file_sha256", "fix_hint", "load_index", "open_index", "read_manifest"]
