"""Writing a folder index: every file of a build, then the manifest, then the atomic publish.

Each file goes to a hidden temporary name and is moved into place with
os.replace; the manifest, written last, lists every file with its size and
SHA-256. A failure at any step removes the unfinished build and leaves the
previous index exactly as it was (IndexWriteError says so).
"""
from __future__ import annotations

import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .. import embedder, lexical, vectors
from ..errors import IndexWriteError
from . import atomic, layout
from .manifest import FORMAT_VERSION, KIND, files_meta, now
from .publish import new_build_dir, publish
from .records import ChunkRecord, DocumentRecord, SentenceRecord, chunk_embed_text

Log = Callable[[str], None]
LIBRARIES = ("faiss-cpu", "sentence-transformers", "torch", "onnxruntime", "tokenizers", "bm25s",
             "numpy", "pysbd", "pypdf", "python-docx", "beautifulsoup4")


class OnnxExporter(Protocol):
    def export_onnx(self, path: Path) -> None: ...


@dataclass
class Assembled:
    """One build's records and vectors, before they are written: to a folder here, or to Milvus (ingest/milvus_store.py)."""

    documents: list[DocumentRecord]
    chunks: list[ChunkRecord]
    sentences: list[SentenceRecord]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    titles: dict[str, str]
    state: dict[str, Any]
    chunker: dict[str, Any]
    skipped: list[dict[str, str]]
    mtimes: dict[str, int]
    encoder: OnnxExporter | None  # the document encoder when it was loaded (to export the query encoder), else None

    @property
    def characters(self) -> int:
        return sum(len(d.text) for d in self.documents)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _step(name: str) -> None:
    """Test hook: RAGQA_INGEST_STEP_DELAY slows each write so a test can kill mid-build."""
    delay = os.environ.get("RAGQA_INGEST_STEP_DELAY")
    if delay:
        time.sleep(float(delay))


def _save_npy(build: Path, name: str, arr: np.ndarray) -> None:
    tmp = build / f".{name}.tmp"
    with open(tmp, "wb") as fh:
        np.save(fh, arr, allow_pickle=False)
    os.replace(tmp, build / name)


def _write_query_encoder(build: Path, a: Assembled, onnx_source: Path | None, log: Log) -> None:
    """The previous build's export is hard-linked (same model), else the loaded encoder exports a new one."""
    target = build / layout.QUERY_ENCODER
    if onnx_source is not None:
        try:
            os.link(onnx_source, target)
        except OSError:
            shutil.copyfile(onnx_source, build / ".onnx.tmp")
            os.replace(build / ".onnx.tmp", target)
        return
    log("exporting the query encoder to ONNX ...")
    if a.encoder is None:
        raise ValueError("no query encoder to reuse and no document encoder to export one")
    a.encoder.export_onnx(build / ".onnx.tmp")
    os.replace(build / ".onnx.tmp", target)


def _manifest(build: Path, a: Assembled, faiss_kind: str, corpus_dir: Path) -> dict[str, Any]:
    return {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "build_id": build.name.removesuffix(layout.PARTIAL),
        "created_at": now(),
        "embedder": {"name": embedder.MODEL_NAME, "dimension": embedder.DIMENSION,
                     "fingerprint": embedder.model_fingerprint(), "max_tokens": embedder.MAX_TOKENS,
                     "ingest_runtime": "sentence-transformers", "query_runtime": "onnxruntime"},
        "chunker": a.chunker,
        "vector_index": {"library": "faiss", "kind": faiss_kind, "count": len(a.chunks)},
        "lexical_index": {"library": "bm25s", "stemmer": "snowball english", "fields": "title, section, text"},
        "state": a.state,
        "corpus_dir": str(corpus_dir),
        "mtimes": a.mtimes,
        "documents": [{"id": d.id, "file": d.file, "sha256": d.sha256, "title": d.title, "chunks": d.chunks,
                       "sentences": d.sentences} for d in a.documents],
        "skipped": a.skipped,
        "counts": {"documents": len(a.documents), "chunks": len(a.chunks), "sentences": len(a.sentences),
                   "characters": a.characters},
        "libraries": versions(),
        "files": files_meta(build),
    }


def write_folder(index: Path, a: Assembled, corpus_dir: Path, onnx_source: Path | None, log: Log) -> Path:
    """Write the build beside the published one and publish it; returns the new build folder.

    `onnx_source`: the previous build's query encoder, to reuse when the model is unchanged.
    """
    build = new_build_dir(index)
    try:
        _step("documents")
        atomic.write_jsonl(build / layout.DOCUMENTS, (d.to_json() for d in a.documents))
        _step("chunks")
        atomic.write_jsonl(build / layout.CHUNKS, (c.to_json() for c in a.chunks))
        atomic.write_jsonl(build / layout.SENTENCES, (s.to_json() for s in a.sentences))
        _step("vectors")
        _save_npy(build, layout.CHUNK_VECTORS, a.chunk_vectors)
        _save_npy(build, layout.SENTENCE_VECTORS, a.sentence_vectors)
        faiss_index = vectors.build_faiss(a.chunk_vectors)
        vectors.save_faiss(faiss_index, build / f".{layout.CHUNK_FAISS}.tmp")
        os.replace(build / f".{layout.CHUNK_FAISS}.tmp", build / layout.CHUNK_FAISS)
        vectors.save_faiss(vectors.build_faiss(a.sentence_vectors), build / f".{layout.SENTENCE_FAISS}.tmp")
        os.replace(build / f".{layout.SENTENCE_FAISS}.tmp", build / layout.SENTENCE_FAISS)
        _step("bm25")
        bm25 = lexical.build_bm25([chunk_embed_text(a.titles[c.doc], c.section, c.text) for c in a.chunks])
        tmp_dir = build / f".{layout.BM25_DIR}.tmp"
        tmp_dir.mkdir()
        lexical.save_bm25(bm25, tmp_dir)
        os.replace(tmp_dir, build / layout.BM25_DIR)
        _step("onnx")
        _write_query_encoder(build, a, onnx_source, log)
        _step("manifest")
        atomic.write_json(build / layout.MANIFEST, _manifest(build, a, vectors.kind_of(faiss_index), corpus_dir))
        atomic.fsync_dir(build)
        return publish(build, index)
    except OSError as exc:
        shutil.rmtree(build, ignore_errors=True)
        raise IndexWriteError(f"writing the index failed ({exc.strerror or exc}); the previous index is unchanged") from exc
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
