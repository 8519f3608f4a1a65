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
import dataclasses
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

from . import metrics as M
from . import points as P
from .gold import GoldError, GoldItem, load_gold

SCHEMA = "groundwork-qa-eval/1"
RETRIEVAL_DEPTH = max(M.KS)
BOOTSTRAP_RESAMPLES = 2000
DEFAULT_GATES = Path(__file__).with_name("gates.toml")
BASELINE_NAMES = ("bm25", "dense", "llama-index", "heuristic")
# Per-tag breakdown (report chart and table).
TAG_METRICS = ("no_failure", "hit@5", "recall@5", "answer_coverage", "token_f1", "semantic_similarity",
               "abstention_recall", "false_abstention_rate")
# Metrics in display order. Latency lives apart, under "latency".
METRIC_ORDER = (
    *(f"hit@{k}" for k in M.KS), *(f"recall@{k}" for k in M.KS), "mrr",
    "citation_validity", "citation_support", "citation_support_sentence", "citation_precision",
    "answer_coverage", "token_f1", "token_recall", "semantic_similarity",
    "abstention_precision", "abstention_recall", "false_abstention_rate",
    "no_failure", "error_rate", "answer_chars",
)


class EvalError(Exception):
    exit_code = 2


# -- systems -------------------------------------------------------------------
@dataclass
class Outcome:
    answer: dict[str, Any] | None  # the `ask --json` object (or the baseline's equivalent)
    ranking: list[M.Span]  # retrieved spans, best first, for the @k metrics
    error: str | None
    latency_ms: float


class AssistantSystem:
    """The project's assistant (any fusion), answering through `ask` or the LLM answerer."""

    kind = "answerer"

    def __init__(self, name: str, description: str, assistant: Any, llm: Callable[..., Any] | None = None,
                 settings: Any = None, depth: int = RETRIEVAL_DEPTH) -> None:
        self.name, self.description, self.assistant = name, description, assistant
        self.llm, self.settings, self.depth = llm, settings, depth

    def run(self, item: GoldItem) -> Outcome:
        t0 = time.perf_counter()
        try:
            if self.llm is not None:
                ans = self.llm(self.assistant, self.settings, item.question, list(item.history), None)
            else:
                ans = self.assistant.ask(item.question, history=list(item.history))
            answer = ans.to_json()
        except Exception as exc:  # noqa: BLE001 - an item's failure is a result, not a crash
            return Outcome(None, [], _error_text(exc), (time.perf_counter() - t0) * 1e3)
        latency = float(answer.get("latency_ms") or (time.perf_counter() - t0) * 1e3)
        ranking = [(p["doc"], p["start"], p["end"]) for p in answer.get("passages", [])]
        if self.llm is None and len(ranking) < self.depth:
            # The answer shows top_k passages; @10 needs a deeper list. Same question, deeper cut:
            # only `passages` is used from this call, the answer above is what users get.
            try:
                deep = self.assistant.ask(item.question, history=list(item.history), top_k=self.depth)
                ranking = [(p.doc, p.start, p.end) for p in deep.passages]
            except Exception:  # noqa: BLE001 - keep the shallow ranking
                pass
        return Outcome(answer, ranking, None, latency)


