"""Check every sentence of a generated answer against the passages it cites.

The model sees the retrieved passages numbered [1]..[k] and must cite them as
[n]. After generation the answer is split into sentences (pysbd, plus line
breaks for lists) and each sentence is checked against the passages it cites:

* citation numbers outside 1..k are dropped (and reported);
* lexical support: the IDF-weighted share of the sentence's content terms
  (stemmed, stop words removed: the BM25 tokenizer) that occur in the cited
  passages, their document title or their section path;
* embedding support: the highest MiniLM cosine between the sentence and any
  sentence of the cited passages, or the cited passage as a whole;
* numbers: every number written in digits must occur in a cited passage.

A sentence is supported when all three hold: lexical >= MIN_LEXICAL,
dense >= MIN_DENSE and no foreign number. A sentence with no citation of its
own is checked against the citations of the next cited sentence of the same
paragraph ("X. Y [2]." cites once for both); with none to borrow it is
unsupported by definition. A sentence without any content term ("No.",
"Yes.") makes no checkable claim; it stands or falls with its neighbours.

The thresholds come from `python tools/calibrate_grounding.py`: gold answers
(human paraphrases of the evidence, a stand-in for a model's answer) checked
against the passage holding their evidence are the positives; the same
answers checked against the strongest *other* retrieved passage that lacks
the evidence (topical but wrong citations) are the negatives. See README,
"LLM backend (optional)" for the numbers.

A supported sentence keeps its citations in the final text, written the way
the extractive answerer writes them ("Sentence. [2]"); `Citation.n` is the
passage number the model saw, so `Answer.passages[n - 1]` is the cited
passage. Each citation quotes the sentences of that passage which best
support the answer (a contiguous span of the document, checked against the
stored document text), not the whole passage.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ingest.index import IndexData
from ingest.lexical import terms

from .answer import Citation, Passage
from .citations import Citer
from .reply_text import (
    DISCOURSE,
    check_text,
    claim_terms,
    has_claim,
    numbers_in,
    parse_markers,
    remove_markers,
    split_answer,
    strip_reasoning,
)

__all__ = ["DISCOURSE", "check_text", "claim_terms", "has_claim", "numbers_in", "parse_markers", "remove_markers",
           "split_answer", "strip_reasoning", "Evidence", "Checked", "SentenceCheck", "Support", "Thresholds",
           "check_answer", "score_sentence", "verdict"]

# Calibrated on the dev split of eval/gold.jsonl (tools/calibrate_grounding.py).
MIN_LEXICAL = 0.5
MIN_DENSE = 0.35
# MiniLM similarity of a two-word fragment ("Since 2014.") to the full source
# sentence is low even when the fragment is copied from it; fragments with at
# most SHORT_TERMS content terms need only MIN_DENSE_SHORT (the lexical and
# number checks still apply in full).
SHORT_TERMS = 3
MIN_DENSE_SHORT = 0.2
# A further passage sentence joins a citation's quote when it adds this much
# IDF-weighted coverage of the answer sentence's terms.
EXTRA_COVERAGE = 0.15
MAX_QUOTE_SENTENCES = 3


@dataclass(frozen=True)
class Thresholds:
    min_lexical: float = MIN_LEXICAL
    min_dense: float = MIN_DENSE
    min_dense_short: float = MIN_DENSE_SHORT
    short_terms: int = SHORT_TERMS

    def dense_for(self, n_terms: int) -> float:
        return self.min_dense_short if n_terms <= self.short_terms else self.min_dense


THRESHOLDS = Thresholds()


@dataclass
class SentenceCheck:
    """One sentence of the generated answer and the verdict on it."""

    text: str                       # as displayed: citation markers removed
    line: int                       # which line of the answer it sits on
    cited: list[int] = field(default_factory=list)    # in-range passage numbers (1-based)
    dropped: list[int] = field(default_factory=list)  # out-of-range numbers the model wrote
    lexical: float = 0.0
    dense: float = 0.0
    foreign_numbers: list[str] = field(default_factory=list)
    content: bool = True            # has at least one content term
    supported: bool = False
    reason: str = ""
    keep: list[int] = field(default_factory=list)     # citations shown for a supported sentence
    borrowed: bool = False          # cited by the next sentence of its paragraph, not itself


@dataclass
class Checked:
    text: str
    sentences: list[SentenceCheck]
    citations: list[Citation]
    unsupported: list[str]
    dropped: list[int]

    @property
    def supported_count(self) -> int:
        return sum(1 for s in self.sentences if s.supported and s.content)

    @property
    def claim_count(self) -> int:
        return sum(1 for s in self.sentences if s.content)


# -- scoring -----------------------------------------------------------------
class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Evidence:
    """What the check needs from an index: its records, the query encoder, IDF and the citation builder."""

    data: IndexData
    encoder: Encoder
    idf: Callable[[str], float]
    citer: Citer


class Scorer:
    """Lexical and embedding support of sentences against passages of one index."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.data = evidence.data
        self.idf = evidence.idf

    def passage_terms(self, p: Passage) -> set[str]:
        out = set(terms(p.text))
        out |= set(terms(f"{p.title} {p.section}"))
        return out

    def passage_rows(self, p: Passage) -> list[int]:
        """Sentence rows of the passage's chunk that lie inside the passage span."""
        chunk = self.data.chunks[p.chunk]
        a, b = chunk.sentences
        return [r for r in range(a, b) if self.data.sentences[r].doc == p.doc
                and p.start <= self.data.sentences[r].start and self.data.sentences[r].end <= p.end]

    def lexical(self, sterms: Sequence[str], pterms: set[str]) -> float:
        uniq = set(sterms)
        total = sum(self.idf(t) for t in uniq)
        if total <= 0:
            return 0.0
        return sum(self.idf(t) for t in uniq & pterms) / total

    def dense(self, svec: np.ndarray, passages: Sequence[Passage]) -> float:
        rows = [r for p in passages for r in self.passage_rows(p)]
        best = -1.0
        if rows:
            best = float(np.max(self.data.sentence_vectors[rows] @ svec))
        chunks = [p.chunk for p in passages]
        if chunks:
            best = max(best, float(np.max(self.data.chunk_vectors[chunks] @ svec)))
        return best

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.evidence.encoder.encode(list(texts))


