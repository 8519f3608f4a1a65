"""Hybrid retrieval: FAISS (dense) and BM25 (lexical), fused.

Fusion is reciprocal rank fusion by default. `python -m eval run --baselines`
measures the alternatives in the same run: on dev, hybrid hit@5 0.92 against
BM25 alone 0.81 and dense alone 0.76 (on test BM25 alone is level with it,
not significantly). Queries with typos are repaired against the corpus
vocabulary before BM25 sees them.
"""
from __future__ import annotations

import difflib
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.embedder import english_words
from ingest.index import IndexData, TermStats
from ingest.lexical import fold, stopwords, terms, words
from ingest.roles import furniture_chunks

from .acronyms import ACRONYM, asked_acronyms, expansions
from .idioms import plain_words
from .name_variants import TYPO_CUTOFF, government_of, variants
from .years import full_decades

_RUNNING_TEXT = frozenset({"body", "list_item"})  # roles written in sentence case: where acronyms are spelled out
NOT_SAID = frozenset({"credit", "boilerplate", "caption"})  # roles whose words are not the documents' vocabulary
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")  # a word as the text writes a name

RRF_K = 60
FUSIONS = ("rrf", "dense", "bm25")


def id_filter(allowed: np.ndarray) -> Any:
    """FAISS search parameters that admit only the rows in `allowed` (filtering inside the search).

    The selector is kept in `referenced_objects` (faiss's own convention), so it lives as long as the
    parameters do: SWIG does not keep it alive through the `sel` pointer alone."""
    import faiss

    params = faiss.SearchParameters()
    selector = faiss.IDSelectorBatch(allowed)
    params.sel = selector
    setattr(params, "referenced_objects", [selector])  # noqa: B010 - a SWIG proxy's attribute
    return params


# Letters that no accent-stripping turns into plain ones.
_OWN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i",
                              "þ": "th"})


def plain(text: str) -> str:
    """Lower case without accents, and with "ł", "ø", "ß" … as the plain letters a user types."""
    return fold(text) if text.isascii() else fold(text).translate(_OWN_LETTERS)


@dataclass(frozen=True)
class Hit:
    row: int
    score: float
    dense: float
    lexical: float


def derives(word: str, vocabulary: Iterable[str]) -> bool:
    """Whether a word of at least five letters is a close derivation of one in `vocabulary`: the same first
    len-2 letters, at least four, and the word's letters past the stem the two share an ending
    ("America"/"American", "Asian"/"Asia", "Chinese"/"China", "Afghan"/"Afghanistan"), or it is that word
    misspelt. "Trump" shares "Trum" with "Truman", but "p" is no ending, nor is it a typo: a different name."""
    if len(word) < 5:
        return False
    stem = word[: max(4, len(word) - 2)]
    return any(v.startswith(stem) and (word[len(os.path.commonprefix((word, v))):] in _ENDINGS
                                       or difflib.SequenceMatcher(None, word, v).ratio() >= _TYPO_RATIO)
               for v in vocabulary)


# Or the word is that one misspelt ("Frensh", "Forth" for "Fort"); "Trump" is 0.73 of "Truman".
_TYPO_RATIO = 0.8
# What a derivation adds to a shared stem: plurals, peoples and adjectives of places, common suffixes.
_ENDINGS = frozenset("""s es n ns an ans ian ians ese ish i is ic ics al als e ed er ers ing ings ism ist ists on ons
y ies ity ly ment ments d r rs ite ites a""".split()) | {""}


def with_fixes(question: str, fixes: Sequence[tuple[str, str]]) -> str:
    """The question with the corpus words of its `corrections` appended: what is embedded and searched."""
    return f"{question} {' '.join(fix for _, fix in fixes)}" if fixes else question


