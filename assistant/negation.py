"""Negated questions against sentences that negate nothing.

SQuAD 2.0's unanswerable questions are often an answerable one with a "not" put in ("What did the
Huguenots not bring?"): the sentence that matches best still states the positive fact, so quoting it
answers a different question. When a question (other than "why"/"how come", whose answers explain a
lack in other words) negates, and neither its best sentence nor the sentences beside it negate anything,
the documents do not say it. Measured on SQuAD development articles (Huguenot and three training
articles): such best sentences stood for 32 unanswerable questions and 1 answerable one.
"""
from __future__ import annotations

import re

_NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|neither|nor|without)\b|n[’']t\b", re.I)
_EXPLAINS = re.compile(r"^\s*(?:why|how come)\b", re.I)
# "Isn't that cherry-picking?", "Doesn't the brief say …?": a negative interrogative asks for confirmation;
# it negates nothing in what is asked about.
_CONFIRMS = re.compile(r"(?:^|[.?!;:]\s+|,\s*)(?:is|are|was|were|do|does|did|has|have|had|can|could|would|should|"
                       r"will|wo|must|ca)n[’']t\b", re.I)


def negates(question: str) -> bool:
    """Whether a question asks about something negated (a why-question and a negative interrogative excepted)."""
    return _NEGATION.search(_CONFIRMS.sub(" ", question)) is not None and _EXPLAINS.match(question) is None


def states_a_negation(*texts: str) -> bool:
    return any(_NEGATION.search(t) for t in texts)
