"""The corpus folder: which files are documents, and their state (hashes, settings) that decides a rebuild.

An unchanged corpus is detected from file hashes alone, without importing
torch, so a re-run of ingest returns in well under a second.
"""
from __future__ import annotations

import errno
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import embedder
from .catalog import CATALOG_FILE
from .chunker import ChunkerSettings
from .config import Settings
from .errors import CorpusError
from .index.manifest import FORMAT_VERSION, file_sha256
from .loaders import SUPPORTED

Log = Callable[[str], None]


def _link_problem(path: Path, root: Path, linked: dict[Path, str]) -> str | None:
    """Why a symbolic link in the corpus must not be followed, or None when it may be.

    A link is resolved once, to its final target (os.path.realpath gives up on
    loops instead of hanging). A target outside the corpus folder is never
    read: a link to /etc/passwd would otherwise be indexed and quoted in
    answers. A target inside is indexed under the link's name, unless that
    file is already indexed under another name. A dangling link is left to the
    loader, which reports it as unreadable.
    """
    target = Path(os.path.realpath(path))
    if not target.exists():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop"
        return None
    if target != root and root not in target.parents:
        return "symbolic link to a file outside the corpus folder"
    if target in linked:
        return f"same file as {linked[target]}"
    return None


def _bad_name(name: str) -> bool:
    """Names with control characters (a newline splits the Sources lines of an answer) or invalid Unicode."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)


def scan_corpus(corpus: Path, warn: Log) -> list[Path]:
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist (set --corpus or RAGQA_CORPUS_DIR)")
    files: list[Path] = []
    unsupported: list[str] = []
    stems: dict[str, str] = {}
    root = Path(os.path.realpath(corpus))
    entries = sorted(corpus.iterdir())
    # Real files first claim their own targets, so a link to one of them is the duplicate, not the file.
    linked = {Path(os.path.realpath(p)): p.name for p in entries
              if not p.is_symlink() and p.suffix.lower() in SUPPORTED and not p.name.startswith(".")}
    for path in entries:
        if path.name == CATALOG_FILE:
            continue
        if _bad_name(path.name):
            warn(f"{path.name!r}: skipped, the file name contains control characters; rename the file")
            continue
        if path.name.startswith("."):
            if path.suffix.lower() in SUPPORTED:
                warn(f"{path.name}: skipped, names starting with '.' are hidden files and are not indexed; "
                     "rename the file to index it")
            continue
        if path.is_symlink():
            problem = _link_problem(path, root, linked)
            if problem:
                warn(f"{path.name}: skipped, {problem}")
                continue
            linked.setdefault(Path(os.path.realpath(path)), path.name)
        if path.is_dir():
            warn(f"{path.name}/: subfolders are not indexed; put documents directly in {corpus}")
            continue
        if path.suffix.lower() not in SUPPORTED:
            unsupported.append(path.name)
            continue
        if path.stem in stems:
            warn(f"{path.name}: skipped, document id {path.stem!r} is already taken by {stems[path.stem]}")
            continue
        stems[path.stem] = path.name
        files.append(path)
    if unsupported:
        warn(f"skipped {len(unsupported)} file(s) with unsupported extensions: {', '.join(unsupported)} "
             f"(supported: {', '.join(SUPPORTED)})")
    if not files:
        raise CorpusError(f"corpus folder {corpus} has no documents to index (supported: {', '.join(SUPPORTED)})")
    return files


def sha256_file(path: Path) -> str:
    """The file's SHA-256, or a marker naming why it could not be read (the state then differs from any
    readable content, so the next run retries it)."""
    try:
        return file_sha256(path)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"


def corpus_state(corpus: Path, files: list[Path], settings: Settings) -> dict[str, Any]:
    catalog = corpus / CATALOG_FILE
    return {
        "files": {p.name: sha256_file(p) for p in files},
        "catalog_sha256": sha256_file(catalog) if catalog.is_file() else None,
        "chunker": ChunkerSettings(settings.index.chunk_tokens).as_dict(),
        "embedder": {"name": embedder.MODEL_NAME, "fingerprint": embedder.model_fingerprint()},
        "format_version": FORMAT_VERSION,
    }


def mtimes(files: list[Path]) -> dict[str, int]:
    out = {}
    for p in files:
        try:
            out[p.name] = p.stat().st_mtime_ns
        except OSError:
            continue
    return out
