"""Which sentences of a document are its points, and which of them come first.

A point is a claim heading, a paragraph lead, or a sentence that states the
author's position (a thesis or purpose marker, or the reply to the author's
own short question). Points are ranked by centrality to the passage they sum
up (the centroid of its sentence vectors, assistant/outline.py), plus small
bonuses for stated positions and normative claims, and a point that restates
a better-ranked one is dropped.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ingest.index import IndexData

from ..outline import Outline

STANCE_BONUS = 0.15  # set on the dev items (eval/gold_overview.jsonl, dev split) only
NORMATIVE_BONUS = 0.1
RHETORICAL_WORDS = 8  # "Why not just sanctions?": a question the author answers in the next sentence
NEAR_DUPLICATE = 0.86  # cosine above which two candidate points say the same thing
NORMATIVE = re.compile(r"\b(?:should|needs? to|must|ought to|it[’']s time|it is time|is up to|has to|have to)\b", re.I)
_THESIS = re.compile(
    r"\b(?:my answer|i (?:argue|believe|think|contend|propose|suggest)|in short|the bottom line|it[’']s time|"
    r"(?:researchers|we|this (?:brief|report|study|paper|article)) (?:explored?|examined?|examines|assess(?:ed|es)?|"
    r"stud(?:y|ied|ies)|analy[sz]ed?|investigated?|argue[sd]?|find|found))\b", re.I)


class Points:
    """Point candidates and their ranking over one index's outline."""

    def __init__(self, data: IndexData, outline: Outline) -> None:
        self.data = data
        self.outline = outline

    def dedupe(self, rows: Sequence[int]) -> list[int]:
        """Drop candidates that restate an earlier (better-ranked) one."""
        vecs = self.data.sentence_vectors
        kept: list[int] = []
        for r in rows:
            text = self.data.sentences[r].text
            if any(float(vecs[r] @ vecs[k]) >= NEAR_DUPLICATE or text == self.data.sentences[k].text for k in kept):
                continue
            kept.append(r)
        return kept

    def ranked(self, candidates: Sequence[int], pool: Sequence[int],
               bonus: Callable[[int], float] | None = None) -> list[int]:
        """Candidates by centrality to the pool's centroid (plus an optional bonus), near-duplicates removed."""
        if not candidates:
            return []
        cent = self.outline.centrality(candidates, pool)
        score = {r: float(c) + (bonus(r) if bonus else 0.0) for r, c in zip(candidates, cent)}
        return self.dedupe(sorted(candidates, key=lambda r: (-score[r], r)))

    def content_rows(self, rows: Sequence[int]) -> list[int]:
        o = self.outline
        return [r for r in rows if o.roles[r] in ("body", "claim_heading", "list_item")]

    def candidates(self, rows: Sequence[int]) -> list[int]:
        """Claim headings, paragraph leads, and sentences that state a thesis or purpose."""
        o = self.outline
        leads = set(o.paragraph_leads(rows))
        return [r for r in rows if o.roles[r] == "claim_heading" or r in leads or self.stance(r) > 0]

    def stance(self, row: int) -> float:
        """How plainly a sentence states the author's position: a thesis or purpose marker ("My answer is",
        "researchers explored"), the sentence that carries on a thesis, or the reply to the author's own
        question ("Why not just sanctions? For one thing, they have not worked.")."""
        o = self.outline
        sents = self.data.sentences
        if o.roles[row] != "body":
            return 0.0
        text = sents[row].text
        if _THESIS.search(text):
            return STANCE_BONUS
        prev = row - 1
        if prev >= 0 and sents[prev].doc == sents[row].doc and o.para[prev] == o.para[row]:
            before = sents[prev].text.strip()
            short_question = before.endswith("?") and len(before.split()) <= RHETORICAL_WORDS
            if short_question or (_THESIS.search(before) and NORMATIVE.search(text)):
                return STANCE_BONUS
        return 0.0

    def bonus(self, row: int) -> float:
        """Ranking bonus beside centrality: stated positions and normative claims."""
        text = self.data.sentences[row].text
        return self.stance(row) + (NORMATIVE_BONUS if NORMATIVE.search(text) else 0.0)

    def thesis(self, doc: str) -> int | None:
        """A document's most central thesis-like point: its overall position for an open comparison."""
        o = self.outline
        rows = self.content_rows(o.doc_rows[doc])
        body = [r for r in rows if o.roles[r] == "body"]
        cands = [r for r in self.candidates(rows) if o.quotable_point(r)]
        ranked = self.ranked(cands, body, self.bonus)
        return ranked[0] if ranked else None
