"""Overview, recommendation, list and comparison answers, built from the documents' structure.

A factoid answer quotes the one to three sentences that best match a
question. "Summarize the brief", "What does it recommend?", "What are the
benefits?" and "Do the two documents agree?" need something else: the
points the author set out (claim headings, bullet lists, paragraph leads),
all of them or the most central, in document order, under a short lead that
is visibly not a quote. Every point is a whole sentence cited on its own span.

`StructuredAnswerer.plan` reads a question (plan.py) and returns None when
the factoid path should answer; `compose` returns the answer as pieces
(compose.py, comparison.py) and assistant/core.py turns rows into verified
citations. Which sentences count as points and how they rank is points.py;
how documents are named, in questions and in answers, is names.py.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ingest.index import IndexData

from ..outline import Outline
from .comparison import compare
from .compose import Composer, Composition, Piece
from .names import DocName, doc_aliases, doc_name
from .plan import Plan, Planner

__all__ = ["Composition", "DocName", "Piece", "Plan", "StructuredAnswerer"]


class StructuredAnswerer:
    """Plans and composes non-factoid answers for one Assistant (thread-safe, outline built once)."""

    def __init__(self, data: IndexData, idf: Callable[[str], float],
                 known_word: Callable[[str], bool] | None = None) -> None:
        self.data = data
        self._outline: Outline | None = None
        self._lock = threading.Lock()
        self.names = {d: doc_name(rec) for d, rec in data.documents.items()}
        self.aliases = {d: doc_aliases(rec) for d, rec in data.documents.items()}
        self._planner = Planner(data, idf, known_word, self.names, self.aliases, lambda: self.outline)

    @property
    def outline(self) -> Outline:
        """The documents' outline, built on first use: a factoid-only session never pays for it."""
        with self._lock:
            if self._outline is None:
                self._outline = Outline(self.data)
            return self._outline

    def named_docs(self, question: str) -> list[str]:
        """The documents a question names ("the op-ed", "RAND")."""
        return self._planner.named_docs(question)

    def source_phrase(self, text: str) -> str | None:
        """The words by which a text names a document, as written ("the RAND brief"), or None."""
        return self._planner.source_phrase(text)

    def plan(self, question: str, doc_filter: Sequence[str], body: str | None = None) -> Plan | None:
        """The plan for a structured answer, or None for the factoid path. `body`: the question without
        a follow-up's topic (Question.body), when `question` is a follow-up's retrieval text."""
        return self._planner.plan(question, doc_filter, body)

    def compose(self, plan: Plan, best_sentence: Callable[[str, str], int | None]) -> Composition | None:
        """The answer for a plan; `best_sentence(topic, doc)` picks a comparison's sentence per document."""
        if plan.intent.kind == "comparison":
            return compare(plan, self.data, self.outline, self.names, best_sentence)
        return Composer(self.data, self.outline, self.names).compose(plan)
