"""The bench's sections: ingest, warm ask, llama-index's default retriever, cold start, chat server, size.

Each returns a plain dict of figures for bench.json; timings come from eval/perf/measure.py.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

from .measure import ROOT, ChatServerError, chat_server, free_port, peak_rss_mb, percentiles, run_measured, tree_rss_mb

HEAVY = ("torch", "transformers", "sentence_transformers", "llama_index", "gradio", "scipy", "sklearn",
         "pandas", "matplotlib")
COLD_QUESTION = "When was the RAND brief on a less-hardline approach published?"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _py() -> str:
    return sys.executable


# -- ingest --------------------------------------------------------------------
def bench_ingest(corpus: Path, work: Path, runs: int) -> dict[str, Any]:
    copy = work / "corpus"
    shutil.copytree(corpus, copy)
    index = work / "index"
    cmd = [_py(), "-m", "ingest", "--corpus", str(copy), "--index", str(index)]
    log("ingest: from scratch in a fresh process ...")
    first = run_measured(cmd, timeout=900)
    if first.returncode != 0:
        raise RuntimeError(f"ingest failed (exit {first.returncode}): {first.stderr[-2000:]}")
    inner = _bracket_seconds(first.stdout)
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest.get("counts", {})
    reruns = [run_measured(cmd, timeout=120) for _ in range(runs)]
    if any(r.returncode != 0 or "up to date" not in r.stdout for r in reruns):
        raise RuntimeError("unchanged re-run did not report 'up to date': "
                           + " | ".join((r.stdout + r.stderr)[-300:] for r in reruns))
    chars = int(counts.get("characters") or sum(len(p.read_text(encoding="utf-8", errors="replace"))
                                                for p in copy.iterdir() if p.suffix == ".txt"))
    chunks, sentences = int(counts.get("chunks", 0)), int(counts.get("sentences", 0))
    return {
        "index": str(index),
        "from_scratch_s": round(first.wall_s, 3),
        "from_scratch_in_process_s": inner,
        "from_scratch_peak_rss_mb": round(first.max_rss_mb, 1),
        "unchanged_rerun_s": round(median(r.wall_s for r in reruns), 3),
        "unchanged_rerun_runs_s": [round(r.wall_s, 3) for r in reruns],
        "unchanged_rerun_in_process_s": _bracket_seconds(reruns[0].stdout),
        "documents": int(counts.get("documents", 0)), "chunks": chunks, "sentences": sentences,
        "characters": chars,
        "chars_per_s": round(chars / first.wall_s, 1),
        "chunks_per_s": round(chunks / first.wall_s, 2),
        "embedded_texts_per_s": round((chunks + sentences) / first.wall_s, 2),
        "ingest_runtime": manifest.get("embedder", {}).get("ingest_runtime"),
    }


def _bracket_seconds(text: str) -> float | None:
    m = re.search(r"\[(\d+(?:\.\d+)?)s\]", text)
    return float(m.group(1)) if m else None


def build_in_process(corpus: Path, work: Path) -> Path:
    from ingest.build import build_index
    from ingest.config import load_settings

    copy = work / "corpus"
    shutil.copytree(corpus, copy)
    index = work / "index"
    build_index(load_settings(corpus_dir=copy, index_dir=index))
    return index


# -- warm ask ------------------------------------------------------------------
def bench_ask(index: Path, questions: list[tuple[str, tuple[str, ...]]], rounds: int,
              selector: str = "learned") -> dict[str, Any]:
    """Warm `ask` latency with the given selector ("heuristic": the selector it replaced, as baseline)."""
    from assistant import Assistant
    from ingest.config import load_settings

    t = time.perf_counter()
    assistant = Assistant(index, load_settings(index_dir=index, selector=selector))
    load_s = time.perf_counter() - t
    for q, h in questions:  # warm-up: caches, lazy vocabularies, onnxruntime arenas
        assistant.ask(q, history=h)
    wall: list[float] = []
    stages: dict[str, list[float]] = {}
    abstained = 0
    for _ in range(rounds):
        for q, h in questions:
            t = time.perf_counter()
            answer = assistant.ask(q, history=h)
            wall.append((time.perf_counter() - t) * 1e3)
            abstained += bool(answer.abstained)
            for key, value in (answer.timings or {}).items():
                stages.setdefault(key, []).append(float(value))
    return {"load_s": round(load_s, 3), "rounds": rounds, "questions": len(questions),
            "ms": percentiles(wall), "stages_ms": {k: percentiles(v) for k, v in stages.items()},
            "abstained_share": round(abstained / max(1, len(wall)), 3)}


def bench_llama(index: Path, questions: list[tuple[str, tuple[str, ...]]], rounds: int) -> dict[str, Any]:
    from ingest import embedder
    from ingest.index import load_index

    from ..quality.llama_baseline import build_llama_default_retriever

    data = load_index(index, embedder.MODEL_NAME, embedder.DIMENSION)
    documents = {doc_id: rec.text for doc_id, rec in data.documents.items()}
    t = time.perf_counter()
    retriever = build_llama_default_retriever(documents)
    build_s = time.perf_counter() - t
    for q, _ in questions:
        retriever.retrieve(q)
    wall: list[float] = []
    for _ in range(rounds):
        for q, _ in questions:
            t = time.perf_counter()
            retriever.retrieve(q)
            wall.append((time.perf_counter() - t) * 1e3)
    threads = None
    with contextlib.suppress(Exception):
        import torch

        threads = torch.get_num_threads()
    return {"build_s": round(build_s, 3), "rounds": rounds, "ms": percentiles(wall), "torch_threads": threads,
            "what": "VectorStoreIndex + SentenceSplitter defaults, HuggingFaceEmbedding(bundled MiniLM), "
                    "similarity_top_k=2; question only (no follow-up condensation)"}


# -- cold start ----------------------------------------------------------------
def bench_cold(index: Path, runs: int) -> dict[str, Any]:
    cmd = [_py(), "-m", "assistant", "ask", COLD_QUESTION, "--index", str(index)]
    results = []
    for _ in range(runs):
        r = run_measured(cmd, timeout=300)
        if r.returncode != 0:
            raise RuntimeError(f"`assistant ask` failed (exit {r.returncode}): {r.stderr[-1500:]}")
        results.append(r)
    heavy = _heavy_modules(index)
    imports = _import_profile(index)
    return {"runs_s": [round(r.wall_s, 3) for r in results], "median_s": round(median(r.wall_s for r in results), 3),
            "peak_rss_mb": round(max(r.max_rss_mb for r in results), 1), "question": COLD_QUESTION,
            "answer_first_line": results[0].stdout.strip().splitlines()[0][:160] if results[0].stdout.strip() else "",
            "heavy_modules_imported": heavy, "slowest_imports_ms": imports}


def _heavy_modules(index: Path) -> list[str] | str:
    code = ("import sys, io, contextlib\n"
            "from assistant.__main__ import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main(['ask', {COLD_QUESTION!r}, '--index', {str(index)!r}])\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n")
    r = run_measured([_py(), "-c", code], timeout=300)
    if r.returncode != 0:
        return f"check failed: {r.stderr[-300:]}"
    out = r.stdout.strip().splitlines()
    return [m for m in (out[-1].split(",") if out else []) if m]


def _import_profile(index: Path, top: int = 12) -> list[dict[str, Any]]:
    """Top-level packages by cumulative import time (python -X importtime) on the ask path."""
    r = run_measured([_py(), "-X", "importtime", "-m", "assistant", "ask", COLD_QUESTION, "--index", str(index)],
                        timeout=300)
    rows: dict[str, int] = {}
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if m and len(m.group(3)) <= 1:  # top-level imports only (one leading space)
            name = m.group(4)
            rows[name] = max(rows.get(name, 0), int(m.group(2)))
    ranked = sorted(rows.items(), key=lambda kv: -kv[1])[:top]
    return [{"module": k, "cumulative_ms": round(v / 1000, 1)} for k, v in ranked]


# -- chat server ---------------------------------------------------------------
def bench_chat(index: Path, questions: list[tuple[str, tuple[str, ...]]], timeout: float = 180.0,
               ask_n: int = 10) -> dict[str, Any]:
    import importlib.util

    if importlib.util.find_spec("assistant.chat") is None or not (ROOT / "assistant" / "chat" / "server.py").is_file():
        return {"skipped": "assistant/chat/server.py is not there yet (chat app not written)"}
    port = free_port()
    result: dict[str, Any] = {"command": f"-m assistant chat --port {port} --no-build --index {index}"}
    try:
        with chat_server(index, port=port, timeout=timeout) as server:
            result["ready_s"] = round(server.ready_s, 3)
            result["rss_at_ready_mb"] = round(tree_rss_mb(server.pid), 1)
            result["peak_rss_at_ready_mb"] = round(peak_rss_mb(server.pid) or 0.0, 1)
            result.update(_chat_questions(server.url, questions[:ask_n]))
            time.sleep(0.5)
            result["rss_after_questions_mb"] = round(tree_rss_mb(server.pid), 1)
            result["peak_rss_mb"] = round(peak_rss_mb(server.pid) or 0.0, 1)
            return result
    except ChatServerError as exc:
        if exc.returncode is None:
            return {**result, "error": f"not ready within {timeout:.0f} s"}
        return {**result, "error": f"server exited with {exc.returncode}: {exc.output}"}


def _chat_questions(url: str, questions: list[tuple[str, tuple[str, ...]]]) -> dict[str, Any]:
    """Ask through the app's API (gradio_client, api_name=/ask) so its memory includes real answers."""
    try:
        from gradio_client import Client
    except ImportError as exc:
        return {"questions_note": f"gradio_client unavailable: {exc}"}
    try:
        with contextlib.redirect_stdout(sys.stderr):
            client = Client(url, verbose=False)
        times = []
        for q, _ in questions:
            t = time.perf_counter()
            client.predict(q, [], [], api_name="/ask")
            times.append((time.perf_counter() - t) * 1e3)
        return {"api_round_trip_ms": percentiles(times)}
    except Exception as exc:  # the chat app's API is another engineer's and may change
        return {"questions_note": f"could not ask through /ask: {type(exc).__name__}: {str(exc)[:300]}"}


# -- size ----------------------------------------------------------------------
def bench_size(index: Path) -> dict[str, Any]:
    from ingest.index import layout

    real = Path(index).resolve()
    files = {str(p.relative_to(real)): p.stat().st_size for p in sorted(real.rglob("*")) if p.is_file()}
    total = sum(files.values())
    model = files.get(layout.QUERY_ENCODER, 0)
    return {"bytes": total, "mb": round(total / 1e6, 2), "without_model_mb": round((total - model) / 1e6, 3),
            "model_mb": round(model / 1e6, 2), "files": files}
