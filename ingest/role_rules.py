"""What a sentence is on its own wording: the per-sentence rules of ingest/roles.py.

Credits, captions, rights notices, page-furniture lines, reference entries and
headings that state a claim can be told from the sentence alone; these rules
say so. Whatever they leave undecided (None) is settled by the block and page
context in ingest/roles.py `sentence_roles`, which also holds the role names
and RULES_VERSION (bump it when a rule here changes: `python -m ingest` then
re-chunks).
"""
from __future__ import annotations

import re

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

# --- headings ---------------------------------------------------------------------
# A finite verb or modal makes a heading a statement ("... Could Still Lead to ...").
_CLAIM_VERB = re.compile(
    r"\b(?:should|could|would|will|may(?!\s+\d)|might|must|can|cannot|can't|won't|is|are|was|were|has|have|had|does|do|did"
    r"|appears?|seems?|remains?|leads?|needs?|shows?|helps?|fails?|makes?|works?|matters?|means?)\b",
    re.I,
)
CLAIM_MIN_WORDS = 4


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text)


def norm(text: str) -> str:
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
    n = len(words(t))
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
    if len(words(head)) >= 3 and is_credit(tail):
        return "caption"  # "Richard Nixon and Leonid Brezhnev shake hands. Photo by Album/Alamy Stock Photo"
    if is_credit(t):
        return "credit"
    normed = norm(t)
    if normed in _FURNITURE_LINES or _CITE_STYLE.match(normed) or _BREADCRUMB.match(t):
        return "boilerplate"
    if _URL.search(t) and (len(words(_URL.sub(" ", t))) < 3 or _ACCESSED.match(t)):
        return "boilerplate"
    if _FIGURE_LABEL.match(t) or _CAPTION_CUE.search(t):
        return "caption"
    start = _CAPTION_START.match(t)
    # "A photo of the Potsdam Conference with ..." describes an image; "A map of the river
    # was published in 1650" is prose about one.
    if start and len(words(t)) <= 40 and not _FINITE.search(t, start.end()):
        return "caption"
    ends_sentence = t.rstrip(")”\"'’").endswith((".", "!", "?"))
    if _CREDIT_TAIL.search(t) or ((_AGENCY.search(t[-60:]) or _WIRE.search(t[-60:])) and not ends_sentence):
        return "caption"
    return None


def is_reference_line(line: str) -> bool:
    """A bibliography entry ("Priebe, Miranda, Bryan Frederick, ..., RAND Corporation, 2023. https://...")."""
    line = line.strip()
    if not _REFERENCE.match(line) or not _YEAR.search(line) or len(words(line)) > 90:
        return False
    return bool(_REFERENCE_CUE.search(line)) and not _PROSE_VERB.search(line[:60])


def heading_role(text: str) -> str:
    t = " ".join(text.split())
    if t.endswith("?") or len(words(t)) < CLAIM_MIN_WORDS or not _CLAIM_VERB.search(t):
        return "label_heading"
    return "claim_heading"
