"""The Assistant: load an index once, answer many questions from many threads."""
from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest import embedder, lexical
from ingest.config import Settings, load_settings
from ingest.errors import IndexCorruptError
from ingest.index import DocumentRecord, IndexData, open_index

from .answer import Answer, Citation, Passage, Segment
from .errors import CitationError, InvalidQuestion
from .extractive import (
    WEIGHTS,
    Decision,
    Scored,
    Weights,
    decide,
    score_sentences,
    sentence_terms_of,
    wants_each_source,
)
from .followup import condense
from .metadata import MetaFact, asked_field, describe, find_facts
from .overview import Composition, StructuredAnswerer
from .retrieval import Hit, HybridRetriever
from .selection import with_learned_abstention
from .selector import LearnedSelector
from .selector_text import context_title

SENTENCE_K = 8
GENERIC_SOURCE_WORDS = ("brief report study research researchers article op-ed oped author authors writer document "
                        "documents paper summary according say says argue argues column essay piece source sources text")


@dataclass
class Retrieved:
    query: str
    qvec: np.ndarray
    qterms: list[str]
    hits: list[Hit]
    sentence_rows: list[int]
    embed_ms: float


ABSTAIN_TEXT = "The documents do not answer this question."
CLOSEST_LEAD = "The documents don't say that. The closest passage:"
MAX_HISTORY_TURNS = 20


def source_aliases(doc: DocumentRecord) -> tuple[str, ...]:
    """Words by which a question can name a document: "the RAND brief", "the op-ed"."""
    out: set[str] = set()
    for value in (doc.meta.get("publisher"), doc.meta.get("kind")):
        if isinstance(value, str) and value.strip():
            text = value.lower().strip()
            out.add(text)
            words_ = [w for w in text.split() if w not in lexical.stopwords()]
            if words_:
                out.add(words_[-1] if doc.meta.get("kind") == value else words_[0])
                out.add(" ".join(words_))
    return tuple(sorted(a for a in out if len(a) >= 3))


def _short(text: str, keep: int = 60) -> str:
    """At most a short prefix of user input in a message: a 10 MB id must not come back as a 10 MB error."""
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text)} characters)"


def clean_question(question: object, limit: int, what: str = "the question") -> str:
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    if len(question) > 10 * limit:  # refused before the per-character cleaning below, which takes seconds on 10 MB
        raise InvalidQuestion(f"{what} is {len(question)} characters long; the limit is {limit}")
    # Control characters carry no meaning for retrieval and break terminals;
    # zero-width and other format characters would split words ("Krem\u200blin").
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else "" if unicodedata.category(ch) == "Cf" else ch
                   for ch in question)
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestion("the question is empty; type a question about the documents")
    if len(text) > limit:
        raise InvalidQuestion(f"{what} is {len(text)} characters long; the limit is {limit}")
    return text


def _has_text(text: str) -> bool:
    return any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in text)


