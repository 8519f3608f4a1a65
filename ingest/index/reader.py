"""Opening an index: `open_index` is the one way the assistant reads one.

Everything is checked before a question is answered: the manifest (kind,
format, embedder), every file against its size and checksum, every record
against its schema and offsets, and each FAISS file against the record count
and dimension. Any failure is an IndexCorruptError, IndexMismatchError or
IndexMissingError whose message ends with the rebuild command.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import embedder, lexical, vectors
from ..errors import IndexCorruptError
from . import layout, schema
from .manifest import check_compatible, check_files, fix_hint, read_manifest
from .records import ChunkRecord, DocumentRecord, SentenceRecord, check_rows
from .terms import TermStats


@dataclass
class IndexData:
    """The records and vectors of one build, as both stores (folder and Milvus) load them."""

    path: Path
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


def load_index(index: Path, embedder_name: str = embedder.MODEL_NAME, dimension: int = embedder.DIMENSION) -> IndexData:
    """The records and vectors of the published build, checked (the build reuses them; open_index adds search)."""
    manifest = read_manifest(index)
    check_compatible(index, manifest, embedder_name, dimension)
    check_files(index, manifest)
    try:
        docs = {}
        for i, row in enumerate(read_jsonl(index / layout.DOCUMENTS)):
            schema.check(row, schema.DOCUMENT, f"{layout.DOCUMENTS} record {i}")
            rec = DocumentRecord.from_json(row)
            docs[rec.id] = rec
        chunks, sentences = records_from_rows(docs, read_jsonl(index / layout.CHUNKS),
                                              read_jsonl(index / layout.SENTENCES))
        cvec = np.load(index / layout.CHUNK_VECTORS, allow_pickle=False)
        svec = np.load(index / layout.SENTENCE_VECTORS, allow_pickle=False)
    except (OSError, ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        # SchemaError is a ValueError: it names the file, the record and the field.
        raise IndexCorruptError(f"{index} is damaged ({str(exc)[:300]}). Rebuild it with: {fix_hint(index, manifest)}") from exc
    if cvec.shape != (len(chunks), dimension) or svec.shape != (len(sentences), dimension):
        raise IndexCorruptError(
            f"{index}: vectors do not match the records ({cvec.shape} for {len(chunks)} chunks, "
            f"{svec.shape} for {len(sentences)} sentences). Rebuild it with: {fix_hint(index, manifest)}"
        )
    check_offsets(index, manifest, docs, chunks)
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


def open_index(index: Path, embedder_name: str = embedder.MODEL_NAME, dimension: int = embedder.DIMENSION) -> OpenIndex:
    """The index folder: records, FAISS, bm25s and the ONNX query encoder, all loaded into this process."""
    index = Path(index)
    data = load_index(index, embedder_name, dimension)
    unloadable: tuple[type[BaseException], ...] = (RuntimeError, OSError, ValueError, KeyError,
                                                   *embedder.runtime_load_errors())
    try:
        chunk_faiss = vectors.load_faiss(data.path / layout.CHUNK_FAISS)
        sentence_faiss = vectors.load_faiss(data.path / layout.SENTENCE_FAISS)
        bm25 = lexical.load_bm25(data.path / layout.BM25_DIR)
        encoder = embedder.QueryEncoder(data.path / layout.QUERY_ENCODER)
        terms = TermStats.from_bm25(bm25, len(data.chunks))
    except unloadable as exc:
        raise IndexCorruptError(
            f"{index} cannot be loaded ({str(exc).splitlines()[0][:200]}). "
            f"Rebuild it with: {fix_hint(index)}"
        ) from exc
    check_vector_index(index, layout.CHUNK_FAISS, chunk_faiss, len(data.chunks), dimension)
    check_vector_index(index, layout.SENTENCE_FAISS, sentence_faiss, len(data.sentences), dimension)
    return OpenIndex(data, chunk_faiss, sentence_faiss, bm25, encoder, terms)
