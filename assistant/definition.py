"""Definition questions: "What is a less-hardline approach?" wants the sentence that defines the term.

Similarity alone ranks every sentence that *uses* the term about level with the one that *defines* it,
and a near namesake ("a hardline approach" for "a less hardline approach") can outrank both. So when a
question asks what a short term is, a candidate that states it in a defining frame ("X is …",
"a state adopts X when …", "the defining feature of X is …") goes first. The term is matched with its
hyphens or spaces, a word's ending free ("hardlin" matches "hardline"), and a word the corpus does not
know (a typo: "aproach") matching one word or none.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord
from ingest.lexical import terms

if TYPE_CHECKING:
    from .extractive import Scored

DEPTH = 12  # how far down the candidates a defining sentence is looked for

_TERM = r"(?:a |an |the )?(?P<term>[\w’'-]+(?: [\w’'-]+){0,4})"
_ASKS = (
    re.compile(rf"^\s*(?:(?:what|who)\s*(?:is|was|are|were|'s|’s)\s+(?:meant by )?|(?:what is the )?definition of |"
               rf"(?:how (?:does|do|did) .{{1,40}}? )?define ){_TERM}\s*[?.!]*\s*$", re.I),
    re.compile(rf"^\s*what (?:does|do) {_TERM} mean\s*[?.!]*\s*$", re.I),
)
_STOP_TERM = frozenset("it this that they there he she its their meant said".split())


# "What's the difference between a hardline and a less-hardline approach?", "How does X differ from Y?":
# two terms, each wanting its definition. A trailing "with examples" or "in practice" is the frame.
_PAIR = (
    re.compile(r"^\s*(?:what(?:\s+is|'s|’s)\s+(?:the\s+)?|what\s+are\s+(?:the\s+)?)?(?:main\s+|key\s+)?"
               r"differences?\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)(?P<tail>\s*,?\s+(?:with|and|in|according)\b.*)?"
               r"\s*[?.!]*\s*$", re.I),
    re.compile(r"^\s*how\s+(?:does|do|is|are)\s+(?P<a>.+?)\s+(?:differ|different)\s+from\s+(?P<b>.+?)"
               r"(?P<tail>\s*,?\s+(?:with|and|in|according)\b.*)?\s*[?.!]*\s*$", re.I),
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def asked_pair(question: str) -> tuple[str, str] | None:
    """The two terms a "difference between X and Y" question asks to tell apart, or None. A first term
    that leaves its noun to the second ("a hardline and a less-hardline approach") borrows it."""
    for pattern in _PAIR:
        m = pattern.match(question)
        if m is None:
            continue
        a, b = (_ARTICLE.sub("", m.group(g).strip()) for g in ("a", "b"))
        if not a or not b or len(a.split()) > 5 or len(b.split()) > 5:
            return None
        if len(a.split()) == 1 and len(b.split()) > 1:
            a = f"{a} {b.split()[-1]}"
        if b.split()[-1].lower() in ("one", "ones") and len(a.split()) > 1:  # "… differ from a less-hardline one"
            b = f"{b.rsplit(None, 1)[0]} {a.split()[-1]}"
        return a, b
    return None


def asked_term(question: str) -> str | None:
    """The term a "what is X?" question asks to define, or None for any other question."""
    for pattern in _ASKS:
        m = pattern.match(question)
        if m is not None:
            term = m.group("term")
            return None if term.split()[0].lower() in _STOP_TERM else term
    return None


# "define", "meaning": the frame of a definition question, not its subject. Kept as query terms, the rare
# word "defining" outweighed the term itself, and the sentence that defines it scored too low to be quoted.
FRAME_TERMS = frozenset(terms("define defined defines definition meaning means meant difference differences differ "
                               "different examples example"))


def content_terms(question: str, qterms: list[str]) -> list[str]:
    """The question's terms without a definition question's frame words (all of them for other questions)."""
    if asked_term(question) is None and asked_pair(question) is None:
        return qterms
    return [t for t in qterms if t not in FRAME_TERMS] or qterms


def defining_pattern(term: str, known: Callable[[str], bool]) -> re.Pattern[str] | None:
    """A pattern for `term` in a defining frame (see the module docstring for how loosely it matches);
    None when the corpus knows none of its words, so there is nothing to anchor it."""
    x, gap = "", ""
    for w in re.findall(r"[\w’']+", term):
        if known(w):
            x += gap + rf"{re.escape(w)}\w*"
            gap = r"[\s-]+"
        else:  # a typo, or its fix appended after the question (Retriever.correct): one optional word
            x += r"(?:[\s-]*\w+)?" if not x else r"(?:[\s-]+\w+)?"
    if not gap:
        return None
    return re.compile(
        rf"(?:^|[^\w-])(?:{x})(?:es|s)?\s+(?:is|are|was|were|means?|refers? to)\b"
        rf"|\badopts?\s+(?:a|an|the)\s+(?:{x})(?:\s+(?:approach|policy|strategy|stance|posture))?\s+(?:when|if|by)\b"
        rf"|\bdefin\w*\s+(?:feature|characteristic|trait|element)s?\s+of\s+(?:a\s+|an\s+|the\s+)?(?:{x})\b"
        rf"|\b(?:{x})(?:es|s)?,?\s+(?:defined|understood|described)\s+as\b",
        re.I)


def defining(question: str, usable: Sequence[Scored], sentences: Sequence[SentenceRecord],
             known_word: Callable[[str], bool] | None) -> list[Scored]:
    """For "what is X?", the candidates near the top that define X, in score order; for "the difference
    between X and Y", the first that defines each, in the order asked; [] for other questions."""
    pair = asked_pair(question)
    if pair is not None:
        found = [_defining(term, usable, sentences, known_word)[:1] for term in pair]
        return found[0] + found[1] if all(found) and found[0] != found[1] else []
    term = asked_term(question)
    return [] if term is None else _defining(term, usable, sentences, known_word)


def _defining(term: str, usable: Sequence[Scored], sentences: Sequence[SentenceRecord],
              known_word: Callable[[str], bool] | None) -> list[Scored]:
    pattern = defining_pattern(term, known_word or (lambda w: True))
    if pattern is None:
        return []
    return [s for s in usable[:DEPTH] if pattern.search(sentences[s.row].text)]
