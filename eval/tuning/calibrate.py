"""Fit the extractive answerer's weights and abstention thresholds on dev items.

Only the dev split is used; the test split stays untouched for reporting.
Retrieval runs once per item, then each candidate setting re-scores the
cached candidates, so a sweep of thousands of settings takes seconds.
Prints the best settings; they are then written into assistant/extractive.py
by hand, so every change is a reviewed commit.
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ingest.errors import GroundworkError, exit_code_of

from ..quality.gold import GoldItem, load_gold

if TYPE_CHECKING:
    from assistant import Assistant
    from assistant.core import Retrieved
    from assistant.extractive import Weights


@dataclass
class Cached:
    item: GoldItem
    found: Retrieved
    spans: list[tuple[str, int, int]]  # gold evidence spans


def evidence_spans(assistant: Assistant, item: GoldItem) -> list[tuple[str, int, int]]:
    out = []
    for ev in item.evidence:
        doc = assistant.data.documents.get(ev.doc)
        if doc is None:
            continue
        pos = doc.text.find(ev.quote)
        if pos >= 0:
            out.append((ev.doc, pos, pos + len(ev.quote)))
    return out


def covered(spans: list[tuple[str, int, int]], cites: list[tuple[str, int, int]]) -> float:
    """Largest share of any one gold quote's characters inside the cited spans.

    Gold items often list several quotes, any of which answers; one found in
    full counts as a hit.
    """
    best = 0.0
    for doc, s, e in spans:
        inside = sum(max(0, min(e, ce) - max(s, cs)) for cdoc, cs, ce in cites if cdoc == doc)
        best = max(best, min(1.0, inside / max(1, e - s)))
    return best


def prepare(assistant: Assistant, items: list[GoldItem]) -> list[Cached]:
    out = []
    for item in items:
        found = assistant.retrieve(assistant.parse(item.question, list(item.history)))
        out.append(Cached(item, found, evidence_spans(assistant, item)))
    return out


def evaluate(assistant: Assistant, cached: list[Cached], weights: Weights | None) -> dict[str, float]:
    ans_cov, abst_ok, false_abst, n_ans, n_unans, lengths = [], 0, 0, 0, 0, []
    for c in cached:
        d = assistant.decide(c.found, weights)
        if c.item.answerable:
            n_ans += 1
            if d.abstain:
                false_abst += 1
                ans_cov.append(0.0)
            else:
                rows = [assistant.data.sentences[s.row] for s in d.sentences]
                ans_cov.append(covered(c.spans, [(r.doc, r.start, r.end) for r in rows]))
                lengths.append(len(rows))
        else:
            n_unans += 1
            abst_ok += d.abstain
    hit = float(np.mean([v >= 0.5 for v in ans_cov])) if ans_cov else 0.0
    return {
        "answer_hit": hit,
        "answer_cov": float(np.mean(ans_cov)) if ans_cov else 0.0,
        "abstain_recall": abst_ok / n_unans if n_unans else 0.0,
        "false_abstain": false_abst / n_ans if n_ans else 0.0,
        "median_sentences": float(np.median(lengths)) if lengths else 0.0,
    }


def objective(m: dict[str, float]) -> float:
    return m["answer_hit"] + m["abstain_recall"] - 2.0 * max(0.0, m["false_abstain"] - 0.05)


def main(argv: list[str] | None = None) -> int:
    from assistant import Assistant
    from assistant.extractive import WEIGHTS

    parser = argparse.ArgumentParser(prog="python -m eval calibrate")
    parser.add_argument("--gold", type=Path, nargs="+", default=[Path("eval/gold.jsonl"), Path("eval/gold_dev_extra.jsonl")],
                        help="gold files; only their items tagged with --split are used")
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--sweep", action="store_true", help="search the grid instead of scoring the current settings")
    args = parser.parse_args(argv)
    if args.split != "dev":
        print("warning: calibrating on a split other than dev reports tuned numbers", file=sys.stderr)
    try:
        assistant = Assistant(args.index)
        cached = prepare(assistant, [item for path in args.gold for item in load_gold(path, args.split)])
    except GroundworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    current = evaluate(assistant, cached, WEIGHTS)
    print("current:", {k: round(v, 3) for k, v in current.items()})
    if not args.sweep:
        return 0
    grid = {
        "lexical": [0.45, 0.6, 0.8],
        "heading_penalty": [0.12, 0.25],
        "min_dense": [0.3, 0.4, 0.5],
        "min_lexical": [0.2, 0.3, 0.4],
        "min_combined": [0.45, 0.6, 0.75],
        "min_coverage": [0.2, 0.3, 0.4, 0.5],
        "extra_ratio": [0.85, 0.9],
    }
    best = (objective(current), WEIGHTS, current)
    for values in itertools.product(*grid.values()):
        w = dataclasses.replace(WEIGHTS, **dict(zip(grid, values)))
        m = evaluate(assistant, cached, w)
        if objective(m) > best[0] + 1e-9:
            best = (objective(m), w, m)
    print("best:", {k: round(v, 3) for k, v in best[2].items()})
    print("weights:", best[1])
    return 0
