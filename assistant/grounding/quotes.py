"""Which citations a supported sentence keeps, and which sentences of each cited passage a citation quotes.

A citation quotes the passage sentences that best support the answer
sentences citing it (a contiguous span of the document, built and checked
by `Citer.span`), not the whole passage.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ingest.lexical import terms

from ..answer import Citation, Passage
from ..citations import Citer
from ..reply_text import claim_terms
from .support import Scorer, Thresholds

if TYPE_CHECKING:
    from . import SentenceCheck

# A further passage sentence joins a citation's quote when it adds this much
# IDF-weighted coverage of the answer sentence's terms.
EXTRA_COVERAGE = 0.15
MAX_QUOTE_SENTENCES = 3


def useful_citations(scorer: Scorer, c: SentenceCheck, vec: np.ndarray, passages: Sequence[Passage],
                     thresholds: Thresholds) -> list[int]:
    """Of the passages a supported sentence cites, those that carry part of its support.

    "X and Y [1][4]" where [4] is about something else keeps only [1]: a
    passage stays if, on its own, it holds half the lexical threshold or
    passes the embedding threshold.
    """
    if len(c.cited) == 1:
        return list(c.cited)
    sterms = claim_terms(c.text)
    keep = []
    for n in c.cited:
        p = passages[n - 1]
        lex = scorer.lexical(sterms, scorer.passage_terms(p))
        if lex >= thresholds.min_lexical / 2 or scorer.dense(vec, [p]) >= thresholds.dense_for(len(set(sterms))):
            keep.append(n)
    return keep or list(c.cited)


def quote_rows(scorer: Scorer, p: Passage, sterms: list[str], vec: np.ndarray) -> list[int]:
    """The passage sentences that best support one answer sentence (greedy coverage)."""
    rows = scorer.passage_rows(p)
    if not rows:
        return []
    sents = scorer.data.sentences
    row_terms = {r: set(terms(sents[r].text)) for r in rows}
    dense = scorer.data.sentence_vectors[rows] @ vec
    uniq = set(sterms)
    total = math.fsum(scorer.idf(t) for t in uniq) or 1.0

    def gain(covered: set[str], r: int) -> float:
        return math.fsum(scorer.idf(t) for t in (uniq & row_terms[r]) - covered) / total

    first = max(range(len(rows)), key=lambda i: (float(dense[i]) + gain(set(), rows[i]), -i))
    chosen = [rows[first]]
    covered = uniq & row_terms[rows[first]]
    while len(chosen) < MAX_QUOTE_SENTENCES:
        best = max((r for r in rows if r not in chosen), key=lambda r: (gain(covered, r), -r), default=None)
        if best is None or gain(covered, best) < EXTRA_COVERAGE:
            break
        chosen.append(best)
        covered |= uniq & row_terms[best]
    return chosen


def quoted_citations(citer: Citer, scorer: Scorer, vecs: np.ndarray, claims: list[SentenceCheck],
                     passages: Sequence[Passage]) -> list[Citation]:
    """Per cited passage, the span of its sentences that support the answer's sentences citing it."""
    spans: dict[int, tuple[int, int]] = {}
    for c, vec in zip(claims, vecs):
        if not c.supported:
            continue
        sterms = claim_terms(c.text)
        for n in c.keep:
            p = passages[n - 1]
            rows = quote_rows(scorer, p, sterms, vec)
            if rows:
                s = min(scorer.data.sentences[r].start for r in rows)
                e = max(scorer.data.sentences[r].end for r in rows)
            else:
                s, e = p.start, p.end
            old = spans.get(n)
            spans[n] = (min(s, old[0]), max(e, old[1])) if old else (s, e)
    return [citer.span(n, passages[n - 1], *spans[n]) for n in sorted(spans)]
