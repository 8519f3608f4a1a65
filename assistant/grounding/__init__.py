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

The scores and thresholds are in `support`; which citations a supported
sentence keeps, and what each one quotes, is in `quotes`.

A supported sentence keeps its citations in the final text, written the way
the extractive answerer writes them ("Sentence. [2]"); `Citation.n` is the
passage number the model saw, so `Answer.passages[n - 1]` is the cited
passage. Each citation quotes the sentences of that passage which best
support the answer (a contiguous span of the document, checked against the
stored document text), not the whole passage.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..answer import Citation, Passage
from ..reply_text import (
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
from .quotes import quoted_citations, useful_citations
from .support import (
    MIN_DENSE,
    MIN_DENSE_SHORT,
    MIN_LEXICAL,
    SHORT_TERMS,
    THRESHOLDS,
    Encoder,
    Evidence,
    Scorer,
    Support,
    Thresholds,
    score_sentence,
    verdict,
)

__all__ = ["DISCOURSE", "check_text", "claim_terms", "has_claim", "numbers_in", "parse_markers", "remove_markers",
           "split_answer", "strip_reasoning", "Evidence", "Checked", "SentenceCheck", "Support", "Thresholds",
           "check_answer", "score_sentence", "verdict", "MIN_DENSE", "MIN_DENSE_SHORT", "MIN_LEXICAL",
           "SHORT_TERMS", "THRESHOLDS", "Encoder", "Scorer"]


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
            c.keep = useful_citations(scorer, c, vec, passages, thresholds)
    # A sentence without content terms ("No.") stands or falls with its neighbours.
    for i, c in enumerate(checks):
        if not c.content:
            nxt = next((d for d in checks[i + 1:] if d.content), None)
            prev = next((d for d in reversed(checks[:i]) if d.content), None)
            near = nxt or prev
            c.supported = near is not None and near.supported
            c.reason = "" if c.supported else "no checkable claim"
    citations = quoted_citations(evidence.citer, scorer, vecs, claims, passages)
    text = _render(checks)
    unsupported = [c.text for c in checks if not c.supported and c.content]
    dropped = sorted({n for c in checks for n in c.dropped})
    return Checked(text=text, sentences=checks, citations=citations, unsupported=unsupported, dropped=dropped)


def _render(checks: list[SentenceCheck]) -> str:
    lines: dict[int, list[str]] = {}
    for c in checks:
        piece = c.text
        if c.supported and c.content and c.keep:
            piece = f"{piece} " + "".join(f"[{n}]" for n in c.keep)
        lines.setdefault(c.line, []).append(piece)
    return "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))