class LlamaSystem:
    """llama-index's default pipeline; its "answer" is the retrieved context."""

    kind = "retriever"

    def __init__(self, doc_texts: Mapping[str, str], doc_titles: Mapping[str, str], top_k: int = 2) -> None:
        from .llama_baseline import build_llama_default_retriever

        try:  # transformers' "Loading weights" bar would garble the harness's own progress output
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # noqa: BLE001 - cosmetic only
            pass
        self.name = "llama-index"
        self.description = (f"llama-index default: VectorStoreIndex, default SentenceSplitter, top {top_k}, "
                            "same MiniLM embedder; the answer is the retrieved context")
        self.doc_texts, self.titles = doc_texts, doc_titles
        self.retriever = build_llama_default_retriever(dict(doc_texts), top_k=top_k)

    def _span(self, hit: Mapping[str, Any]) -> tuple[str, int, int, str]:
        doc, text = str(hit.get("doc") or ""), str(hit.get("text") or "")
        full = self.doc_texts.get(doc, "")
        s, e = hit.get("start"), hit.get("end")
        if isinstance(s, int) and isinstance(e, int) and full[s:e] == text:
            return doc, s, e, text
        where = M.locate(full, text)
        if where:
            return doc, where[0], where[1], full[where[0]:where[1]]
        return doc, -1, -1, text

    def run(self, item: GoldItem) -> Outcome:
        t0 = time.perf_counter()
        try:
            hits = self.retriever.retrieve(item.question)
        except Exception as exc:  # noqa: BLE001
            return Outcome(None, [], _error_text(exc), (time.perf_counter() - t0) * 1e3)
        latency = (time.perf_counter() - t0) * 1e3
        cites, passages = [], []
        for n, hit in enumerate(hits, start=1):
            doc, s, e, text = self._span(hit)
            title = self.titles.get(doc, doc)
            cites.append({"n": n, "doc": doc, "title": title, "section": "", "start": s, "end": e, "text": text,
                          "doc_sha256": ""})
            passages.append({"doc": doc, "title": title, "section": "", "start": s, "end": e,
                             "score": round(float(hit.get("score") or 0.0), 6), "text": text, "chunk": n - 1})
        context = "\n\n".join(p["text"] for p in passages)
        answer = {"question": item.question, "answer": context, "abstained": False, "citations": cites,
                  "passages": passages, "latency_ms": round(latency, 3), "answerer": "llama-index retriever",
                  "context_chars": len(context)}
        return Outcome(answer, [(p["doc"], p["start"], p["end"]) for p in passages], None, latency)


