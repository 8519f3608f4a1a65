"""Where every citation is built, for every answerer: one quoted span of a stored document.

The extractive answerer quotes whole sentences (`Citer.sentence`); the LLM
answerer quotes the passage sentences that support a generated sentence
(`Citer.span`). Both end in `Citer.build`, which checks the quote against the
stored document text and fills in the passage around it: the chunk the quote
lies in, which the chat shows as the quote's context.
"""
from __future__ import annotations

from ingest.index import IndexData

from .answer import Citation, Passage
from .errors import CitationError


class Citer:
    def __init__(self, data: IndexData) -> None:
        self.data = data
        # A quote that starts where a sentence starts takes that sentence's role (body, list item, ...).
        self.rows = {(s.doc, s.start): i for i, s in enumerate(data.sentences)}

    def sentence(self, n: int, row: int) -> Citation:
        """Citation `n` quoting one sentence row; its passage is its chunk (or itself, outside every chunk)."""
        sent = self.data.sentences[row]
        passage = self.data.chunks[sent.chunk] if sent.chunk >= 0 else sent
        return self.build(n, sent.doc, sent.start, sent.end, (passage.start, passage.end), " › ".join(sent.section),
                          sent.role, sent.text)

    def span(self, n: int, passage: Passage, start: int, end: int) -> Citation:
        """Citation `n` quoting document characters [start, end) inside a retrieved passage."""
        doc = self.data.documents[passage.doc]
        if doc.text[passage.start:passage.end] != passage.text:
            raise CitationError(f"passage {n} does not match {passage.doc}[{passage.start}:{passage.end}]")
        row = self.rows.get((passage.doc, start))
        role = self.data.sentences[row].role if row is not None else "body"
        return self.build(n, passage.doc, start, end, (passage.start, passage.end), passage.section, role)

    def build(self, n: int, doc_id: str, start: int, end: int, passage: tuple[int, int], section: str, role: str,
              expected: str | None = None) -> Citation:
        """The one constructor of a Citation: the quote must be the stored text at [start, end) (and equal
        `expected`, the stored sentence, when given), inside its passage."""
        doc = self.data.documents[doc_id]
        text = doc.text[start:end]
        if expected is not None and text != expected:
            raise CitationError(f"citation {n} does not match {doc_id}[{start}:{end}]")
        if not passage[0] <= start < end <= passage[1]:
            raise CitationError(f"citation {n} ({doc_id} {start}-{end}) does not lie inside its passage "
                                f"{passage[0]}-{passage[1]}")
        return Citation(n=n, doc=doc_id, title=doc.title, section=section, start=start, end=end, text=text,
                        doc_sha256=doc.sha256, passage_start=passage[0], passage_end=passage[1], role=role)

