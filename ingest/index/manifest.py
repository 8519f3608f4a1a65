"""manifest.json: what a build holds, which format and embedder it was made with, and its files' checksums.

The manifest is written last, so its presence marks a complete build. Every
error about an index ends with the exact rebuild command (`fix_hint`).
"""
from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from ..hints import ingest_command
from . import schema
from .layout import MANIFEST

# 3: sentence records carry a `role` (ingest/roles.py); older indexes are refused with the rebuild hint.
FORMAT_VERSION = 3
KIND = "groundwork-qa-index"


def fix_hint(index: Path, manifest: dict[str, Any] | None = None) -> str:
    """The exact rebuild command, naming the corpus the index was built from when not the default.

    Without a manifest, the index's own is read when it is one of ours (this runs on error paths
    only): a rebuild must read the documents the index was built from, or pasting the hint would
    fill a custom index with the default corpus.
    """
    if manifest is None:
        try:
            manifest = json.loads((Path(index) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
    corpus = manifest.get("corpus_dir") if isinstance(manifest, dict) and manifest.get("kind") == KIND else None
    return ingest_command(index, corpus if isinstance(corpus, str) and corpus else None, rebuild=True)


def read_manifest(index: Path, build: Path | None = None) -> dict[str, Any]:
    """The manifest of the published build; typed errors for every failure.

    `build` is the folder to read, when the caller has resolved the `index` link
    once already (ingest/index/reader.py); messages still name `index`.
    """
    folder = index if build is None else build
    if not folder.exists():
        raise IndexMissingError(f"no index at {index}. Build it with: {fix_hint(index)}")
    path = folder / MANIFEST
    if not path.is_file():
        raise IndexCorruptError(
            f"{index} is not a complete index (no {MANIFEST}). Rebuild it with: {fix_hint(index)}"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorruptError(f"{index / MANIFEST} is unreadable ({exc}). Rebuild it with: {fix_hint(index)}") from exc
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise IndexCorruptError(
            f"{index} holds a foreign or damaged manifest. Rebuild it with: {fix_hint(index)}"
        )
    # Another format version is reported by check_compatible as a mismatch, not as damage.
    if manifest.get("format_version") == FORMAT_VERSION or type(manifest.get("format_version")) is not int:
        try:
            schema.check(manifest, schema.MANIFEST, "manifest")
        except schema.SchemaError as exc:
            raise IndexCorruptError(f"{index / MANIFEST} is damaged ({exc}). Rebuild it with: {fix_hint(index, manifest)}") from exc
    return manifest


def check_compatible(index: Path, manifest: dict[str, Any], embedder: str, dimension: int) -> None:
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"{index} has index format {version}, this version reads format {FORMAT_VERSION}. "
            f"Rebuild it with: {fix_hint(index, manifest)}"
        )
    emb = manifest.get("embedder", {})
    if emb.get("name") != embedder or emb.get("dimension") != dimension:
        raise IndexMismatchError(
            f"{index} was built with embedder {emb.get('name')} ({emb.get('dimension')} dims), "
            f"but this assistant uses {embedder} ({dimension} dims). Rebuild it with: {fix_hint(index, manifest)}"
        )


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def check_files(index: Path, manifest: dict[str, Any], build: Path | None = None) -> None:
    """Every file the manifest lists is there, with its size and (since checksums were added) its SHA-256.

    The files are read from `build` when given: the folder whose manifest this is. Read through
    the `index` link instead, a publish in between would check one build's files against another
    build's manifest (a false "does not match its checksum", issue 14).

    Sizes catch truncation; the checksum catches same-sized damage (a flipped
    block in the FAISS file, the vectors or the ONNX weights), which would
    otherwise load and silently return wrong answers, or crash onnxruntime.
    Hashing the whole index (~90 MB, mostly the ONNX model) takes ~70 ms.
    """
    folder = index if build is None else build
    for name, meta in manifest.get("files", {}).items():
        p = folder / name
        try:
            st = p.stat()
        except FileNotFoundError:
            raise IndexCorruptError(f"{index} is missing {name}. Rebuild it with: {fix_hint(index, manifest)}") from None
        except OSError as exc:
            raise IndexCorruptError(f"{index}/{name} is unreadable ({exc.strerror or exc}). "
                                    f"Rebuild it with: {fix_hint(index, manifest)}") from exc
        if not stat.S_ISREG(st.st_mode):
            continue
        if st.st_size != meta.get("bytes"):
            raise IndexCorruptError(
                f"{index}/{name} has {st.st_size} bytes, the manifest says {meta.get('bytes')}: "
                f"the file is truncated or was changed. Rebuild it with: {fix_hint(index, manifest)}"
            )
        expected = meta.get("sha256")
        if expected:
            try:
                actual = file_sha256(p)
            except OSError as exc:
                raise IndexCorruptError(f"{index}/{name} is unreadable ({exc.strerror or exc}). "
                                        f"Rebuild it with: {fix_hint(index, manifest)}") from exc
            if actual != expected:
                raise IndexCorruptError(
                    f"{index}/{name} does not match its checksum in the manifest: the file is corrupted or "
                    f"was changed. Rebuild it with: {fix_hint(index, manifest)}"
                )


def files_meta(build: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every finished file of a build (hidden temporaries excluded)."""
    out = {}
    for p in sorted(build.rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            out[str(p.relative_to(build))] = {"bytes": p.stat().st_size, "sha256": file_sha256(p)}
    return out


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
