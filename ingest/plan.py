"""Planning a build: which documents to chunk and embed again, which to copy from the previous build.

A document is re-chunked and re-embedded only when its bytes (SHA-256), its
catalog metadata or the chunker settings change; everything else (records
and vectors) is copied from the previous build. The result is an
`Assembled` build with rows renumbered for the whole index, ready for a
writer (ingest/index/writer.py, or Milvus).

The chunker and the document encoder can be passed in (`Seams`): the scale
benchmark builds a synthetic corpus from planned chunks and vectors through
this same code.
"""
from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import embedder
from .catalog import load_catalog
from .chunker import ChunkerSettings, chunk_document
from .config import Settings
from .documents import SourceDocument
from .errors import CorpusError
from .index.reader import IndexData
from .index.records import ChunkRecord, DocumentRecord, SentenceRecord, chunk_embed_text, sentence_embed_text
from .index.writer import Assembled
from .loaders import Limits, UnreadableDocument, load_file
from .scan import mtimes

Log = Callable[[str], None]
LARGE_DOCUMENT_CHARS = 1_000_000  # about 5 s of sentence splitting: say what is happening
PROGRESS_EVERY_S = 10.0


class DocumentEncoder(Protocol):
    """What a build needs of an encoder: vectors for texts, and the query encoder exported beside them."""

    def encode(self, texts: list[str], progress: bool | None = None,
               log: Callable[[int, int], None] | None = None) -> np.ndarray: ...

    def export_onnx(self, path: Path) -> None: ...


Chunker = Callable[[SourceDocument, ChunkerSettings, Callable[[Sequence[str]], list[int]], Callable[[int], None] | None],
                   tuple[list[ChunkRecord], list[SentenceRecord]]]


@dataclass
class Seams:
    """What a caller may replace in a build. None: the real chunker; the bundled model, loaded only when needed."""

    chunker: Chunker = chunk_document
    encoder: DocumentEncoder | None = None

    def load_encoder(self, log: Log) -> DocumentEncoder:
        if self.encoder is None:
            log(f"loading {embedder.MODEL_NAME} ...")
            self.encoder = embedder.DocumentEncoder()
        return self.encoder


@dataclass
class BuildReport:
    index: Path
    up_to_date: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    embedded_documents: list[str] = field(default_factory=list)
    embedded_texts: int = 0
    touched: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    sentences: int = 0
    characters: int = 0
    seconds: float = 0.0


class Ticker:
    """Progress as log lines, at most one per PROGRESS_EVERY_S, when stderr is no terminal.

    On a terminal the embedder draws its own bar; in a log (make, CI, a service) a 5 MB document used to
    run for minutes with no output at all (issue 14). `progress` True/False forces the choice.
    """

    def __init__(self, log: Log, progress: bool | None) -> None:
        self.log = log
        self.active = not (sys.stderr.isatty() if progress is None else progress)
        self.last = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.active and time.monotonic() - self.last >= PROGRESS_EVERY_S:
            self.last = time.monotonic()
            self.log(message)


# One document's records, and its vectors when they are copied from the previous build (None: to embed).
DocRows = tuple[list[ChunkRecord], list[SentenceRecord], np.ndarray | None, np.ndarray | None]


def _previous_rows(previous: IndexData) -> dict[str, DocRows]:
    """Each document's records and vectors in the previous build, in one pass (not documents x chunks at scale)."""
    chunk_ids: dict[str, list[int]] = {d: [] for d in previous.documents}
    sentence_ids: dict[str, list[int]] = {d: [] for d in previous.documents}
    for i, c in enumerate(previous.chunks):
        chunk_ids.setdefault(c.doc, []).append(i)
    for i, s in enumerate(previous.sentences):
        sentence_ids.setdefault(s.doc, []).append(i)
    return {doc_id: ([previous.chunks[i] for i in chunk_ids[doc_id]], [previous.sentences[i] for i in sentence_ids[doc_id]],
                     previous.chunk_vectors[chunk_ids[doc_id]], previous.sentence_vectors[sentence_ids[doc_id]])
            for doc_id in previous.documents}


def _first_heading(doc_sentences: list[SentenceRecord]) -> str | None:
    for s in doc_sentences:
        if s.heading:
            return " ".join(s.text.split())[:200]
    return None


def _split_progress(ticker: Ticker, name: str, n: int) -> Callable[[int], None]:
    return lambda at: ticker(f"  {name}: {at / n:.0%} split")


def _skip(report: BuildReport, skipped: list[dict[str, str]], warn: Log, file: str, reason: str) -> None:
    warn(f"skipped {reason}")
    report.skipped.append(reason)
    skipped.append({"file": file, "reason": reason})