class Assistant:
    def __init__(self, index_dir: Path, settings: Settings | None = None, weights: Weights = WEIGHTS,
                 fusion: str = "rrf") -> None:
        self.settings = settings or load_settings(index_dir=index_dir)
        self.index_dir = Path(index_dir)
        data, retriever = self._open_milvus(fusion) if self.settings.index.store == "milvus" else self._open_faiss(fusion)
        self.data: IndexData = data
        self.weights = weights
        # The learned selector (assistant/models/answer-selector); "heuristic" keeps the
        # hand-weighted score it replaced, which eval runs as a baseline.
        self.selector = LearnedSelector() if self.settings.answer.selector == "learned" else None
        self._titles = {d: context_title(doc.title, doc.meta) for d, doc in data.documents.items()}
        self.retriever = retriever
        self._terms: dict[int, frozenset[str]] = {}
        meta_words = [GENERIC_SOURCE_WORDS]
        for doc in data.documents.values():
            meta_words += [str(doc.meta.get("publisher", "")), str(doc.meta.get("kind", ""))]
        self._meta_terms = frozenset(lexical.terms(" ".join(meta_words)))
        self._aliases = {doc.id: source_aliases(doc) for doc in data.documents.values()}
        self._sentence_rows = {(s.doc, s.start): i for i, s in enumerate(data.sentences)}
        self._terms_lock = threading.Lock()
        # Overview, list, recommendation and comparison questions (assistant/overview.py).
        self.structured = StructuredAnswerer(data, self.retriever.idf, self.retriever.known_word)

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        return cls(settings.index.index_dir, settings)

    def _open_faiss(self, fusion: str) -> tuple[IndexData, HybridRetriever]:
        """The index folder, opened and checked by ingest.index.open_index; everything is held in this process."""
        opened = open_index(self.index_dir, embedder.MODEL_NAME, embedder.DIMENSION)
        self.encoder = opened.encoder
        return opened.data, HybridRetriever(opened.data, opened.terms, opened.chunk_faiss, opened.bm25, fusion=fusion,
                                            sentence_index=opened.sentence_faiss)

    def _open_milvus(self, fusion: str) -> tuple[IndexData, HybridRetriever]:
        """A Milvus store (issue 16): records read into memory, searches sent to Milvus."""
        from ingest import milvus_store

        from .retrieval_milvus import MilvusRetriever

        client = milvus_store.connect(self.settings)
        opened = milvus_store.load(client, self.settings)
        onnx = milvus_store.ensure_query_encoder()
        unloadable: tuple[type[BaseException], ...] = (RuntimeError, OSError, ValueError, *embedder.runtime_load_errors())
        try:
            self.encoder = embedder.QueryEncoder(onnx)
        except unloadable as exc:
            raise IndexCorruptError(f"the cached query encoder {onnx} cannot be loaded "
                                    f"({str(exc).splitlines()[0][:200]}); delete it and retry") from exc
        return opened.data, MilvusRetriever(opened, fusion=fusion)

    # -- public API ---------------------------------------------------------
    @property
    def documents(self) -> list[dict]:
        return [d.public() for d in self.data.documents.values()]

    def document_text(self, doc: str) -> str:
        return self.data.documents[self.check_docs([doc])[0]].text

    def check_docs(self, docs: Sequence[str] | None) -> list[str]:
        if docs is None:
            return []
        if isinstance(docs, str):
            docs = [docs]
        if not isinstance(docs, (list, tuple)) or not all(isinstance(d, str) for d in docs):
            raise InvalidQuestion("the document filter must be a list of document ids")
        unknown = [d for d in docs if d not in self.data.documents]
        if unknown:
            known = ", ".join(sorted(self.data.documents))
            shown = ", ".join(_short(d) for d in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            raise InvalidQuestion(f"unknown document id(s): {shown}. Known ids: {known}")
        return list(dict.fromkeys(docs))

    def ask(self, question: str, history: Sequence[str] = (), docs: Sequence[str] | None = None,
            top_k: int | None = None) -> Answer:
        t0 = time.perf_counter()
        limit = self.settings.answer.max_question_chars
        text = clean_question(question, limit)
        if isinstance(history, str) or not isinstance(history, (list, tuple)):
            raise InvalidQuestion("the history must be a list of earlier questions")
        if not all(isinstance(h, str) for h in history):
            raise InvalidQuestion("each history turn must be text")
        # Turns that hold nothing once cleaned (blank, control characters) are skipped.
        recent = history[-MAX_HISTORY_TURNS:]
        first = len(history) - len(recent) + 1
        turns = [clean_question(h, limit, f"earlier question {first + i} of the history")
                 for i, h in enumerate(recent) if h.strip() and _has_text(h)]
        doc_filter = self.check_docs(docs)
        k = top_k or self.settings.retrieval.top_k
        resolved = condense(text, turns)
        t1 = time.perf_counter()
        found = self.retrieve(resolved, doc_filter or None, max(self.settings.retrieval.retrieve_k, k))
        t3 = time.perf_counter()
        passages = [self._passage(h) for h in found.hits[:k]]
        facts = self._catalog_facts(resolved, doc_filter)
        structured = self._structured(text, resolved, doc_filter, passages, found)
        if structured is not None:
            answer = structured
        elif facts:
            answer = self._compose_facts(text, facts, passages)
        else:  # the factoid path: only here is a sentence chosen (and the selector run)
            decision = self.decide(found)
            if decision.abstain and decision.closest is not None:
                answer = self._compose_closest(text, decision.closest.row, passages)
            elif decision.abstain:
                answer = Answer(question=text, text=ABSTAIN_TEXT, abstained=True, passages=passages)
            else:
                answer = self._compose(text, decision.sentences, passages)
            answer.confidence = decision.confidence
            answer.abstain_reason = decision.reason if decision.abstain else ""
        t4 = time.perf_counter()
        answer.resolved_question = resolved
        answer.index_build = self.data.build_id
        answer.timings = {"prepare_ms": (t1 - t0) * 1e3, "embed_ms": found.embed_ms,
                          "retrieve_ms": (t3 - t1) * 1e3 - found.embed_ms, "answer_ms": (t4 - t3) * 1e3,
                          "total_ms": (t4 - t0) * 1e3}
        return answer

    def retrieve(self, resolved: str, docs: Sequence[str] | None, k: int) -> Retrieved:
        """Embed once, then fetch chunks (hybrid) and sentences (dense) for the answerer."""
        query = self.retriever.correct(resolved)
        all_terms = lexical.terms(query)
        # "the RAND brief", "the op-ed's author": words naming the source, not the answer.
        qterms = [t for t in all_terms if t not in self._meta_terms] or all_terms
        t = time.perf_counter()
        qvec = self.encoder.encode([query])[0]
        embed_ms = (time.perf_counter() - t) * 1e3
        hits = self.retriever.search(qvec, qterms, k, docs)
        extra = self.retriever.sentences(qvec, SENTENCE_K, docs)
        return Retrieved(query, qvec, qterms, hits, extra, embed_ms)

    def candidates(self, found: Retrieved, weights: Weights | None = None) -> list[Scored]:
        """Candidate answer sentences, best heuristic score first: the sentences of the top
        chunks plus the nearest sentences. The learned selector re-scores the head of this list,
        and its training data is drawn from this same function, so both see one distribution."""
        return score_sentences(found.qvec, found.qterms, self.retriever.idf, found.hits, self.data.chunks,
                               self.data.sentences, self.data.sentence_vectors, self._sentence_terms,
                               weights or self.weights, extra_rows=found.sentence_rows)

    def decide(self, found: Retrieved, weights: Weights | None = None) -> Decision:
        w = weights or self.weights
        scored = self.candidates(found, w)
        mentions = sum(1 for aliases in self._aliases.values() if any(a in found.query.lower() for a in aliases))
        per_doc = len(self.data.documents) > 1 and wants_each_source(found.query, mentions)
        decision = decide(found.query, scored, self.data.sentences, self._context_terms, found.qterms,
                          self.retriever.idf, w, known_word=self.retriever.known_word, per_doc=per_doc)
        if self.selector is None:
            return decision
        return with_learned_abstention(decision, found.query, scored, self.data.sentences, self._titles,
                                       self.selector)

    def best_sentence(self, resolved: str, doc: str, found: Retrieved | None = None) -> int | None:
        """The sentence row the factoid path would quote first for this question within one document,
        or None when it would abstain there (the document is silent). Comparison answers use it, so
        each document's position is chosen by the same selector as factoid answers.

        `found`: this question's retrieval over all documents, whose query vector is reused (one
        embedding per question, not one per document)."""
        k = self.settings.retrieval.retrieve_k
        if found is not None and found.query == self.retriever.correct(resolved):
            found = Retrieved(found.query, found.qvec, found.qterms, self.retriever.search(found.qvec, found.qterms, k, [doc]),
                              self.retriever.sentences(found.qvec, SENTENCE_K, [doc]), 0.0)
        else:
            found = self.retrieve(resolved, [doc], k)
        decision = self.decide(found)
        if decision.abstain or not decision.sentences:
            return None
        # Antecedents quoted for context share their sentence's score: prefer the sentence itself.
        return max(decision.sentences, key=lambda s: (s.score, s.row)).row

    # -- internals ----------------------------------------------------------
    def _structured(self, question: str, resolved: str, doc_filter: Sequence[str],
                    passages: list[Passage], found: Retrieved) -> Answer | None:
        """An overview/list/recommendation/comparison answer, or None to answer as a factoid."""
        plan = self.structured.plan(resolved, doc_filter)
        if plan is None:
            return None
        comp: Composition | None = self.structured.compose(plan, lambda q, doc: self.best_sentence(q, doc, found))
        if comp is None:
            return None
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        segments: list[Segment] = []
        for piece in comp.pieces:
            if piece.row is None:
                segments.append(Segment("text", piece.text))
                continue
            if piece.row not in numbers:
                numbers[piece.row] = len(numbers) + 1
                citations.append(self._citation(numbers[piece.row], piece.row))
            n = numbers[piece.row]
            if piece.quoted:
                segments.append(Segment("text", "“"))
            segments.append(Segment("quote", " ".join(self.data.sentences[piece.row].text.split()), n))
            segments.append(Segment("text", f"” [{n}]" if piece.quoted else f" [{n}]"))
        merged: list[Segment] = []
        for seg in segments:  # neighbouring connective runs read as one
            if merged and seg.kind == "text" and merged[-1].kind == "text":
                merged[-1] = Segment("text", merged[-1].text + seg.text)
            else:
                merged.append(seg)
        return Answer(question=question, text="".join(s.text for s in merged), abstained=False,
                      citations=citations, passages=passages, intent=plan.intent.kind,
                      read_as=comp.read_as or plan.read_as,
                      segments=merged)

    def _sentence_terms(self, row: int) -> frozenset[str]:
        cached = self._terms.get(row)
        if cached is None:
            sent = self.data.sentences[row]
            cached = sentence_terms_of(" ".join([*sent.section[-1:], sent.text]))
            with self._terms_lock:
                self._terms[row] = cached
        return cached

    def _context_terms(self, scored: Scored) -> frozenset[str]:
        """Terms of the chosen sentence's chunk, section path and document title."""
        sent = self.data.sentences[scored.row]
        chunk = self.data.chunks[sent.chunk] if sent.chunk >= 0 else None
        a, b = chunk.sentences if chunk else (scored.row, scored.row + 1)
        out: set[str] = set()
        for r in range(a, b):
            out |= self._sentence_terms(r)
        doc = self.data.documents[sent.doc]
        out |= sentence_terms_of(" ".join([doc.title, *sent.section]))
        return frozenset(out)

    def _passage(self, hit: Hit) -> Passage:
        c = self.data.chunks[hit.row]
        doc = self.data.documents[c.doc]
        return Passage(doc=c.doc, title=doc.title, section=" › ".join(c.section), start=c.start,
                       end=c.end, score=round(float(hit.score), 6), text=c.text, chunk=hit.row)

    def _citation(self, n: int, row: int) -> Citation:
        """A citation for one sentence, verified against the document text."""
        sent = self.data.sentences[row]
        doc = self.data.documents[sent.doc]
        if doc.text[sent.start:sent.end] != sent.text:
            raise CitationError(f"citation {n} does not match {sent.doc}[{sent.start}:{sent.end}]")
        # A sentence outside every chunk is its own passage.
        passage = self.data.chunks[sent.chunk] if sent.chunk >= 0 else sent
        return Citation(n=n, doc=sent.doc, title=doc.title, section=" › ".join(sent.section),
                        start=sent.start, end=sent.end, text=sent.text, doc_sha256=doc.sha256,
                        passage_start=passage.start, passage_end=passage.end, role=sent.role)

    def _compose(self, question: str, chosen: Sequence[Scored], passages: list[Passage]) -> Answer:
        rows = sorted({s.row for s in chosen}, key=lambda r: (self._doc_order(r), r))
        citations: list[Citation] = []
        parts: list[str] = []
        for n, row in enumerate(rows, start=1):
            citations.append(self._citation(n, row))
            parts.append(f"{' '.join(self.data.sentences[row].text.split())} [{n}]")
        return Answer(question=question, text=" ".join(parts), abstained=False, citations=citations,
                      passages=passages)

    def _compose_closest(self, question: str, row: int, passages: list[Passage]) -> Answer:
        """A false premise: abstain, and show the sentence that matched the question most
        closely as what the documents do say, cited like any quote."""
        quote = " ".join(self.data.sentences[row].text.split())
        return Answer(question=question, text=f"{CLOSEST_LEAD} {quote} [1]", abstained=True,
                      citations=[self._citation(1, row)], passages=passages)

    def _catalog_facts(self, question: str, doc_filter: Sequence[str]) -> list[MetaFact]:
        """Facts about a document itself, when the question asks for one and names a source."""
        if asked_field(question) is None:
            return []
        lowered = question.lower()
        named = [d for d, aliases in self._aliases.items() if any(a in lowered for a in aliases)]
        generic = any(w in lexical.words(question) for w in GENERIC_SOURCE_WORDS.split())
        if not named and not generic:
            return []
        targets = [d for d in (named or doc_filter or list(self.data.documents)) if not doc_filter or d in doc_filter]
        return find_facts(question, self.data.documents, self.data.sentences, targets)

    def _compose_facts(self, question: str, facts: list[MetaFact], passages: list[Passage]) -> Answer:
        rows = self._sentence_rows
        parts: list[str] = []
        citations: list[Citation] = []
        for fact in facts:
            line = describe(fact, self.data.documents)
            row = rows.get((fact.doc, fact.span[0])) if fact.span else None
            if row is not None:
                citations.append(self._citation(len(citations) + 1, row))
                line += f" [{len(citations)}]"
            parts.append(line)
        return Answer(question=question, text=" ".join(parts), abstained=False, citations=citations,
                      passages=passages)

    def _doc_order(self, row: int) -> int:
        return list(self.data.documents).index(self.data.sentences[row].doc)
