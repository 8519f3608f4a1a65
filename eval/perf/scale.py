"""Scaling: a synthetic corpus of N chunks, built and queried like the real one.

    python -m eval.perf.scale run 1000 10000 100000 [--out DIR] [--quick]

What is real and what is synthetic (everything is seeded; same N, same seed,
same corpus -> same texts and vectors):

* Texts. Sentences of the shipped index are sampled; 70% are spliced with
  another (the start of one joined to the end of another at word boundaries,
  so there are ~80,000 possible bases rather than ~280), and all are
  perturbed at word level (words replaced by other corpus words, dropped,
  doubled or swapped).
  A chunk takes as many sentences as real chunks do (sampled from the shipped
  index's sentences-per-chunk histogram); documents hold CHUNKS_PER_DOC chunks.
* Vectors. Embedding 100k chunks plus their ~300k sentences with MiniLM
  would take the better part of an hour on 2 cores, and what is measured at
  scale is retrieval, so only a pool is embedded for real:
    - up to POOL (1000) chunk texts are embedded with the real model; those
      chunks keep their real vectors, so N=1k is entirely real;
    - a synthetic sentence's centre is its source sentences' real vectors
      mixed by their share of words; a synthetic chunk's centre is the
      normalised sum of its sentences' vectors. Vectors are drawn around
      their centres from a residual model (mean and covariance) fitted on
      real embeddings of texts made the same way (160 synthetic sentences;
      the pool of real chunks), so neighbourhoods resemble real ones; the
      run reports nearest-neighbour cosines of real and synthetic vectors.
  The real model's throughput on the pool gives the embedding time of a
  full-size ingest by extrapolation.
* Build. The real `ingest.build.build_index` writes the index (FAISS kind by
  size from ingest/vectors.py, BM25, manifest, publish) from the synthetic
  files; only two seams are replaced for the run: the chunker (the planned
  chunks are located in the loaded text instead of running pysbd) and the
  document encoder (it returns the vectors above). The real chunker's
  throughput is measured on a sample of the synthetic documents and
  extrapolated.
* Queries. A fresh process loads the index with the real `Assistant` and asks
  every gold question (real query embeddings through onnxruntime): load time,
  peak RSS and ask latency. FAISS alone is compared on the chunk vectors:
  exact (flat), HNSW at several efSearch values and IVF at several nprobe
  values, recall@10 against exact search, for the gold questions and for
  noisy sentence queries.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .faiss_compare import default_row
from .measure import ROOT, percentiles, run_measured, self_peak_rss_mb
from .scale_build import build_size, milvus_settings
from .synthetic import GOLD, SEED, Log, gold_questions, stderr_log

__all__ = ["default_row", "gold_questions", "main", "run_size", "summary_rows"]


def probe(index: Path, rounds: int, gold: Path = GOLD, doc_filter: bool = True,
          milvus_work: Path | None = None) -> dict[str, Any]:
    """Load the index with the real Assistant and time every gold question (this process only).
    `milvus_work`: query the milvus-lite store that build_milvus wrote there instead."""
    t0 = time.perf_counter()
    from assistant import Assistant

    t1 = time.perf_counter()
    if milvus_work is not None:
        settings = milvus_settings(milvus_work)
        assistant = Assistant(settings.index.index_dir, settings)
    else:
        assistant = Assistant(index)
    t2 = time.perf_counter()
    questions = gold_questions(gold)
    rss_loaded = self_peak_rss_mb()
    first = time.perf_counter()
    assistant.ask(questions[0][0], history=questions[0][1])
    first_ms = (time.perf_counter() - first) * 1e3
    for q, h in questions:  # warm-up
        assistant.ask(q, history=h)
    wall: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q, h in questions:
            t = time.perf_counter()
            answer = assistant.ask(q, history=h)
            wall.append((time.perf_counter() - t) * 1e3)
            for key, value in (answer.timings or {}).items():
                stages.setdefault(key, []).append(float(value))
    out: dict[str, Any] = {
        "import_s": round(t1 - t0, 3), "load_s": round(t2 - t1, 3), "first_ask_ms": round(first_ms, 2),
        "ask_ms": percentiles(wall), "stages_ms": {k: percentiles(v) for k, v in stages.items()},
        "rss_after_load_mb": round(rss_loaded, 1),
    }
    if doc_filter and len(assistant.data.documents) > 1:
        doc = sorted(assistant.data.documents)[len(assistant.data.documents) // 2]
        times, empty = [], 0
        for q, h in questions[:40]:
            t = time.perf_counter()
            answer = assistant.ask(q, history=h, docs=[doc])
            times.append((time.perf_counter() - t) * 1e3)
            empty += not answer.passages
        out["ask_one_doc_ms"] = percentiles(times)
        out["ask_one_doc_without_passages"] = empty
    out["peak_rss_mb"] = round(self_peak_rss_mb(), 1)
    return out


def run_size(n: int, source_index: Path, work: Path, rounds: int = 3, quick: bool = False, seed: int = SEED,
             gold: Path = GOLD, log: Log = stderr_log, timeout: float = 3600.0, store: str = "faiss") -> dict[str, Any]:
    """One size, each step in a fresh process so its memory is its own."""
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    cmd = [py, "-m", "eval.perf.scale", "build", str(n), "--source", str(source_index), "--work", str(work),
           "--seed", str(seed), "--gold", str(gold), "--store", store] + (["--quick"] if quick else [])
    log(f"[scale {n}] build: {' '.join(cmd[2:])}")
    built = run_measured(cmd, timeout=timeout)
    if built.returncode != 0:
        return {"n": n, "error": f"build failed (exit {built.returncode}{', timed out' if built.timed_out else ''}): "
                                 f"{built.stderr.strip()[-1500:]}"}
    result = json.loads(built.stdout.strip().splitlines()[-1])
    result["build_wall_s"] = round(built.wall_s, 2)
    result["build_max_rss_mb"] = round(built.max_rss_mb, 1)
    cmd = [py, "-m", "eval.perf.scale", "probe", "--index", str(work / "index"), "--rounds", str(rounds), "--gold", str(gold)]
    log(f"[scale {n}] query: {' '.join(cmd[2:])}")
    probed = run_measured(cmd, timeout=timeout)
    if probed.returncode != 0:
        result["query_error"] = f"exit {probed.returncode}: {probed.stderr.strip()[-1500:]}"
    else:
        result["query"] = json.loads(probed.stdout.strip().splitlines()[-1])
        result["query"]["max_rss_mb"] = round(probed.max_rss_mb, 1)
    if store == "milvus" and "milvus" in result:
        log(f"[scale {n}] query the milvus-lite store: {' '.join(cmd[2:])} --milvus-work {work}")
        probed = run_measured([*cmd, "--milvus-work", str(work)], timeout=timeout)
        if probed.returncode != 0:
            result["milvus"]["query_error"] = f"exit {probed.returncode}: {probed.stderr.strip()[-1500:]}"
        else:
            result["milvus"]["query"] = json.loads(probed.stdout.strip().splitlines()[-1])
            result["milvus"]["query"]["max_rss_mb"] = round(probed.max_rss_mb, 1)
    return result


def summary_rows(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per size for the bench table."""
    rows = []
    for r in results:
        if "error" in r:
            rows.append({"N": r["n"], "error": r["error"][:200]})
            continue
        q = r.get("query", {})
        default = default_row(r.get("faiss", []))
        sent = default_row(r.get("faiss_sentences", []))
        rows.append({
            "N": r["n"], "faiss": r.get("faiss_kind"),
            "build_index_s": r.get("build_index_s"),
            "est_full_ingest_s": r.get("estimated_full_ingest", {}).get("total_s"),
            "build_rss_mb": r.get("build_max_rss_mb") if (r.get("build_max_rss_mb") or -1) > 0 else r.get("build_peak_rss_mb"),
            "load_s": q.get("load_s"), "query_rss_mb": q.get("peak_rss_mb"),
            "ask_p50_ms": round(q.get("ask_ms", {}).get("p50", float("nan")), 2),
            "ask_p95_ms": round(q.get("ask_ms", {}).get("p95", float("nan")), 2),
            "retrieve_p95_ms": round(q.get("stages_ms", {}).get("retrieve_ms", {}).get("p95", float("nan")), 2),
            "hnsw_recall@10_gold": default.get("recall@10_gold"),
            "hnsw_recall@10_sent": default.get("recall@10_sentences"),
            "sent_index": f"hnsw ({r.get('sentences')})" if sent else f"flat ({r.get('sentences')})",
            "sent_hnsw_recall@10_gold": sent.get("recall@10_gold"),
            "sent_hnsw_near@10_gold": sent.get("near@10_gold"),
            "flat_p95_ms": next((f["p95_ms"] for f in r.get("faiss", []) if f["index"].startswith("flat")), None),
            "hnsw_p95_ms": default.get("p95_ms"),
            "index_mb": round(r.get("index_bytes_without_model", 0) / 1e6, 1),
        })
        m = r.get("milvus")
        if m:
            mq = m.get("query", {})
            rows.append({
                "N": r["n"], "faiss": f"milvus-lite {m.get('kind')}", "build_index_s": m.get("build_index_s"),
                "load_s": mq.get("load_s"), "query_rss_mb": mq.get("peak_rss_mb"),
                "ask_p50_ms": round(mq.get("ask_ms", {}).get("p50", float("nan")), 2),
                "ask_p95_ms": round(mq.get("ask_ms", {}).get("p95", float("nan")), 2),
                "retrieve_p95_ms": round(mq.get("stages_ms", {}).get("retrieve_ms", {}).get("p95", float("nan")), 2),
                "hnsw_recall@10_gold": m.get("recall@10_gold"), "hnsw_recall@10_sent": m.get("recall@10_sentences"),
                "sent_hnsw_recall@10_gold": m.get("sentence_recall@10_gold"),
                "hnsw_p95_ms": m.get("dense_gold_ms", {}).get("p95_ms"),
                "index_mb": round(m.get("bytes", 0) / 1e6, 1),
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.perf.scale", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run", help="build and query synthetic indexes of the given sizes")
    p_run.add_argument("sizes", type=int, nargs="+")
    p_run.add_argument("--source", type=Path, default=ROOT / "index", help="a built index of the shipped corpus")
    p_run.add_argument("--out", type=Path, default=ROOT / "bench-out")
    p_run.add_argument("--rounds", type=int, default=3)
    p_run.add_argument("--quick", action="store_true")
    p_run.add_argument("--seed", type=int, default=SEED)
    p_run.add_argument("--gold", type=Path, default=GOLD)
    p_build = sub.add_parser("build", help="(internal) one size, prints JSON")
    p_build.add_argument("n", type=int)
    p_build.add_argument("--source", type=Path, required=True)
    p_build.add_argument("--work", type=Path, required=True)
    p_build.add_argument("--seed", type=int, default=SEED)
    p_build.add_argument("--gold", type=Path, default=GOLD)
    p_build.add_argument("--quick", action="store_true")
    p_build.add_argument("--store", choices=("faiss", "milvus"), default="faiss")
    p_probe = sub.add_parser("probe", help="(internal) query one index, prints JSON")
    p_probe.add_argument("--index", type=Path, required=True)
    p_probe.add_argument("--rounds", type=int, default=3)
    p_probe.add_argument("--gold", type=Path, default=GOLD)
    p_probe.add_argument("--milvus-work", type=Path, help="query the milvus-lite store built there")
    p_run.add_argument("--store", choices=("faiss", "milvus"), default="faiss",
                       help="milvus: also build and query a milvus-lite store of the same corpus")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        print(json.dumps(build_size(args.n, args.source, args.work, args.quick, args.seed, args.gold,
                                    store=args.store)))
        return 0
    if args.cmd == "probe":
        print(json.dumps(probe(args.index, args.rounds, args.gold, milvus_work=args.milvus_work)))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for n in args.sizes:
            results.append(run_size(n, args.source, Path(tmp) / f"n{n}", args.rounds, args.quick, args.seed, args.gold,
                                    store=args.store))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for row in summary_rows(results):
        print(row)
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