def _error_text(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


# -- gold evidence ---------------------------------------------------------------
def check_list_fields(path: Path) -> None:
    """Reject a string where a list belongs: gold.py would iterate "dev" as the tags d, e, v."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return  # load_gold reports it
    for n, raw in enumerate(lines, start=1):
        try:
            obj = json.loads(raw) if raw.strip() else None
        except json.JSONDecodeError:
            return  # load_gold reports it with its line number
        if isinstance(obj, dict):
            for key in ("tags", "history", "evidence"):
                if obj.get(key) is not None and not isinstance(obj[key], list):
                    raise GoldError(f"{path} line {n}: {key!r} must be a list")


def resolve_evidence(items: Sequence[GoldItem], doc_texts: Mapping[str, str], path: Path) -> dict[str, list[M.Span]]:
    """Gold quotes as document spans; an unknown document or a quote not in it is a GoldError."""
    out: dict[str, list[M.Span]] = {}
    for item in items:
        spans: list[M.Span] = []
        for ev in item.evidence:
            if ev.doc not in doc_texts:
                known = ", ".join(sorted(doc_texts))
                raise GoldError(f"{path} line {item.line} (id {item.id!r}): evidence document {ev.doc!r} is not "
                                f"in the index (known ids: {known})")
            where = M.locate(doc_texts[ev.doc], ev.quote)
            if where is None:
                quote = " ".join(ev.quote.split())
                raise GoldError(f"{path} line {item.line} (id {item.id!r}): evidence quote not found in "
                                f"{ev.doc}: {quote[:80]!r}{'…' if len(quote) > 80 else ''}")
            spans.append((ev.doc, where[0], where[1]))
        out[item.id] = spans
    return out


# -- scoring ---------------------------------------------------------------------
def score_item(item: GoldItem, evidence: Sequence[M.Span], outcome: Outcome, doc_texts: Mapping[str, str],
               similarity: Callable[[str, str], float]) -> dict[str, Any]:
    """One result row: the item, the system's answer, its metric values and failure label."""
    answer = outcome.answer
    error = outcome.error is not None or answer is None
    abstained = bool(answer and answer.get("abstained"))
    status = "error" if error else "abstained" if abstained else "scored"
    answered = status == "scored"
    citations = [M.Cited(str(c.get("doc")), int(c.get("start", -1)), int(c.get("end", -1)), str(c.get("text", "")))
                 for c in (answer or {}).get("citations", [])] if answered else []
    cited = [c.span for c in citations]
    # The passage around each quote (answers carry passage_start/passage_end); else the quote itself.
    cited_passages = []
    for c in (answer or {}).get("citations", []) if answered else []:
        ps, pe = c.get("passage_start"), c.get("passage_end")
        if isinstance(ps, int) and isinstance(pe, int) and pe > ps:
            cited_passages.append((str(c.get("doc")), ps, pe))
        else:
            cited_passages.append((str(c.get("doc")), int(c.get("start", -1)), int(c.get("end", -1))))
    shown = [(p["doc"], p["start"], p["end"]) for p in (answer or {}).get("passages", [])]
    ranking = list(outcome.ranking)
    has_ev = item.answerable and bool(evidence)
    prediction = M.strip_citation_marks(answer.get("answer", "")) if answered and answer else ""

    m: dict[str, Any] = {}
    for k in M.KS:
        m[f"hit@{k}"] = M.hit_at_k(ranking, evidence, k) if has_ev else None
    for k in M.KS:
        m[f"recall@{k}"] = M.recall_at_k(ranking, evidence, k) if has_ev else None
    m["mrr"] = M.reciprocal_rank(ranking, evidence, RETRIEVAL_DEPTH) if has_ev else None
    valid = M.citation_validity(citations, doc_texts)
    m["citation_validity"] = valid if answered else None
    m["citation_support"] = M.citation_support(cited_passages, evidence) if answered and has_ev else None
    m["citation_support_sentence"] = M.citation_support(cited, evidence) if answered and has_ev else None
    m["citation_precision"] = M.citation_precision(cited, evidence) if answered and has_ev else None
    m["answer_coverage"] = M.evidence_coverage(cited, evidence) if has_ev else None
    ref = item.answer.strip()
    m["token_f1"] = M.token_f1(prediction, ref) if item.answerable and ref else None
    m["token_recall"] = M.token_recall(prediction, ref) if item.answerable and ref else None
    if item.answerable and ref:
        m["semantic_similarity"] = similarity(prediction, ref) if prediction else 0.0
    else:
        m["semantic_similarity"] = None
    m["abstention_precision"] = (0.0 if item.answerable else 1.0) if abstained and not error else None
    m["abstention_recall"] = None if item.answerable else (1.0 if abstained and not error else 0.0)
    m["false_abstention_rate"] = (1.0 if abstained and not error else 0.0) if item.answerable else None
    label = M.failure_label(error=error, answerable=item.answerable, abstained=abstained, evidence=evidence,
                            retrieved=shown, cited=cited, citations_valid=bool(valid),
                            cited_passages=cited_passages)
    m["no_failure"] = 1.0 if label == M.LABEL_NONE else 0.0
    m["error_rate"] = 1.0 if error else 0.0
    m["answer_chars"] = float(len(prediction)) if answered else None

    ev_found = {f"{d}:{s}-{e}": M.found_rank(ranking, (d, s, e)) for d, s, e in evidence}
    return {
        "id": item.id,
        "question": item.question,
        "history": list(item.history),
        "tags": list(item.tags),
        "gold": {
            "answer": item.answer,
            "answerable": item.answerable,
            "evidence": [{"doc": ev.doc, "quote": ev.quote, "start": s, "end": e}
                         for ev, (_, s, e) in zip(item.evidence, evidence)],
        },
        "status": status,
        "error": outcome.error,
        "label": label,
        "metrics": m,
        "evidence_rank": ev_found,
        "ranking": [list(x) for x in ranking],
        "answer": answer,
        "latency_ms": round(outcome.latency_ms, 3) if not error else None,
    }


def aggregate(rows: Sequence[Mapping[str, Any]], resamples: int = BOOTSTRAP_RESAMPLES) -> dict[str, Any]:
    """Counts, failure labels, metric summaries (value, ci95, n), per-tag means, latency."""
    counts = {"items": len(rows), "scored": 0, "abstained": 0, "error": 0,
              "answerable": sum(1 for r in rows if r["gold"]["answerable"]),
              "unanswerable": sum(1 for r in rows if not r["gold"]["answerable"])}
    for r in rows:
        counts[r["status"]] += 1
    failures = {label: sum(1 for r in rows if r["label"] == label) for label in M.LABELS}
    metrics = {name: M.summarise(name, [r["metrics"].get(name) for r in rows], resamples) for name in METRIC_ORDER}
    by_tag: dict[str, Any] = {}
    for tag in sorted({t for r in rows for t in r["tags"]}):
        sub = [r for r in rows if tag in r["tags"]]
        entry: dict[str, Any] = {"n": len(sub)}
        for name in TAG_METRICS:
            vals = [r["metrics"].get(name) for r in sub]
            entry[name] = {"value": M.mean(vals), "n": sum(v is not None for v in vals)}
        by_tag[tag] = entry
    lat = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None]
    latency = {"p50_ms": M.percentile(lat, 50), "p95_ms": M.percentile(lat, 95), "n": len(lat)}
    # Which answerer produced each answer: LLM runs fall back to extractive answers, and
    # those must be visible, or extractive quality would pass for the model's.
    produced_by: dict[str, int] = {}
    unsupported = 0
    for r in rows:
        answer = r.get("answer") if isinstance(r.get("answer"), Mapping) else {}
        name = str(answer.get("answerer") or "none")
        produced_by[name] = produced_by.get(name, 0) + 1
        unsupported += len(answer.get("unsupported_sentences") or [])
    return {"counts": counts, "failures": failures, "metrics": metrics, "by_tag": by_tag, "latency": latency,
            "answerability": answerability(rows, resamples),
            "answered_by": dict(sorted(produced_by.items())), "unsupported_sentences": unsupported}


