"""Whether the best sentence says what the question asks, or something beside it.

Each check compares the question with the best candidate and its neighbours, for one way a near miss
looks like an answer: a question about whether something happened against a sentence that only
supposes it (hypothetical.py), a negated question against sentences that negate nothing (negation.py),
the opposite of what they state (antonyms.py), and a year they do not give (years.py). Where a candidate
a little further down does say it, scoring near the best, that candidate answers instead; otherwise the
answer is an abstention whose best candidate is shown as the closest passage.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord

from .antonyms import swapped_word
from .hypothetical import asks_what_happened, only_supposed
from .negation import negates, states_a_negation
from .years import other_years

if TYPE_CHECKING:
    from .extractive import Scored

NEGATION_DEPTH = 8  # how far down a sentence that negates is looked for, for a negated question,
NEGATION_RATIO = 0.7  # ... scoring at least this share of the best


def beside(row: int, sentences: Sequence[SentenceRecord]) -> list[str]:
    """A sentence and its neighbours in the same document."""
    doc = sentences[row].doc
    return [sentences[r].text for r in (row - 1, row, row + 1) if 0 <= r < len(sentences) and sentences[r].doc == doc]


def check(question: str, usable: list[Scored], sentences: Sequence[SentenceRecord], qterms: Sequence[str],
          near: float) -> tuple[list[Scored], str]:
    """The candidates with the one that answers first, and "" or why none does. `usable[0]` is the best
    candidate; `near` is the share of its score a replacement must reach for a supposition."""
    best = usable[0]
    if asks_what_happened(question) and only_supposed(sentences[best.row].text, qterms):
        said = [s for s in usable if not only_supposed(sentences[s.row].text, qterms)]
        if not said or said[0].score < near * best.score:
            return usable, "the documents only suppose it, never say it happened"
        usable, best = said, said[0]
    texts = beside(best.row, sentences)
    if negates(question) and not states_a_negation(*texts):
        denying = [s for s in usable[:NEGATION_DEPTH]
                   if s.score >= NEGATION_RATIO * best.score and states_a_negation(sentences[s.row].text)]
        if not denying:
            return usable, "the question negates what the documents state"
        usable, best = denying + [s for s in usable if s not in denying], denying[0]
        texts = beside(best.row, sentences)
    swapped = swapped_word(question, *texts)
    if swapped:
        return usable, f"the documents state the opposite of “{swapped}”"
    if other_years(question, texts, sentences[best.row].section):
        return usable, "the passage is about other years"
    return usable, ""
