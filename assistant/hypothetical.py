"""Yes/no questions about what happened, against sentences that only suppose it.

"Did Putin accept the summit?" was answered with "But even if Putin were to accept Biden's invitation
right away, the U.S. needs to lay the groundwork …": the words the question shares with the sentence
sit only inside its condition, so the sentence supposes the event and never says it happened. For a
question asking whether something happened (did, was, were, has, have, had), such a best candidate is
not an answer; the assistant abstains and shows it as the closest passage.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.lexical import terms

_HAPPENED = re.compile(r"^\s*(?:did|was|were|has|have|had)\b", re.I)
# A condition, up to the next clause boundary. Only the condition itself: "would" and "could" also
# state facts ("the agreement would later serve as …"), so a conditional's main clause counts as said.
_SUPPOSED = re.compile(r"\b(?:if|unless|whether|were to)\b[^,;:.]*", re.I)


def asks_what_happened(question: str) -> bool:
    return _HAPPENED.match(question) is not None


def only_supposed(sentence: str, qterms: Sequence[str]) -> bool:
    """Whether every question term the sentence holds is inside a condition and none outside it."""
    shared = set(qterms) & set(terms(sentence))
    if not shared:
        return False
    supposed = set(terms(" ".join(m.group(0) for m in _SUPPOSED.finditer(sentence))))
    stated = set(terms(_SUPPOSED.sub(" ", sentence)))
    return shared <= supposed and not shared & stated
