"""A question asking which members a category has, and the sentence that lists them.

"Which countries were at the center of the Anglo-Russian rivalry in Central Asia?" is answered by "Three
countries were central to the Anglo-Russian competition: Persia, Afghanistan, and Tibet." Similarity ranks
the sentences that repeat the question's names ("Russia and Britain did not fight a war over Central Asia")
above it, since the listing sentence shares only the category word. But a sentence that writes the asked
category and then lists its members (a colon, "such as", "including", or a count before the word: "three
countries", "four historical case studies") is what the question asks for. So such a sentence, if it scores
close to the best, goes first.

The question must name a plural category right after "which"/"what" ("which countries", "what kinds of
costs", "what core issues"), followed by a verb or preposition; "what led", "what does" name no category.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord
from ingest.lexical import terms

if TYPE_CHECKING:
    from .extractive import Scored

# "which (kinds of) (two) (core) issues would …": up to two modifiers, then a plural noun, then a verb or
# preposition or the end.
_ASKED = re.compile(r"^\s*(?:which|what)\s+(?:(?:kinds?|sorts?|types?)\s+of\s+)?(?:(?!(?:did|does|do|were|are|was|is|have|has|had|led|made|drove|got|gave|took|kept|brought|[a-z]+ed)\b)"
                    r"[a-z][\w-]*\s+){0,2}?"
                    r"(?P<cat>[a-z][a-z-]{2,}[^s\W]s)\s+(?:did|does|do|were|are|was|is|have|has|had|would|could|should|"
                    r"might|may|can|will|of|in|on|for|at|to|from|with|about|during|that)\b", re.I)
_NOT_CATEGORY = frozenset(terms("things ways means others ones terms steps years days months decades times"))
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
RATIO = 0.85   # how close to the best a listing sentence must score
DEPTH = 8


def asked_category(question: str) -> str:
    """The stemmed category whose members the question asks for ("countri"), or ""."""
    m = _ASKED.match(question)
    if m is None:
        return ""
    stem = terms(m.group("cat"))
    return stem[0] if stem and stem[0] not in _NOT_CATEGORY else ""


def lists_members(category: str, sentence: str) -> bool:
    """Whether `sentence` writes the category and then its members, or counts them."""
    for m in re.finditer(r"[A-Za-z][\w-]*", sentence):
        if terms(m.group(0)) != [category]:
            continue
        before, after = sentence[:m.start()], sentence[m.end():]
        if re.search(rf"\b{_COUNT}\s+(?:[\w-]+\s+){{0,2}}$", before, re.I):
            return True
        if re.match(r"\s*,?\s*(?:[\w-]+,?\s+){0,4}?(?::|such as\b|including\b|like\b|e\.g\.|namely\b|[—–]\s*[A-Za-z])", after, re.I):
            return True
    return False


def first_listing(question: str, usable: Sequence[Scored], sentences: Sequence[SentenceRecord]) -> list[Scored]:
    """`usable` with the best sentence that lists the asked category's members first, if it scores within
    RATIO of the best and the best does not list them itself."""
    category = asked_category(question)
    if not category or not usable or lists_members(category, sentences[usable[0].row].text):
        return list(usable)
    floor = RATIO * usable[0].score
    for s in usable[1:DEPTH]:
        if s.score < floor:
            break
        if lists_members(category, sentences[s.row].text):
            return [s] + [x for x in usable if x is not s]
    return list(usable)
