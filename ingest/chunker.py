"""Split a document into section-aware chunks of whole sentences.

The records are the index's own (ingest/index/records.py) with indices local
to the document: a sentence's `chunk` and a chunk's `sentences` count within
it, and the build renumbers them to rows of the whole index.

Chunks never cross a section boundary and never cut a sentence; a section's
heading is the first sentence of its first chunk. Every record keeps exact
offsets into the document text. Page furniture (captions, credits,
boilerplate; see ingest/roles.py) never shares a chunk with body text, so a
passage is either all furniture (and never shown) or free of it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .documents import SourceDocument
from .index.records import ChunkRecord, SentenceRecord
from .invisible import spaced
from .roles import NON_ANSWER_ROLES, RULES_VERSION, Unit, sentence_roles
from .sentences import sentence_spans
from .structure import assign_sections, blocks_of, content_start

# 8: blocks, sentences and roles are decided with format characters read as spaces (ingest/invisible.py), and
# BM25 terms drop them: an index built before holds merged sentences and split words, so it is re-chunked.
CHUNKER_VERSION = 8


@dataclass(frozen=True)
class ChunkerSettings:
    chunk_tokens: int

    def as_dict(self) -> dict[str, object]:
        return {
            "version": CHUNKER_VERSION,
            "chunk_tokens": self.chunk_tokens,
            "sentence_splitter": "pysbd",
            "headings": "markup, else inferred (ingest/structure.py)",
            "roles": f"ingest/roles.py v{RULES_VERSION}; furniture chunked apart from body",
        }


def document_sentences(doc: SourceDocument, on_progress: Callable[[int], None] | None = None) -> list[SentenceRecord]:
    """The document's sentences; `on_progress(offset)` reports how far the split has got in a long text."""
    text = doc.text
    # Blocks, headings, sentences and roles are decided on the text with a space for each zero-width
    # or other format character; it has the same length, so the records take their text from the
    # raw document at the same offsets (ingest/invisible.py, issue 14).
    view = spaced(text)
    blocks = blocks_of(view, doc.headings, line_headings=doc.format == "pdf")
    sections = assign_sections(text, blocks, doc.headings is not None)
    out: list[SentenceRecord] = []
    units: list[Unit] = []
    for b, (block, section) in enumerate(zip(blocks, sections)):
        if block.kind == "heading":
            out.append(SentenceRecord(doc.doc_id, block.start, block.end, text[block.start:block.end], section, True))
            units.append(Unit(block.start, block.end, b))
            continue
        for s, e in sentence_spans(view, content_start(view, block), block.end, on_progress):
            out.append(SentenceRecord(doc.doc_id, s, e, text[s:e], section, False))
            units.append(Unit(s, e, b))
        if on_progress is not None:
            on_progress(block.end)
    for sent, role in zip(out, sentence_roles(view, blocks, units)):
        sent.role = role
    return out


def chunk_document(
    doc: SourceDocument,
    settings: ChunkerSettings,
    count_tokens: Callable[[Sequence[str]], list[int]],
    on_progress: Callable[[int], None] | None = None,
) -> tuple[list[ChunkRecord], list[SentenceRecord]]:
    sentences = document_sentences(doc, on_progress)
    tokens = count_tokens([s.text for s in sentences]) if sentences else []
    chunks: list[ChunkRecord] = []
    first = 0
    budget = 0

    def flush(last: int) -> None:
        nonlocal first, budget
        if last > first:
            s, e = sentences[first].start, sentences[last - 1].end
            body = sentences[last - 1].section
            for sent in sentences[first:last]:
                sent.chunk = len(chunks)
            chunks.append(ChunkRecord(doc.doc_id, s, e, doc.text[s:e], body, (first, last), doc.page_at(s)))
        first, budget = last, 0

    for i, (sent, n) in enumerate(zip(sentences, tokens)):
        if i > first:
            prev = sentences[i - 1]
            new_section = sent.heading and not prev.heading
            furniture_edge = (sent.role in NON_ANSWER_ROLES) != (prev.role in NON_ANSWER_ROLES)
            if new_section or furniture_edge or budget + n > settings.chunk_tokens:
                flush(i)
        budget += n
    flush(len(sentences))
    return chunks, sentences
