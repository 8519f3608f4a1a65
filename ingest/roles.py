"""What each sentence *is* on the page: body text, a heading, a list item, or page furniture.

Documents captured from the web or from PDF carry text that is not the
author's prose: photo captions and credits, citation blocks, permissions
notices, navigation, running headers. Such sentences share words with many
questions ("Who took the photo?", "Summarize the brief") and used to be quoted
as answers. Each sentence therefore gets one role at ingest:

  body           ordinary prose (the default, and what Wikipedia text almost always is)
  claim_heading  a heading that states something ("Sanctions Alone Will Not Deter Russia")
  label_heading  a heading that names a topic ("Benefits and Costs", "Examples")
  list_item      a bulleted or numbered item
  caption        text describing a photo, map or figure ("The Potsdam Conference left to right: ...")
  credit         who made or owns an image ("Photo by Album/Alamy Stock Photo")
  boilerplate    citation blocks, permissions and copyright lines, navigation,
                 download/share/topic labels, URL-only lines, repeated running headers

Captions, credits and boilerplate (NON_ANSWER_ROLES) are never quoted as
answers nor shown as related passages. The rules are generic text patterns
(credit agencies, figure labels, citation formats, rights notices, repetition)
plus page context (a sentence in a block with a credit is its caption; the
body of a "Citation" or "References" section is boilerplate), so they hold
beyond the corpus they were first written for. They err toward `body`: a
missed caption can still be outscored, a lost body sentence cannot answer.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .role_rules import heading_role as heading_role
from .role_rules import intrinsic_role as intrinsic_role
from .role_rules import is_credit as is_credit
from .role_rules import is_reference_line as is_reference_line
from .role_rules import norm, words
from .structure import _NUMBERED, Block

if TYPE_CHECKING:
    from .index.records import ChunkRecord, SentenceRecord

# Bump when a rule changes: it is part of the chunker settings, so `python -m ingest` re-chunks.
RULES_VERSION = 1
ROLES = ("body", "claim_heading", "label_heading", "list_item", "caption", "credit", "boilerplate")
NON_ANSWER_ROLES = frozenset({"caption", "credit", "boilerplate"})

# --- page context (the per-sentence rules are ingest/role_rules.py) ----------------
_FURNITURE_SECTIONS = frozenset("""
citation|citations|cite this|cite this article|how to cite|recommended citation|suggested citation|permissions
reprints and permissions|copyright|license|licence|references|bibliography|works cited|external links
further reading|footnotes|endnotes|related|related content|related articles|related stories|related topics|topics
available for download|document details|share|share this
""".replace("\n", "|").strip("|").split("|"))
_FOOTER_CUE = re.compile(r"\bpage\b|©|\bcopyright\b|\bconfidential\b|\bdraft\b|www\.|https?://|\|", re.I)
REPEATED_LINE = 3  # a line seen this often is a running header or footer


@dataclass(frozen=True)
class Unit:
    """One sentence as the classifier sees it: its span and the block it came from."""

    start: int
    end: int
    block: int


def _line_key(line: str) -> str:
    """Running headers differ only in their page number: "Annual Report | Page 3"."""
    return re.sub(r"\d+", "#", norm(line))


def _line_of(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e < 0 else e


def sentence_roles(text: str, blocks: Sequence[Block], units: Sequence[Unit]) -> list[str]:
    """The role of every sentence of one document, in order.

    `blocks` are the document's blocks (ingest/structure.py) and each unit names
    the block it came from; context rules look at neighbouring blocks.
    """
    roles: list[str | None] = [intrinsic_role(text[u.start:u.end]) for u in units]

    # Lines: reference entries (pysbd cuts them into fragments) and repeated running headers/footers.
    lines: Counter[str] = Counter()
    line_kinds: dict[str, set[str]] = {}
    for blk in blocks:
        for line in text[blk.start:blk.end].split("\n"):
            key = _line_key(line)
            if key:
                lines[key] += 1
                line_kinds.setdefault(key, set()).add(blk.kind)
    for i, u in enumerate(units):
        if roles[i] is not None:
            continue
        ls, le = _line_of(text, u.start)
        line = text[ls:le]
        if is_reference_line(line):
            roles[i] = "boilerplate"
            continue
        key = _line_key(line)
        if lines[key] >= REPEATED_LINE:
            # A heading that recurs as a sub-section ("Benefits and Costs" under each case
            # study) is structure; a repeat with page numbers or footer words is not.
            label = line_kinds[key] == {"heading"} and "#" not in key and not _FOOTER_CUE.search(line)
            if not label:
                roles[i] = "boilerplate"

    by_block: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        by_block.setdefault(u.block, []).append(i)

    def block_roles(b: int) -> set[str | None]:
        return {roles[i] for i in by_block.get(b, [])}

    def has_credit(b: int) -> bool:
        return "credit" in block_roles(b)

    def furniture_block(b: int) -> bool:
        r = block_roles(b)
        return bool(r) and r <= {"caption", "credit"}

    # Context: the rest of a block that holds a credit is its caption.
    for b, members in by_block.items():
        if not has_credit(b):
            continue
        total = sum(len(words(text[units[i].start:units[i].end])) for i in members)
        for j, i in enumerate(members):
            if roles[i] is not None:
                continue
            follows = j + 1 < len(members) and roles[members[j + 1]] == "credit"
            n = len(words(text[units[i].start:units[i].end]))
            if total <= 60 or (follows and n <= 35):
                roles[i] = "caption"

    # Context, block by block in order: captions between a boundary and a credit, figure
    # titles without a body of their own, and whatever sits under a furniture heading.
    in_furniture_section = False
    for b, block in enumerate(blocks):
        members = by_block.get(b, [])
        if not members:
            continue
        if block.kind == "heading":
            head = text[block.start:block.end]
            # A furniture heading opens a furniture section; another furniture line ("APA" under
            # "Suggested Citation") continues it; any other heading ends it.
            in_furniture_section = norm(head) in _FURNITURE_SECTIONS or (
                in_furniture_section and block_roles(b) == {"boilerplate"})
            # A figure title: right after a caption, with no body of its own (the next block is a
            # heading). Numbered headings ("Part II", "Case Study 3:") always open sections.
            after_caption = b > 0 and furniture_block(b - 1) and "caption" in block_roles(b - 1)
            next_heading = b + 1 >= len(blocks) or blocks[b + 1].kind == "heading"
            figure_title = (after_caption and next_heading and len(words(head)) <= 20
                            and not _NUMBERED.match(" ".join(head.split())))
            for i in members:
                if roles[i] is None and figure_title:
                    roles[i] = "caption"  # "Approximate Borders ... as of 1914" under a map
            continue
        if in_furniture_section:
            for i in members:
                if roles[i] is None:
                    roles[i] = "boilerplate"
            continue
        sandwiched = (len(members) == 1 and roles[members[0]] is None
                      and len(words(text[units[members[0]].start:units[members[0]].end])) <= 25
                      and b + 1 < len(blocks) and has_credit(b + 1)
                      and (b == 0 or blocks[b - 1].kind == "heading" or furniture_block(b - 1)))
        if sandwiched:
            roles[members[0]] = "caption"

    out: list[str] = []
    for u, role in zip(units, roles):
        if role is None:
            kind = blocks[u.block].kind
            role = heading_role(text[u.start:u.end]) if kind == "heading" else "list_item" if kind == "item" else "body"
        out.append(role)
    return out


def answerable(sentence: SentenceRecord) -> bool:
    """Whether an index sentence record may be quoted as an answer."""
    return sentence.role not in NON_ANSWER_ROLES


def furniture_chunks(chunks: Sequence[ChunkRecord], sentences: Sequence[SentenceRecord]) -> frozenset[int]:
    """Rows of chunks with nothing to show: only captions, credits and boilerplate, or only
    headings (a section heading followed by a photo is chunked apart from it). Retrieval
    drops them, so they are never passages; their headings stay findable by sentence search."""
    out = set()
    for i, c in enumerate(chunks):
        a, b = c.sentences
        if not any(answerable(sentences[r]) and not sentences[r].heading for r in range(a, b)):
            out.add(i)
    return frozenset(out)
