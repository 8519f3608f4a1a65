"""What the reports say, independent of format: metric groups and definitions, colours, number formats
and the plain-language notes on where a system fails. Both templates (Markdown and HTML) use these.
"""
from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from .. import metrics as M

COLORS = ("#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2")
LABEL_COLORS = {
    M.LABEL_NONE: "#15803d", M.LABEL_RETRIEVAL_MISS: "#b91c1c", M.LABEL_NOT_CITED: "#c2410c",
    M.LABEL_WRONG_CITATION: "#7c2d12", M.LABEL_FALSE_ABSTENTION: "#a16207", M.LABEL_MISSED_ABSTENTION: "#7e22ce",
    M.LABEL_ERROR: "#111827",
}
GROUPS = (
    ("Retrieval (gold evidence inside the retrieved passages)",
     [*(f"hit@{k}" for k in M.KS), *(f"recall@{k}" for k in M.KS), "mrr"]),
    ("Citations (answered items)", ["citation_validity", "citation_support", "citation_support_sentence",
                                    "citation_precision"]),
    ("Answer (answerable items; an abstention scores 0)",
     ["answer_coverage", "token_f1", "token_recall", "semantic_similarity"]),
    ("Abstention", ["abstention_precision", "abstention_recall", "false_abstention_rate"]),
    ("Overall", ["no_failure", "error_rate", "answer_chars"]),
)
LOWER_IS_BETTER = {"false_abstention_rate", "error_rate"}
DESCRIPTIONS = {
    "hit@k": "1 if some gold quote lies inside the top-k passages (same document, span covered)",
    "recall@k": "share of an item's gold quotes inside the top-k passages",
    "mrr": "1 / rank at which the first gold quote is covered (depth 10)",
    "citation_validity": "every citation's offsets reproduce its text: document[start:end] == text",
    "citation_support": "some gold quote lies inside a cited passage (the passage around a quoted sentence)",
    "citation_support_sentence": "strict: some gold quote lies inside the quoted sentences themselves",
    "citation_precision": "share of citations that overlap a gold quote",
    "answer_coverage": "share of gold-quote characters inside the cited spans (abstention = 0)",
    "token_f1": "SQuAD token F1 of the answer (citation marks removed) against the reference answer",
    "token_recall": "share of the reference answer's tokens found in the answer",
    "semantic_similarity": "cosine of MiniLM embeddings of answer and reference",
    "abstention_precision": "of the abstentions, the share on unanswerable items",
    "abstention_recall": "of the unanswerable items, the share abstained on",
    "false_abstention_rate": "of the answerable items, the share abstained on (lower is better)",
    "no_failure": "share of items whose failure label is none",
    "error_rate": "share of items where the system raised an exception (lower is better)",
    "answer_chars": "mean length of the answer text (for llama-index: its context)",
}


def systems_of(results: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [results, *results.get("baselines", {}).values()]


def val(summary: Mapping[str, Any] | None, digits: int = 3) -> str:
    if not summary or summary.get("value") is None:
        return "n/a (0 items)"
    return f"{summary['value']:.{digits}f}"


def digits(name: str) -> int:
    return 0 if name == "answer_chars" else 3


def describe(name: str) -> str:
    key = name.split("@")[0] + "@k" if "@" in name else name
    return DESCRIPTIONS.get(key, "")


def insights(system: Mapping[str, Any]) -> list[str]:
    """Plain-language notes on where a system fails, computed from its rows."""
    rows = system["items"]
    notes = []
    by = {label: [r for r in rows if r["label"] == label] for label in M.LABELS}
    fa = by[M.LABEL_FALSE_ABSTENTION]
    if fa:
        had = sum(1 for r in fa if r["metrics"].get("hit@5") == 1.0)
        notes.append(f"{len(fa)} false abstention(s); in {had} of them the gold evidence was already in the top 5 "
                     "passages, so the abstention check (not retrieval) rejected it.")
    rm = by[M.LABEL_RETRIEVAL_MISS]
    if rm:
        deeper = sum(1 for r in rm if r["metrics"].get("hit@10") == 1.0)
        notes.append(f"{len(rm)} retrieval miss(es); in {deeper} of them the evidence appears by rank 10, "
                     "just below the passages the answer shows.")
    nc = by[M.LABEL_NOT_CITED]
    if nc:
        top1 = sum(1 for r in nc if r["metrics"].get("hit@1") == 1.0)
        notes.append(f"{len(nc)} item(s) retrieved but not cited: the answer cited other passages although a "
                     f"shown passage held the evidence (in {top1} of them the top passage).")
    ma = by[M.LABEL_MISSED_ABSTENTION]
    if ma:
        near = sum(1 for r in ma if "near-topic" in r["tags"])
        notes.append(f"{len(ma)} missed abstention(s), {near} of them near-topic (related text exists but does "
                     "not hold the asked detail).")
    if by[M.LABEL_ERROR]:
        notes.append(f"{len(by[M.LABEL_ERROR])} item(s) raised an exception; see their rows.")
    weak = [(e["no_failure"]["value"], t, e["n"]) for t, e in system.get("by_tag", {}).items()
            if t not in ("dev", "test") and e["n"] >= 3 and e["no_failure"]["value"] is not None]
    weak.sort()
    if weak:
        notes.append("Weakest tags (share with no failure): " +
                     ", ".join(f"{t} {v:.2f} (n={n})" for v, t, n in weak[:4]) + ".")
    return notes


ANSWERABILITY_NOTE = (
    "The score is the answer's selector confidence, for answered and abstained items alike. **AUC**: the "
    "chance that an answerable item scores above an unanswerable one (0.5 = chance), with a stratified "
    "bootstrap 95% CI. The operating curve abstains when confidence < threshold; **recall at FA ≤ x** is the "
    "best abstention recall (share of unanswerable items abstained on) whose false abstention rate (share "
    "of answerable items abstained on) stays within x, with its threshold. **actual** is the system's own "
    "abstention decisions over the same scored items. Items without a confidence (errors, catalog facts, "
    "systems without a selector) are counted, not placed on the curve.")


def budget_cell(entry: Mapping[str, Any] | None) -> str:
    point = (entry or {}).get("point")
    if not point:
        return "n/a"
    return f"{point['abstention_recall']:.3f} (FA {point['false_abstention_rate']:.3f}, t={point['threshold']:.4g})"


def rate_pair(point: Mapping[str, Any] | None) -> str:
    point = point or {}
    r, f = point.get("abstention_recall"), point.get("false_abstention_rate")
    return f"{'n/a' if r is None else f'{r:.3f}'} / {'n/a' if f is None else f'{f:.3f}'}"


def auc_text(a: Mapping[str, Any]) -> str:
    if a.get("auc") is None:
        return "n/a"
    ci = a.get("auc_ci95")
    return f"{a['auc']:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def context_note(system: Mapping[str, Any]) -> str:
    """For retrieval-only baselines: how much text the 'answer' (its context) is."""
    if system.get("kind") != "retriever":
        return ""
    chars = system["metrics"].get("answer_chars", {}).get("value")
    return "" if chars is None else f" (mean context {chars:,.0f} characters; @k beyond its list = its full list)"


def md_cell(text: str) -> str:
    """One table cell: one line, pipes escaped, and no raw HTML for Markdown renderers to interpret."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def short(v: Any) -> str:
    return "–" if v is None else f"{v:.2f}"


def ms(v: Any) -> str:
    return "n/a" if v is None else f"{v:.1f}"
