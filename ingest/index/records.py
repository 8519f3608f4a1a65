"""The three record types of an index: documents, chunks and sentences.

Field names are the keys stored in documents.jsonl, chunks.jsonl and
sentences.jsonl, and `to_json` writes them in the order the files have
always had, so the on-disk format (FORMAT_VERSION 3) is unchanged byte for
byte. The chunker produces the same classes with offsets local to one
document (`chunk`, `sentences` count within it); the build renumbers them to
rows of the whole index.

Loading checks the raw rows with flat loops (`check_rows`) before any record
is made: an index at scale holds hundreds of thousands of sentences, and a
damaged or hand-edited one must be refused with a message naming the first
bad record and field, not fail later with a traceback or answer from wrong
offsets.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..structure import SEP
from .schema import NULL, Opt, SchemaError, check


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

    @property
    def authors(self) -> tuple[str, ...]:
        """The catalog's authors as text; empty when the catalog gives none, or not as a list."""
        raw = self.meta.get("authors")
        return tuple(a for a in raw if isinstance(a, str)) if isinstance(raw, list) else ()

    def public(self) -> dict[str, Any]:
        """Everything but the text: what the document list of the API and the chat show."""
        return {k: v for k, v in self.to_json().items() if k != "text"}

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "format": self.format, "sha256": self.sha256, "title": self.title,
                "text": self.text, "meta": self.meta, "chunks": self.chunks, "sentences": self.sentences}

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> DocumentRecord:
        return cls(**row)


@dataclass(slots=True)
class ChunkRecord:
    """A passage of whole sentences within one section; `text == document.text[start:end]`."""

    doc: str
    start: int
    end: int
    text: str
    section: tuple[str, ...]
    sentences: tuple[int, int]  # [first, last) sentence rows
    page: int | None = None
    id: int = -1  # its row in chunks.jsonl, set when the build is assembled

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "section": list(self.section),
                "sentences": list(self.sentences), "page": self.page, "text": self.text, "id": self.id}

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> ChunkRecord:
        first, last = row["sentences"]
        return cls(row["doc"], row["start"], row["end"], row["text"], tuple(row["section"]), (first, last),
                   row.get("page"), row.get("id", -1))


@dataclass(slots=True)
class SentenceRecord:
    """One sentence or heading; `role` (ingest/roles.py) says whether it may be quoted as an answer."""

    doc: str
    start: int
    end: int
    text: str
    section: tuple[str, ...]
    heading: bool
    chunk: int = -1  # row of its chunk; -1 when it belongs to none
    role: str = "body"  # one of ingest.roles.ROLES; records written before roles existed are body

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "section": list(self.section),
                "heading": self.heading, "role": self.role, "chunk": self.chunk, "text": self.text}

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> SentenceRecord:
        return cls(row["doc"], row["start"], row["end"], row["text"], tuple(row["section"]), row["heading"],
                   row["chunk"], row.get("role", "body"))


def check_rows(documents: Mapping[str, DocumentRecord], chunks: Sequence[Any], sentences: Sequence[Any]) -> None:
    """Types, offsets and cross-references of every raw chunk and sentence row (SchemaError on the first bad one).

    Written as flat loops (not through `schema.check`) because an index at scale
    holds hundreds of thousands of sentences.
    """
    n_chunks, n_sentences = len(chunks), len(sentences)
    for i, c in enumerate(chunks):
        if not (type(c) is dict and type(c.get("doc")) is str and type(c.get("start")) is int
                and type(c.get("end")) is int and type(c.get("text")) is str and type(c.get("section")) is list
                and all(type(x) is str for x in c["section"])
                and type(c.get("sentences")) is list and len(c["sentences"]) == 2
                and all(type(x) is int for x in c["sentences"]) and type(c.get("page")) in (int, NULL)):
            check(c, {"doc": str, "start": int, "end": int, "text": str, "section": [str], "sentences": [int],
                      "page": (int, NULL)}, f"chunks.jsonl record {i}")
            raise SchemaError(f"chunks.jsonl record {i}: 'sentences' must be a pair of integers")
        doc = documents.get(c["doc"])
        if doc is None:
            raise SchemaError(f"chunks.jsonl record {i}: document {c['doc'][:80]!r} is not in documents.jsonl")
        if not 0 <= c["start"] <= c["end"] <= len(doc.text):
            raise SchemaError(f"chunks.jsonl record {i}: offsets {c['start']}-{c['end']} are outside its document")
        first, last = c["sentences"]
        if not 0 <= first <= last <= n_sentences:
            raise SchemaError(f"chunks.jsonl record {i}: sentence range {first}-{last} is outside 0-{n_sentences}")
    for i, s in enumerate(sentences):
        if not (type(s) is dict and type(s.get("doc")) is str and type(s.get("start")) is int
                and type(s.get("end")) is int and type(s.get("text")) is str and type(s.get("section")) is list
                and all(type(x) is str for x in s["section"]) and type(s.get("heading")) is bool
                and type(s.get("chunk")) is int and type(s.get("role", "")) is str):
            check(s, {"doc": str, "start": int, "end": int, "text": str, "section": [str], "heading": bool,
                      "chunk": int, "role": Opt(str)}, f"sentences.jsonl record {i}")
        doc = documents.get(s["doc"])
        if doc is None:
            raise SchemaError(f"sentences.jsonl record {i}: document {s['doc'][:80]!r} is not in documents.jsonl")
        if not 0 <= s["start"] <= s["end"] <= len(doc.text):
            raise SchemaError(f"sentences.jsonl record {i}: offsets {s['start']}-{s['end']} are outside its document")
        if not -1 <= s["chunk"] < n_chunks:
            raise SchemaError(f"sentences.jsonl record {i}: chunk {s['chunk']} is outside -1..{n_chunks - 1}")


def chunk_embed_text(title: str, section: Sequence[str], text: str) -> str:
    """What represents a chunk to the embedder and to BM25: its document title, section path and text."""
    return "\n".join(p for p in (title, SEP.join(section), text) if p)


def sentence_embed_text(section: Sequence[str], text: str) -> str:
    """A sentence is embedded with its top-level section ("Case Study 4: U.S.-Russia Reset"):
    the topic it is about, which generic sub-headings ("Key Components ...") would dilute."""
    return f"{section[0]}: {text}" if section and section[0] != text else text
