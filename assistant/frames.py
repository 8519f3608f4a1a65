"""Question frames: words that shape the question but that an answer need not contain.

"How many sanctions?" is answered by "three packages", not by a sentence saying "many"; "What role did
China play in détente?" by a sentence about China's part, which rarely says "role" or "play"; "What
happened in 2014?" by what happened, which never says "happened". Kept as query terms, such words lower
every right sentence's term overlap and raise any sentence that happens to use them ("played a key role"),
so they are dropped from the terms the sentences are scored on. The embedded question keeps them.

Not dropped, measured on typed conversations: the "about" of a follow-up's "(about: détente)" and the
"happen" of "When did it happen?". "How does China factor into RAND's analysis?" drops "factor" and
"analysis" (session 10). Without them, "When did it happen?" (détente) quoted a sentence dated
2022 instead of abstaining, and "What were its long-term effects?" lost its best sentence.
"""
from __future__ import annotations

import re

from ingest import lexical

from .counted import asks_how_many

_HOW_MANY = frozenset(lexical.terms("many"))
_ROLE = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?roles?\b.*\bplay(?:s|ed|ing)?\b", re.I)
_ROLE_TERMS = frozenset(lexical.terms("role roles play plays played playing"))
# "How does China factor into RAND's analysis?": about China's place in the argument, which no sentence calls
# "factor" or "analysis".
_FACTOR = re.compile(r"\bhow\s+(?:does|did|do|is|was|are|were)\s+.+?\b(?:factor|figure|fit|feature|come|enter)s?\s+"
                     r"(?:in|into)\b", re.I)
_FACTOR_TERMS = frozenset(lexical.terms("factor factors figure figures fit fits feature features come comes enter enters "
                                        "analysis analyses argument arguments thinking reasoning picture"))
# "does rand think china matters here", "how much does the distance matter": whether or how much something
# counts, which a sentence states without saying "matter".
_MATTERS = re.compile(r"\bmatter(?:s|ed)?\b(?:\s+(?:here|at all|much|in all this|in this))?\s*[?.!]*\s*$", re.I)
_MATTERS_TERMS = frozenset(lexical.terms("matter matters mattered here"))
_HAPPENED = re.compile(r"\bwhat\s+(?:(?:has|had|will|would|might|could)\s+)?happen(?:s|ed|ing)?\b", re.I)
_HAPPENED_TERMS = frozenset(lexical.terms("happen happens happened happening"))


def frame_terms(question: str) -> frozenset[str]:
    """The terms of `question` that belong to its frame, not to what it asks about."""
    out: frozenset[str] = frozenset()
    if asks_how_many(question):
        out |= _HOW_MANY
    if _ROLE.search(question):
        out |= _ROLE_TERMS
    if _FACTOR.search(question):
        out |= _FACTOR_TERMS
    if _MATTERS.search(question):
        out |= _MATTERS_TERMS
    if _HAPPENED.search(question):
        out |= _HAPPENED_TERMS
    return out
