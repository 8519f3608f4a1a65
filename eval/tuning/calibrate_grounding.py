"""Calibrate the sentence-support thresholds of assistant/grounding/support.py.

    .venv/bin/python -m eval.tuning.calibrate_grounding [--index index] [--split dev]

Positives: each sentence of a gold answer (a human paraphrase of the
evidence, i.e. what a model should write) scored against the passage(s)
holding its evidence quote: a correct citation.
Hard negatives: the same sentence scored against the best-ranked retrieved
passage that holds none of the evidence: a topical but wrong citation.
Swapped negatives: the sentence scored against the evidence passage of another
gold item of the same document: a claim cited to the wrong part of the text.

Prints the score distributions and, for a grid of (lexical, dense)
thresholds, the share of positives accepted and of negatives rejected.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from assistant import Assistant, Passage
from assistant.grounding import (
    THRESHOLDS,
    Scorer,
    Support,
    Thresholds,
    check_text,
    has_claim,
    score_sentence,
    split_answer,
    verdict,
)

from ..quality.gold import GoldItem, load_gold


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


def chunk_passage(a: Assistant, row: int) -> Passage:
    c = a.data.chunks[row]
    doc = a.data.documents[c.doc]
    return Passage(doc=c.doc, title=doc.title, section=" › ".join(c.section), start=c.start,
                   end=c.end, score=0.0, text=c.text, chunk=row)


def evidence_rows(a: Assistant, item: GoldItem) -> list[int]:
    rows = []
    for ev in item.evidence:
        q = norm(ev.quote)
        for i, c in enumerate(a.data.chunks):
            if c.doc == ev.doc and q[:60] in norm(c.text):
                rows.append(i)
                break
    return list(dict.fromkeys(rows))


def collect(a: Assistant, split: str) -> tuple[list[Support], list[Support], list[Support]]:
    scorer = Scorer(a.evidence)
    gold = [g for g in load_gold(Path("eval/gold.jsonl"), split) if g.answerable]
    ev_by_item = {g.id: evidence_rows(a, g) for g in gold}
    pos, hard, swap = [], [], []
    for g in gold:
        rows = ev_by_item[g.id]
        if not rows:
            continue
        ans = a.ask(g.question, history=list(g.history))
        others = [p for p in ans.passages if p.chunk not in rows]
        sents = [t for _, t, _ in split_answer(g.answer) if has_claim(t)]
        if not sents:
            continue
        vecs = scorer.encode([check_text(t) for t in sents])
        right = [chunk_passage(a, r) for r in rows]
        swaps = [h for h in gold if h.id != g.id and ev_by_item[h.id] and not set(ev_by_item[h.id]) & set(rows)
                 and a.data.chunks[ev_by_item[h.id][0]].doc == right[0].doc]
        for t, v in zip(sents, vecs):
            pos.append(score_sentence(scorer, t, v, right))
            if others:
                hard.append(score_sentence(scorer, t, v, others[:1]))
            if swaps:
                h = swaps[sum(map(ord, g.id)) % len(swaps)]
                swap.append(score_sentence(scorer, t, v, [chunk_passage(a, ev_by_item[h.id][0])]))
    return pos, hard, swap


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(prog="python -m eval.tuning.calibrate_grounding")
    ap.add_argument("--index", type=Path, default=Path("index"))
    ap.add_argument("--split", default="dev")
    args = ap.parse_args(argv)
    a = Assistant(args.index)
    pos, hard, swap = collect(a, args.split)

    def q(xs: list[float]) -> str:
        return " ".join(f"{v:.2f}" for v in np.quantile(xs, [0.05, 0.1, 0.25, 0.5, 0.75, 0.9]))

    def rates(t: Thresholds) -> tuple[float, float, float]:
        def acc(xs: list[Support]) -> float:
            return float(np.mean([verdict(x, t)[0] for x in xs])) if xs else float("nan")
        return acc(pos), 1 - acc(hard), 1 - acc(swap)

    print(f"split={args.split}: {len(pos)} positive, {len(hard)} hard-negative, {len(swap)} swapped sentences")
    print("quantiles           5%   10%   25%   50%   75%   90%")
    for name, xs in (("pos", pos), ("hard", hard), ("swap", swap)):
        print(f"{name:5} lexical  {q([x.lexical for x in xs])}")
        print(f"{name:5} dense    {q([x.dense for x in xs])}")
    print("\n  lex  dense | pos-accept  hard-reject  swap-reject   (short fragments: dense >= "
          f"{THRESHOLDS.min_dense_short})")
    for lex in (0.3, 0.4, 0.5, 0.6, 0.7):
        for dense in (0.0, 0.3, 0.35, 0.4, 0.5):
            pa, hr, sr = rates(Thresholds(min_lexical=lex, min_dense=dense))
            mark = "  <- chosen" if (lex, dense) == (THRESHOLDS.min_lexical, THRESHOLDS.min_dense) else ""
            print(f" {lex:4.2f}  {dense:4.2f} |   {pa:6.2f}     {hr:6.2f}      {sr:6.2f}{mark}")
    pa, hr, sr = rates(THRESHOLDS)
    print(f"\nchosen {THRESHOLDS}: positives accepted {pa:.2f}, hard negatives rejected {hr:.2f}, "
          f"swapped rejected {sr:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
