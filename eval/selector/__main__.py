"""`python -m eval.selector data|train|export|fit|evaluate`: see the package docstring."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

SQUAD = Path("eval/data/squad2-dev-12")
WORK = Path("build/selector")
MODEL_DIR = Path("assistant/models/answer-selector")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.selector")
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data", help="candidate pairs for train/tune/held-out")
    d.add_argument("--squad", type=Path, default=SQUAD, help="folder with gold.jsonl and meta.jsonl")
    d.add_argument("--squad-index", type=Path, required=True, help="index built from the SQuAD corpus/")
    d.add_argument("--index", type=Path, default=Path("index"), help="our corpus index (dev gold)")
    d.add_argument("--out", type=Path, default=WORK)
    d.add_argument("--sets", nargs="+", default=["train", "tune", "held_out", "own_dev"],
                   choices=["train", "tune", "held_out", "own_dev"])
    t = sub.add_parser("train", help="fine-tune the cross-encoder")
    t.add_argument("--work", type=Path, default=WORK)
    t.add_argument("--epochs", type=float, default=2.0)
    t.add_argument("--layers", type=int, default=6)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--max-length", type=int, default=96)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--init", type=Path, default=None, help="continue from these weights (selector.pt)")
    t.add_argument("--swaps", action="store_true", help="add name/number-swapped unanswerables (augment.py)")
    e = sub.add_parser("export", help="int8 ONNX + tokenizer into the model folder")
    e.add_argument("--work", type=Path, default=WORK)
    e.add_argument("--layers", type=int, default=6)
    e.add_argument("--out", type=Path, default=MODEL_DIR)
    f = sub.add_parser("fit", help="combination + threshold on dev; figures on held-out articles")
    f.add_argument("--work", type=Path, default=WORK)
    f.add_argument("--model", type=Path, default=MODEL_DIR)
    f.add_argument("--candidates", type=int, default=1)
    f.add_argument("--max-length", type=int, default=96)
    v = sub.add_parser("evaluate", help="figures for a model folder as it is; writes nothing")
    v.add_argument("--work", type=Path, default=WORK)
    v.add_argument("--model", type=Path, default=MODEL_DIR)
    v.add_argument("--sets", nargs="+", default=["tune", "own_dev"], choices=["tune", "own_dev", "held_out"],
                   help="question sets to score (held_out only when reporting)")
    args = p.parse_args(argv)
    t0 = time.time()
    if args.cmd == "data":
        from assistant import Assistant
        from ingest.config import load_settings

        from . import data, split

        squad_sets = [n for n in ("train", "tune", "held_out") if n in args.sets]
        sq = (Assistant(args.squad_index, load_settings(index_dir=args.squad_index, selector="heuristic"))
              if squad_sets else None)
        for name, arts in (("train", split.TRAIN), ("tune", split.TUNE), ("held_out", split.HELD_OUT)):
            if name not in args.sets or sq is None:  # sq is None only when no SQuAD set was asked for
                continue
            ex = data.squad_examples(sq, args.squad / "gold.jsonl", args.squad / "meta.jsonl", arts)
            data.write(ex, args.out / f"squad_{name}.jsonl")
            print(f"{name}: {len(ex)} questions, {sum(len(e.candidates) for e in ex)} pairs", file=sys.stderr)
        if "own_dev" in args.sets:
            own = Assistant(args.index, load_settings(index_dir=args.index, selector="heuristic"))
            ex = data.own_examples(own, [Path("eval/gold.jsonl"), Path("eval/gold_dev_extra.jsonl")], "dev")
            data.write(ex, args.out / "own_dev.jsonl")
            print(f"own dev: {len(ex)} questions", file=sys.stderr)
    elif args.cmd == "train":
        from . import train

        train.train(args.work, epochs=args.epochs, layers=args.layers, seed=args.seed, max_length=args.max_length,
                    lr=args.lr, init=args.init, swaps=args.swaps)
    elif args.cmd == "export":
        from . import export

        print(export.export(args.work, args.out, args.layers))
    elif args.cmd == "fit":
        import json

        from . import fit

        print(json.dumps(fit.fit(args.work, args.model, args.candidates, args.max_length), indent=1))
    elif args.cmd == "evaluate":
        import json

        from .evaluate import evaluate

        print(json.dumps(evaluate(args.work, args.model, args.sets), indent=1))
    print(f"{args.cmd} took {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
