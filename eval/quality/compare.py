"""`python -m eval compare A/results.json B/results.json`: what changed from A to B, and is it real?

For every metric: A's and B's value, the change, a paired bootstrap 95% CI
of the change over the items both runs scored (fixed seed, so reruns agree),
how many items got better or worse, and an exact two-sided sign test on those
changed items (McNemar's exact test for the 0/1 metrics). Then the items that
got worse: a failure label that appeared or changed, or a drop in a key metric.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ingest.errors import ExitCode, exit_code_of

from ..errors import CompareError
from . import metrics as M
from .aggregate import METRIC_ORDER, row_confidence

LOWER_IS_BETTER = {"false_abstention_rate", "error_rate"}
NEUTRAL = {"answer_chars"}
# Per-item drops that make an item "worse" (token F1 and similarity move with any rewording).
KEY_METRICS = ("hit@5", "recall@5", "citation_support", "citation_support_sentence", "answer_coverage",
               "abstention_recall", "false_abstention_rate", "error_rate")


def load_results(path: Path, system: str | None) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CompareError(f"results file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CompareError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CompareError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or "items" not in data or "metrics" not in data:
        raise CompareError(f"{path} is not a results.json written by `python -m eval run`")
    if system is None or system == data.get("name"):
        return data
    base = data.get("baselines", {}).get(system)
    if base is None:
        names = [data.get("name"), *data.get("baselines", {})]
        raise CompareError(f"{path} has no system {system!r} (it has: {', '.join(map(str, names))})")
    return {**base, "config": data.get("config", {})}


def compare(a: Mapping[str, Any], b: Mapping[str, Any], resamples: int = 5000) -> dict[str, Any]:
    items_a = {r["id"]: r for r in a["items"]}
    items_b = {r["id"]: r for r in b["items"]}
    common = [i for i in items_a if i in items_b]
    rows = []
    for name in METRIC_ORDER:
        pairs = [(items_a[i]["metrics"].get(name), items_b[i]["metrics"].get(name)) for i in common]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        test = M.paired_test([x for x, _ in pairs], [y for _, y in pairs], M.seed_for("compare:" + name), resamples)
        va = a["metrics"].get(name, {}).get("value")
        vb = b["metrics"].get(name, {}).get("value")
        better, worse = test["better"], test["worse"]
        if name in LOWER_IS_BETTER:
            better, worse = worse, better
        rows.append({"metric": name, "a": va, "b": vb, "n_a": a["metrics"].get(name, {}).get("n", 0),
                     "n_b": b["metrics"].get(name, {}).get("n", 0),
                     "delta": None if va is None or vb is None else round(vb - va, 6),
                     "paired": {**test, "improved": better, "regressed": worse}})
    worse_items = []
    for i in common:
        ra, rb = items_a[i], items_b[i]
        reasons = []
        new_failure = ra["label"] == M.LABEL_NONE and rb["label"] != M.LABEL_NONE
        drop = 0.0
        for name in KEY_METRICS:
            x, y = ra["metrics"].get(name), rb["metrics"].get(name)
            if x is None or y is None:
                continue
            d = (x - y) if name in LOWER_IS_BETTER else (y - x)
            if d < -1e-9:
                reasons.append(f"{name} {x:.2f} → {y:.2f}")
                drop += -d
        if new_failure or reasons:
            if ra["label"] != rb["label"]:  # a change between two failure labels alone is not "worse"
                reasons.insert(0, f"label {ra['label']} → {rb['label']}")
            worse_items.append({"id": i, "question": rb.get("question", ""), "label_a": ra["label"],
                                "label_b": rb["label"], "reasons": reasons, "drop": round(drop, 6)})
    worse_items.sort(key=lambda w: (rb_is_new_failure(w), -w["drop"], w["id"]))
    return {"a": _describe(a), "b": _describe(b), "common_items": len(common),
            "only_a": sorted(set(items_a) - set(items_b)), "only_b": sorted(set(items_b) - set(items_a)),
            "metrics": rows, "answerability": compare_answerability(items_a, items_b, common, resamples),
            "worse_items": worse_items}


def compare_answerability(items_a: Mapping[str, Mapping[str, Any]], items_b: Mapping[str, Mapping[str, Any]],
                          common: Sequence[str], resamples: int) -> dict[str, Any]:
    """Answerability AUC of A and B over the common items that carry a confidence in both runs.

    AUC is a set-level figure, not a per-item mean, so it gets its own paired bootstrap rather than a
    row among the per-item metrics. Items lacking a confidence in either run are counted in "missing".
    """
    paired = [(ca, cb, bool(items_a[i]["gold"]["answerable"])) for i in common
              if items_a[i]["status"] != "error" and items_b[i]["status"] != "error"
              and (ca := row_confidence(items_a[i])) is not None and (cb := row_confidence(items_b[i])) is not None]
    test = M.paired_auc_test([x for x, _, _ in paired], [y for _, y, _ in paired], [f for _, _, f in paired],
                             M.seed_for("compare:answerability_auc"), min(resamples, 2000))
    return {**test, "missing": len(common) - len(paired)}


def rb_is_new_failure(w: Mapping[str, Any]) -> int:
    """Sort key: items that newly fail come first."""
    return 0 if w["label_a"] == M.LABEL_NONE and w["label_b"] != M.LABEL_NONE else 1


def _describe(r: Mapping[str, Any]) -> dict[str, Any]:
    cfg = r.get("config", {})
    return {"system": r.get("name"), "gold_sha256": cfg.get("gold", {}).get("sha256"),
            "split": cfg.get("gold", {}).get("split"), "index_sha256": cfg.get("index", {}).get("sha256"),
            "items": len(r.get("items", []))}


def _num(v: Any, signed: bool = False) -> str:
    if v is None:
        return "n/a"
    return f"{v:+.3f}" if signed else f"{v:.3f}"


def render(result: Mapping[str, Any], path_a: Path, path_b: Path, limit: int) -> list[str]:
    a, b = result["a"], result["b"]
    lines = [f"A: {path_a} ({a['system']}, {a['items']} items, split {a['split'] or 'all'})",
             f"B: {path_b} ({b['system']}, {b['items']} items, split {b['split'] or 'all'})"]
    if a["gold_sha256"] != b["gold_sha256"]:
        lines.append("note: the two runs used different gold files; items are paired by id")
    if a["index_sha256"] != b["index_sha256"]:
        lines.append("note: the index content differs between the runs")
    if result["only_a"] or result["only_b"]:
        lines.append(f"note: {len(result['only_a'])} items only in A, {len(result['only_b'])} only in B; "
                     "they are left out of the paired tests")
    lines.append(f"paired over {result['common_items']} common items; CI = paired bootstrap 95%, "
                 "p = exact two-sided sign test (McNemar for 0/1 metrics) on the items that changed")
    lines.append("")
    lines.append(f"{'metric':26}{'A':>8}{'B':>8}{'delta':>9}  {'95% CI of delta':>18}  {'pairs':>5}  {'+/-':>7}"
                 f"  {'p':>7}")
    for row in result["metrics"]:
        p = row["paired"]
        ci = p.get("ci95")
        ci_txt = f"[{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci else "n/a"
        flag = ""
        if p["p_value"] < 0.05 and row["delta"] is not None and row["metric"] not in NEUTRAL and row["delta"] != 0:
            good = (row["delta"] < 0) if row["metric"] in LOWER_IS_BETTER else (row["delta"] > 0)
            flag = "  better *" if good else "  WORSE *"
        lines.append(f"{row['metric']:26}{_num(row['a']):>8}{_num(row['b']):>8}{_num(row['delta'], True):>9}  "
                     f"{ci_txt:>18}  {p['n']:>5}  {p['improved']:>3}/{p['regressed']:<3}  {p['p_value']:>7.3f}{flag}")
    auc = result.get("answerability") or {}
    if auc.get("a") is not None and auc.get("b") is not None:
        ci = auc.get("ci95")
        ci_txt = f"[{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci else "n/a"
        flag = ""
        if ci and auc["delta"] and (ci[0] > 0 or ci[1] < 0):
            flag = "  better *" if auc["delta"] > 0 else "  WORSE *"
        lines.append(f"{'answerability_auc':26}{_num(auc['a']):>8}{_num(auc['b']):>8}{_num(auc['delta'], True):>9}  "
                     f"{ci_txt:>18}  {auc['n']:>5}  {'':>7}  {'':>7}{flag}")
    else:
        lines.append(f"{'answerability_auc':26}{'n/a':>8}{'n/a':>8}  (needs a confidence on both classes in both "
                     f"runs; {auc.get('missing', 0)} common items lack one)")
    lines.append("(* p < 0.05; +/- counts items that improved / regressed on that metric. Pairs are the items where "
                 "both runs define the metric: for citation_* and abstention_precision that depends on what each "
                 "run answered, so the CI and p describe only those shared items. answerability_auc is one "
                 "figure per run: its CI is a paired stratified bootstrap over the items scored in both runs, "
                 "and * marks a CI that excludes 0.)")
    worse = result["worse_items"]
    lines.append("")
    lines.append(f"items that got worse: {len(worse)}")
    for w in worse[:limit]:
        q = " ".join(w["question"].split())
        lines.append(f"  {w['id']}: {'; '.join(w['reasons'])}")
        lines.append(f"      {q[:110]}{'…' if len(q) > 110 else ''}")
    if len(worse) > limit:
        lines.append(f"  … and {len(worse) - limit} more (use --limit)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="baseline results.json")
    parser.add_argument("b", type=Path, help="new results.json")
    parser.add_argument("--system", help="compare this system of both files (default: the main one), "
                                         "e.g. bm25 or llama-index")
    parser.add_argument("--system-b", help="use this system from B instead (e.g. A and B the same file, "
                                           "--system-b bm25: the assistant against BM25 alone)")
    parser.add_argument("--limit", type=int, default=30, help="how many worse items to list (default 30)")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--fail-on-regression", action="store_true",
                        help="exit 1 when a metric got significantly worse (p < 0.05)")
    args = parser.parse_args(argv)
    try:
        a = load_results(args.a, args.system)
        b = load_results(args.b, args.system_b or args.system)
        result = compare(a, b)
    except CompareError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    except (KeyError, TypeError, ValueError) as exc:
        print(f"error: a results file is malformed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return ExitCode.RESULTS
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print("\n".join(render(result, args.a, args.b, max(0, args.limit))))
    if args.fail_on_regression:
        for row in result["metrics"]:
            p, d = row["paired"], row["delta"]
            if d is None or row["metric"] in NEUTRAL or p["p_value"] >= 0.05:
                continue
            if (d > 0) if row["metric"] in LOWER_IS_BETTER else (d < 0):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
