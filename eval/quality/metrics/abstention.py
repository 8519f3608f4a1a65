"""Abstention decisions, and how well one confidence score separates answerable items from the rest:
AUC with a bootstrap CI, the operating curve, recall at a false abstention budget, a paired AUC test.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .spans import rounded


# -- abstention ------------------------------------------------------------------
def abstention_precision(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the items the system abstained on, the share that are truly unanswerable."""
    picked = [not a for ab, a in zip(abstained, answerable) if ab]
    return rounded(sum(picked) / len(picked)) if picked else None


def abstention_recall(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the unanswerable items, the share the system abstained on."""
    picked = [ab for ab, a in zip(abstained, answerable) if not a]
    return rounded(sum(picked) / len(picked)) if picked else None


def false_abstention_rate(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the answerable items, the share the system abstained on."""
    picked = [ab for ab, a in zip(abstained, answerable) if a]
    return rounded(sum(picked) / len(picked)) if picked else None


# -- answerability: how well one confidence score separates answerable from not ------
# Abstention is a threshold on the selector's confidence, so the score itself is
# judged apart from any one threshold: AUC for the separation, the operating
# curve for what each threshold would buy. The budgets are the false abstention
# rates the report reads the curve at.
FALSE_ABSTENTION_BUDGETS = (0.05, 0.10, 0.20)


def _score_arrays(scores: Sequence[float], answerable: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Validated arrays; a missing or non-finite score is the caller's to count, so it is an error here."""
    if len(scores) != len(answerable):
        raise ValueError(f"{len(scores)} scores for {len(answerable)} answerable flags")
    if any(s is None for s in scores):
        raise ValueError("a score is None: leave unscored items out and count them")
    s = np.asarray([float(x) for x in scores], dtype=np.float64)
    if s.size and not bool(np.all(np.isfinite(s))):
        raise ValueError("scores must be finite")
    return s, np.asarray([bool(a) for a in answerable], dtype=bool)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with tied values sharing their mean rank (so a tie counts one half in the AUC)."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def _auc(s: np.ndarray, a: np.ndarray) -> float | None:
    npos = int(a.sum())
    nneg = int(a.size) - npos
    if npos == 0 or nneg == 0:
        return None
    u = float(_average_ranks(s)[a].sum()) - npos * (npos + 1) / 2.0
    return u / (npos * nneg)


def answerability_auc(scores: Sequence[float], answerable: Sequence[bool]) -> float | None:
    """ROC AUC of the score for "answerable": the chance that a random answerable item scores above a
    random unanswerable one, a tie counting one half (the Mann-Whitney U statistic, in O(n log n)).

    0.5 is chance, 1.0 perfect separation. Threshold-free, so it judges the selector's score before any
    abstention threshold is calibrated. None on empty or single-class input, where it is undefined.
    """
    auc = _auc(*_score_arrays(scores, answerable))
    return None if auc is None else rounded(auc)


def bootstrap_auc_ci(scores: Sequence[float], answerable: Sequence[bool], seed: int, resamples: int = 2000,
                     level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap CI of the AUC, resampling within each class (stratified).

    Stratifying keeps every resample two-class, so none is undefined and dropped. None where the
    AUC itself is None or ``resamples`` is 0. Same seed, same interval.
    """
    s, a = _score_arrays(scores, answerable)
    if resamples <= 0 or _auc(s, a) is None:
        return None
    pos, neg = s[a], s[~a]
    rng = np.random.default_rng(seed)
    flags = np.concatenate([np.ones(pos.size, dtype=bool), np.zeros(neg.size, dtype=bool)])
    aucs = np.empty(resamples, dtype=np.float64)
    for i in range(resamples):
        sample = np.concatenate([pos[rng.integers(0, pos.size, pos.size)], neg[rng.integers(0, neg.size, neg.size)]])
        aucs[i] = _auc(sample, flags)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(aucs, [tail, 100 - tail])
    return (rounded(lo), rounded(hi))


def operating_curve(scores: Sequence[float], answerable: Sequence[bool]) -> list[dict[str, float]]:
    """Abstention recall against false abstention rate for every threshold on the score.

    The decision is "abstain when score < threshold". One point per distinct score (ascending; the
    lowest abstains on nothing, so the curve starts at (0, 0)), then one threshold just above the
    highest score, which abstains on everything (1, 1). Thresholds are the scores themselves, not
    rounded, so a point's threshold reproduces its decision exactly. Each point:
    {"threshold", "abstention_recall", "false_abstention_rate"}, rates rounded. Empty on empty or
    single-class input, where one of the rates is undefined.
    """
    s, a = _score_arrays(scores, answerable)
    npos = int(a.sum())
    nneg = int(a.size) - npos
    if npos == 0 or nneg == 0:
        return []
    order = np.argsort(s, kind="stable")
    s_sorted, a_sorted = s[order], a[order]
    uniq = np.unique(s_sorted)
    # Items strictly below each threshold: searchsorted(side="left") counts them.
    below = np.searchsorted(s_sorted, uniq, side="left")
    pos_cum = np.concatenate([[0], np.cumsum(a_sorted)])
    points = []
    for t, k in zip(uniq.tolist(), below.tolist()):
        abst_pos = int(pos_cum[k])
        points.append({"threshold": float(t), "abstention_recall": rounded((k - abst_pos) / nneg),
                       "false_abstention_rate": rounded(abst_pos / npos)})
    top = float(uniq[-1])
    points.append({"threshold": max(rounded(top + 1e-6), float(np.nextafter(top, np.inf))),
                   "abstention_recall": 1.0, "false_abstention_rate": 1.0})
    return points


def paired_auc_test(scores_a: Sequence[float], scores_b: Sequence[float], answerable: Sequence[bool], seed: int,
                    resamples: int = 2000) -> dict[str, Any]:
    """AUC of two scores over the same items, their difference b - a, and a paired stratified bootstrap
    95% CI of that difference (the same resampled items score both, so item difficulty cancels).

    {"n", "a", "b", "delta", "ci95"}; the AUCs, delta and CI are None on single-class input.
    """
    sa, flags = _score_arrays(scores_a, answerable)
    sb, _ = _score_arrays(scores_b, answerable)
    if sa.size != sb.size:
        raise ValueError("paired scores need equal lengths")
    auc_a, auc_b = _auc(sa, flags), _auc(sb, flags)
    out: dict[str, Any] = {"n": int(sa.size), "a": None if auc_a is None else rounded(auc_a),
                           "b": None if auc_b is None else rounded(auc_b), "delta": None, "ci95": None}
    if auc_a is None or auc_b is None:
        return out
    out["delta"] = rounded(auc_b - auc_a)
    if resamples > 0:
        pos, neg = np.flatnonzero(flags), np.flatnonzero(~flags)
        rng = np.random.default_rng(seed)
        diffs = np.empty(resamples, dtype=np.float64)
        for i in range(resamples):
            idx = np.concatenate([pos[rng.integers(0, pos.size, pos.size)], neg[rng.integers(0, neg.size, neg.size)]])
            resampled_b, resampled_a = _auc(sb[idx], flags[idx]), _auc(sa[idx], flags[idx])
            assert resampled_a is not None and resampled_b is not None  # a stratified resample keeps both classes
            diffs[i] = resampled_b - resampled_a
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        out["ci95"] = [rounded(lo), rounded(hi)]
    return out


def recall_at_false_abstention(curve: Sequence[Mapping[str, float]], budget: float) -> dict[str, float] | None:
    """The curve point with the highest abstention recall whose false abstention rate is within
    ``budget`` (on a tie, the lower false abstention rate, then the lower threshold); None for an
    empty curve. The threshold calibration would pick for that budget, read off test items.
    """
    best: Mapping[str, float] | None = None
    for p in curve:
        if p["false_abstention_rate"] > budget + 1e-12:
            continue
        if best is None or (p["abstention_recall"], -p["false_abstention_rate"], -p["threshold"]) > \
                (best["abstention_recall"], -best["false_abstention_rate"], -best["threshold"]):
            best = p
    return None if best is None else dict(best)
