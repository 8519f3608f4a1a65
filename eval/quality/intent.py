"""`python -m eval.quality.intent`: accuracy of question-intent reading on a labelled set.

    python -m eval.quality.intent [--labels eval/intent_labels.jsonl] [--index DIR]

The labelled questions were written apart from the rules in assistant/intent.py,
mostly in words the rules do not list ("boil down", "part ways", "drawbacks"),
so this measures how the rules generalise, not how they were fitted. Two
readings are scored: the rules alone (`classify`, with the number of documents
the question names), and the assistant's full reading, which also sends an
overview question narrowed to a detail, or naming something the corpus never
mentions, to the factoid path. The full reading is what users get.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LABELS = Path(__file__).resolve().parents[1] / "intent_labels.jsonl"


@dataclass(frozen=True)
class Labelled:
    question: str
    intent: str


def load_labels(path: Path) -> list[Labelled]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            obj = json.loads(line)
            if not isinstance(obj.get("question"), str) or not isinstance(obj.get("intent"), str):
                raise ValueError(f"{path} line {n}: needs string 'question' and 'intent'")
            out.append(Labelled(obj["question"], obj["intent"]))
    return out


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0


def main(argv: list[str] | None = None) -> int:
    from assistant import Assistant
    from assistant.intent import INTENTS, classify

    parser = argparse.ArgumentParser(prog="python -m eval.quality.intent", description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args(argv)
    items = load_labels(args.labels)
    assistant = Assistant(args.index)
    rules, full = [], []
    for it in items:
        named = assistant.structured.named_docs(it.question)
        rules.append((it.intent, classify(it.question, len(named)).kind))
        plan = assistant.structured.plan(it.question, [])
        full.append((it.intent, plan.intent.kind if plan else "factoid"))
    print(f"{len(items)} labelled questions ({', '.join(f'{k}: {v}' for k, v in Counter(i.intent for i in items).items())})")
    print(f"rules alone:   accuracy {accuracy(rules):.3f}")
    print(f"full reading:  accuracy {accuracy(full):.3f}")
    print("per intent (full reading): " + ", ".join(
        f"{k} {sum(1 for g, p in full if g == k and p == k)}/{sum(1 for g, _ in full if g == k)}" for k in INTENTS))
    for it, (gold, pred) in zip(items, full):
        if gold != pred:
            print(f"  misread: {it.question!r}: labelled {gold}, read as {pred}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
