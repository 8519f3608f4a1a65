"""HybridRetriever over a Milvus store (`store = "milvus"`, issue 16).

The fusion, furniture filtering, typo repair and answer scoring are the
FAISS path's own code (assistant/retrieval.py); only the three searches are
replaced: dense chunks, BM25 chunks and dense sentences go to Milvus, and the
BM25 document frequencies come from the build's meta collection instead of
the bm25s index. Row ids are the same record numbers in both stores, so
everything downstream reads the same typed records (ingest/index/records.py).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.milvus_store import Opened, Searcher

from .retrieval import HybridRetriever


class MilvusRetriever(HybridRetriever):
    def __init__(self, opened: Opened, fusion: str = "rrf") -> None:
        self.searcher = Searcher(opened)
        super().__init__(opened.data, opened.terms, None, None, fusion=fusion, sentence_index=None)

    def _docs_of(self, allowed: np.ndarray | None) -> list[str] | None:
        """The document filter behind a row filter (search() passes rows; Milvus filters by document)."""
        if allowed is None:
            return None
        chunks = self.data.chunks
        return sorted({chunks[int(i)].doc for i in allowed})

    def dense(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None and len(allowed) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self.searcher.dense(qvec, min(k, self.n), self._docs_of(allowed))
        return _arrays(hits)

    def lexical(self, qterms: Sequence[str], k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        known = [t for t in qterms if self.known(t)]
        if not known or (allowed is not None and len(allowed) == 0):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return _arrays(self.searcher.lexical(known, min(k, self.n), self._docs_of(allowed)))

    def sentences(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None = None) -> list[int]:
        if not self.data.sentences:
            return []
        if docs:
            docs = [d for d in docs if d in self.sentence_rows_of]
            if not docs:
                return []
        return self.searcher.sentences_near(qvec, min(k, len(self.data.sentences)), docs or None)


def _arrays(hits: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.asarray([i for i, _ in hits], dtype=np.int64)
    scores = np.asarray([s for _, s in hits], dtype=np.float32)
    return ids, scores
