"""One result row per gold item (metric values and failure label), and a system run over a gold set.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import metrics as M
from .aggregate import BOOTSTRAP_RESAMPLES, aggregate
from .gold import GoldItem
from .systems import RETRIEVAL_DEPTH, Outcome


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
