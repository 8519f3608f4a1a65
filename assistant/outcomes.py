"""A question about how something ended against a passage that says nothing of an end.

"How did the war in Ukraine end?" quoted "Below, we present four historical case studies … before Russia's 2022
war in Ukraine": the sentence names the war, which is why it ranks first, and says nothing of its end (the
brief was written while it went on). SQuAD 2.0 makes the same near miss by asking when something ended where
the passage gives when it began ("When did the Syrian Civil War end?"). A question asking how or when
something ended, how it turned out, or who won, is answered only by a passage that states an end or an
outcome ("ended", "concluded", "until", "was unsuccessful", "won", "ultimately" …); the best sentence and its
neighbours are read, and a candidate near the top that does state one answers instead.
"""
from __future__ import annotations

import re

from ingest.lexical import terms

from .years import RANGE

# "was Crimea a result of it" asks a cause, as "as a result of" does; "the result of" asks an outcome.
# "end up shaping" is not an end, nor "conclude that …". "Why did détente end?" asks a cause and takes the end
# for granted; it is left to the other checks.
_ASKS = re.compile(r"^\s*(?:how|when|in what year|in which year|what year)\b[^?]*?\b(?:end|ended|finish|finished|"
                   r"conclude|concluded|come to an end|wind down)\b(?!\s+that\b)(?!\s+up\b(?!\s+ending\b|\s*[?.!]*\s*$))|^\s*how did\b[^?]*\bturn out\s*\?|"
                   r"(?<!\ba )\b(?:outcome|result) of\b|^\s*who won\b|"
                   r"^\s*(?:has|have|had|is|was|did)\b[^?]*\b(?:ended|over|end|finished)\s*\?|"
                   # "Did Biden and Putin end up meeting?", "Did the summit ever take place?": whether it came about
                   # ... also asked where or when: "Where and on what date did the summit eventually take place?"
                   r"^\s*(?:(?:where|when)\b[^?]*?\s)?(?:did|has|have|had)\b[^?]*\b(?:end(?:ed)? up \w+ing|"
                   r"(?:ever|actually|really|even|eventually|finally|ultimately) (?:happen|take place|materiali[sz]e))\b", re.I)
# A span of years states when something ended: "The period between 1969 and 1975", "(1969–1975)".
_STATES = re.compile(RANGE.pattern + r"|"
                     r"\bbetween (?:1[0-9]\d\d|20\d\d) and (?:1[0-9]\d\d|20\d\d)\b|\b(?:end(?:ed|s|ing)?|over|conclu\w*|outcomes?|results?|resulted|won|lost|defeat\w*|victor\w*|"
                     r"ceasefire|armistice|peace|settle\w*|stopp?\w*|collaps\w*|succe\w*|unsuccessful|fail\w*|finish\w*|"
                     r"terminat\w*|dissol\w*|abolish\w*|until|ultimately|last(?:ed|ing)?|met|took place|was held|happened|materiali[sz]ed)\b", re.I)


# "the outcome of the 2022 Russian war in Ukraine is uncertain at the time of this writing" states no outcome;
# it is the passage to show for the question, as what the documents do say.
_UNCERTAIN = re.compile(r"\b(?:uncertain|unknown|not (?:yet )?knowable|unclear|remains to be seen|not yet)\b", re.I)
# "to end it", "once the fighting eventually stops", "will end": a purpose or a future, not an end that came.
_NOT_YET = re.compile(r"\b(?:to(?:\s+\w+)?|(?:once|will|would|could|might|may|if|can)(?:\s+\w+){0,3})\s+$", re.I)


def asks_outcome(question: str) -> bool:
    return _ASKS.search(question) is not None


_COURSE = re.compile(r"\b(?:outcomes?|results?|trajector(?:y|ies)|fate|course|end)\b", re.I)
# What the question asks the end of: "How did the war in Ukraine end?" → "the war in Ukraine".
_SUBJECT = re.compile(r"\b(?:did|does|do|has|have|had|is|was|were|will)\s+(.+?)\s+(?:end|ended|finish|finished|conclude|"
                      r"concluded|come to an end|wind down|turn out|over)\b|\b(?:outcome|result) of\s+(.+?)(?:[?,]|$)", re.I)


def uncertain_outcome(text: str) -> bool:
    """Whether the text says the outcome is not known ("the outcome of the war … is uncertain")."""
    return bool(_UNCERTAIN.search(text)) and bool(_COURSE.search(text))


def subject_terms(question: str) -> set[str]:
    """The terms of what the question asks the end of (empty when it cannot tell)."""
    m = _SUBJECT.search(question)
    return set(terms(m.group(1) or m.group(2))) if m else set()


def states_outcome(*texts: str) -> bool:
    """Whether one of the texts states an end or an outcome that came."""
    for t in texts:
        if _UNCERTAIN.search(t):
            continue
        if any(not _NOT_YET.search(t[: m.start()]) for m in _STATES.finditer(t)):
            return True
    return False
