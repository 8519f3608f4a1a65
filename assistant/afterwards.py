"""A question about what happened after the documents were written.

"has the US government adopted any of rands recommendations since 2023", "What did Russia do after 2023?": no
document can report what came after it. The sentence that matches best is about the recommendations from before,
and quoting it answers a question about something else. So a question asking what has happened since a year no
earlier than the newest document's catalog date is an abstention (with the closest passage when it matches the
question closely, as for any abstention). "Since the op-ed came out" is left alone: a later document may well
say what followed it.

A year before the newest document stays a question the documents may answer ("What has Russia done since
2014?"), and so does one the documents never mention, which the unknown-name check already answers.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extractive import Decision

_SINCE_YEAR = re.compile(r"\b(?:since|after)\s+(?:(?:early|late|mid)[\s-]+)?(?P<year>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)",
                         re.I)
# "after" asks what came later only of the past ("what happened after 2023"), not "what should the U.S. do after …".
_PAST = re.compile(r"\b(?:has|have|had|did|was|were|happened|changed|since)\b", re.I)


def written_by(published: Iterable[object]) -> int | None:
    """The newest year among the documents' catalog dates ("2023-05-17", "2021-04"); None when none is dated."""
    years = [int(p[:4]) for p in published if isinstance(p, str) and re.match(r"(?:19|20)\d\d\b", p)]
    return max(years) if years else None


def asks_after(question: str, newest: int | None) -> str:
    """Why the documents cannot answer a question about what came after them, or ""."""
    if newest is None:
        return ""
    m = _SINCE_YEAR.search(question)
    if m and int(m.group("year")) >= newest and _PAST.search(question):
        return f"the documents date from {newest} or earlier and cannot report what came after {m.group('year')}"
    return ""


def after_written(question: str, decision: Decision, newest: int | None) -> Decision:
    """The decision, turned into an abstention when the question asks what came after the documents."""
    why = "" if decision.abstain else asks_after(question, newest)
    return dataclasses.replace(decision, abstain=True, reason=why) if why else decision
