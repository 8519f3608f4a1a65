"""Find blocks, headings and section paths in a document's text.

Structured formats bring their own headings. Plain text and PDF do not, so a
heading is inferred: a one-line block that reads like a title (short, no
closing punctuation, capitalised). Levels follow three rules that fit report
layouts like the RAND brief:
  * numbered headings ("Case Study 3: ...", "Chapter 2", "1.2 Scope") open a
    top-level section;
  * a heading text that recurs in the document ("Benefits and Costs") is a
    sub-section of the current top-level section;
  * a heading phrased as a claim ("X Could Still Lead to Y") is a sub-section
    of the last plain heading ("Recommendations").
Other plain headings open a new top-level section, except that inside a
numbered section, before its first recurring sub-heading, they are treated
as captions and nest under it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .documents import Heading
from .invisible import visible

SEP = " › "

_BLOCK_SPLIT = re.compile(r"\n[ \t\u00a0]*\n")
_BULLET_MARK = r"[ \t]*(?:[•●◦▪‣∙·\-\*–]|\(?\d{1,3}[.)]|\(?[a-z][.)])[ \t]+"
_BULLET = re.compile("^" + _BULLET_MARK, re.M)
# For matching at an offset: '^' would only match at a line start, and a
# stripped block starts after its indentation.
_BULLET_AT = re.compile(_BULLET_MARK)
_NUMBERED = re.compile(
    r"^(?:(?:case study|chapter|part|section|appendix|annex|finding|recommendation)\s+[\dIVXLC]+\b|\d+(?:\.\d+)*\.?\s+\S)",
    re.I,
)
_CLAIM = re.compile(
    r"\b(?:should|could|would|will|may|might|must|can|cannot|are|is|was|were|appears?|seems?|remains?|lead|leads|need|needs)\b",
    re.I,
)
_CREDIT = re.compile(r"^(?:photo|image|source|credit|figure|fig\.|table|map)\b", re.I)


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "para" | "item"
    start: int
    end: int
    level: int = 0


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def raw_blocks(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BLOCK_SPLIT.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        s, e = _strip_span(text, s, e)
        if e > s:
            out.append((s, e))
    return out


_MINOR_WORDS = frozenset(
    "a an and as at but by de for from if in into nor of on or over per the than that to under up via vs with within without".split()
)


def looks_like_heading(line: str) -> bool:
    """A one-line block that reads like a title rather than a sentence."""
    line = line.strip()
    if not line or len(line) > 250 or "\n" in line:
        return False
    if line[-1] in ".;,:!\"”'’" or _BULLET.match(line):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    words = line.split()
    if line.count(",") > 2 or len(words) > 40 or sum(ch.isalpha() for ch in line) < 3:
        return False
    if _CREDIT.match(line):
        return False
    if len(words) > 8:
        # Long lines count only in Title Case: "State seeks to advance ..."
        # is a sentence without its full stop, not a heading.
        major = [w for w in words if w.lower() not in _MINOR_WORDS and w[0].isalpha()]
        if major and sum(w[0].isupper() for w in major) / len(major) < 0.75:
            return False
    return True


def _split_items(text: str, start: int, end: int) -> list[Block]:
    """A block whose lines start with bullets becomes one item per bullet."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if len(lines) < 2 or not any(_BULLET.match(text[s:e]) for s, e in lines[1:]):
        return [Block("para", start, end)]
    blocks: list[Block] = []
    cur_s, cur_e = lines[0]
    for s, e in lines[1:]:
        if _BULLET.match(text[s:e]):
            blocks.append(Block("item", *_strip_span(text, cur_s, cur_e)))
            cur_s, cur_e = s, e
        else:
            cur_e = e
    blocks.append(Block("item", *_strip_span(text, cur_s, cur_e)))
    first = blocks[0]
    if not _BULLET.match(text[first.start:first.end]):
        blocks[0] = Block("para", first.start, first.end)
    return [b for b in blocks if b.end > b.start]


