"""Comparison answers: each document's position in turn, quoted inline and attributed.

"Do the two documents agree?" gets, for every document in scope, the
sentence that best answers the compared topic (found by the factoid
selector, passed in as `best_sentence`) or, for an open comparison, the
document's most central thesis-like point. A sentence that leans on the one
before it ("This is why …") is quoted with that sentence; a document that
says nothing on the topic is named as silent, never quoted off-topic.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ingest.index import IndexData

from ..outline import Outline
from .compose import Composition
from .names import DocName
from .plan import Plan
from .points import Points

_LEANS_BACK = re.compile(r"^(?:this|these|that|those|it|its|they|their|such|both|nonetheless|however|moreover|"
                         r"instead|yet|so|but)\b", re.I)


def compare(plan: Plan, data: IndexData, outline: Outline, names: Mapping[str, DocName],
            best_sentence: Callable[[str, str], int | None]) -> Composition | None:
    """Each document's position in turn, with a cited sentence from each, or a plain note of silence."""
    points = Points(data, outline)
    comp = Composition()
    cited = 0
    for i, doc in enumerate(plan.docs):
        name = names[doc]
        if i:
            comp.say("\n")
        row = best_sentence(plan.topic, doc) if plan.topic else points.thesis(doc)
        if row is None:
            comp.say(f"{name.cap} does not address this.")
            continue
        rows = [row]
        prev = row - 1
        if (_LEANS_BACK.match(data.sentences[row].text) and prev >= 0
                and data.sentences[prev].doc == doc and outline.para[prev] == outline.para[row]
                and outline.quotable_point(prev)):
            rows = [prev, row]
        lead = f"{name.possessive} author writes: " if name.opinion else f"According to {name.name}, "
        comp.say(lead[:1].upper() + lead[1:])
        for j, r in enumerate(rows):
            if j:
                comp.say(" ")
            comp.quote(r, quoted=True)
        cited += 1
    return comp if cited else None
