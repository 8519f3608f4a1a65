"""FAISS index kinds compared on the same vectors: exact (flat), HNSW over an efSearch sweep, IVF over an
nprobe sweep; build time, size, single-threaded search latency and recall@k against exact search.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .measure import percentiles
from .synthetic import SEED, Log, stderr_log

HNSW_EF_SWEEP = (16, 32, 64, 96, 128, 256)
IVF_NPROBE_SWEEP = (4, 8, 16, 32, 64)
TARGET_RECALL = 0.95
TIE_EPS = 0.01
SENTENCE_EF_SWEEP = (512, 1024, 2048)


# -- FAISS comparison --------------------------------------------------------------
def _search_all(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    times: list[float] = []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        found_scores, found = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - t) * 1e3)
        ids[i], scores[i] = found[0], found_scores[0]
    return ids, scores, times


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the exact top-k that the approximate search returned."""
    hits = [len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) / max(1, int((t >= 0).sum())) for f, t in zip(found, truth)]
    return float(np.mean(hits)) if hits else 1.0


def near_recall_at(found_scores: np.ndarray, truth_scores: np.ndarray, eps: float = TIE_EPS) -> float:
    """Share of returned results scoring within eps of the exact k-th best: misses among near-ties forgiven."""
    kth = truth_scores[:, -1:] - eps
    return float(np.mean(found_scores >= kth)) if len(found_scores) else 1.0


def compare_faiss(vectors: np.ndarray, query_sets: dict[str, np.ndarray], k: int = 10,
                  quick: bool = False, log: Log = stderr_log, prebuilt: Any = None,
                  ef_sweep: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Exact vs HNSW (efSearch sweep) vs IVF (nprobe sweep): build time, latency, recall@k.

    `prebuilt`: an HNSW index over the same vectors (the one ingest wrote) to use
    instead of building another; its build time is then not reported here.
    """
    import faiss

    from ingest import vectors as vec

    faiss.omp_set_num_threads(1)  # queries run single-threaded in the assistant
    rows: list[dict[str, Any]] = []
    n, dim = vectors.shape
    k = min(k, n)
    t = time.perf_counter()
    flat = vec.build_faiss(vectors, kind="flat")
    build_flat = time.perf_counter() - t
    truth: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    lat: list[float] = []
    for name, qs in query_sets.items():
        t_ids, t_scores, times = _search_all(flat, qs, k)
        truth[name] = (t_ids, t_scores)
        lat += times
    rows.append({"index": "flat (exact)", "params": "", "build_s": round(build_flat, 3),
                 "bytes": int(faiss.serialize_index(flat).nbytes), **_lat(lat),
                 **{f"{m}@{k}_{name}": 1.0 for name in query_sets for m in ("recall", "near")}})

    def measure(row: dict[str, Any], index: Any) -> dict[str, Any]:
        """Search every query set with `index`: recall against exact search, and latency."""
        times: list[float] = []
        for name, qs in query_sets.items():
            found, scores, lat_ms = _search_all(index, qs, k)
            times += lat_ms
            row[f"recall@{k}_{name}"] = round(recall_at(found, truth[name][0]), 4)
            row[f"near@{k}_{name}"] = round(near_recall_at(scores, truth[name][1]), 4)
        row.update(_lat(times))
        return row

    faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))  # builds may use every core
    t = time.perf_counter()
    hnsw = prebuilt if prebuilt is not None else vec.build_faiss(vectors, kind="hnsw")
    build_hnsw = None if prebuilt is not None else round(time.perf_counter() - t, 3)
    faiss.omp_set_num_threads(1)
    hnsw_bytes = int(faiss.serialize_index(hnsw).nbytes)
    if ef_sweep is None:
        ef_sweep = (vec.HNSW_EF_SEARCH,) if quick else tuple(sorted(set(HNSW_EF_SWEEP) | {vec.HNSW_EF_SEARCH}))
    sweep = ef_sweep
    for ef in sweep:
        hnsw.hnsw.efSearch = ef
        rows.append(measure({"index": "hnsw", "params": f"M={vec.HNSW_M} efC={vec.HNSW_EF_CONSTRUCTION} efSearch={ef}"
                             + (" (default)" if ef == vec.HNSW_EF_SEARCH else ""),
                             "build_s": build_hnsw, "bytes": hnsw_bytes}, hnsw))
    hnsw.hnsw.efSearch = vec.HNSW_EF_SEARCH

    if n >= 2000 and not quick:
        nlist = int(min(4 * math.sqrt(n), n // 39))
        faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
        t = time.perf_counter()
        quant = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quant, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(SEED)
        sample = vectors[rng.choice(n, size=min(n, 64 * nlist), replace=False)]
        ivf.train(np.ascontiguousarray(sample))
        ivf.add(np.ascontiguousarray(vectors))
        build_ivf = time.perf_counter() - t
        faiss.omp_set_num_threads(1)
        ivf_bytes = int(faiss.serialize_index(ivf).nbytes)
        for nprobe in IVF_NPROBE_SWEEP:
            ivf.nprobe = nprobe
            rows.append(measure({"index": "ivf", "params": f"nlist={nlist} nprobe={nprobe}",
                                 "build_s": round(build_ivf, 3), "bytes": ivf_bytes}, ivf))
    return rows


def _lat(times: Sequence[float]) -> dict[str, float]:
    p = percentiles(times)
    return {"p50_ms": round(p.get("p50", 0.0), 4), "p95_ms": round(p.get("p95", 0.0), 4)}


def default_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return next((f for f in rows if "(default)" in f.get("params", "")), {})
