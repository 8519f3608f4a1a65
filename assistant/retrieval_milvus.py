"""HybridRetriever over a Milvus store (`store = "milvus"`, issue 16).

The fusion, furniture filtering, typo repair and answer scoring are the
FAISS path's own code (assistant/retrieval.py); only the three searches are
replaced: dense chunks, BM25 chunks and dense sentences go to Milvus, and the
BM25 document frequencies come from the build's meta collection instead of
the bm25s index. Row ids are the same record numbers in both stores, so
everything downstream reads the same typed records (ingest/index/records.py).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.milvus_store import EXACT_LIMIT, HNSW_EF_SEARCH, Opened, calls

from .retrieval import HybridRetriever


def doc_filter(docs: Sequence[str] | None) -> str:
    """A Milvus boolean expression limiting a search to documents (JSON string literals are Milvus's too)."""
    if not docs:
        return ""
    return "doc in " + json.dumps(list(docs), ensure_ascii=False)


class Searcher:
    """Dense, BM25 and sentence searches against one build's collections; thread-safe (gRPC client)."""

    def __init__(self, opened: Opened) -> None:
        self.client = opened.client
        self.settings = opened.settings
        self.chunks = opened.chunks
        self.sentences = opened.sentences
        n_chunks, n_sentences = len(opened.data.chunks), len(opened.data.sentences)
        self._chunk_params = self._params(n_chunks)
        self._sentence_params = self._params(n_sentences)

    @staticmethod
    def _params(count: int) -> dict[str, Any]:
        return {"metric_type": "IP", "params": {"ef": HNSW_EF_SEARCH} if count >= EXACT_LIMIT else {}}

    def _search(self, name: str, data: list[Any], field: str, k: int, docs: Sequence[str] | None,
                params: dict[str, Any]) -> list[tuple[int, float]]:
        if k <= 0:
            return []
        with calls(self.settings, "searching"):
            result = self.client.search(name, data=data, anns_field=field, limit=k, filter=doc_filter(docs),
                                        search_params=params, output_fields=["id"])
        return [(int(hit["id"]), float(hit["distance"])) for hit in result[0]]

    def dense(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None) -> list[tuple[int, float]]:
        return self._search(self.chunks, [qvec.astype(np.float32).tolist()], "vec", min(k, 16_384), docs,
                            self._chunk_params)

    def lexical(self, qterms: Sequence[str], k: int, docs: Sequence[str] | None) -> list[tuple[int, float]]:
        """BM25 over the chunk terms. milvus-lite reports BM25 scores negated (as distances); the order is
        best first either way, so the magnitude is kept."""
        hits = self._search(self.chunks, [" ".join(qterms)], "sparse", min(k, 16_384), docs,
                            {"metric_type": "BM25"})
        return [(i, abs(s)) for i, s in hits if s != 0]

    def sentences_near(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None) -> list[int]:
        return [i for i, _ in self._search(self.sentences, [qvec.astype(np.float32).tolist()], "vec",
                                           min(k, 16_384), docs, self._sentence_params)]


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
