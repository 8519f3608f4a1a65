"""The loaded form of a corpus file, shared by loaders, chunker and index."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Heading:
    """A heading the file format itself marks (Markdown #, HTML h1-h6, DOCX styles).

    Plain text and PDF have no such markup; their headings are inferred later.
    """

    start: int
    end: int
    level: int


@dataclass(frozen=True)
class Page:
    start: int
    end: int
    number: int


@dataclass
class SourceDocument:
    doc_id: str
    path: Path
    format: str
    # The document text all offsets point into: the decoded file for text
    # formats (BOM removed, newlines normalised as Python's text mode does),
    # the extracted text for HTML, PDF and DOCX.
    text: str
    sha256: str
    headings: list[Heading] | None = None
    pages: list[Page] = field(default_factory=list)
    title: str = ""
    meta: dict[str, object] = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].start else None
