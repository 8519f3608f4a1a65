"""A question about how someone reacted, against a passage that never names them.

"How did Germany react to the 1907 Anglo-Russian Convention?" ranks first the sentence saying the
convention was concluded: it shares every word of the question but the one naming who reacted. "How did
Beijing react to the reset?" likewise gets the sentence that introduces the reset. Neither passage says
anything about Germany or China, so it cannot say how they reacted.

The reactor is the capitalised name between "how did" and a verb of reacting or seeing ("react", "respond",
"view", "perceive" …), or the owner of "reaction"/"response" in "What was X's reaction …". It must be named
(or its people, its country or its seat of government) in the best sentence, its neighbours or their
headings. A title ("President Putin") is not part of the name. A reaction to the documents themselves ("How
did Beijing react to the report?") is never in them, whoever they name.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .name_variants import government_of
from .swaps import names

_NAME = r"(?P<who>[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3})"
# "How did the German government react …?", "How did Persian leaders view …?": a name with a body of its people.
_BODY = (r"(?:\s+(?i:government|governments|leaders|leadership|officials|public|press|side|court|parliament|"
         r"administration|elites?|ministry|foreign ministry|diplomats|people|authorities|regime))?")
_ASKS = (
    re.compile(rf"^\s*(?i:how)\s+(?i:did|does|do|would|will|might|could|has|have|had)\s+(?i:the\s+)?{_NAME}{_BODY}\s+"
               r"(?:(?i:initially|first|later|officially|publicly|eventually)\s+)?"
               r"(?i:react|respond|reply|view|see|perceive|receive|greet|regard|feel)\w*\b"),
    re.compile(rf"^\s*(?i:what)\s+(?i:was|is|were|are)\s+(?i:the\s+)?{_NAME}{_BODY}(?:'s|’s|s’)\s+"
               r"(?:(?i:initial|first|official|public)\s+)?(?i:reaction|response|reply|view|attitude)s?\b"),
    # "What did Germany think of the 1907 agreement?", "What did Beijing make of the reset?"
    re.compile(rf"^\s*(?i:what)\s+(?i:did|does|do|would|will|might)\s+(?i:the\s+)?{_NAME}{_BODY}\s+"
               r"(?:(?i:really|actually|initially|first|later|publicly)\s+)?"
               r"(?i:think|make|feel)\s+(?i:of|about)\b"),
)
_TITLES = frozenset("president prime minister secretary general premier chancellor king queen tsar czar "
                    "foreign chairman leader emperor senator ambassador".split())


def asked_reactor(question: str) -> str | None:
    """The name of whoever the question asks the reaction or view of, titles dropped; None for other questions."""
    for pattern in _ASKS:
        m = pattern.match(question)
        if m:
            kept = [w for w in m.group("who").split() if w.casefold().strip(".") not in _TITLES and w != "of"]
            return " ".join(kept) or None
    return None


# "How did Beijing react to the report?", "How did Kyiv respond to RAND's idea …?": a reaction to the documents
# themselves, which they cannot report, whoever they name.
_TO_SOURCE = re.compile(r"\b(?:react|respond|reply|receive|greet)\w*\s+to\s+(?:the\s+|this\s+|that\s+)?"
                        r"(?:rand|brief|report|study|op-?ed|article|paper|piece|column|author|authors|research|"
                        r"findings|recommendations|proposals?)\b", re.I)


def reacts_to_source(question: str) -> bool:
    """Whether the question asks how someone reacted to the documents themselves."""
    return _TO_SOURCE.search(question) is not None


def names_reactor(who: str, texts: Sequence[str]) -> bool:
    """Whether the texts name `who`, its people or country, or (for a seat of government) its country."""
    if names(who, texts):
        return True
    country = government_of(who)
    return country is not None and names(country, texts)
