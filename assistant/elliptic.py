"""A bare "why?" after an answer: the cause of what the previous question asked.

"When did the reset start to fade?" … "why?"; "Is offering incentives appeasement?" … "why not?". The
follow-up has no word of its own to search with, and a pronoun's topic (followup.py) gives only the subject,
not the event whose cause is asked, so it abstained. It stands for the previous question asked as a
why-question: its wh-word replaced ("why did the reset start to fade?"), and for "why not?" marked as negated,
so the negation checks look for the passage that denies it ("Offering incentives is not “appeasement” …").
"""
from __future__ import annotations

import re

_BARE = re.compile(r"^\s*(?:(?:and|but|so|ok|okay|hmm)\b[\s,]*)?(?P<why>why|how come|for what reason)"
                   r"(?P<neg>\s+not)?(?:\s+(?:is|was)\s+(?:that|this|it)|\s+so|['’]s\s+that|\s+that)?\s*[?.!]*\s*$", re.I)
_LEAD = re.compile(r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:(?P<wh>what|when|where|who|which|how)\b\s*)?", re.I)


def why_of(question: str, previous: str) -> str | None:
    """The previous question asked as a why-question, when `question` is a bare "why?"; else None."""
    m = _BARE.match(question)
    lead = _LEAD.match(previous)
    body = previous.strip()[lead.end() if lead else 0:].rstrip(" ?.!")
    if not m or not body or _BARE.match(previous):
        return None
    if lead and lead.group("wh") and not m.group("neg"):
        return f"why {body}?"  # "when did the reset start to fade?" → "why did the reset start to fade?"
    # A yes/no question keeps its own word order: "why: is offering incentives appeasement?", not an assertion.
    return f"why{' not' if m.group('neg') else ''}: {body}?"
