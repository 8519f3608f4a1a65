"""Document frequencies of the BM25 terms, and the IDF computed from them.

Answer scoring, grounding and typo repair weigh query terms by IDF over the
chunks. The numbers are the ones BM25 itself indexed: a folder index reads
them from its bm25s index when it is opened (`from_bm25`), a Milvus store
from the frequencies its build saved. Either way they are held here, so no
caller needs to know where they came from.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class TermStats:
    df: Mapping[str, int]  # chunks that hold each BM25 term
    n: int  # chunks in the index

    @classmethod
    def from_bm25(cls, bm25: Any, n: int) -> TermStats:
        """Document frequencies from a bm25s index.

        bm25s keeps its scores as a term-major sparse matrix (the `scores`
        arrays it saves under bm25/ and documents in `BM25.load_scores`):
        column `t` holds one non-zero score per chunk that contains term `t`,
        so the column lengths (the differences of `indptr`) are the document
        frequencies. A BM25 score of a present term is never zero (its IDF
        is positive), so none is missed.
        """
        lengths = np.diff(np.asarray(bm25.scores["indptr"]))
        return cls({t: int(lengths[i]) if i < len(lengths) else 0 for t, i in bm25.vocab_dict.items()}, n)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        return self.df.get(term, 0) > 0
