"""A system's rows summarised: counts, failure labels, metric means with bootstrap CIs, per-tag means,
latency, which answerer produced the answers, and answerability (how well confidence separates).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from . import metrics as M

BOOTSTRAP_RESAMPLES = 2000
# Per-tag breakdown (report chart and table).
TAG_METRICS = ("no_failure", "hit@5", "recall@5", "answer_coverage", "token_f1", "semantic_similarity",
               "abstention_recall", "false_abstention_rate")
# Metrics in display order. Latency lives apart, under "latency".
METRIC_ORDER = (
    *(f"hit@{k}" for k in M.KS), *(f"recall@{k}" for k in M.KS), "mrr",
    "citation_validity", "citation_support", "citation_support_sentence", "citation_precision",
    "answer_coverage", "token_f1", "token_recall", "semantic_similarity",
    "abstention_precision", "abstention_recall", "false_abstention_rate",
    "no_failure", "error_rate", "answer_chars",
)


def aggregate(rows: Sequence[Mapping[str, Any]], resamples: int = BOOTSTRAP_RESAMPLES) -> dict[str, Any]:
    """Counts, failure labels, metric summaries (value, ci95, n), per-tag means, latency."""
    counts = {"items": len(rows), "scored": 0, "abstained": 0, "error": 0,
              "answerable": sum(1 for r in rows if r["gold"]["answerable"]),
              "unanswerable": sum(1 for r in rows if not r["gold"]["answerable"])}
    for r in rows:
        counts[r["status"]] += 1
    failures = {label: sum(1 for r in rows if r["label"] == label) for label in M.LABELS}
    metrics = {name: M.summarise(name, [r["metrics"].get(name) for r in rows], resamples) for name in METRIC_ORDER}
    by_tag: dict[str, Any] = {}
    for tag in sorted({t for r in rows for t in r["tags"]}):
        sub = [r for r in rows if tag in r["tags"]]
        entry: dict[str, Any] = {"n": len(sub)}
        for name in TAG_METRICS:
            vals = [r["metrics"].get(name) for r in sub]
            entry[name] = {"value": M.mean(vals), "n": sum(v is not None for v in vals)}
        by_tag[tag] = entry
    lat = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None]
    latency = {"p50_ms": M.percentile(lat, 50), "p95_ms": M.percentile(lat, 95), "n": len(lat)}
    # Which answerer produced each answer: LLM runs fall back to extractive answers, and
    # those must be visible, or extractive quality would pass for the model's.
    produced_by: dict[str, int] = {}
    unsupported = 0
    for r in rows:
        answer: Mapping[str, Any] = r["answer"] if isinstance(r.get("answer"), Mapping) else {}
        name = str(answer.get("answerer") or "none")
        produced_by[name] = produced_by.get(name, 0) + 1
        unsupported += len(answer.get("unsupported_sentences") or [])
    return {"counts": counts, "failures": failures, "metrics": metrics, "by_tag": by_tag, "latency": latency,
            "answerability": answerability(rows, resamples),
            "answered_by": dict(sorted(produced_by.items())), "unsupported_sentences": unsupported}


def row_confidence(row: Mapping[str, Any]) -> float | None:
    """The answer's selector confidence, None when the answer has none (or none usable: not a finite number)."""
    answer = row.get("answer")
    value = answer.get("confidence") if isinstance(answer, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def answerability(rows: Sequence[Mapping[str, Any]], resamples: int = BOOTSTRAP_RESAMPLES) -> dict[str, Any]:
    """How well the answer's confidence separates answerable from unanswerable items.

    The score is the selector's confidence, for answered and abstained items alike (the selector
    still reports it when the system abstains). Items without one (errors, catalog facts, systems
    with no selector) cannot be placed on the curve; they are counted under "missing_confidence",
    never dropped silently. "operating_point" is the system's actual abstention decision over the
    same scored items, so it can be read against the curve.
    """
    scored = [(c, bool(r["gold"]["answerable"]), r["status"] == "abstained")
              for r in rows if r["status"] != "error" and (c := row_confidence(r)) is not None]
    scores = [c for c, _, _ in scored]
    answerable = [a for _, a, _ in scored]
    abstained = [ab for _, _, ab in scored]
    curve = M.operating_curve(scores, answerable)
    ci = M.bootstrap_auc_ci(scores, answerable, M.seed_for("answerability_auc"), resamples)
    return {
        "auc": M.answerability_auc(scores, answerable),
        "auc_ci95": list(ci) if ci else None,
        "n": len(scored),
        "n_answerable": sum(answerable),
        "n_unanswerable": len(scored) - sum(answerable),
        "missing_confidence": len(rows) - len(scored),
        "missing_errors": sum(1 for r in rows if r["status"] == "error"),
        "operating_point": {"abstention_recall": M.abstention_recall(abstained, answerable),
                            "false_abstention_rate": M.false_abstention_rate(abstained, answerable)},
        "at_false_abstention": [{"budget": b, "point": M.recall_at_false_abstention(curve, b)}
                                for b in M.FALSE_ABSTENTION_BUDGETS],
        "curve": curve,
    }
