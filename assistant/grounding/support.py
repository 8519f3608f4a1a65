"""How well the passages a sentence cites support it: lexical, embedding and number checks, and the verdict.

The thresholds come from `python -m eval.tuning.calibrate_grounding`: gold answers
(human paraphrases of the evidence, a stand-in for a model's answer) checked
against the passage holding their evidence are the positives; the same
answers checked against the strongest *other* retrieved passage that lacks
the evidence (topical but wrong citations) are the negatives. See README,
"LLM backend (optional)" for the numbers.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ingest.index import IndexData
from ingest.lexical import terms

from ..answer import Passage
from ..citations import Citer
from ..reply_text import check_text, claim_terms, numbers_in

# Calibrated on the dev split of eval/gold.jsonl (eval/tuning/calibrate_grounding.py).
MIN_LEXICAL = 0.5
MIN_DENSE = 0.35
# MiniLM similarity of a two-word fragment ("Since 2014.") to the full source
# sentence is low even when the fragment is copied from it; fragments with at
# most SHORT_TERMS content terms need only MIN_DENSE_SHORT (the lexical and
# number checks still apply in full).
SHORT_TERMS = 3
MIN_DENSE_SHORT = 0.2


@dataclass(frozen=True)
class Thresholds:
    min_lexical: float = MIN_LEXICAL
    min_dense: float = MIN_DENSE
    min_dense_short: float = MIN_DENSE_SHORT
    short_terms: int = SHORT_TERMS

    def dense_for(self, n_terms: int) -> float:
        return self.min_dense_short if n_terms <= self.short_terms else self.min_dense


THRESHOLDS = Thresholds()


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Evidence:
    """What the check needs from an index: its records, the query encoder, IDF and the citation builder."""

    data: IndexData
    encoder: Encoder
    idf: Callable[[str], float]
    citer: Citer


class Scorer:
    """Lexical and embedding support of sentences against passages of one index."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.data = evidence.data
        self.idf = evidence.idf

    def passage_terms(self, p: Passage) -> set[str]:
        out = set(terms(p.text))
        out |= set(terms(f"{p.title} {p.section}"))
        return out

    def passage_rows(self, p: Passage) -> list[int]:
        """Sentence rows of the passage's chunk that lie inside the passage span."""
        chunk = self.data.chunks[p.chunk]
        a, b = chunk.sentences
        return [r for r in range(a, b) if self.data.sentences[r].doc == p.doc
                and p.start <= self.data.sentences[r].start and self.data.sentences[r].end <= p.end]

    def lexical(self, sterms: Sequence[str], pterms: set[str]) -> float:
        uniq = set(sterms)
        total = math.fsum(self.idf(t) for t in uniq)
        if total <= 0:
            return 0.0
        return math.fsum(self.idf(t) for t in uniq & pterms) / total

    def dense(self, svec: np.ndarray, passages: Sequence[Passage]) -> float:
        rows = [r for p in passages for r in self.passage_rows(p)]
        best = -1.0
        if rows:
            best = float(np.max(self.data.sentence_vectors[rows] @ svec))
        chunks = [p.chunk for p in passages]
        if chunks:
            best = max(best, float(np.max(self.data.chunk_vectors[chunks] @ svec)))
        return best

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.evidence.encoder.encode(list(texts))


@dataclass(frozen=True)
class Support:
    lexical: float
    dense: float
    foreign_numbers: tuple[str, ...]
    n_terms: int


def score_sentence(scorer: Scorer, text: str, svec: np.ndarray, cited: Sequence[Passage]) -> Support:
    """Lexical, embedding and number support of one sentence by its cited passages."""
    pterms: set[str] = set()
    pnums: set[str] = set()
    for p in cited:
        pterms |= scorer.passage_terms(p)
        pnums |= numbers_in(f"{p.title} {p.section} {p.text}")
    sterms = claim_terms(text)
    nums = numbers_in(check_text(text))
    # A bare number ("1969 to 1975.") has no terms; the number check decides it.
    lex = scorer.lexical(sterms, pterms) if sterms else float(bool(nums))
    return Support(lex, scorer.dense(svec, cited), tuple(sorted(nums - pnums)), len(set(sterms)))


def verdict(s: Support, thresholds: Thresholds = THRESHOLDS) -> tuple[bool, str]:
    """Supported or not, and why not."""
    if s.foreign_numbers:
        return False, f"number(s) {', '.join(s.foreign_numbers)} not in the cited passages"
    if s.lexical < thresholds.min_lexical:
        return False, f"lexical support {s.lexical:.2f} < {thresholds.min_lexical}"
    need = thresholds.dense_for(s.n_terms)
    if s.dense < need:
        return False, f"embedding support {s.dense:.2f} < {need}"
    return True, ""
