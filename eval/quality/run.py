"""`python -m eval run`: ask every gold question, score it, write results.json + reports.

    python -m eval run [--gold FILE] [--split dev|test] [--index DIR] [--out DIR]
                       [--tag TAG ...] [--gate] [--gates FILE]
                       [--baselines [bm25,dense,llama-index,heuristic]] [--answerer extractive|llm]

Every item ends up as exactly one row with status "scored", "abstained" or
"error" (an exception from the system is recorded, never dropped). Results are
deterministic: two runs write identical results.json apart from the values
under keys named "latency*" / "timings" (see `strip_timing`).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.errors import GroundworkError, exit_code_of

from ..errors import EvalError, GoldError
from . import metrics as M
from . import points as P
from .aggregate import BOOTSTRAP_RESAMPLES
from .gates import DEFAULT_GATES, check_gate, load_gates
from .gold import check_list_fields, filter_tags, load_gold, resolve_evidence
from .results import index_fingerprint, plain, summary_lines, write_outputs
from .scoring import run_system
from .systems import RETRIEVAL_DEPTH, AssistantSystem, LlamaSystem

SCHEMA = "groundwork-qa-eval/1"
BASELINE_NAMES = ("bm25", "dense", "llama-index", "heuristic")


# -- main ---------------------------------------------------------------------------------
def _check_llm(settings: Any) -> None:
    if not settings.llm.base_url or not settings.llm.model:
        raise EvalError("--answerer llm is not configured: set llm_base_url and llm_model in ragqa.toml "
                        "or RAGQA_LLM_BASE_URL and RAGQA_LLM_MODEL")


def parse_baselines(value: str | None) -> list[str]:
    if value is None:
        return []
    if value in ("", "all"):
        return list(BASELINE_NAMES)
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in BASELINE_NAMES]
    if unknown:
        raise EvalError(f"unknown baseline(s): {', '.join(unknown)}; choose from {', '.join(BASELINE_NAMES)}")
    return list(dict.fromkeys(names))


def evaluate(gold_path: Path, split: str | None, index: Path | None, answerer: str = "extractive",
             baselines: Sequence[str] = (), progress: bool = True,
             resamples: int = BOOTSTRAP_RESAMPLES, tags: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the gold set; return (results, document texts). Raises GoldError/IngestError/EvalError."""
    from assistant import Assistant
    from assistant.answerers import ExtractiveAnswerer, make_answerer
    from ingest.config import load_settings

    started = time.time()
    if not Path(gold_path).is_file():
        raise GoldError(f"gold file not found: {gold_path}")
    check_list_fields(gold_path)
    items = filter_tags(load_gold(gold_path, split), tags, gold_path)
    settings = load_settings(index_dir=index, answerer=answerer)
    assistant = Assistant(settings.index.index_dir, settings)
    doc_texts = {d: rec.text for d, rec in assistant.data.documents.items()}
    titles = {d: rec.title for d, rec in assistant.data.documents.items()}
    evidence = resolve_evidence(items, doc_texts, gold_path)

    cache: dict[str, Any] = {}

    def embed(text: str) -> Any:
        # One text per call: batch padding would make vectors depend on the batch.
        if text not in cache:
            cache[text] = assistant.encoder.encode([text])[0]
        return cache[text]

    def similarity(a: str, b: str) -> float:
        return M.cosine(embed(a), embed(b))

    llm = answerer == "llm"
    if llm:
        _check_llm(settings)
        settings = settings.replace(answerer="llm")
    primary_name = "assistant-llm" if llm else "assistant"
    systems: list[Any] = [AssistantSystem(
        primary_name, "this project: hybrid BM25 + dense (RRF), " +
        ("LLM answerer over the retrieved passages" if llm else "extractive answers with verified citations") +
        f", {settings.answer.selector} answer selector", make_answerer(settings, assistant))]
    for name in baselines:
        if name in ("bm25", "dense"):
            other = Assistant(settings.index.index_dir, settings, fusion=name)
            systems.append(AssistantSystem(
                name, f"this project's answerer over {'BM25' if name == 'bm25' else 'dense (FAISS)'} retrieval alone",
                ExtractiveAnswerer(other)))
        elif name == "heuristic":
            # The hand-weighted selector the learned one replaced: same retrieval, same answerer, only
            # the sentence choice and its abstention threshold differ.
            heuristic = settings.replace(selector="heuristic")
            systems.append(AssistantSystem(
                name, "this project with the previous hand-weighted answer selector (selector=heuristic)",
                make_answerer(heuristic, Assistant(settings.index.index_dir, heuristic))))
        elif name == "llama-index":
            try:
                systems.append(LlamaSystem(doc_texts, titles, top_k=2))
            except ImportError as exc:
                raise EvalError(f"the llama-index baseline cannot be built: {exc}") from exc

    t_sys: dict[str, float] = {}
    outputs = []
    for system in systems:
        t0 = time.perf_counter()
        outputs.append(run_system(system, items, evidence, doc_texts, similarity, progress, resamples))
        # Overview/list/recommendation/comparison items: point coverage and precision (eval/points.py).
        P.add_point_metrics(outputs[-1], evidence, P.SectionIndex(assistant.data.sentences), resamples)
        t_sys[system.name] = round(time.perf_counter() - t0, 3)

    gold_bytes = Path(gold_path).read_bytes()
    ids = "\n".join(i.id for i in items).encode()
    config = {
        "gold": {"path": str(gold_path), "sha256": hashlib.sha256(gold_bytes).hexdigest(), "split": split,
                 "tags": sorted(set(tags)), "items": len(items), "ids_sha256": hashlib.sha256(ids).hexdigest()},
        "index": {"path": str(settings.index.index_dir), "sha256": index_fingerprint(assistant.data.path,
                                                                               assistant.data.manifest),
                  "build_id": assistant.data.build_id, "documents": sorted(doc_texts),
                  "chunks": len(assistant.data.chunks)},
        "answerer": answerer,
        "settings": {"top_k": settings.retrieval.top_k, "retrieve_k": settings.retrieval.retrieve_k,
                     "fusion": getattr(assistant.retriever, "fusion", "rrf"), "selector": settings.answer.selector,
                     **({"llm_model": settings.llm.model} if llm else {})},
        "weights": plain(getattr(assistant, "weights", None)),
        "retrieval_depth": RETRIEVAL_DEPTH,
        "ks": list(M.KS),
        "bootstrap": {"resamples": resamples, "level": 0.95, "seed": "crc32(metric name) xor 20240517"},
        "systems": [{"name": s.name, "kind": s.kind, "description": s.description} for s in systems],
        "deterministic": llm is None,
    }
    primary, *rest = outputs
    results = {
        "schema": SCHEMA,
        "config": config,
        **primary,
        "baselines": {o["name"]: o for o in rest},
        "timings": {"started_at": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
                    "wall_s": round(time.time() - started, 3), "systems_s": t_sys},
    }
    return results, doc_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"), help="gold JSONL file")
    parser.add_argument("--split", choices=("dev", "test"), help="only items tagged dev or test")
    parser.add_argument("--tag", action="append", default=[], metavar="TAG",
                        help="only items having this tag (repeatable: items having any of them), "
                             "e.g. a SQuAD article name")
    parser.add_argument("--index", type=Path, help="index folder (default: index/)")
    parser.add_argument("--out", type=Path, default=Path("reports/latest"), help="output folder")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a metric misses its threshold")
    parser.add_argument("--gates", type=Path, default=DEFAULT_GATES, help="threshold file (default: eval/gates.toml)")
    parser.add_argument("--baselines", nargs="?", const="all", metavar="LIST",
                        help="also run baselines: all (default) or a comma list of " + ",".join(BASELINE_NAMES))
    parser.add_argument("--answerer", choices=("extractive", "llm"), default="extractive")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        gates = load_gates(args.gates) if args.gate else None
        results, doc_texts = evaluate(args.gold, args.split, args.index, args.answerer,
                                      parse_baselines(args.baselines), progress=not args.no_progress,
                                      tags=args.tag)
        write_outputs(results, doc_texts, args.out)
    except GroundworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    except KeyboardInterrupt as exc:
        print("interrupted", file=sys.stderr)
        return exit_code_of(exc)
    for line in summary_lines(results):
        print(line)
    print(f"wrote {args.out / 'results.json'}, report.md, report.html [{results['timings']['wall_s']:.1f}s]")
    if gates is not None:
        failures = check_gate(results, gates)
        if failures:
            print(f"GATE FAILED ({args.gates}):", file=sys.stderr)
            for f in failures:
                print(f"  - {f}", file=sys.stderr)
            return 1
        print(f"gate passed ({sum(len(v) for v in gates.values())} thresholds in {args.gates})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
