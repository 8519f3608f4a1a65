"""FAISS index choice by size: exact below a threshold, HNSW above.

Measured with `python -m eval bench --scale` / eval/scale.py (one thread per
query, as the assistant searches; 2-core machine, see README "Performance"):

* exact inner-product search costs 0.06-0.15 ms per 1,000 vectors, idle to
  loaded (0.55-1.4 ms at 10k, 9-18 ms at 100k, 34-40 ms at 318k), so each
  index (chunks and sentences, chosen separately by their own size) stays
  exact up to EXACT_LIMIT vectors, where a scan costs 1.5-4 ms;
* above it, HNSW (M=32, efConstruction=200; the graph adds ~270 bytes per
  vector). At 100k synthetic chunk vectors, recall@10 against exact search
  for the gold questions: 0.75 with the earlier efConstruction=80/efSearch=96;
  with efConstruction=200, 0.94-0.95 at efSearch=512, 0.975 at 768, 0.979 at
  1024 (4.1 ms p50, 6.5 ms p95) and 0.983 at 1536. M=48 reached 0.98 at
  efSearch=768 for 7% more memory. The sentence index (318k vectors at 100k
  chunks) reaches 0.987 at efSearch=1024 (4.5 ms p50). efSearch is applied
  at load time, so it can change without a rebuild.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

EXACT_LIMIT = 25_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 1024


def build_faiss(vectors: np.ndarray, kind: str = "auto") -> Any:
    import faiss

    dim = vectors.shape[1] if vectors.ndim == 2 else 384
    if kind == "auto":
        kind = "flat" if len(vectors) < EXACT_LIMIT else "hnsw"
    index: faiss.Index
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        hnsw.hnsw.efSearch = HNSW_EF_SEARCH
        index = hnsw
    else:
        raise ValueError(f"unknown FAISS index kind {kind!r}")
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def kind_of(index: Any) -> str:
    import faiss

    return "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "flat"


def save_faiss(index: Any, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_faiss(path: Path) -> Any:
    import faiss

    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSWFlat):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index