def _renumber(per_doc: list[DocRows], new_vectors: np.ndarray
              ) -> tuple[list[ChunkRecord], list[SentenceRecord], np.ndarray, np.ndarray]:
    """Concatenate the documents' records, turning document-local (or previous-build) row numbers into rows
    of this build, and take each new document's vectors from the embedded batch in order."""
    chunks: list[ChunkRecord] = []
    sentences: list[SentenceRecord] = []
    cvecs: list[np.ndarray] = []
    svecs: list[np.ndarray] = []
    cursor = 0
    for c_rows, s_rows, cv, sv in per_doc:
        if cv is None or sv is None:
            cv = new_vectors[cursor:cursor + len(c_rows)]
            cursor += len(c_rows)
            sv = new_vectors[cursor:cursor + len(s_rows)]
            cursor += len(s_rows)
        c_base, s_base = len(chunks), len(sentences)
        c_off = min(r.sentences[0] for r in c_rows) if c_rows else 0
        s_chunk_off = min(r.chunk for r in s_rows if r.chunk >= 0) if s_rows else 0
        for r in c_rows:
            chunks.append(dataclasses.replace(
                r, sentences=(r.sentences[0] - c_off + s_base, r.sentences[1] - c_off + s_base), id=len(chunks)))
        for s in s_rows:
            sentences.append(dataclasses.replace(s, chunk=s.chunk - s_chunk_off + c_base if s.chunk >= 0 else -1))
        cvecs.append(cv)
        svecs.append(sv)
    return (chunks, sentences, np.ascontiguousarray(np.vstack(cvecs), dtype=np.float32),
            np.ascontiguousarray(np.vstack(svecs), dtype=np.float32))


def assemble(settings: Settings, files: list[Path], state: dict[str, Any], previous: IndexData | None,
             report: BuildReport, log: Log, warn: Log, progress: bool | None, seams: Seams,
             need_encoder: bool) -> Assembled:
    """Chunk and embed what changed, reuse the rest. `need_encoder`: the writer must export a query encoder,
    so the document encoder is loaded even when nothing is embedded."""
    catalog = load_catalog(settings.index.corpus_dir, warn)
    chunker = ChunkerSettings(settings.index.chunk_tokens)
    same_chunker = previous is not None and previous.manifest.get("state", {}).get("chunker") == chunker.as_dict()
    prev_rows = _previous_rows(previous) if previous is not None else {}

    documents: list[DocumentRecord] = []
    per_doc: list[DocRows] = []
    to_embed: list[str] = []
    skipped: list[dict[str, str]] = []
    for path in files:
        doc_id = path.stem
        sha = state["files"][path.name]
        meta = dict(catalog.get(doc_id, {}))
        prev_doc = previous.documents.get(doc_id) if previous else None
        if prev_doc and same_chunker and prev_doc.sha256 == sha and prev_doc.meta == meta and doc_id in prev_rows:
            documents.append(dataclasses.replace(prev_doc))
            per_doc.append(prev_rows[doc_id])
            report.unchanged.append(doc_id)
            continue
        try:
            doc = load_file(path, Limits(settings.index.max_document_chars, settings.index.max_file_bytes))
        except UnreadableDocument as exc:
            _skip(report, skipped, warn, path.name, str(exc))
            continue
        if len(doc.text) >= LARGE_DOCUMENT_CHARS:
            log(f"splitting {path.name} ({len(doc.text):,} characters) into sentences ...")
        chunks, sentences = seams.chunker(doc, chunker, embedder.count_tokens,
                                          _split_progress(Ticker(log, progress), path.name, len(doc.text)))
        if not chunks:
            _skip(report, skipped, warn, path.name, f"{path.name}: no sentences found")
            continue
        title = str(meta.get("title") or _first_heading(sentences) or doc_id)
        to_embed.extend(chunk_embed_text(title, c.section, c.text) for c in chunks)
        to_embed.extend(sentence_embed_text(s.section, s.text) for s in sentences)
        documents.append(DocumentRecord(doc_id, path.name, doc.format, sha, title, doc.text, meta, len(chunks),
                                        len(sentences)))
        per_doc.append((chunks, sentences, None, None))
        (report.changed if prev_doc else report.added).append(doc_id)
        report.embedded_documents.append(doc_id)
    if not documents:
        raise CorpusError("no document in the corpus could be indexed (see the warnings above); "
                          "the previous index, if any, is unchanged")
    if previous is not None:
        report.removed = sorted(set(previous.documents) - {d.id for d in documents})

    encoder = seams.load_encoder(log) if to_embed or need_encoder else None
    new_vectors = np.zeros((0, embedder.DIMENSION), dtype=np.float32)
    if to_embed and encoder is not None:
        log(f"embedding {len(to_embed)} chunks and sentences from {len(report.embedded_documents)} document(s)")
        ticker = Ticker(log, progress)
        new_vectors = encoder.encode(
            to_embed, progress=progress, log=lambda done, total: ticker(f"  embedded {done:,} of {total:,} ({done / total:.0%})"))
    report.embedded_texts = len(to_embed)
    chunk_rows, sentence_rows, chunk_vectors, sentence_vectors = _renumber(per_doc, new_vectors)
    titles = {d.id: d.title for d in documents}
    return Assembled(documents, chunk_rows, sentence_rows, chunk_vectors, sentence_vectors, titles, state,
                     chunker.as_dict(), skipped, mtimes(files), encoder)
