"""HTML: the visible text with paragraph breaks, and the h1-h6 headings where they stand."""
from __future__ import annotations

import re

from ..documents import Heading
from .text_file import decode_text

_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre",
    "blockquote", "figure", "figcaption", "caption", "br", "hr", "body", "h1",
    "h2", "h3", "h4", "h5", "h6", "title",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "head")


def load_html(data: bytes, name: str) -> tuple[str, list[Heading]]:
    """Extract visible text with paragraph breaks between block elements.

    Script and style bodies are dropped; everything else is kept as plain
    text, so markup inside a document can never reach a browser as HTML.
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(decode_text(data, name), "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    parts: list[str] = []
    headings: list[Heading] = []
    length = 0

    def emit(s: str) -> None:
        nonlocal length
        parts.append(s)
        length += len(s)

    def brk() -> None:
        if parts and not "".join(parts[-2:]).endswith("\n\n"):
            emit("\n\n" if not parts[-1].endswith("\n") else "\n")

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    continue
                s = re.sub(r"\s+", " ", str(child))
                if s.strip():
                    if not parts or parts[-1].endswith("\n"):
                        s = s.lstrip()
                    emit(s)
            elif isinstance(child, Tag):
                block = child.name in _BLOCK_TAGS
                if block:
                    brk()
                if child.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    title = re.sub(r"\s+", " ", child.get_text()).strip()
                    if title:
                        headings.append(Heading(length, length + len(title), int(child.name[1])))
                        emit(title)
                else:
                    walk(child)
                if block:
                    brk()

    walk(soup)
    return "".join(parts), headings
