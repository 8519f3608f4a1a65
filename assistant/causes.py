"""A why-question's answer states a cause, so a sentence that gives one is preferred.

"Why did Britain want a deal with Russia in 1907?" ranked the case study's opening sentence ("After
years of negotiations, in August 1907, Britain and Russia concluded an agreement …") first: it holds
every name the question does. The answer is the sentence that says what moved Britain ("Britain was
motivated to seek the accommodation in order to …"), which shares fewer words. For a question asking
why, a candidate that states a reason, motive, purpose or consequence gets a small bonus, enough to
pass a near neighbour that only names the same things, not enough to lift an unrelated sentence.

Measured on the why-questions of our typed lists and dev questions (55): the gold sentence ranked first
for 27 before and 31 with the bonus of 0.1; 0.05 gave 28 and 0.2 gave 31 with fewer in the top three.
On the SQuAD development articles, which ask why rarely (12 answerable), no rank changed.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extractive import Scored

CAUSE_BONUS = 0.1
# A question asking for a cause, after at most a short lead-in ("According to the op-ed, why …").
_ASKS_WHY = re.compile(r"^\s*(?:[^?]{0,60}?[,:—–]\s*)?(?:why\b|how come\b|for what reasons?\b|"
                       r"what (?:motivated|led|prompted|drove|caused|made)\b)", re.I)
# Words by which a sentence gives a reason, a motive, a purpose or a consequence.
_STATES_CAUSE = re.compile(r"\b(?:because|in order to|so as to|so that|motivated|motivation|motives?|hoped|"
                           r"believed|seen as|reasons?|due to|owing to|as a result|thus|therefore|led to|aimed|"
                           r"sought to|wanted|in response|to help|out of concern|for fear|factors? in|explains?|"
                           r"explaining|roots?|rooted|stem(?:s|med)? from|attributed to|driven by)\b", re.I)


def asks_why(question: str) -> bool:
    return _ASKS_WHY.match(question) is not None


def causes_first(question: str, scored: Sequence[Scored], text_of: Callable[[int], str]) -> list[Scored]:
    """For a why-question, the candidates re-ranked with a bonus for stating a cause; otherwise as given."""
    if not asks_why(question):
        return list(scored)
    out = [dataclasses.replace(s, score=s.score + CAUSE_BONUS) if _STATES_CAUSE.search(text_of(s.row)) else s
           for s in scored]
    out.sort(key=lambda s: (-s.score, s.row))
    return out


# "Putin's return to the presidency in 2012 also had an independent, negative impact on the relationship":
# what the asked event went on to do, which ranks first for "Why did Putin return to the presidency?".
_HAD_EFFECT = re.compile(r"\b(?:had|has|have|having)\s+(?:an?\s+|some\s+|no\s+|little\s+)?(?:[\w-]+,?\s+){0,3}?"
                         r"(?:impact|effect|influence|consequences?)s?\s+(?:on|upon|for)\b", re.I)


def states_cause(text: str) -> bool:
    return _STATES_CAUSE.search(text) is not None


def effect_only(*texts: str) -> bool:
    """Whether the texts state an effect of something and no cause anywhere: no answer to why it happened."""
    return any(_HAD_EFFECT.search(t) for t in texts) and not any(states_cause(t) for t in texts)
