"""Candidate (question, sentence) pairs for the selector, drawn through the product's own retrieval.

Each gold question goes through `Assistant.retrieve` and `Assistant.candidates`,
exactly as at answer time, and the head of that list becomes its candidates.
A candidate is positive when it holds a gold answer span (SQuAD meta) or
overlaps a gold evidence quote (our own gold). Unanswerable questions have
no positive; the sentence holding the annotators' "plausible" wrong span is
added as a hard negative when retrieval missed it, and so are the positive's
neighbours, which share its topic without answering.

Output: one JSON object per question (`Example`), so the train, tune and
held-out files keep every question's candidates together.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.selector_text import context_title, pair_text
from ingest.index import SentenceRecord

from ..quality.gold import GoldItem, load_gold
from ..quality.metrics import locate

if TYPE_CHECKING:
    import numpy as np

    from assistant import Assistant

CANDIDATES = 12


@dataclass
class Candidate:
    row: int
    text: str
    label: int
    heuristic: float
    dense: float
    lexical: float
    rank: int  # position in the heuristic list; CANDIDATES for added hard negatives


@dataclass
class Example:
    id: str
    group: str  # article (SQuAD) or split tag (own gold)
    question: str
    answerable: bool
    candidates: list[Candidate] = field(default_factory=list)


def _spans_from_meta(meta: Mapping[str, Any]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    doc = str(meta["doc"])
    answers = [(doc, int(a["doc_start"])) for a in meta.get("answers", [])]
    plausible = [(doc, int(a["doc_start"])) for a in meta.get("plausible_answers", [])]
    return answers, plausible


def _row_at(sentences: Sequence[SentenceRecord], rows_by_doc: Mapping[str, list[int]], doc: str,
            pos: int) -> int | None:
    for r in rows_by_doc.get(doc, []):
        s = sentences[r]
        if s.start <= pos < s.end:
            return r
    return None


def build(assistant: Assistant, items: Iterable[GoldItem], metas: Mapping[str, Mapping[str, Any]],
          group_of: Mapping[str, str], k: int = CANDIDATES) -> list[Example]:
    data = assistant.data
    sentences = data.sentences
    rows_by_doc: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        rows_by_doc.setdefault(s.doc, []).append(i)
    out: list[Example] = []
    for item in items:
        settings = assistant.settings.retrieval
        question = assistant.parse(item.question, list(item.history))
        resolved = question.retrieval_text
        found = assistant.retrieve(question, k=max(settings.retrieve_k, settings.top_k))
        scored = assistant.candidates(found)[:k]
        positives: set[int] = set()
        extra_neg: set[int] = set()
        meta = metas.get(item.id)
        if meta is not None:
            answers, plausible = _spans_from_meta(meta)
            positives = {r for d, p in answers if (r := _row_at(sentences, rows_by_doc, d, p)) is not None}
            extra_neg = {r for d, p in plausible if (r := _row_at(sentences, rows_by_doc, d, p)) is not None}
        elif item.answerable:
            for ev in item.evidence:
                text = data.documents[ev.doc].text if ev.doc in data.documents else ""
                where = locate(text, ev.quote) if text else None
                if where:
                    positives |= {r for r in rows_by_doc.get(ev.doc, [])
                                  if sentences[r].start < where[1] and where[0] < sentences[r].end}
        for r in list(positives):
            for n in (r - 1, r + 1):
                if 0 <= n < len(sentences) and sentences[n].doc == sentences[r].doc and n not in positives:
                    extra_neg.add(n)
        ex = Example(item.id, group_of.get(item.id, ""), resolved, bool(item.answerable))
        seen = set()
        for rank, cand in enumerate(scored):
            ex.candidates.append(_candidate(assistant, cand.row, int(cand.row in positives), rank, found.qvec, cand))
            seen.add(cand.row)
        for r in sorted((positives | extra_neg) - seen):
            ex.candidates.append(_candidate(assistant, r, int(r in positives), k, found.qvec))
        out.append(ex)
    return out


def _candidate(assistant: Assistant, row: int, label: int, rank: int, qvec: np.ndarray,
               scored: Any = None) -> Candidate:
    """A candidate row; one the heuristic list did not hold (`scored` None) gets its real
    similarity and -1 for the heuristic score and term overlap it was never given."""
    sent = assistant.data.sentences[row]
    doc = assistant.data.documents[sent.doc]
    if scored is None:
        heuristic, dense, lexical = -1.0, float(assistant.data.sentence_vectors[row] @ qvec), -1.0
    else:
        heuristic, dense, lexical = scored.score, scored.dense, scored.lexical
    return Candidate(row, pair_text(context_title(doc.title, doc.meta), sent.section, sent.text), label,
                     heuristic, dense, lexical, rank)


def load_meta(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            out[obj["id"]] = obj
    return out


def write(examples: Sequence[Example], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for ex in examples:
            fh.write(json.dumps(asdict(ex), ensure_ascii=False) + "\n")
    tmp.replace(path)


def read(path: Path) -> list[Example]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            cands = [Candidate(**c) for c in obj.pop("candidates")]
            out.append(Example(**obj, candidates=cands))
    return out


def squad_examples(assistant: Assistant, gold: Path, meta: Path, articles: Sequence[str]) -> list[Example]:
    metas = load_meta(meta)
    wanted = set(articles)
    items = [i for i in load_gold(gold, None) if str(metas[i.id]["article"]) in wanted]
    return build(assistant, items, metas, {i.id: str(metas[i.id]["article"]) for i in items})


def own_examples(assistant: Assistant, gold_files: Sequence[Path], split: str) -> list[Example]:
    items = [i for g in gold_files for i in load_gold(g, split)]
    return build(assistant, items, {}, {i.id: split for i in items})
