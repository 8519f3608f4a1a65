"""Aggregation over items (mean, percentile, bootstrap CI, the summary a report shows) and the paired
tests `eval compare` runs.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ...perf.measure import percentile as _percentile
from .spans import rounded


# -- aggregation -----------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return rounded(sum(vals) / len(vals)) if vals else None


def percentile(values: Iterable[float | None], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default) of the non-None values, rounded; None when empty."""
    vals = [float(v) for v in values if v is not None]
    return rounded(_percentile(vals, q)) if vals else None


def seed_for(name: str, base: int = 20240517) -> int:
    """A stable per-metric seed (crc32, not Python's salted hash)."""
    return (base ^ zlib.crc32(name.encode("utf-8"))) & 0xFFFFFFFF


def bootstrap_ci(values: Sequence[float], seed: int, resamples: int = 2000,
                 level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap CI of the mean; None for no values. Same seed, same interval."""
    vals = np.asarray([float(v) for v in values], dtype=np.float64)
    if vals.size == 0:
        return None
    if vals.size == 1 or np.all(vals == vals[0]):
        return (rounded(vals[0]), rounded(vals[0]))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, vals.size, size=(resamples, vals.size))
    means = vals[idx].mean(axis=1)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(means, [tail, 100 - tail])
    return (rounded(lo), rounded(hi))


def summarise(name: str, values: Iterable[float | None], resamples: int = 2000) -> dict:
    """{"value", "ci95", "n"}: mean of the applicable values with its bootstrap CI and denominator."""
    vals = [float(v) for v in values if v is not None]
    ci = bootstrap_ci(vals, seed_for(name), resamples) if resamples > 0 else None
    return {"value": mean(vals), "ci95": list(ci) if ci else None, "n": len(vals)}


def fmt(summary: Mapping | None, digits: int = 3, ci: bool = True) -> str:
    """Human form of a summary: "0.812 [0.70, 0.90] (n=40)" or "n/a (0 items)"."""
    if not summary or summary.get("value") is None:
        return "n/a (0 items)"
    text = f"{summary['value']:.{digits}f}"
    if ci and summary.get("ci95"):
        lo, hi = summary["ci95"]
        text += f" [{lo:.2f}, {hi:.2f}]"
    return f"{text} (n={summary['n']})"


# -- paired tests (compare) -------------------------------------------------------
def binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided sign/McNemar p-value for k successes of n at p=0.5 (1.0 for n=0)."""
    if n <= 0:
        return 1.0
    k = min(k, n - k)
    tail = sum(math.comb(n, i) for i in range(0, k + 1)) / 2 ** n
    return rounded(min(1.0, 2 * tail))


def paired_test(a: Sequence[float], b: Sequence[float], seed: int, resamples: int = 5000) -> dict:
    """Paired comparison of per-item values b - a.

    Exact sign test on the items that changed (McNemar's test when values are
    0/1), plus a paired bootstrap 95% CI of the mean difference.
    """
    if len(a) != len(b):
        raise ValueError("paired values need equal lengths")
    diffs = np.asarray([float(y) - float(x) for x, y in zip(a, b)], dtype=np.float64)
    n = int(diffs.size)
    up, down = int((diffs > 1e-12).sum()), int((diffs < -1e-12).sum())
    out: dict[str, Any] = {"n": n, "better": up, "worse": down, "delta": rounded(diffs.mean()) if n else None,
           "p_value": binomial_two_sided(up, up + down), "ci95": None}
    if n:
        if np.all(diffs == diffs[0]):
            out["ci95"] = [rounded(diffs[0]), rounded(diffs[0])]
        else:
            rng = np.random.default_rng(seed)
            means = diffs[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
            lo, hi = np.percentile(means, [2.5, 97.5])
            out["ci95"] = [rounded(lo), rounded(hi)]
    return out
