"""The Assistant: open an index once, answer many questions from many threads.

A question's path (assistant/answerers.py drives it for every front end):

    Assistant.parse      raw input -> Question, validated once (assistant/question.py)
    Assistant.retrieve   Question -> Retrieved: chunks (hybrid) and sentences (dense) (assistant/retrieval.py)
    Assistant.answer     Retrieved -> Answer: a structured plan, a catalog fact, or
    Assistant.decide       the sentence(s) to quote, chosen here and only here (assistant/extractive.py)
    Composer             writes the answer around them (assistant/compose.py); every citation is
                         built by citations.Citer.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest import embedder, lexical
from ingest.config import Settings, load_settings
from ingest.errors import IndexCorruptError
from ingest.index import IndexData, open_index

from . import pointers, topics
from .acronyms import names_the_acronym
from .afterwards import after_written, written_by
from .answer import Answer, Passage
from .causes import causes_first
from .citations import Citer
from .compose import (
    ABSTAIN_TEXT,
    CLOSEST_LEAD,
    GENERIC_SOURCE_WORDS,
    Composer,
    source_aliases,
    source_words,
    unsaid_author_terms,
)
from .definition import content_terms
from .errors import InvalidQuestion
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
from .followup import own_extras, own_words_first
from .frames import frame_terms
from .grounding import Evidence
from .overview import StructuredAnswerer
from .passing import named_once
from .question import MAX_HISTORY_TURNS, Question, clean_question, parse_question, short
from .results import announced_first
from .retrieval import Hit, HybridRetriever, with_fixes
from .scope import DocumentWords
from .selection import with_learned_abstention
from .selector import LearnedSelector
from .selector_text import context_title
from .truecase import IndexTruecaser

_SOURCE_NOUNS = frozenset("study studies report reports brief briefs article articles document documents paper papers "
                          "summary summaries piece pieces column columns essay essays text texts".split())
_QUESTION_WORDS = frozenset("what which who whom whose when where why how does do did is are was were".split())

__all__ = ["ABSTAIN_TEXT", "CLOSEST_LEAD", "MAX_HISTORY_TURNS", "Assistant", "Retrieved", "clean_question", "source_aliases"]

SENTENCE_K = 8


@dataclass
class Retrieved:
    """One question's retrieval: the ranking eval scores and the candidates the answer is chosen from."""

    query: str          # the retrieval text, spelling-corrected
    qvec: np.ndarray
    qterms: list[str]
    hits: list[Hit]     # chunks, best first
    sentence_rows: list[int]
    embed_ms: float
    asked: str = ""     # what the user asked, without a follow-up's topic (names the documents must know)


