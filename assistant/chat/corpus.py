"""Read-only views of the indexed documents as the chat shows them: titles, paragraphs, chunks by offset.

A source card shows the indexed chunk that holds a citation, and its
context view the paragraphs around the cited span, so both are found by
character offset here, once per document, and kept.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

_PARA_SPLIT = re.compile(r"\n[ \t\u00a0]*\n")

# Context view: paragraphs shown on each side of the cited span.
CONTEXT_PARAS = 2
CONTEXT_MIN_CHARS = 450


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def shorten(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank paragraphs of text[start:end], as document offsets."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _PARA_SPLIT.finditer(text, start, end):
        spans.append(Span(pos, m.start()))
        pos = m.end()
    spans.append(Span(pos, end))
    return [s for s in spans if text[s.start:s.end].strip()]


class Corpus:
    """Read-only views of the indexed documents: paragraphs and chunks by offset."""

    def __init__(self, data: Any) -> None:
        self.documents = data.documents
        self._chunks: dict[str, list[tuple[int, int, str]]] = {}
        for c in data.chunks:
            self._chunks.setdefault(c.doc, []).append((c.start, c.end, " › ".join(c.section)))
        for rows in self._chunks.values():
            rows.sort()
        self._paras: dict[str, list[Span]] = {}

    def text(self, doc: str) -> str:
        return str(self.documents[doc].text)

    def title(self, doc: str) -> str:
        d = self.documents.get(doc)
        return str(d.title) if d is not None else doc

    def short_title(self, doc: str) -> str:
        """The catalog's `short_title` (cards repeat it; the full title is on hover and in export)."""
        d = self.documents.get(doc)
        short = (d.meta or {}).get("short_title") if d is not None else None
        return str(short) if isinstance(short, str) and short.strip() else shorten(self.title(doc), 60)

    def paragraphs(self, doc: str) -> list[Span]:
        spans = self._paras.get(doc)
        if spans is None:
            text = self.text(doc)
            spans = paragraph_spans(text) or [Span(0, len(text))]
            self._paras[doc] = spans
        return spans

    def chunk_around(self, doc: str, start: int, end: int) -> tuple[int, int, str] | None:
        """The indexed chunk that contains [start, end), if any."""
        rows = self._chunks.get(doc, [])
        i = bisect.bisect_right(rows, (start, float("inf"), "")) - 1
        while i >= 0:
            s, e, section = rows[i]
            if s <= start and end <= e:
                return s, e, section
            if e < start:
                break
            i -= 1
        return None

    def context_spans(self, doc: str, start: int, end: int) -> tuple[list[Span], int, int]:
        """Paragraphs around a span: (spans, first paragraph number, paragraph count)."""
        paras = self.paragraphs(doc)
        starts = [p.start for p in paras]
        i = max(0, bisect.bisect_right(starts, start) - 1)
        j = max(i, bisect.bisect_right(starts, max(start, end - 1)) - 1)
        lo, got = i, 0
        while lo > 0 and i - lo < CONTEXT_PARAS and got < CONTEXT_MIN_CHARS:
            lo -= 1
            got += paras[lo].end - paras[lo].start
        hi, got = j, 0
        while hi < len(paras) - 1 and hi - j < CONTEXT_PARAS and got < CONTEXT_MIN_CHARS:
            hi += 1
            got += paras[hi].end - paras[hi].start
        return paras[lo:hi + 1], lo + 1, len(paras)
