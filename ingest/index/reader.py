"""Opening an index: `open_index` is the one way the assistant reads one.

Everything is checked before a question is answered: the manifest (kind,
format, embedder), every file against its size and checksum, every record
against its schema and offsets, and each FAISS file against the record count
and dimension. Any failure is an IndexCorruptError, IndexMismatchError or
IndexMissingError whose message ends with the rebuild command.

A load reads one build. `index` is a link that a publish swaps at any moment
(ingest/index/publish.py), so it is resolved once and every file is read from
the build folder it named; read through the link file by file, a load taken
during a publish checked one build's manifest against the next build's files
(a false "does not match its checksum", issue 14). Published build folders are
never changed, and garbage collection skips a build a reader holds
(publish.reading). A build collected between the resolve and the lock is read
again from the build the link names now.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .. import embedder, lexical, vectors
from ..errors import IndexCorruptError, IndexMissingError
from . import layout, schema
from .manifest import check_compatible, check_files, fix_hint, read_manifest
from .publish import reading
from .records import ChunkRecord, DocumentRecord, SentenceRecord, check_rows
from .terms import TermStats


@dataclass
class IndexData:
    """The records and vectors of one build, as both stores (folder and Milvus) load them."""

    path: Path  # the build folder the records were read from (the `index` link resolved once)
    manifest: dict[str, Any]
    documents: dict[str, DocumentRecord]
    chunks: list[ChunkRecord]
    sentences: list[SentenceRecord]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray

    @property
    def build_id(self) -> str:
        return str(self.manifest.get("build_id", ""))


@dataclass
class OpenIndex:
    """A published folder index, loaded and checked: records, both FAISS indexes, BM25, the query encoder, IDF."""

    data: IndexData
    chunk_faiss: Any
    sentence_faiss: Any
    bm25: Any
    encoder: embedder.QueryEncoder
    terms: TermStats


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def records_from_rows(documents: dict[str, DocumentRecord], chunk_rows: list[Any], sentence_rows: list[Any]
                      ) -> tuple[list[ChunkRecord], list[SentenceRecord]]:
    """Checked typed records from raw JSON rows (SchemaError, a ValueError, names the first bad one)."""
    check_rows(documents, chunk_rows, sentence_rows)
    return [ChunkRecord.from_json(r) for r in chunk_rows], [SentenceRecord.from_json(r) for r in sentence_rows]


def check_offsets(index: Path, manifest: dict[str, Any], data_docs: dict[str, DocumentRecord],
                  chunks: list[ChunkRecord]) -> None:
    """A cheap spot check that chunk offsets point at their text in the stored documents."""
    for c in chunks[:: max(1, len(chunks) // 50)]:
        doc = data_docs.get(c.doc)
        if doc is None or doc.text[c.start:c.end] != c.text:
            raise IndexCorruptError(
                f"{index}: chunk offsets do not match the stored documents. Rebuild it with: {fix_hint(index, manifest)}"
            )


T = TypeVar("T")
# A load that lost its build this many times (each between resolving the link and locking the
# build) reports the last error.
READ_ATTEMPTS = 3


def resolve_build(index: Path) -> Path:
    """The build folder the `index` link names now (a legacy plain folder is its own build)."""
    return Path(os.path.realpath(index))


def read_one_build(index: Path, read: Callable[[Path], T]) -> T:
    """`read(build)` on the build `index` names, resolved once; again on the new build if it was replaced.

    An error is final when the link still names the build that failed: damage is reported, not
    retried. Only a build the link no longer names can have vanished under the reader.
    """
    for attempt in range(READ_ATTEMPTS):
        build = resolve_build(index)
        try:
            with reading(build):
                return read(build)
        except (IndexCorruptError, IndexMissingError):
            if attempt == READ_ATTEMPTS - 1 or resolve_build(index) == build:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _load_build(index: Path, build: Path, embedder_name: str, dimension: int) -> IndexData:
    manifest = read_manifest(index, build)
    check_compatible(index, manifest, embedder_name, dimension)
    check_files(index, manifest, build)
    try:
        docs = {}
        for i, row in enumerate(read_jsonl(build / layout.DOCUMENTS)):
            schema.check(row, schema.DOCUMENT, f"{layout.DOCUMENTS} record {i}")
            rec = DocumentRecord.from_json(row)
            docs[rec.id] = rec
        chunks, sentences = records_from_rows(docs, read_jsonl(build / layout.CHUNKS),
                                              read_jsonl(build / layout.SENTENCES))
        cvec = np.load(build / layout.CHUNK_VECTORS, allow_pickle=False)
        svec = np.load(build / layout.SENTENCE_VECTORS, allow_pickle=False)
    except (OSError, ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        # SchemaError is a ValueError: it names the file, the record and the field.
        raise IndexCorruptError(f"{index} is damaged ({str(exc)[:300]}). Rebuild it with: {fix_hint(index, manifest)}") from exc
    if cvec.shape != (len(chunks), dimension) or svec.shape != (len(sentences), dimension):
        raise IndexCorruptError(
            f"{index}: vectors do not match the records ({cvec.shape} for {len(chunks)} chunks, "
            f"{svec.shape} for {len(sentences)} sentences). Rebuild it with: {fix_hint(index, manifest)}"
        )
    check_offsets(index, manifest, docs, chunks)
    return IndexData(build, manifest, docs, chunks, sentences, cvec, svec)


def load_index(index: Path, embedder_name: str = embedder.MODEL_NAME, dimension: int = embedder.DIMENSION) -> IndexData:
    """The records and vectors of the published build, checked (the build reuses them; open_index adds search)."""
    index = Path(index)
    return read_one_build(index, lambda build: _load_build(index, build, embedder_name, dimension))


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


def open_index(index: Path, embedder_name: str = embedder.MODEL_NAME, dimension: int = embedder.DIMENSION) -> OpenIndex:
    """The index folder: records, FAISS, bm25s and the ONNX query encoder, all loaded into this process."""
    index = Path(index)
    return read_one_build(index, lambda build: _open_build(index, build, embedder_name, dimension))


def _open_build(index: Path, build: Path, embedder_name: str, dimension: int) -> OpenIndex:
    data = _load_build(index, build, embedder_name, dimension)
    unloadable: tuple[type[BaseException], ...] = (RuntimeError, OSError, ValueError, KeyError,
                                                   *embedder.runtime_load_errors())
    try:
        chunk_faiss = vectors.load_faiss(build / layout.CHUNK_FAISS)
        sentence_faiss = vectors.load_faiss(build / layout.SENTENCE_FAISS)
        bm25 = lexical.load_bm25(build / layout.BM25_DIR)
        encoder = embedder.QueryEncoder(build / layout.QUERY_ENCODER)
        terms = TermStats.from_bm25(bm25, len(data.chunks))
    except unloadable as exc:
        raise IndexCorruptError(
            f"{index} cannot be loaded ({str(exc).splitlines()[0][:200]}). "
            f"Rebuild it with: {fix_hint(index, data.manifest)}"
        ) from exc
    check_vector_index(index, layout.CHUNK_FAISS, chunk_faiss, len(data.chunks), dimension)
    check_vector_index(index, layout.SENTENCE_FAISS, sentence_faiss, len(data.sentences), dimension)
    return OpenIndex(data, chunk_faiss, sentence_faiss, bm25, encoder, terms)