class HybridRetriever:
    def __init__(self, data: IndexData, terms: TermStats, faiss_index: Any, bm25: Any, fusion: str = "rrf",
                 sentence_index: Any = None) -> None:
        import faiss

        faiss.omp_set_num_threads(1)  # per-query work is tiny; thread start-up would dominate
        self.data = data
        self.faiss = faiss_index
        self.sentence_faiss = sentence_index
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i, sent in enumerate(data.sentences):
            by_doc[sent.doc].append(i)
        self.sentence_rows_of = {d: np.asarray(r, dtype=np.int64) for d, r in by_doc.items()}
        self.bm25 = bm25
        if fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {fusion!r}; choose one of {', '.join(FUSIONS)}")
        self.fusion = fusion
        self.n = len(data.chunks)
        rows: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(data.chunks):
            rows[c.doc].append(i)
        self.doc_rows = {d: np.asarray(r, dtype=np.int64) for d, r in rows.items()}
        # Chunks of captions, credits and boilerplate only: never a hit, so never a passage.
        self.furniture = furniture_chunks(data.chunks, data.sentences)
        self.terms = terms
        self._vocab_words: dict[str, list[str]] | None = None
        self._all_words: frozenset[str] = frozenset()
        self._cased: frozenset[str] = frozenset()  # words the text writes capitalised somewhere
        self._acronyms: dict[str, str] = {}
        self._spelled_count: dict[str, int] = {}  # spelling out -> sentences that use it
        self._sentence_count: Counter[str] = Counter()  # word -> sentences (and headings) that say it
        self._vocab_lock = threading.Lock()
        self._phrases: dict[str, bool] = {}

    # -- lexical helpers -------------------------------------------------
    def idf(self, term: str) -> float:
        return self.terms.idf(term)

    def known(self, term: str) -> bool:
        return self.terms.known(term)

    def _words_by_initial(self) -> dict[str, list[str]]:
        with self._vocab_lock:
            if self._vocab_words is None:
                # Words of every sentence and heading except captions, credits and boilerplate: a year or
                # name that only a citation block ("As of October 5, 2024"), a photo credit or a caption
                # ("… Winston Churchill") carries is not something the documents say, and those sentences
                # are never quoted: "What role did Churchill play?" has no answer to give.
                seen: set[str] = set()
                cased: set[str] = set()
                for text in self._said():
                    said = set(words(text))
                    seen.update(said)
                    self._sentence_count.update(said)
                for sent in self.data.sentences:
                    if sent.role in _RUNNING_TEXT:  # sentence case: a capital past the first word marks a name
                        cased.update(words(" ".join(_CAPITALISED.findall(sent.text, 1))))
                for d in self.data.documents.values():
                    seen.update(words(d.title))
                    # Catalog facts count as things the corpus mentions ("Seattle Times", authors).
                    seen.update(words(" ".join(str(v) for v in d.meta.values())))
                self._all_words = frozenset(seen)
                self._cased = frozenset(cased)
                self._acronyms = expansions(s.text for s in self.data.sentences if s.role in _RUNNING_TEXT)
                spelled = {e.lower() for e in self._acronyms.values()}
                self._spelled_count = dict.fromkeys(spelled, 0)
                for text in self._said():
                    low = text.lower()
                    for e in spelled:
                        self._spelled_count[e] += e in low
                buckets: dict[str, list[str]] = defaultdict(list)
                for w in sorted(seen):
                    if len(w) >= 4 and not w.isdigit():
                        buckets[w[0]].append(w)
                self._vocab_words = dict(buckets)
            return self._vocab_words

    def known_word(self, word: str) -> bool:
        """Whether a word (any case, any accents) occurs anywhere in the corpus."""
        folded = words(word)
        buckets = self._words_by_initial()
        # A compound ("Washington-Moscow-Beijing") is known when any part is; a word
        # is known when the corpus has it or a close derivation ("America"/"American",
        # "Asian"/"Asia"): the same first len-2 letters, at least four. A name derives only
        # from a word the text also capitalises: "Geneva" is not "general".
        name = word[:1].isupper()
        if any(
            w in self._all_words
            or derives(w, (c for c in buckets.get(w[0], ()) if not name or c in self._cased))
            for w in folded
        ):
            return True
        # A misspelt name ("Breznev's" for "Brezhnev"): as close to a name the text writes as the spelling
        # corrector asks of a fix. Names only, so "Geneva" stays unknown beside the lower-case "general".
        if name and any(len(w) >= 6 and difflib.get_close_matches(w, [c for c in buckets.get(w[0], ()) if c in self._cased],
                                                                  n=1, cutoff=TYPO_CUTOFF) for w in folded):
            return True
        # "INF" where the corpus spells out "Intermediate Nuclear Forces".
        if ACRONYM.fullmatch(word.strip()) and word.strip().lower() in self._acronyms:
            return True
        # "USSR" where the corpus says "Soviet Union", "Poland" where it says "Polish"; "the Kremlin" where it
        # says "Russia".
        government = government_of(word)
        return any(self._says(v) for v in variants(word)) or (government is not None and self._says(government))

    def spelled_out(self, question: str) -> dict[str, str]:
        """The question's acronyms that the text never uses but spells out, with their spelling out."""
        self._words_by_initial()
        return {a: self._acronyms[a.lower()] for a in asked_acronyms(question)
                if a.lower() not in self._all_words and a.lower() in self._acronyms}

    def sentences_saying(self, word: str) -> int:
        """How many sentences and headings say this word (any case), captions, credits and boilerplate aside."""
        self._words_by_initial()
        folded = words(word)
        return min((self._sentence_count.get(w, 0) for w in folded), default=0)

    def in_passing(self, spelled: Mapping[str, str]) -> list[str]:
        """Of `spelled` (spelled_out's result), the acronyms whose spelling out the documents use only once."""
        return [a for a, words in spelled.items() if self._spelled_count.get(words.lower(), 0) <= 1]

    def _said(self) -> Iterator[str]:
        """Texts of the sentences and headings that count as what the documents say (not captions, credits or
        boilerplate)."""
        return (s.text for s in self.data.sentences if s.role not in NOT_SAID)

    def says(self, phrase: str) -> bool:
        """Whether the documents say this lower-case word or phrase, as words (not inside another word)."""
        self._words_by_initial()
        return self._says(phrase.lower())

    def _says(self, phrase: str) -> bool:
        """Whether the documents say this lower-case word or phrase (a phrase is searched once, then cached)."""
        if " " not in phrase:
            return phrase in self._all_words
        with self._vocab_lock:
            found = self._phrases.get(phrase)
        if found is None:
            # Accents and letters of their own aside: "Boleslaw II" is said where the text writes "Bolesław II".
            pattern = re.compile(rf"(?<![\w-]){re.escape(plain(phrase))}(?![\w-])")
            found = any(pattern.search(plain(text)) for text in self._said())
            with self._vocab_lock:
                self._phrases[phrase] = found
        return found

    def correct(self, question: str) -> str:
        """Append a close corpus word for each word unknown to the corpus ("Breznev" -> "brezhnev")."""
        return with_fixes(question, self.corrections(question))

    def corrections(self, question: str) -> list[tuple[str, str]]:
        """(misspelt word, corpus word) pairs. The first is "" where nothing was misspelt: an acronym's
        spelled-out words, or a corpus word's form the corpus lacks ("Asian" for "Asia"). A seat of government
        the corpus never writes is replaced by its country ("Beijing", "china").

        The misspelt word stays in the question, since a name unknown to the corpus must still be seen
        as unknown; the caller drops its term from scoring, where it would only count as missing."""
        stop = stopwords()
        buckets = self._words_by_initial()
        # An acronym the text spells out brings its words: "the INF treaty" searches "Intermediate Nuclear Forces".
        fixes: list[tuple[str, str]] = [("", s) for s in self.spelled_out(question).values()]
        # "lose steam", "get out of": the plain words a text uses for an idiom (idioms.py).
        fixes += [("", w) for w in plain_words(question, self.known_word) + full_decades(question)]
        english = english_words()
        for w in words(question):
            if w in stop or w.isdigit():
                continue
            country = government_of(w)
            seat = country if country is not None and self.known_word(country) else None
            if self.known(terms(w)[0] if terms(w) else w):
                # A seat the documents write stands for its country too: "Why did London want an accommodation?"
                # is answered by "Britain was motivated to seek the accommodation …".
                if seat and not re.search(rf"\b{re.escape(seat)}\b", question, re.I):
                    fixes.append(("", seat))
                continue
            if seat:
                # A seat of government the documents never write stands for its country, which they do:
                # "How does Beijing factor in?" searches "china".
                fixes.append((w, seat))
                continue
            # A country the documents name only by its people's word: "the deal over Poland" searches "Polish".
            # Only from the country's name: "plain English" is not Britain, nor "the Afghan emir" Afghanistan.
            names = variants(w)
            other = next((v for v in names[1:] if " " not in v and self.known_word(v)), None) \
                if names[0] == w.casefold() and len(w) > 3 else None   # "US" is also the pronoun
            if other:
                fixes.append((w, other))
                continue
            if len(w) < 5:
                continue
            bucket = buckets.get(w[0], [])
            match = difflib.get_close_matches(w, bucket, n=1, cutoff=TYPO_CUTOFF)
            # An English word the corpus lacks is no typo ("place" is not "pace"); it may still be a form of a
            # corpus word ("Asian" for "Asia"), which shares its stem.
            if match and match[0] != w and (w not in english or match[0].startswith(w[:-1]) or w.startswith(match[0])):
                fixes.append(("" if w in english else w, match[0]))
        return fixes

    # -- search ----------------------------------------------------------
    def _allowed(self, docs: Sequence[str] | None) -> np.ndarray | None:
        if not docs:
            return None
        parts = [self.doc_rows[d] for d in docs if d in self.doc_rows]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def dense(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None and len(allowed) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        params = None
        if allowed is not None:
            params = id_filter(allowed)
            k = min(k, len(allowed))
        k = min(k, self.n)
        scores, ids = self.faiss.search(qvec.reshape(1, -1), k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def lexical(self, qterms: Sequence[str], k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        known = [t for t in qterms if t in self.bm25.vocab_dict]
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.bm25.get_scores(known)
        if allowed is not None:
            masked = np.full_like(scores, -1.0)
            masked[allowed] = scores[allowed]
            scores = masked
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] > 0]
        return top.astype(np.int64), scores[top]

    def sentences(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None = None) -> list[int]:
        """Nearest sentences by embedding: precise hits that a chunk's average can hide."""
        if self.sentence_faiss is None or self.sentence_faiss.ntotal == 0:
            return []
        params = None
        if docs:
            # Filter inside the search, as dense() does: post-filtering global hits
            # found nothing for a one-document filter over thousands of documents.
            allowed = np.concatenate([self.sentence_rows_of[d] for d in docs if d in self.sentence_rows_of]
                                     or [np.zeros(0, dtype=np.int64)])
            if len(allowed) == 0:
                return []
            params = id_filter(allowed)
            k = min(k, len(allowed))
        _, ids = self.sentence_faiss.search(qvec.reshape(1, -1), min(k, self.sentence_faiss.ntotal), params=params)
        return [int(i) for i in ids[0] if i >= 0]

    def _without_furniture(self, ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        keep = np.asarray([int(i) not in self.furniture for i in ids], dtype=bool)
        return ids[keep][:k], scores[keep][:k]

    def search(self, qvec: np.ndarray, qterms: Sequence[str], k: int, docs: Sequence[str] | None = None) -> list[Hit]:
        allowed = self._allowed(docs)
        # Furniture rows are dropped from each list before fusion, and each list is cut back to k,
        # so the fused ranks are those of a search over the other chunks alone.
        fetch = k + min(k, len(self.furniture))
        d_ids, d_scores = self._without_furniture(*self.dense(qvec, fetch, allowed), k)
        l_ids, l_scores = self._without_furniture(*self.lexical(qterms, fetch, allowed), k)
        dense = {int(i): float(s) for i, s in zip(d_ids, d_scores)}
        lex = {int(i): float(s) for i, s in zip(l_ids, l_scores)}
        fused: dict[int, float] = defaultdict(float)
        if self.fusion in ("rrf", "dense"):
            for rank, i in enumerate(d_ids):
                fused[int(i)] += 1.0 / (RRF_K + rank + 1)
        if self.fusion in ("rrf", "bm25"):
            for rank, i in enumerate(l_ids):
                fused[int(i)] += 1.0 / (RRF_K + rank + 1)
        order = sorted(fused, key=lambda i: (-fused[i], i))
        if self.fusion == "rrf":
            # Rows only one side found still need both scores for the answerer.
            missing = [i for i in order if i not in dense]
            if missing:
                vecs = self.data.chunk_vectors[missing]
                for i, s in zip(missing, vecs @ qvec):
                    dense[i] = float(s)
        return [Hit(i, fused[i], dense.get(i, 0.0), lex.get(i, 0.0)) for i in order]


