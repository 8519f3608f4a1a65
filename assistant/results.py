"""A question asking what something achieved prefers the sentence that announces its results.

"What did the reset achieve?" quoted "The reset's positive impact … faded as the pace of agreements and
achievements waned by late 2012": it shares "achieve" with the question and ranks first. Two below it,
"Although circumscribed, the reset nonetheless produced important results." announces the answer, and the
sentence after it gives it (New START and the other agreements); an announcing sentence is quoted with the
ones that follow it (extractive._FRAMING). For a question asking what something achieved, produced or gained,
or what its results were, an announcing candidate scoring within `RESULTS_RATIO` of the best comes first.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .elaboration import announces

if TYPE_CHECKING:
    from .extractive import Scored

RESULTS_RATIO = 0.75
RESULTS_DEPTH = 5
_ASKS_RESULTS = re.compile(r"\b(?:achiev\w*|accomplish\w*|(?:results?|outcomes?|achievements?|gains?|benefits?) of|"
                           r"gain(?:ed)? from|get out of|got out of|produce[ds]?)\b", re.I)


def announced_first(question: str, scored: Sequence[Scored], text_of: Callable[[int], str]) -> list[Scored]:
    """The candidates with a near one that announces results first, for a question asking for results."""
    out = list(scored)
    if not out or not _ASKS_RESULTS.search(question) or announces(text_of(out[0].row)):
        return out
    best = out[0]
    for s in out[1:RESULTS_DEPTH]:
        if s.score < RESULTS_RATIO * best.score:
            break
        if announces(text_of(s.row)):
            return [s] + [x for x in out if x is not s]
    return out
