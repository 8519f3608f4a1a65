"""Re-render the reports of a results.json: python -m eval.quality.report DIR/results.json [--index DIR]."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.errors import ExitCode

from . import write_reports


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - convenience re-render
    parser = argparse.ArgumentParser(prog="python -m eval.quality.report")
    parser.add_argument("results", type=Path)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))
        from ingest.index.reader import read_jsonl

        docs = {d["id"]: d["text"] for d in read_jsonl(Path(args.index) / "documents.jsonl")}
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.RESULTS
    write_reports(results, args.results.parent, docs)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