class Assistant:
    def __init__(self, index_dir: Path, settings: Settings | None = None, weights: Weights = WEIGHTS,
                 fusion: str = "rrf") -> None:
        self.settings = settings or load_settings(index_dir=index_dir)
        self.index_dir = Path(index_dir)
        data, retriever = self._open_milvus(fusion) if self.settings.index.store == "milvus" else self._open_faiss(fusion)
        self.data: IndexData = data
        self.weights = weights
        # The learned selector; "heuristic" keeps the hand-weighted score it replaced (eval's baseline).
        self.selector = LearnedSelector() if self.settings.answer.selector == "learned" else None
        self._titles = {d: context_title(doc.title, doc.meta) for d, doc in data.documents.items()}
        self.retriever = retriever
        self._terms: dict[int, frozenset[str]] = {}
        meta_words = [GENERIC_SOURCE_WORDS, *(str(doc.meta.get(key, "")) for doc in data.documents.values()
                                              for key in ("publisher", "kind"))]
        self._meta_terms = frozenset(lexical.terms(" ".join(meta_words))) | unsaid_author_terms(
            data.documents.values(), data.sentences)
        self._aliases = {doc.id: source_aliases(doc) for doc in data.documents.values()}
        self._source_words = source_words(data.documents.values())
        self._newest = written_by(doc.meta.get("published") for doc in data.documents.values())  # afterwards.py
        self._doc_words = DocumentWords(data, [*self._source_words, *(a for al in self._aliases.values() for a in al)])
        self._terms_lock = threading.Lock()
        self._truecase = IndexTruecaser(data)
        self.citer = Citer(data)
        self.composer = Composer(data, self.citer, self._aliases)
        # What grounding (the LLM answer's check) needs from this index, and nothing more.
        self.evidence = Evidence(data, self.encoder, self.retriever.idf, self.citer)
        # Overview, list, recommendation and comparison questions.
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

    def check_docs(self, docs: object) -> list[str]:
        if docs is None:
            return []
        if isinstance(docs, str):
            docs = [docs]
        if not isinstance(docs, (list, tuple)) or not all(isinstance(d, str) for d in docs):
            raise InvalidQuestion("the document filter must be a list of document ids")
        unknown = [d for d in docs if d not in self.data.documents]
        if unknown:
            known = ", ".join(sorted(self.data.documents))
            shown = ", ".join(short(d) for d in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            raise InvalidQuestion(f"unknown document id(s): {shown}. Known ids: {known}")
        return list(dict.fromkeys(docs))

    def parse(self, question: object, history: object = (), docs: object = None) -> Question:
        """Raw input -> a validated Question (InvalidQuestion otherwise): the one place input is checked."""
        q = self._parse(question, history, docs)
        return pointers.resolve(q, lambda text, earlier: self.answer(self._parse(text, earlier, list(q.docs) or None)),
                                self.data.sentences)

    def _parse(self, question: object, history: object, docs: object) -> Question:  # without pointers.resolve
        return parse_question(question, history, docs, limit=self.settings.answer.max_question_chars,
                              check_docs=self.check_docs, source=self.structured.source_phrase, case=self._truecase)

    def ask(self, question: object, history: object = (), docs: object = None, top_k: int | None = None) -> Answer:
        """Parse and answer in one call: the extractive answer to raw input."""
        t0 = time.perf_counter()
        q = self.parse(question, history, docs)
        return self.answer(q, top_k=top_k, started=t0)

    def answer(self, question: Question, found: Retrieved | None = None, top_k: int | None = None,
               started: float | None = None) -> Answer:
        """The extractive answer to a parsed question. `found`: its retrieval, when the caller already has it
        (eval scores the ranking and the answer of one retrieval); `Answer.retrieved` holds it either way."""
        t0 = time.perf_counter() if started is None else started
        k = top_k or self.settings.retrieval.top_k
        t1 = time.perf_counter()
        if found is None:
            found = self.retrieve(question, k=max(self.settings.retrieval.retrieve_k, k))
        t3 = time.perf_counter()
        passages = self.passages(found, k)
        resolved = question.retrieval_text
        facts = self.composer.catalog_facts(resolved, question.docs)
        structured = self._structured(question, passages, found)
        if structured is not None:
            answer = structured
        elif facts:
            answer = self.composer.facts(question.text, facts, passages)
        else:  # the factoid path: only here is a sentence chosen (and the selector run)
            pair = topics.compared(question.body, lambda t: self.structured.source_phrase(t) is not None, question.topic)
            decision = pair and topics.side_by_side(pair, lambda q: self.decide(self.retrieve(q, question.doc_filter)),
                                                    lambda row, t: topics.names(self.data.sentences[row], t))
            decision = decision or self.decide(found)
            if decision.abstain and decision.closest is not None:
                answer = self.composer.closest(question.text, decision.closest.row, passages)
            elif decision.abstain:
                answer = Answer(question=question.text, text=ABSTAIN_TEXT, abstained=True, passages=passages)
            else:  # quotes from other documents than the one named show what the documents do say
                silent = self._named_silence(found, decision.sentences)
                answer = self.composer.quotes(question.text, decision.sentences, passages, lead=silent)
                answer.abstained = bool(silent)
            answer.confidence = decision.confidence
            answer.abstain_reason = (decision.reason or "the named document is silent") if answer.abstained else ""
        t4 = time.perf_counter()
        answer.resolved_question = resolved
        answer.index_build = self.data.build_id
        answer.retrieved = found
        answer.timings = {"prepare_ms": (t1 - t0) * 1e3, "embed_ms": found.embed_ms,
                          "retrieve_ms": (t3 - t1) * 1e3 - found.embed_ms, "answer_ms": (t4 - t3) * 1e3,
                          "total_ms": (t4 - t0) * 1e3}
        return answer

    def retrieve(self, question: Question | str, docs: Sequence[str] | None = None, k: int | None = None) -> Retrieved:
        """Embed once, then fetch chunks (hybrid) and sentences (dense) for the answerer. A Question brings
        its own document filter; a plain string is taken as the whole retrieval text."""
        k = k or self.settings.retrieval.retrieve_k
        resolved, docs = (question.retrieval_text, question.doc_filter) if isinstance(question, Question) else (question, docs)
        fixed = self.retriever.corrections(resolved)
        query = with_fixes(resolved, fixed)
        # A misspelt word's term is unknown to the corpus: scored, it would only count as a term no sentence holds.
        typos = set(lexical.terms(" ".join(typo for typo, _ in fixed)))
        all_terms = [t for t in lexical.terms(query) if t not in typos]
        # "the RAND brief", "the op-ed's author": words naming the source, not the answer.
        meta = self._meta_terms - self._compound_terms(resolved)
        frame = frame_terms(resolved)
        qterms = content_terms(resolved, [t for t in all_terms if t not in meta and t not in frame] or all_terms)
        t = time.perf_counter()
        qvec = self.encoder.encode([query])[0]
        embed_ms = (time.perf_counter() - t) * 1e3
        hits = self.retriever.search(qvec, qterms, k, docs)
        extra = self.retriever.sentences(qvec, SENTENCE_K, docs)
        # A follow-up's topic names what was asked before; the spelling fixes `correct` appends go with it.
        asked = question.text if isinstance(question, Question) and question.topic else query
        return Retrieved(query, qvec, qterms, hits, extra, embed_ms, asked)

    def passages(self, found: Retrieved, k: int) -> list[Passage]:
        """The top `k` retrieved chunks as passages (the answer shows top_k; eval ranks deeper)."""
        out = []
        for hit in found.hits[:k]:
            c = self.data.chunks[hit.row]
            out.append(Passage(doc=c.doc, title=self.data.documents[c.doc].title, section=" › ".join(c.section),
                               start=c.start, end=c.end, score=round(float(hit.score), 6), text=c.text, chunk=hit.row))
        return out

    def candidates(self, found: Retrieved, weights: Weights | None = None) -> list[Scored]:
        """Candidate answer sentences, best heuristic score first: the sentences of the top
        chunks plus the nearest sentences. The learned selector re-scores the head of this list,
        and its training data is drawn from this same function, so both see one distribution."""
        return score_sentences(found.qvec, found.qterms, self.retriever.idf, found.hits, self.data.chunks,
                               self.data.sentences, self.data.sentence_vectors, self._sentence_terms,
                               weights or self.weights, extra_rows=found.sentence_rows)

    def decide(self, found: Retrieved, weights: Weights | None = None) -> Decision:
        """Which sentence(s) answer, or why none does: the one place a sentence is chosen."""
        w, asked = weights or self.weights, found.asked or found.query

        def text_of(row: int) -> str:
            return self.data.sentences[row].text

        def section_of(row: int) -> str:
            return " ".join(self.data.sentences[row].section)

        # causes_first re-sorts by score, so it goes before the moves that only reorder (the named document's first)
        scored = self._named_first(found, causes_first(found.query, self.candidates(found, w), text_of), w)
        scored = own_words_first(asked, found.query, scored, text_of)
        scored = announced_first(found.query, scored, text_of)
        mentions = sum(1 for aliases in self._aliases.values() if any(a in found.query.lower() for a in aliases))
        per_doc = len(self.data.documents) > 1 and wants_each_source(found.query, mentions)
        decision = decide(found.query, scored, self.data.sentences, self._context_terms, found.qterms,
                          self.retriever.idf, w, known_word=self.retriever.known_word, per_doc=per_doc,
                          asked=asked, sources=self._source_words, says=self.retriever.says)
        decision = names_the_acronym(decision, self.retriever.spelled_out(asked), self.retriever.in_passing, text_of,
                                     asked, section_of)
        decision = after_written(asked, decision, self._newest)
        if self.selector is not None:
            decision = with_learned_abstention(decision, found.query, scored, self.data.sentences, self._titles,
                                               self.selector, named_once(asked, self.retriever.sentences_saying,
                                                                         self._source_words))
        return own_extras(asked, found.query, decision, text_of)

    def best_sentence(self, resolved: str, doc: str, found: Retrieved | None = None) -> int | None:
        """The sentence row the factoid path would quote first for this question within one document,
        or None when it would abstain there (the document is silent). Comparison answers use it, so
        each document's position is chosen by the same selector as factoid answers.

        `found`: this question's retrieval over all documents, whose query vector is reused (one
        embedding per question, not one per document)."""
        k = self.settings.retrieval.retrieve_k
        if found is not None and found.query == self.retriever.correct(resolved):
            found = Retrieved(found.query, found.qvec, found.qterms, self.retriever.search(found.qvec, found.qterms, k, [doc]),
                              self.retriever.sentences(found.qvec, SENTENCE_K, [doc]), 0.0, found.asked)
        else:
            found = self.retrieve(resolved, [doc], k)
        decision = self.decide(found)
        if decision.abstain or not decision.sentences:
            return None
        # Antecedents quoted for context share their sentence's score: prefer the sentence itself.
        return max(decision.sentences, key=lambda s: (s.score, s.row)).row

    # -- internals ----------------------------------------------------------
    def _compound_terms(self, text: str) -> frozenset[str]:
        """Source words that are part of a compound noun in the text ("case studies", "policy report"): there
        they name the subject, not the document, and stay among the query terms."""
        tokens = lexical.words(text)
        kept = [w for prev, w in zip(tokens, tokens[1:])
                if w in _SOURCE_NOUNS and prev not in lexical.stopwords() and prev not in _QUESTION_WORDS
                and not set(lexical.terms(prev)) & self._meta_terms]
        return frozenset(lexical.terms(" ".join(kept)))

    def _named_doc(self, found: Retrieved) -> str | None:
        """The one document the question names, if it names exactly one of several."""
        named = self.structured.named_docs(found.asked or found.query) if len(self.data.documents) > 1 else []
        return named[0] if len(named) == 1 else None

    def _named_silence(self, found: Retrieved, chosen: Sequence[Scored]) -> str:
        """"The RAND brief does not address this. The closest passage, from the op-ed:": an abstention's lead when
        the question names one document and none of its sentences could answer (`_named_first`; typed batches: 16 of 17)."""
        named = self._named_doc(found)
        docs = {self.data.sentences[s.row].doc for s in chosen}
        if named is None or not docs or named in docs:
            return ""
        others = " and ".join(self.structured.names[d].name for d in sorted(docs))
        name = self.structured.names[named].name
        return f"{name[:1].upper()}{name[1:]} does not address this. The closest passage{'s' * (len(chosen) > 1)}, from {others}:"

    def _named_first(self, found: Retrieved, scored: list[Scored], w: Weights) -> list[Scored]:
        """Candidates from the one document a question names first ("What does the op-ed say about
        incentives?" is answered from the op-ed, even where another document scores higher), when one of
        them is strong enough to answer at all; otherwise the order stands, so a named document that says
        nothing on the point does not turn a related answer into an abstention.

        Retrieval is not filtered to the named document: rank fusion over fewer documents reorders the
        passages shown (measured on dev: one overview item's evidence fell out of the top 5)."""
        named = self._named_doc(found)
        if named is None:
            return scored
        first = [s for s in scored if self.data.sentences[s.row].doc == named]
        lead = "" if not first or scored[0] is first[0] else self.data.sentences[scored[0].row].text  # another's best
        if first and self._doc_words.unsaid(found.asked or found.query, named, lead):  # scope.py: China, of the op-ed
            return [s for s in scored if s not in first] or scored
        if not first or first[0].score < w.min_combined or first[0] is scored[0]:
            return scored
        return first + [s for s in scored if s not in first]

    def _structured(self, question: Question, passages: list[Passage], found: Retrieved) -> Answer | None:
        """An overview/list/recommendation/comparison answer, or None to answer as a factoid."""
        if pointers.example_pointed(question):  # "give an example" resolved to the example the text gives
            return None
        plan = self.structured.plan(question.retrieval_text, question.docs, body=question.body)
        if plan is None:
            return None
        # A comparison's topic is embedded once for all its documents, not once per document.
        topic_found: dict[str, Retrieved] = {}

        def best(q: str, doc: str) -> int | None:
            if q not in topic_found:
                same = self.retriever.correct(q) == found.query
                topic_found[q] = found if same else self.retrieve(q, question.doc_filter)
            return self.best_sentence(q, doc, topic_found[q])

        comp = self.structured.compose(plan, best)
        if comp is None:
            return None
        return self.composer.structured(question.text, plan, comp, passages)

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
