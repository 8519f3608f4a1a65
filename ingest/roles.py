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

from .structure import _NUMBERED, Block

if TYPE_CHECKING:
    from .index.records import ChunkRecord, SentenceRecord

# Bump when a rule changes: it is part of the chunker settings, so `python -m ingest` re-chunks.
RULES_VERSION = 1
ROLES = ("body", "claim_heading", "label_heading", "list_item", "caption", "credit", "boilerplate")
NON_ANSWER_ROLES = frozenset({"caption", "credit", "boilerplate"})

# --- credits -----------------------------------------------------------------
# "Photo by X", "Image: X", "Credit: X", "Courtesy of X", "Source: X" at the start of a short line.
_CREDIT_START = re.compile(
    r"^\(?\s*(?:(?:photo(?:graph)?|image|picture|illustration|graphic|video|artwork|cover\s+(?:photo|image|art))s?"
    r"(?:\s+(?:credit|courtesy))?\s*(?:by\b|:|courtesy\s+of\b)|(?:photo|image)\s+credits?\b|credits?\s*:"
    r"|courtesy\s+of\b|source\s*:)",
    re.I,
)
# Agencies and stock libraries that appear in credits and hardly ever in prose.
_AGENCY = re.compile(
    r"\b(?:stock\s+photo|getty\s+images|shutterstock|alamy|istock(?:photo)?|ap\s+photo|unsplash|pexels"
    r"|wikimedia\s+commons|dreamstime|adobe\s+stock)\b",
    re.I,
)
# News agencies also write prose ("Reuters reported"), so they count only in credit form: "Jane Doe/Reuters".
_WIRE = re.compile(r"(?:[/(]\s*(?:reuters|afp|epa(?:-efe)?|associated\s+press|bloomberg|xinhua|tass)\b"
                   r"|\b(?:reuters|afp|epa|bloomberg)\s*[/)])", re.I)
# A caption glued to its credit: "... Winston Churchill. Keystone Press/Alamy Stock Photo".
_CREDIT_TAIL = re.compile(r"(?:[.!?]\s+|\s\()(?:photo(?:graph)?|image)\s*(?:by\b|:)", re.I)

# --- captions ------------------------------------------------------------------
_CAPTION_START = re.compile(
    r"^(?:an?\s+|the\s+)?(?:(?:black[- ]and[- ]white|colou?r|aerial|undated|file|archival|historical|satellite)\s+)*"
    r"(?:photo(?:graph)?|image|picture|map|chart|graph|diagram|illustration|screenshot|infographic|drawing"
    r"|painting|portrait|sketch|cartoon)s?\s+(?:of|that\s+shows?|showing|shows|depicting|depicts|taken)\b",
    re.I,
)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|became|[a-z]{3,}ed)\b", re.I)
_FIGURE_LABEL = re.compile(
    r"^(?:figure|fig\.|table|exhibit|chart|map|plate|graph|cover)\s*(?:[\dIVX]+[a-z]?(?:\.\d+)*)?\s*[:.|—–]\s*\S",
    re.I,
)
_CAPTION_CUE = re.compile(
    r"(?:\b(?:from\s+)?left\s+to\s+right\s*[:),]|\(\s*from\s+left\s*\)|\bfrom\s+left\s*:|\(\s*l\s*(?:-|to)\s*r\s*\)"
    r"|\(pictured\)|\bpictured\s+(?:here|above|below)\b|\bin\s+this\s+(?:photo(?:graph)?|image|picture)\b)",
    re.I,
)