def row_confidence(row: Mapping[str, Any]) -> float | None:
    """The answer's selector confidence, None when the answer has none (or none usable: not a finite number)."""
    answer = row.get("answer")
    value = answer.get("confidence") if isinstance(answer, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def answerability(rows: Sequence[Mapping[str, Any]], resamples: int = BOOTSTRAP_RESAMPLES) -> dict[str, Any]:
    """How well the answer's confidence separates answerable from unanswerable items.

    The score is the selector's confidence, for answered and abstained items alike (the selector
    still reports it when the system abstains). Items without one (errors, catalog facts, systems
    with no selector) cannot be placed on the curve; they are counted under "missing_confidence",
    never dropped silently. "operating_point" is the system's actual abstention decision over the
    same scored items, so it can be read against the curve.
    """
    scored = [(c, bool(r["gold"]["answerable"]), r["status"] == "abstained")
              for r in rows if r["status"] != "error" and (c := row_confidence(r)) is not None]
    scores = [c for c, _, _ in scored]
    answerable = [a for _, a, _ in scored]
    abstained = [ab for _, _, ab in scored]
    curve = M.operating_curve(scores, answerable)
    ci = M.bootstrap_auc_ci(scores, answerable, M.seed_for("answerability_auc"), resamples)
    return {
        "auc": M.answerability_auc(scores, answerable),
        "auc_ci95": list(ci) if ci else None,
        "n": len(scored),
        "n_answerable": sum(answerable),
        "n_unanswerable": len(scored) - sum(answerable),
        "missing_confidence": len(rows) - len(scored),
        "missing_errors": sum(1 for r in rows if r["status"] == "error"),
        "operating_point": {"abstention_recall": M.abstention_recall(abstained, answerable),
                            "false_abstention_rate": M.false_abstention_rate(abstained, answerable)},
        "at_false_abstention": [{"budget": b, "point": M.recall_at_false_abstention(curve, b)}
                                for b in M.FALSE_ABSTENTION_BUDGETS],
        "curve": curve,
    }


def run_system(system: Any, items: Sequence[GoldItem], evidence: Mapping[str, list[M.Span]],
               doc_texts: Mapping[str, str], similarity: Callable[[str, str], float], progress: bool = True,
               resamples: int = BOOTSTRAP_RESAMPLES) -> dict[str, Any]:
    from tqdm import tqdm

    rows = []
    bar = tqdm(items, desc=f"{system.name:>12}", unit="q", file=sys.stderr, disable=not progress or None,
               leave=False, dynamic_ncols=True)
    for item in bar:
        rows.append(score_item(item, evidence[item.id], system.run(item), doc_texts, similarity))
    bar.close()
    return {"name": system.name, "description": system.description, "kind": system.kind,
            **aggregate(rows, resamples), "items": rows}


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


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def index_fingerprint(index_path: Path, manifest: Mapping[str, Any]) -> str:
    """Content hash of an index: its records plus the embedder and chunker; stable across rebuilds."""
    h = hashlib.sha256()
    for name in ("documents.jsonl", "chunks.jsonl", "sentences.jsonl"):
        p = Path(index_path) / name
        h.update(name.encode())
        h.update(sha256_file(p).encode() if p.is_file() else b"-")
    h.update(json.dumps({k: manifest.get(k) for k in ("embedder", "chunker", "format_version")},
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def _plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


# -- gate ------------------------------------------------------------------------------
def load_gates(path: Path) -> dict[str, dict[str, float]]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise EvalError(f"cannot read gate file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise EvalError(f"gate file {path} is not valid TOML: {exc}") from exc
    out: dict[str, dict[str, float]] = {"min": {}, "max": {}}
    for section in ("min", "max"):
        for name, value in (data.get(section) or {}).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise EvalError(f"gate file {path}: [{section}] {name} must be a number")
            if name not in METRIC_ORDER and name not in ("latency_p50_ms", "latency_p95_ms", "answerability_auc"):
                raise EvalError(f"gate file {path}: unknown metric {name!r} in [{section}]")
            out[section][name] = float(value)
    return out


def check_gate(result: Mapping[str, Any], gates: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One line per metric that misses its threshold (an n/a metric misses it too)."""
    failures = []

    def value(name: str) -> tuple[float | None, int]:
        if name.startswith("latency_"):
            lat = result.get("latency", {})
            return lat.get(name.removeprefix("latency_")), int(lat.get("n", 0))
        if name == "answerability_auc":
            a = result.get("answerability", {})
            return a.get("auc"), int(a.get("n", 0))
        s = result["metrics"].get(name, {})
        return s.get("value"), int(s.get("n", 0))

    for name, limit in gates.get("min", {}).items():
        v, n = value(name)
        if v is None:
            failures.append(f"{name} is n/a (0 items); it must be >= {limit:g}")
        elif v < limit:
            failures.append(f"{name} = {v:.3f} (n={n}) is below its threshold {limit:g}")
    for name, limit in gates.get("max", {}).items():
        v, n = value(name)
        if v is None:
            failures.append(f"{name} is n/a (0 items); it must be <= {limit:g}")
        elif v > limit:
            failures.append(f"{name} = {v:.3f} (n={n}) is above its limit {limit:g}")
    return failures


# -- main ---------------------------------------------------------------------------------
def _llm_answerer(settings: Any) -> Callable[..., Any]:
    try:
        from assistant.generative import answer_with_llm
    except ImportError as exc:
        raise EvalError("--answerer llm needs assistant.generative.answer_with_llm, which cannot be imported "
                        f"({exc})") from exc
    if not getattr(settings, "llm_base_url", "") or not getattr(settings, "llm_model", ""):
        raise EvalError("--answerer llm is not configured: set llm_base_url and llm_model in ragqa.toml "
                        "or RAGQA_LLM_BASE_URL and RAGQA_LLM_MODEL")
    return answer_with_llm


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


def filter_tags(items: Sequence[GoldItem], tags: Sequence[str], path: Path) -> list[GoldItem]:
    """The items carrying at least one of ``tags`` (all items when none are given).

    Selects e.g. some SQuAD articles out of a gold file that covers more documents than the index;
    the evidence of the items left out is never resolved, so their documents need not be indexed.
    """
    if not tags:
        return list(items)
    wanted = set(tags)
    kept = [i for i in items if wanted & set(i.tags)]
    if not kept:
        raise GoldError(f"{path}: no gold items with tag {' or '.join(map(repr, sorted(wanted)))}")
    return kept


def evaluate(gold_path: Path, split: str | None, index: Path | None, answerer: str = "extractive",
             baselines: Sequence[str] = (), progress: bool = True,
             resamples: int = BOOTSTRAP_RESAMPLES, tags: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the gold set; return (results, document texts). Raises GoldError/IngestError/EvalError."""
    from assistant import Assistant
    from ingest.config import load_settings

    started = time.time()
    if not Path(gold_path).is_file():
        raise GoldError(f"gold file not found: {gold_path}")
    check_list_fields(gold_path)
    items = filter_tags(load_gold(gold_path, split), tags, gold_path)
    settings = load_settings(index_dir=index, answerer=answerer)
    assistant = Assistant(settings.index_dir, settings)
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

    llm = _llm_answerer(settings) if answerer == "llm" else None
    primary_name = "assistant-llm" if llm else "assistant"
    systems: list[Any] = [AssistantSystem(
        primary_name, "this project: hybrid BM25 + dense (RRF), " +
        ("LLM answerer over the retrieved passages" if llm else "extractive answers with verified citations") +
        f", {settings.selector} answer selector", assistant, llm=llm, settings=settings)]
    for name in baselines:
        if name in ("bm25", "dense"):
            other = Assistant(settings.index_dir, settings, fusion=name)
            systems.append(AssistantSystem(
                name, f"this project's answerer over {'BM25' if name == 'bm25' else 'dense (FAISS)'} retrieval alone",
                other))
        elif name == "heuristic":
            # The hand-weighted selector the learned one replaced: same retrieval, same answerer, only
            # the sentence choice and its abstention threshold differ.
            heuristic = dataclasses.replace(settings, selector="heuristic")
            systems.append(AssistantSystem(
                name, "this project with the previous hand-weighted answer selector (selector=heuristic)",
                Assistant(settings.index_dir, heuristic), llm=llm, settings=heuristic))
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
        "index": {"path": str(settings.index_dir), "sha256": index_fingerprint(assistant.data.path,
                                                                               assistant.data.manifest),
                  "build_id": assistant.data.build_id, "documents": sorted(doc_texts),
                  "chunks": len(assistant.data.chunks)},
        "answerer": answerer,
        "settings": {"top_k": settings.top_k, "retrieve_k": settings.retrieve_k,
                     "fusion": getattr(assistant.retriever, "fusion", "rrf"), "selector": settings.selector,
                     **({"llm_model": settings.llm_model} if llm else {})},
        "weights": _plain(getattr(assistant, "weights", None)),
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


def _summary_lines(results: Mapping[str, Any]) -> list[str]:
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


def main(argv: list[str] | None = None) -> int:
    from ingest.errors import IngestError

    from assistant.errors import AssistantError

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
    except (GoldError, IngestError, AssistantError, EvalError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 2) or 2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    for line in _summary_lines(results):
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


if __name__ == "__main__":
    sys.exit(main())
