"""The systems the harness asks: the project's assistant (any fusion, any selector, the LLM answerer)
and llama-index's default retriever as a baseline. Each turns a gold item into an `Outcome`; a system's
exception is recorded in it, never raised.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.answerers import Answerer

from . import metrics as M
from .gold import GoldItem

RETRIEVAL_DEPTH = max(M.KS)  # how deep a ranking the @k metrics read


# -- systems -------------------------------------------------------------------
@dataclass
class Outcome:
    answer: dict[str, Any] | None  # the `ask --json` object (or the baseline's equivalent)
    ranking: list[M.Span]  # retrieved spans, best first, for the @k metrics
    error: str | None
    latency_ms: float


class AssistantSystem:
    """The project's assistant (any fusion, any selector), through the same `Answerer` the CLI and the chat
    use (`assistant.answerers.make_answerer`): parse once, answer once, and read the @k ranking from that
    answer's own retrieval (`Answer.retrieved`), so each gold item is asked once."""

    kind = "answerer"

    def __init__(self, name: str, description: str, answerer: Answerer, depth: int = RETRIEVAL_DEPTH) -> None:
        self.name, self.description, self.answerer, self.depth = name, description, answerer, depth

    def run(self, item: GoldItem) -> Outcome:
        t0 = time.perf_counter()
        try:
            ans = self.answerer.answer(self.answerer.parse(item.question, list(item.history)))
            answer = ans.to_json()
        except Exception as exc:  # noqa: BLE001 - an item's failure is a result, not a crash
            return Outcome(None, [], _error_text(exc), (time.perf_counter() - t0) * 1e3)
        latency = float(answer.get("latency_ms") or (time.perf_counter() - t0) * 1e3)
        ranking = [(p["doc"], p["start"], p["end"]) for p in answer.get("passages", [])]
        if ans.retrieved is not None and len(ranking) < self.depth:
            # The answer shows top_k passages; @10 needs a deeper cut of the same retrieval.
            ranking = [(p.doc, p.start, p.end) for p in self.answerer.assistant.passages(ans.retrieved, self.depth)]
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
        cites: list[dict[str, Any]] = []
        passages: list[dict[str, Any]] = []
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