def content_start(text: str, block: Block) -> int:
    """Offset after a bullet marker: citations quote the item, not the dot."""
    if block.kind != "item":
        return block.start
    m = _BULLET_AT.match(text, block.start, block.end)
    return block.start + len(m.group(0)) if m else block.start


def _add_body(out: list[Block], text: str, start: int, end: int) -> None:
    start, end = _strip_span(text, start, end)
    if end > start:
        out.extend(_split_items(text, start, end))


def _line_blocks(text: str, start: int, end: int) -> list[Block]:
    """PDF text has no blank lines between a heading and its body: test each line."""
    out: list[Block] = []
    para_start: int | None = None
    pos = start
    for line in text[start:end].split("\n"):
        s, e = _strip_span(text, pos, pos + len(line))
        if e > s and looks_like_heading(text[s:e]) and len(text[s:e].split()) <= 12:
            if para_start is not None:
                _add_body(out, text, para_start, pos)
                para_start = None
            out.append(Block("heading", s, e, 0))
        elif para_start is None and e > s:
            para_start = s
        pos += len(line) + 1
    if para_start is not None:
        _add_body(out, text, para_start, end)
    return out


def blocks_of(text: str, headings: list[Heading] | None, line_headings: bool = False) -> list[Block]:
    spans = raw_blocks(text)
    out: list[Block] = []
    if headings is not None:
        ordered = sorted(headings, key=lambda h: h.start)
        for s, e in spans:
            # Markdown headings may share a raw block with body lines, so cut
            # the block at each heading line.
            cursor = s
            for h in (h for h in ordered if s <= h.start < e):
                line_start = max(cursor, text.rfind("\n", cursor, h.start) + 1)
                _add_body(out, text, cursor, line_start)
                out.append(Block("heading", h.start, h.end, h.level))
                nl = text.find("\n", h.end, e)
                cursor = e if nl == -1 else nl + 1
            _add_body(out, text, cursor, e)
        return out
    for s, e in spans:
        if line_headings and "\n" in text[s:e]:
            out.extend(_line_blocks(text, s, e))
        elif looks_like_heading(text[s:e]):
            out.append(Block("heading", s, e, 0))
        else:
            out.extend(_split_items(text, s, e))
    return out


def assign_sections(text: str, blocks: list[Block], explicit: bool) -> list[tuple[str, ...]]:
    """Section path in force at each block (a heading's own path includes it).

    Titles are read without zero-width and other format characters: they are shown and searched
    as words ("Krem\u200blin Policy" is the section "Kremlin Policy"; ingest/invisible.py).
    """
    titles = [" ".join(visible(text[b.start:b.end]).split()) for b in blocks]
    paths: list[tuple[str, ...]] = []
    if explicit:
        stack: list[tuple[int, str]] = []
        for b, title in zip(blocks, titles):
            if b.kind == "heading":
                while stack and stack[-1][0] >= b.level:
                    stack.pop()
                stack.append((b.level, title))
            paths.append(tuple(t for _, t in stack))
        return paths
    counts = Counter(t for b, t in zip(blocks, titles) if b.kind == "heading")
    top: str | None = None
    top_numbered = False
    seen_recurring = False
    current: tuple[str, ...] = ()
    for b, title in zip(blocks, titles):
        if b.kind == "heading":
            if _NUMBERED.match(title):
                top, top_numbered, seen_recurring = title, True, False
                current = (title,)
            elif counts[title] > 1 and top is not None:
                seen_recurring = True
                current = (top, title)
            elif top_numbered and top is not None and not seen_recurring:  # top_numbered implies top
                # A caption or figure title inside a numbered section: not a section of its own.
                current = (top,)
            elif _CLAIM.search(title) and not title.endswith("?") and top is not None and not top_numbered:
                current = (top, title)
            else:
                top, top_numbered, seen_recurring = title, False, False
                current = (title,)
        paths.append(current)
    return paths
