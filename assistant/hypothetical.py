"""Yes/no questions about what happened, against sentences that only suppose it.

"Did Putin accept the summit?" was answered with "But even if Putin were to accept Biden's invitation
right away, the U.S. needs to lay the groundwork …": the words the question shares with the sentence
sit only inside its condition, so the sentence supposes the event and never says it happened. For a
question asking whether something happened (did, was, were, has, have, had), such a best candidate is
not an answer; the assistant abstains and shows it as the closest passage. "How did Putin respond to …?"
takes for granted that he did, so it asks what happened too; and a time in the main clause ("… before the
summer") states no event, so "Did Putin accept Biden's invitation to a summer summit?" is only supposed there
as well (session 9: 2 typed questions abstain; no dev, dev-extra, SQuAD-dev or other typed answer changed).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.lexical import terms

# "Did Putin accept …?", and "How did Putin respond to …?", which takes for granted that he did.
_HAPPENED = re.compile(r"^\s*(?:did|was|were|has|have|had|how (?:did|has|have|was|were))\b", re.I)
# When: "… before the summer" in the main clause states a time, not the supposed event.
_TIME = frozenset(terms("summer winter spring autumn fall year years month months week weeks day days today later "
                        "earlier soon now then january february march april may june july august september october "
                        "november december"))
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
    stated = set(terms(_SUPPOSED.sub(" ", sentence))) - _TIME
    shared -= _TIME - supposed
    return bool(shared) and shared <= supposed and not shared & stated
