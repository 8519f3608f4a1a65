"""`python -m eval run|compare|bench|from-feedback|calibrate|load`: dispatch to the subcommand modules.

Each command's module parses its own options and returns its exit code; see eval/__init__.py for the map.
"""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "run": ("eval.quality.run", "Run the gold set and write results.json, report.md and report.html"),
    "compare": ("eval.quality.compare", "Compare two results.json files with a paired significance test"),
    "bench": ("eval.perf.bench", "Benchmark ingest, latency, cold start, memory and scaling"),
    "from-feedback": ("eval.quality.feedback", "Turn flagged chat feedback into draft gold items"),
    "calibrate": ("eval.tuning.calibrate", "Fit answerer settings on the dev split"),
    "load": ("eval.perf.load", "Bounded loopback load test of the chat server's /ask: throughput, p50/p95, errors, RSS"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print("usage: python -m eval {" + ",".join(COMMANDS) + "} [options]\n")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:14} {text}")
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return int(module.main(argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