@dataclass(frozen=True)
class Support:
    lexical: float
    dense: float
    foreign_numbers: tuple[str, ...]
    n_terms: int


def score_sentence(scorer: Scorer, text: str, svec: np.ndarray, cited: Sequence[Passage]) -> Support:
    """Lexical, embedding and number support of one sentence by its cited passages."""
    pterms: set[str] = set()
    pnums: set[str] = set()
    for p in cited:
        pterms |= scorer.passage_terms(p)
        pnums |= numbers_in(f"{p.title} {p.section} {p.text}")
    sterms = claim_terms(text)
    nums = numbers_in(check_text(text))
    # A bare number ("1969 to 1975.") has no terms; the number check decides it.
    lex = scorer.lexical(sterms, pterms) if sterms else float(bool(nums))
    return Support(lex, scorer.dense(svec, cited), tuple(sorted(nums - pnums)), len(set(sterms)))


def verdict(s: Support, thresholds: Thresholds = THRESHOLDS) -> tuple[bool, str]:
    """Supported or not, and why not."""
    if s.foreign_numbers:
        return False, f"number(s) {', '.join(s.foreign_numbers)} not in the cited passages"
    if s.lexical < thresholds.min_lexical:
        return False, f"lexical support {s.lexical:.2f} < {thresholds.min_lexical}"
    need = thresholds.dense_for(s.n_terms)
    if s.dense < need:
        return False, f"embedding support {s.dense:.2f} < {need}"
    return True, ""


# -- the check ---------------------------------------------------------------
def check_answer(evidence: Evidence, raw: str, passages: Sequence[Passage],
                 thresholds: Thresholds = THRESHOLDS) -> Checked:
    """Split, score and rewrite a generated answer; build verified citations."""
    scorer = Scorer(evidence)
    parts = split_answer(strip_reasoning(raw))
    k = len(passages)
    checks: list[SentenceCheck] = []
    for line, text, nums in parts:
        cited = [n for n in nums if 1 <= n <= k]
        dropped = [n for n in nums if not 1 <= n <= k]
        checks.append(SentenceCheck(text=text, line=line, cited=cited, dropped=dropped,
                                    content=has_claim(text)))
    # "X. Y [2]." cites once for a run of sentences: an uncited sentence borrows the
    # citations of the next cited sentence of its paragraph, and is checked on its own.
    for i, c in enumerate(checks):
        if c.content and not c.cited and not c.dropped:
            nxt = next((d for d in checks[i + 1:] if d.line == c.line and (d.cited or d.dropped)), None)
            if nxt is not None and nxt.cited:
                c.cited, c.borrowed = list(nxt.cited), True
    claims = [c for c in checks if c.content]
    vecs = scorer.encode([check_text(c.text) for c in claims]) if claims else np.zeros((0, 1), np.float32)
    for c, vec in zip(claims, vecs):
        if not c.cited:
            c.reason = "no valid citation" if c.dropped else "no citation"
            continue
        support = score_sentence(scorer, c.text, vec, [passages[n - 1] for n in c.cited])
        c.lexical, c.dense, c.foreign_numbers = support.lexical, support.dense, list(support.foreign_numbers)
        c.supported, c.reason = verdict(support, thresholds)
        if c.supported:
            c.keep = _useful_citations(scorer, c, vec, passages, thresholds)
    # A sentence without content terms ("No.") stands or falls with its neighbours.
    for i, c in enumerate(checks):
        if not c.content:
            nxt = next((d for d in checks[i + 1:] if d.content), None)
            prev = next((d for d in reversed(checks[:i]) if d.content), None)
            near = nxt or prev
            c.supported = near is not None and near.supported
            c.reason = "" if c.supported else "no checkable claim"
    citations = _citations(evidence.citer, scorer, vecs, claims, passages)
    text = _render(checks)
    unsupported = [c.text for c in checks if not c.supported and c.content]
    dropped = sorted({n for c in checks for n in c.dropped})
    return Checked(text=text, sentences=checks, citations=citations, unsupported=unsupported, dropped=dropped)


