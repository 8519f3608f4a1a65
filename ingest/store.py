"""The on-disk index: a folder with a manifest, published by symlink swap.

Layout of one build (all JSON/JSONL/NumPy/FAISS, no pickle):
  manifest.json        written last; its presence marks a complete build
  documents.jsonl      id, title, metadata, sha256 and full text per document
  chunks.jsonl         chunk records with exact offsets and section paths
  sentences.jsonl      sentence records with exact offsets and a role (body, heading, caption, ...)
  chunk_vectors.npy    float32, one row per chunk (normalised)
  sentence_vectors.npy float32, one row per sentence (normalised)
  chunks.faiss         FAISS index over chunk_vectors
  sentences.faiss      FAISS index over sentence_vectors (answers search sentences too)
  bm25/                bm25s index (JSON + .npy)
  query_encoder.onnx   the embedder exported for torch-free queries

`--index DIR` names a symlink to DIR.d/<build-id>/. A new build is written
beside the old one and the link is swapped with os.replace, so readers see
either the old complete build or the new one, even if ingest is killed.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import schema
from .errors import IndexCorruptError, IndexMismatchError, IndexMissingError, IndexWriteError
from .hints import ingest_command

# 3: sentence records carry a `role` (ingest/roles.py); older indexes are refused with the rebuild hint.
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
KIND = "groundwork-qa-index"
FILES = ("documents.jsonl", "chunks.jsonl", "sentences.jsonl", "chunk_vectors.npy",
         "sentence_vectors.npy", "chunks.faiss", "sentences.faiss", "query_encoder.onnx")


def builds_dir(index: Path) -> Path:
    return index.with_name(index.name + ".d")


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


@dataclass
class DocumentRecord:
    id: str
    file: str
    format: str
    sha256: str
    title: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    chunks: int = 0
    sentences: int = 0

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "text"}


@dataclass
class IndexData:
    path: Path
    manifest: dict[str, Any]
    documents: dict[str, DocumentRecord]
    chunks: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray

    @property
    def build_id(self) -> str:
        return str(self.manifest.get("build_id", ""))


def read_manifest(index: Path) -> dict[str, Any]:
    """The manifest of the published build; typed errors for every failure."""
    if not index.exists():
        raise IndexMissingError(f"no index at {index}. Build it with: {fix_hint(index)}")
    path = index / MANIFEST
    if not path.is_file():
        raise IndexCorruptError(
            f"{index} is not a complete index (no {MANIFEST}). Rebuild it with: {fix_hint(index)}"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorruptError(f"{path} is unreadable ({exc}). Rebuild it with: {fix_hint(index)}") from exc
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise IndexCorruptError(
            f"{index} holds a foreign or damaged manifest. Rebuild it with: {fix_hint(index)}"
        )
    # Another format version is reported by check_compatible as a mismatch, not as damage.
    if manifest.get("format_version") == FORMAT_VERSION or type(manifest.get("format_version")) is not int:
        try:
            schema.check(manifest, schema.MANIFEST, "manifest")
        except schema.SchemaError as exc:
            raise IndexCorruptError(f"{path} is damaged ({exc}). Rebuild it with: {fix_hint(index, manifest)}") from exc
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


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _files_match(index: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there, with its size and (since checksums were added) its SHA-256.

    Sizes catch truncation; the checksum catches same-sized damage (a flipped
    block in the FAISS file, the vectors or the ONNX weights), which would
    otherwise load and silently return wrong answers, or crash onnxruntime.
    Hashing the whole index (~90 MB, mostly the ONNX model) takes ~70 ms.
    """
    for name, meta in manifest.get("files", {}).items():
        p = index / name
        if not p.exists():
            raise IndexCorruptError(f"{index} is missing {name}. Rebuild it with: {fix_hint(index, manifest)}")
        if not p.is_file():
            continue
        if p.stat().st_size != meta.get("bytes"):
            raise IndexCorruptError(
                f"{index}/{name} has {p.stat().st_size} bytes, the manifest says {meta.get('bytes')}: "
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


def load_index(index: Path, embedder: str, dimension: int) -> IndexData:
    manifest = read_manifest(index)
    check_compatible(index, manifest, embedder, dimension)
    _files_match(index, manifest)
    try:
        docs = {}
        for i, row in enumerate(_read_jsonl(index / "documents.jsonl")):
            schema.check(row, schema.DOCUMENT, f"documents.jsonl record {i}")
            rec = DocumentRecord(**row)
            docs[rec.id] = rec
        chunks = _read_jsonl(index / "chunks.jsonl")
        sentences = _read_jsonl(index / "sentences.jsonl")
        schema.check_records(docs, chunks, sentences)
        cvec = np.load(index / "chunk_vectors.npy", allow_pickle=False)
        svec = np.load(index / "sentence_vectors.npy", allow_pickle=False)
    except (OSError, ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        # SchemaError is a ValueError: it names the file, the record and the field.
        raise IndexCorruptError(f"{index} is damaged ({str(exc)[:300]}). Rebuild it with: {fix_hint(index, manifest)}") from exc
    if cvec.shape != (len(chunks), dimension) or svec.shape != (len(sentences), dimension):
        raise IndexCorruptError(
            f"{index}: vectors do not match the records ({cvec.shape} for {len(chunks)} chunks, "
            f"{svec.shape} for {len(sentences)} sentences). Rebuild it with: {fix_hint(index, manifest)}"
        )
    for c in chunks[:: max(1, len(chunks) // 50)]:  # cheap spot check of offsets
        doc = docs.get(c.get("doc"))
        if doc is None or doc.text[c["start"]:c["end"]] != c["text"]:
            raise IndexCorruptError(
                f"{index}: chunk offsets do not match the stored documents. Rebuild it with: {fix_hint(index, manifest)}"
            )
    return IndexData(index, manifest, docs, chunks, sentences, cvec, svec)


def check_vector_index(index: Path, name: str, faiss_index: Any, count: int, dimension: int) -> None:
    """A FAISS file must hold one vector of the embedder's dimension per record.

    Another dimension loads fine and crashes the first search (or, with the
    manifest checksums edited to match, passes every file check), so it is
    refused here with the fix command.
    """
    if faiss_index.d != dimension or faiss_index.ntotal != count:
        raise IndexCorruptError(
            f"{index}/{name} holds {faiss_index.ntotal} vectors of {faiss_index.d} dimensions; the index needs "
            f"{count} of {dimension}. Rebuild it with: {fix_hint(index)}")


@contextmanager
def build_lock(index: Path) -> Iterator[None]:
    """One writer at a time per index; a second ingest waits, then finds nothing to do."""
    lock_path = index.with_name(index.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")
    except OSError as exc:
        raise IndexWriteError(f"cannot create {lock_path}: {exc.strerror or exc}") from exc
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_build_dir(index: Path) -> Path:
    root = builds_dir(index)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = root / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}.partial"
    try:
        path.mkdir(parents=True)
    except OSError as exc:
        raise IndexWriteError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def check_target(index: Path) -> None:
    """Refuse, before any work is done, to replace a folder at the index path that is not an index."""
    try:
        foreign = (index.is_dir() and not index.is_symlink() and not (index / MANIFEST).is_file()
                   and any(index.iterdir()))
    except OSError as exc:
        raise IndexWriteError(f"cannot inspect {index}: {exc.strerror or exc}") from exc
    if foreign:
        raise IndexWriteError(
            f"{index} is a folder that is not an index; refusing to replace it. "
            "Move it away or choose another --index."
        )


def publish(build: Path, index: Path) -> Path:
    """Finish a build (rename .partial away) and point `index` at it atomically.

    If any step fails, everything this call did is undone: the unpublished
    build is removed and a legacy index folder is put back, so a failed
    publish leaves exactly the previous index and no stray build behind.
    """
    check_target(index)
    final = build.with_name(build.name.removesuffix(".partial"))
    link_tmp = index.with_name(f".{index.name}.link-{os.getpid()}")
    legacy: Path | None = None
    try:
        os.replace(build, final)
        if index.is_dir() and not index.is_symlink():
            legacy = builds_dir(index) / f"legacy-{os.getpid()}"
            os.replace(index, legacy)
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        os.symlink(os.path.relpath(final, index.parent), link_tmp)
        os.replace(link_tmp, index)
    except OSError as exc:
        with suppress(OSError):
            if legacy is not None and legacy.exists() and not os.path.lexists(index):
                os.replace(legacy, index)
        with suppress(OSError):
            link_tmp.unlink()
        shutil.rmtree(final, ignore_errors=True)
        raise IndexWriteError(
            f"could not publish the new index ({exc.strerror or exc}); the previous index is unchanged"
        ) from exc
    collect_garbage(index)
    return final


def collect_garbage(index: Path) -> None:
    """Remove builds that the link no longer names (old ones, killed partial ones)."""
    root = builds_dir(index)
    if not root.is_dir():
        return
    current = index.resolve() if index.is_symlink() else None
    for entry in root.iterdir():
        if current is not None and entry.resolve() == current:
            continue
        if entry.name.endswith(".partial"):
            pid = entry.name.split("-")[-2] if entry.name.count("-") >= 2 else ""
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue  # another ingest is writing it right now
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
