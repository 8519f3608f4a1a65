"""Measure chunk token budgets on the dev split; the default in Settings comes from here.

For each budget: build a throwaway index of the corpus, then report evidence
hit@5 of retrieved passages, the answer hit rate, abstention figures and the
context size an answer draws on. Run: python -m eval.tuning.chunk_sweep
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from ..quality.gold import load_gold
from .calibrate import covered, evaluate, prepare


def main(argv: list[str] | None = None) -> int:
    from assistant import Assistant
    from ingest.build import build_index
    from ingest.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m eval.tuning.chunk_sweep")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    parser.add_argument("--budgets", type=int, nargs="+", default=[64, 96, 128, 192, 256])
    args = parser.parse_args(argv)
    items = load_gold(args.gold, "dev")
    print(f"{'tokens':>6} {'chunks':>6} {'hit@5':>6} {'answer':>6} {'abst.rec':>8} {'false.abst':>10} {'ctx chars':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for budget in args.budgets:
            index = Path(tmp) / f"index-{budget}"
            settings = load_settings(corpus_dir=args.corpus, index_dir=index, chunk_tokens=budget)
            build_index(settings)
            assistant = Assistant(index, settings)
            cached = prepare(assistant, items)
            hits = []
            ctx = []
            for c in cached:
                if not c.item.answerable:
                    continue
                top = [assistant.data.chunks[h.row] for h in c.found.hits[:5]]
                hits.append(covered(c.spans, [(t.doc, t.start, t.end) for t in top]) >= 0.5)
                ctx.append(sum(len(t.text) for t in top))
            m = evaluate(assistant, cached, assistant.weights)
            print(f"{budget:>6} {len(assistant.data.chunks):>6} {sum(hits) / len(hits):>6.3f} {m['answer_hit']:>6.3f} "
                  f"{m['abstain_recall']:>8.3f} {m['false_abstain']:>10.3f} {sum(ctx) / len(ctx):>9.0f}")
            shutil.rmtree(index.with_name(index.name + ".d"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