def _useful_citations(scorer: Scorer, c: SentenceCheck, vec: np.ndarray, passages: Sequence[Passage],
                      thresholds: Thresholds) -> list[int]:
    """Of the passages a supported sentence cites, those that carry part of its support.

    "X and Y [1][4]" where [4] is about something else keeps only [1]: a
    passage stays if, on its own, it holds half the lexical threshold or
    passes the embedding threshold.
    """
    if len(c.cited) == 1:
        return list(c.cited)
    sterms = claim_terms(c.text)
    keep = []
    for n in c.cited:
        p = passages[n - 1]
        lex = scorer.lexical(sterms, scorer.passage_terms(p))
        if lex >= thresholds.min_lexical / 2 or scorer.dense(vec, [p]) >= thresholds.dense_for(len(set(sterms))):
            keep.append(n)
    return keep or list(c.cited)


def _quote_rows(scorer: Scorer, p: Passage, sterms: list[str], vec: np.ndarray) -> list[int]:
    """The passage sentences that best support one answer sentence (greedy coverage)."""
    rows = scorer.passage_rows(p)
    if not rows:
        return []
    sents = scorer.data.sentences
    row_terms = {r: set(terms(sents[r].text)) for r in rows}
    dense = scorer.data.sentence_vectors[rows] @ vec
    uniq = set(sterms)
    total = sum(scorer.idf(t) for t in uniq) or 1.0

    def gain(covered: set[str], r: int) -> float:
        return sum(scorer.idf(t) for t in (uniq & row_terms[r]) - covered) / total

    first = max(range(len(rows)), key=lambda i: (float(dense[i]) + gain(set(), rows[i]), -i))
    chosen = [rows[first]]
    covered = uniq & row_terms[rows[first]]
    while len(chosen) < MAX_QUOTE_SENTENCES:
        best = max((r for r in rows if r not in chosen), key=lambda r: (gain(covered, r), -r), default=None)
        if best is None or gain(covered, best) < EXTRA_COVERAGE:
            break
        chosen.append(best)
        covered |= uniq & row_terms[best]
    return chosen


def _citations(citer: Citer, scorer: Scorer, vecs: np.ndarray, claims: list[SentenceCheck],
               passages: Sequence[Passage]) -> list[Citation]:
    """Per cited passage, the span of its sentences that support the answer's sentences citing it."""
    spans: dict[int, tuple[int, int]] = {}
    for c, vec in zip(claims, vecs):
        if not c.supported:
            continue
        sterms = claim_terms(c.text)
        for n in c.keep:
            p = passages[n - 1]
            rows = _quote_rows(scorer, p, sterms, vec)
            if rows:
                s = min(scorer.data.sentences[r].start for r in rows)
                e = max(scorer.data.sentences[r].end for r in rows)
            else:
                s, e = p.start, p.end
            old = spans.get(n)
            spans[n] = (min(s, old[0]), max(e, old[1])) if old else (s, e)
    return [citer.span(n, passages[n - 1], *spans[n]) for n in sorted(spans)]


def _render(checks: list[SentenceCheck]) -> str:
    lines: dict[int, list[str]] = {}
    for c in checks:
        piece = c.text
        if c.supported and c.content and c.keep:
            piece = f"{piece} " + "".join(f"[{n}]" for n in c.keep)
        lines.setdefault(c.line, []).append(piece)
    return "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))
