"""`python -m eval from-feedback LOG [--out FILE]`: flagged chat answers -> draft gold items.

Reads the chat's JSONL feedback log (assistant/chat/feedback.py), keeps the
latest line per answer (`feedback_id`), and turns every answer rated thumbs
down, or given a custom flag, into one draft item in the eval/gold.jsonl
format for an evaluator to review:

  * `question` and `history` are copied; `answer` is left empty and
    `evidence` is empty, because the evaluator writes the correct answer and
    quotes. The assistant's rejected answer, its citations (with document
    hashes), the index build and the staff comment are kept under `review`.
  * `tags` are ["draft", "from-feedback", ...]; a draft carries no "dev" or
    "test" tag, so `eval run --split ...` never scores it until an evaluator
    has reviewed it and given it a split.
  * `answerable` is a guess that the evaluator must confirm: true when the
    assistant abstained (staff disliked the refusal), otherwise true as well,
    with the tag "check-answerable".

Ids are derived from the feedback id, so running the command twice gives the
same items; items already in --out (or in --gold) are not repeated.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.chat import feedback as fb
from ingest.errors import ExitCode, exit_code_of

from ..errors import GoldError
from .gold import parse_item

FLAGGED_OUT = ("up", "withdrawn")  # every other rating ("down" or a custom flag) is a flag


def is_flagged(record: dict[str, Any]) -> bool:
    return str(record.get("rating") or "") not in FLAGGED_OUT and bool(record.get("rating"))


def draft_item(record: dict[str, Any]) -> dict[str, Any]:
    fid = str(record.get("feedback_id") or "")[:12] or "unknown"
    rating = str(record.get("rating"))
    abstained = bool(record.get("abstained"))
    tags = ["draft", "from-feedback", "abstained" if abstained else "answered"]
    if rating != "down":
        tags.append(f"flag:{rating}")
    if not abstained:
        tags.append("check-answerable")
    history = [h for h in record.get("history") or [] if isinstance(h, str)]
    if history:
        tags.append("followup")
    return {
        "id": f"draft-fb-{fid}",
        "question": record["question"],
        "answer": "",
        "answerable": True,
        "evidence": [],
        "tags": tags,
        "history": history,
        "review": {
            "comment": record.get("comment") or "",
            "rating": rating,
            "feedback_id": record.get("feedback_id"),
            "timestamp": record.get("timestamp"),
            "user": record.get("user"),
            "docs": record.get("docs"),
            "assistant_answer": record.get("answer", ""),
            "abstained": abstained,
            "resolved_question": record.get("resolved_question", ""),
            "answerer": record.get("answerer", ""),
            "cited": [{k: c.get(k) for k in ("n", "doc", "section", "start", "end", "text", "doc_sha256")}
                      for c in record.get("citations") or []],
            "closest_passages": [{k: p.get(k) for k in ("doc", "section", "start", "end", "text")}
                                 for p in record.get("passages") or []],
            "index_build": record.get("index_build", ""),
            "todo": "Write the correct answer and evidence quotes (or set answerable=false), "
                    "then replace the 'draft' tag with 'dev' or 'test'.",
        },
    }


def _existing_ids(path: Path | None) -> set[str]:
    if path is None or not path.is_file():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            ids.add(obj["id"])
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval from-feedback",
                                     description="Turn thumbs-down / flagged chat answers into draft gold items.")
    parser.add_argument("log", type=Path, help="the chat feedback log (JSONL), e.g. feedback/feedback.jsonl")
    parser.add_argument("--out", type=Path, help="append draft items to this JSONL file (default: print them)")
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"),
                        help="skip items whose id is already in this gold file (default: eval/gold.jsonl)")
    args = parser.parse_args(argv)

    if not args.log.is_file():
        print(f"error: feedback log {args.log} does not exist (the chat writes feedback/feedback.jsonl "
              "when someone rates an answer)", file=sys.stderr)
        return ExitCode.FEEDBACK
    try:
        records, problems = fb.read(args.log)
    except fb.FeedbackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    for p in problems:
        print(f"warning: {args.log} {p}", file=sys.stderr)

    latest = fb.latest_by_id(records)
    flagged = [r for r in latest if is_flagged(r)]
    known = _existing_ids(args.out) | _existing_ids(args.gold)
    items = []
    for rec in flagged:
        item = draft_item(rec)
        if item["id"] in known:
            continue
        try:
            parse_item(item, 0)  # same validation the eval harness applies
        except GoldError as exc:
            print(f"warning: feedback {rec.get('feedback_id')}: skipped, {exc}", file=sys.stderr)
            continue
        known.add(item["id"])
        items.append(item)

    lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    if args.out:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(lines)
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return ExitCode.EVAL
    else:
        sys.stdout.write(lines)
    where = f" to {args.out}" if args.out else ""
    print(f"{len(records)} feedback lines, {len(latest)} rated answers, {len(flagged)} flagged; "
          f"{len(items)} new draft item(s) written{where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
