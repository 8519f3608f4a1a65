"""results.json and what is derived from it: writing it with the reports, the index fingerprint it
records, the timing-free copy determinism checks compare, and the summary printed after a run.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from ingest.index.manifest import file_sha256

from ..errors import EvalError
from . import metrics as M
from . import points as P


# -- determinism helpers ---------------------------------------------------------------
def is_timing_key(key: str) -> bool:
    k = key.lower()
    return "latency" in k or k.startswith("timings")


def strip_timing(obj: Any) -> Any:
    """A copy without timing-dependent values: keys containing 'latency' or starting with 'timings'."""
    if isinstance(obj, dict):
        return {k: strip_timing(v) for k, v in obj.items() if not is_timing_key(str(k))}
    if isinstance(obj, list):
        return [strip_timing(v) for v in obj]
    return obj


def index_fingerprint(index_path: Path, manifest: Mapping[str, Any]) -> str:
    """Content hash of an index: its records plus the embedder and chunker; stable across rebuilds."""
    h = hashlib.sha256()
    for name in ("documents.jsonl", "chunks.jsonl", "sentences.jsonl"):
        p = Path(index_path) / name
        h.update(name.encode())
        h.update(file_sha256(p).encode() if p.is_file() else b"-")
    h.update(json.dumps({k: manifest.get(k) for k in ("embedder", "chunker", "format_version")},
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return obj


def write_outputs(results: Mapping[str, Any], doc_texts: Mapping[str, str], out: Path) -> None:
    from .report import write_reports

    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / "results.json.tmp"
        tmp.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, out / "results.json")
        write_reports(results, out, doc_texts)
    except OSError as exc:
        raise EvalError(f"cannot write to {out}: {exc.strerror or exc}") from exc


def summary_lines(results: Mapping[str, Any]) -> list[str]:
    systems = [results, *results.get("baselines", {}).values()]
    names = [s["name"] for s in systems]
    keys = ("hit@5", "recall@5", "mrr", "citation_support", "answer_coverage", "token_f1", "semantic_similarity",
            "abstention_precision", "abstention_recall", "no_failure")
    width = max(12, *(len(n) for n in names)) + 1
    lines = [f"{'metric':22}" + "".join(f"{n:>{width}}" for n in names)]
    for k in keys:
        row = f"{k:22}"
        for s in systems:
            v = s["metrics"].get(k, {}).get("value")
            row += f"{'n/a' if v is None else f'{v:.3f}':>{width}}"
        lines.append(row)
    row = f"{'answerability_auc':22}"
    for s in systems:
        v = s.get("answerability", {}).get("auc")
        row += f"{'n/a' if v is None else f'{v:.3f}':>{width}}"
    lines.append(row)
    lines += P.summary_lines(results)
    c = results["counts"]
    lines.append(f"{results['name']}: {c['items']} items — {c['scored']} scored, {c['abstained']} abstained, "
                 f"{c['error']} errors; latency p50 {results['latency']['p50_ms']} ms, p95 "
                 f"{results['latency']['p95_ms']} ms")
    fails = ", ".join(f"{k}: {v}" for k, v in results["failures"].items() if v and k != M.LABEL_NONE)
    lines.append(f"failure labels: {fails or 'none'}")
    by = results.get("answered_by", {})
    if results.get("answerer") == "llm" or "llm" in by:
        lines.append(f"answered by: {', '.join(f'{k}: {v}' for k, v in by.items())}; "
                     f"unsupported sentences flagged: {results.get('unsupported_sentences', 0)}")
    return lines
