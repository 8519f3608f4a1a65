"""`python -m eval bench`: where we stand on speed and memory, against the targets of issue 6.

    python -m eval bench [--out DIR] [--scale N ...] [--quick] [--skip SECTION,...]

Sections (each can be skipped with --skip):
  ingest  `python -m ingest` from scratch in a fresh process on a temporary
          copy of corpus/ (model load included), then unchanged re-runs;
          throughput in characters/s and chunks/s
  ask     warm `Assistant.ask` latency over every gold question, several rounds
  llama   llama-index's default retriever (eval/quality/llama_baseline.py, same MiniLM)
          on the same questions in the same run, and the ratio
  cold    `python -m assistant ask "..."` from process start to exit, median
          of several fresh processes; their peak RSS; heavy modules imported
  chat    `python -m assistant chat --no-build` until http://127.0.0.1:PORT/
          answers 200; the server's peak RSS (before and after questions)
  size    the index's size on disk
  scale   --scale N...: synthetic corpora (eval/perf/scale.py)

Figures go to stdout as tables and to DIR/bench.json. Timings on a shared
2-core machine are noisy: the load average is recorded at start and end.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from .bench_report import headline, render, targets
from .bench_sections import (
    bench_ask,
    bench_chat,
    bench_cold,
    bench_ingest,
    bench_llama,
    bench_size,
    build_in_process,
    log,
)
from .measure import ROOT, self_peak_rss_mb
from .scale import gold_questions, run_size

SECTIONS = ("ingest", "ask", "llama", "cold", "chat", "size", "scale")
__all__ = ["headline", "main", "render", "targets"]


def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine() -> dict[str, Any]:
    cpu = ""  # the model name: psutil does not report it
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = f"{psutil.virtual_memory().total // 1024} kB"  # as /proc/meminfo's MemTotal line writes it
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "cpu": cpu, "memory": mem}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out", help="folder for bench.json (default bench-out/)")
    parser.add_argument("--scale", type=int, nargs="+", metavar="N", help="also build and query synthetic corpora of N chunks")
    parser.add_argument("--store", choices=("faiss", "milvus"), default="faiss",
                        help="with --scale: milvus also builds and queries a milvus-lite store of each corpus")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and runs (smoke test)")
    parser.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}")
    parser.add_argument("--rounds", type=int, help="rounds over the gold questions (default 5, quick 1)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl")
    parser.add_argument("--index", type=Path, help="use this built index instead of the one ingest builds here")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) in --skip: {', '.join(sorted(unknown))}")
    rounds = args.rounds or (1 if args.quick else 5)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    res: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_start": load_avg(),
                           "machine": machine(), "quick": args.quick, "rounds": rounds,
                           "notes": ["timings come from a shared 2-core machine; compare load_start/load_end "
                                     "and rerun when it is quiet"]}
    questions = gold_questions(args.gold)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        index = args.index
        if "ingest" not in skip:
            try:
                res["ingest"] = bench_ingest(args.corpus, work, runs=3 if args.quick else 5)
                index = index or Path(res["ingest"]["index"])
            except Exception as exc:
                res["ingest"] = {"error": f"{type(exc).__name__}: {exc}"}
        if index is None:
            log("building an index in-process for the other sections ...")
            index = build_in_process(args.corpus, work)
        res["index"] = str(index)
        if "size" not in skip:
            res["size"] = bench_size(index)
        if "ask" not in skip:
            log(f"ask: {len(questions)} gold questions x {rounds} rounds ...")
            res["ask"] = bench_ask(index, questions, rounds)
            res["ask_heuristic"] = bench_ask(index, questions, rounds, selector="heuristic")
        if "cold" not in skip:
            log("cold start: fresh `python -m assistant ask` processes ...")
            try:
                res["cold"] = bench_cold(index, runs=2 if args.quick else 5)
            except Exception as exc:
                res["cold"] = {"error": f"{type(exc).__name__}: {exc}"}
        if "chat" not in skip:
            log("chat: starting the server ...")
            try:
                res["chat"] = bench_chat(index, questions, ask_n=3 if args.quick else 10)
            except Exception as exc:
                res["chat"] = {"error": f"{type(exc).__name__}: {exc}"}
        if "llama" not in skip:  # last of the in-process sections: it imports torch into this process
            log("llama-index default retriever: building and timing ...")
            try:
                res["llama"] = bench_llama(index, questions, rounds)
            except Exception as exc:
                res["llama"] = {"error": f"{type(exc).__name__}: {exc}"}
        if args.scale and "scale" not in skip:
            res["scale"] = []
            for n in args.scale:
                res["scale"].append(run_size(n, index, work / f"scale-{n}", rounds=min(rounds, 3),
                                                quick=args.quick, gold=args.gold, log=log, store=args.store))
        res["bench_process_peak_rss_mb"] = round(self_peak_rss_mb(), 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["load_end"] = load_avg()
    res["headline"] = headline(res)
    res["targets"] = targets(res["headline"])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    print(render(res))
    print(f"\nwrote {args.out / 'bench.json'}")
    failed = [k for k in ("ingest", "ask", "cold") if isinstance(res.get(k), dict) and "error" in res[k]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
