"""Negated questions against sentences that negate nothing.

SQuAD 2.0's unanswerable questions are often an answerable one with a "not" put in ("What did the
Huguenots not bring?"): the sentence that matches best still states the positive fact, so quoting it
answers a different question. When a question (other than "why"/"how come", whose answers explain a
lack in other words, and a negative interrogative such as "Isn't that …?") negates, and neither its best
sentence nor the sentences beside it negate or limit anything, extractive.decide looks a little further
down for a sentence that does ("… left certain tensions only partially resolved"), scoring near the best;
with none, the documents do not say it.

Measured on SQuAD development articles (Huguenot and three training articles): the check alone abstained
on 27 more unanswerable questions for 1 answerable one; the look further down, which real negated
questions need ("Which issues were not resolved by the convention?"), gives back 13 of those. Session 9:
"non-" negates a question too ("Where was the non-Muslim Brotherhood founded?"), and "not just", "not only"
affirm rather than negate in a sentence ("… controversial not just because it posits …"): SQuAD dev 6 more
unanswerable questions abstain and 1 answers, no answerable one changed; no dev, dev-extra or typed answer.
"""
from __future__ import annotations

import re

NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|neither|nor|without)\b|n[’']t\b", re.I)
# "Could you please explain why the reset's effects did not last?" is a why-question in a request's frame.
_EXPLAINS = re.compile(r"^\s*(?:(?:could|can|would|will) you (?:please )?(?:explain|tell me|say)\s+|"
                       r"(?:please )?(?:explain|tell me)\s+)?(?:why|how come)\b", re.I)
# "Isn't that cherry-picking?", "Doesn't the brief say …?": a negative interrogative asks for confirmation;
# it negates nothing in what is asked about. So after a dash: "All four cases involve Russia — isn't that a bias?".
_CONFIRMS = re.compile(r"(?:^|[.?!;:]\s+|,\s*|\s*[—–]\s*|\s-\s)(?:is|are|was|were|do|does|did|has|have|had|can|could|would|should|"
                       r"will|wo|must|ca)n[’']t\b", re.I)


# What a sentence may say a negated question's answer with: a negation, or a word that limits or denies
# ("left tensions only partially resolved", "failed", "unresolved", "lacked").
_LIMITS = re.compile(r"\b(?:partially|partly|limited|little|fail\w*|lack\w*|refus\w*|reject\w*|absen\w*|"
                     r"unable|un(?!it|ifi|der|til)\w{3,}(?:ed|ful|able)|in(?:effective|sufficient|complete)\w*)\b", re.I)


# "not just because …", "not only … but also": these affirm; they are no answer to a negated question.
_AFFIRMS = re.compile(r"\bnot (?:just|only|merely|simply|least)\b", re.I)
# "non-Muslim", "non-violent": a prefix that negates.
_NON = re.compile(r"\bnon-(?=\w)", re.I)


def negates(question: str) -> bool:
    """Whether a question asks about something negated (a why-question and a negative interrogative excepted)."""
    asked = _CONFIRMS.sub(" ", question)
    return (NEGATION.search(asked) is not None or _NON.search(asked) is not None) and _EXPLAINS.match(question) is None


def states_a_negation(*texts: str) -> bool:
    return any(NEGATION.search(_AFFIRMS.sub(" ", t)) or _NON.search(t) or _LIMITS.search(t) for t in texts)
