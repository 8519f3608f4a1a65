"""The earliest or the latest item of a dated list: "Which case study is the oldest?".

A list whose items carry their years ("Case Study 1: Anglo-Russian Negotiations over Central Asia
(1899–1914)") answers a question asking for its oldest, most recent, longest or shortest item with that one
item, quoted like any list item, instead of the whole list. Each item's own years place it (its first year;
a span's length for longest and shortest). An item without a year cannot be placed, and a tie has no one
answer: then the whole list stays the answer, and the reader compares.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..years import RANGE, YEAR

_ASKS = re.compile(r"\b(oldest|earliest|least recent|most recent|latest|newest|longest|shortest)\b", re.I)


def asked_extreme(question: str) -> str | None:
    """The superlative the question asks for ("oldest"), or None."""
    m = _ASKS.search(question)
    return m.group(1).lower() if m else None


def _span(text: str) -> tuple[int, int] | None:
    m = RANGE.search(text)
    if m:
        start, end = m.group(1), m.group(2)
        return int(start), int(start[: 4 - len(end)] + end)  # "1969–75" ends in 1975
    y = YEAR.search(text)
    return (int(y.group(1)), int(y.group(1))) if y else None


def pick(word: str, texts: Sequence[str]) -> int | None:
    """Index of the item `word` asks for, or None when an item has no year or two items tie."""
    spans = [_span(t) for t in texts]
    if len(spans) < 2 or any(s is None for s in spans):
        return None
    placed = [s for s in spans if s is not None]
    if word in ("longest", "shortest"):
        keys = [end - start for start, end in placed]
    else:
        keys = [start for start, _ in placed]
    target = min(keys) if word in ("oldest", "earliest", "least recent", "shortest") else max(keys)
    if keys.count(target) > 1:
        return None
    return keys.index(target)