# --- boilerplate ------------------------------------------------------------------
_RIGHTS = re.compile(
    r"all\s+rights\s+reserved|^\s*(?:copyright\s*(?:©|\(c\)|\d{4}|by\b|notice\b)|©\s*\d{4}|\(c\)\s*\d{4})|\bcopyright\s+(?:©|\d{4}|\(c\))"
    r"|\btrademark(?:\(s\)|s)?\b.*\b(?:protected|registered|contained)|\bpermission\s+(?:is\s+)?required\b"
    r"|\breprint(?:s)?\s+(?:and|&)\s+(?:reuse\s+)?permissions\b|\bunauthori[sz]ed\s+(?:posting|reproduction|copying|use)\b"
    r"|\bnoncommercial\s+use\s+only\b|\bprotected\s+by\s+(?:law|copyright)\b|\bdo(?:es)?\s+not\s+necessarily\s+reflect\b"
    r"|\bmay\s+not\s+be\s+(?:reproduced|republished|redistributed)\b|\blicensed\s+under\s+(?:a\s+|the\s+)?creative\s+commons\b",
    re.I,
)
# Page furniture that is the whole line: download, share, topic and citation-format labels, navigation.
_FURNITURE_LINES = frozenset("""
available for download|download|download pdf|download the report|download the full report|download free pdf
topics|related topics|tags|document details|details|citation|citations|cite|cite this|cite this article
cite this page|how to cite|recommended citation|suggested citation|share|share this|share this article
share this page|share on facebook|share on twitter|share on linkedin|print|email|print this page|permissions
reprints|reprints and permissions|related|related content|related articles|related stories|related reading
read more|more from|more on this topic|advertisement|sponsored content|skip to content|skip to main content
back to top|table of contents|contents|subscribe|subscribe now|sign up|sign up for our newsletter|newsletter
follow us|terms of use|terms of service|privacy policy|cookie policy|cookie settings|all rights reserved
bibtex|ris|endnote|bibtex ris|bibtex ris endnote|references|bibliography|works cited|see also|external links
further reading|footnotes|endnotes|copyright|license|licence|log in|sign in|comments|leave a comment
""".replace("\n", "|").strip("|").split("|"))
# Headings under which everything is furniture, until the next heading.
_FURNITURE_SECTIONS = frozenset("""
citation|citations|cite this|cite this article|how to cite|recommended citation|suggested citation|permissions
reprints and permissions|copyright|license|licence|references|bibliography|works cited|external links
further reading|footnotes|endnotes|related|related content|related articles|related stories|related topics|topics
available for download|document details|share|share this
""".replace("\n", "|").strip("|").split("|"))
_CITE_STYLE = re.compile(
    r"^(?:[\w.&-]+\s+)?(?:style\s+manual|manual\s+of\s+style|(?:apa|mla|chicago|harvard|ieee|vancouver|turabian)"
    r"(?:\s+(?:style|format|citation))?|bibtex|endnote|zotero|ris)$",
    re.I,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_ACCESSED = re.compile(r"^(?:as\s+of|accessed|retrieved|last\s+(?:accessed|modified|updated)|available\s+(?:at|from|online))"
                       r"\b.*(?:https?://|www\.)", re.I)
# A reference-list entry: "Surname, Given, ... 2023. https://..." on one line.
_REFERENCE = re.compile(r"^[A-Z][\w'’-]+,\s+[A-Z][a-z'’-]+(?:\s+[A-Z]\.)*(?:,|\s+and\b|\s+&)")
_REFERENCE_CUE = re.compile(r"https?://|\bdoi:|\bpp?\.\s*\d|\bvol\.\s*\d|\bet\s+al\.|\beds?\.|\b(?:press|corporation|"
                            r"publishing|publishers|university|institute|journal|books)\b", re.I)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_PROSE_VERB = re.compile(r"\s(?:is|was|are|were|has|had)\s")
_BREADCRUMB = re.compile(r"^(?:[^>›»\n]{1,40}\s[>›»]\s){2,}[^>›»\n]{1,40}$")
_FOOTER_CUE = re.compile(r"\bpage\b|©|\bcopyright\b|\bconfidential\b|\bdraft\b|www\.|https?://|\|", re.I)
REPEATED_LINE = 3  # a line seen this often is a running header or footer

# --- headings ---------------------------------------------------------------------
# A finite verb or modal makes a heading a statement ("... Could Still Lead to ...").
_CLAIM_VERB = re.compile(
    r"\b(?:should|could|would|will|may(?!\s+\d)|might|must|can|cannot|can't|won't|is|are|was|were|has|have|had|does|do|did"
    r"|appears?|seems?|remains?|leads?|needs?|shows?|helps?|fails?|makes?|works?|matters?|means?)\b",
    re.I,
)
CLAIM_MIN_WORDS = 4


@dataclass(frozen=True)
class Unit:
    """One sentence as the classifier sees it: its span and the block it came from."""

    start: int
    end: int
    block: int


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


_BOUNDARY = re.compile(r"[.!?][)”\"'’]?\s+(?=[(\w])")


def _last_sentence(text: str) -> tuple[str, str]:
    """Text before and after the last sentence boundary inside `text` ("" and text when there is none)."""
    cut = None
    for m in _BOUNDARY.finditer(text):
        cut = m
    return (text[:cut.start() + 1], text[cut.end():]) if cut else ("", text)


def is_credit(text: str) -> bool:
    """A photo or image credit: "Photo by Jim Young/Alamy Stock Photo", "(AP Photo/Jane Doe)"."""
    t = text.strip()
    n = len(_words(t))
    if n == 0 or n > 14:
        return False
    if _CREDIT_START.match(t):
        return True
    ends_sentence = t.rstrip(")”\"'’").endswith((".", "!", "?"))
    if (_AGENCY.search(t) or _WIRE.search(t)) and not ends_sentence:
        return True
    return t.startswith("©") and n <= 8


def intrinsic_role(text: str) -> str | None:
    """The furniture role a sentence has on its own wording, or None for "decide from context".

    Rights notices come first ("© 2024 X. All rights reserved." is boilerplate,
    "© Jane Doe" a credit); a caption glued to its credit is a caption.
    """
    t = " ".join(text.split())
    if not t:
        return None
    if _RIGHTS.search(t):
        return "boilerplate"
    head, tail = _last_sentence(t)
    if len(_words(head)) >= 3 and is_credit(tail):
        return "caption"  # "Richard Nixon and Leonid Brezhnev shake hands. Photo by Album/Alamy Stock Photo"
    if is_credit(t):
        return "credit"
    norm = _norm(t)
    if norm in _FURNITURE_LINES or _CITE_STYLE.match(norm) or _BREADCRUMB.match(t):
        return "boilerplate"
    if _URL.search(t) and (len(_words(_URL.sub(" ", t))) < 3 or _ACCESSED.match(t)):
        return "boilerplate"
    if _FIGURE_LABEL.match(t) or _CAPTION_CUE.search(t):
        return "caption"
    start = _CAPTION_START.match(t)
    # "A photo of the Potsdam Conference with ..." describes an image; "A map of the river
    # was published in 1650" is prose about one.
    if start and len(_words(t)) <= 40 and not _FINITE.search(t, start.end()):
        return "caption"
    ends_sentence = t.rstrip(")”\"'’").endswith((".", "!", "?"))
    if _CREDIT_TAIL.search(t) or ((_AGENCY.search(t[-60:]) or _WIRE.search(t[-60:])) and not ends_sentence):
        return "caption"
    return None


def is_reference_line(line: str) -> bool:
    """A bibliography entry ("Priebe, Miranda, Bryan Frederick, ..., RAND Corporation, 2023. https://...")."""
    line = line.strip()
    if not _REFERENCE.match(line) or not _YEAR.search(line) or len(_words(line)) > 90:
        return False
    return bool(_REFERENCE_CUE.search(line)) and not _PROSE_VERB.search(line[:60])


def heading_role(text: str) -> str:
    t = " ".join(text.split())
    if t.endswith("?") or len(_words(t)) < CLAIM_MIN_WORDS or not _CLAIM_VERB.search(t):
        return "label_heading"
    return "claim_heading"


def _line_key(line: str) -> str:
    """Running headers differ only in their page number: "Annual Report | Page 3"."""
    return re.sub(r"\d+", "#", _norm(line))


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
        total = sum(len(_words(text[units[i].start:units[i].end])) for i in members)
        for j, i in enumerate(members):
            if roles[i] is not None:
                continue
            follows = j + 1 < len(members) and roles[members[j + 1]] == "credit"
            n = len(_words(text[units[i].start:units[i].end]))
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
            in_furniture_section = _norm(head) in _FURNITURE_SECTIONS or (
                in_furniture_section and block_roles(b) == {"boilerplate"})
            # A figure title: right after a caption, with no body of its own (the next block is a
            # heading). Numbered headings ("Part II", "Case Study 3:") always open sections.
            after_caption = b > 0 and furniture_block(b - 1) and "caption" in block_roles(b - 1)
            next_heading = b + 1 >= len(blocks) or blocks[b + 1].kind == "heading"
            figure_title = (after_caption and next_heading and len(_words(head)) <= 20
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
                      and len(_words(text[units[members[0]].start:units[members[0]].end])) <= 25
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
