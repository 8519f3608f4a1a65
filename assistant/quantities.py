"""A question that states a number the passage gives differently.

"Why did Russia expel 20 American diplomats?" against "Russia responded by sending home 10 American
diplomats": the sentence that matches best counts the same thing with another number, so quoting it
answers a question that was not asked. SQuAD 2.0 makes unanswerable questions the same way ("How many
Huguenots fled after 1700?" with the count changed). When the question puts a number before a noun, and
the best sentence or its neighbours put a different number before the same noun but never the
question's number, the documents do not say it. Years are years.py's; a number word ("ten") and its
digits ("10") are the same number. A number joined to its noun counts too ("the Seven-Day War" against "the
Six-Day War"; session 9: SQuAD dev 2 more unanswerable questions, no other answer changed).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.lexical import terms

_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
               "ninety": "90", "hundred": "100", "thousand": "1000", "dozen": "12"})
# The words a number counts: up to three after it, within its clause ("10 Russian diplomats", "1,550 deployed
# warheads"), or joined to it ("the Six-Day War" against "the Seven-Day War").
_AFTER = re.compile(r"^((?:(?:\s+|-)[A-Za-z][\w-]*){1,3})")
_ANY = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b|\b(?:" + "|".join(_WORDS) + r")\b", re.I)
_YEAR = re.compile(r"^(?:1[0-9]\d\d|20\d\d)$")
# "one of", "one another", "one side": a pronoun or a part, not a count.
_NOT_A_COUNT = frozenset("of another other side hand way".split())


def _value(token: str) -> str:
    t = token.lower().replace(",", "")
    return _WORDS.get(t, t)


def _counts(text: str) -> dict[str, set[str]]:
    """Noun term → the numbers put before it."""
    out: dict[str, set[str]] = {}
    for m in _ANY.finditer(text):
        number = _value(m.group(0))
        after = _AFTER.match(text[m.end():])
        if _YEAR.match(number) or not after or after.group(1).split()[0].lower() in _NOT_A_COUNT:
            continue
        for t in terms(after.group(1)):
            out.setdefault(t, set()).add(number)
    return out


def counted_nouns(text: str) -> frozenset[str]:
    """The noun terms the text puts a number before ("four historical case studies" → case, studi, …)."""
    return frozenset(_counts(text))


def other_number(question: str, texts: Sequence[str]) -> str | None:
    """The question's number for a noun the texts count only with other numbers, or None."""
    # "What is one benefit …?": "one" in a question is as often "a" as a count.
    asked = {noun: numbers - {"1"} for noun, numbers in _counts(question).items() if numbers - {"1"}}
    if not asked:
        return None
    stated: dict[str, set[str]] = {}
    for t in texts:
        for noun, numbers in _counts(t).items():
            stated.setdefault(noun, set()).update(numbers)
    said = {_value(m.group(0)) for t in texts for m in _ANY.finditer(t)}
    for noun, numbers in sorted(asked.items()):
        if stated.get(noun) and not numbers & said:
            return sorted(numbers)[0]
    return None


_ORDINALS = {w: str(i) for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_ORDINAL = re.compile(r"\b(?:" + "|".join(_ORDINALS) + r"|\d+(?:st|nd|rd|th))\b", re.I)


def ordinal_beyond(question: str, texts: Sequence[str]) -> str | None:
    """The question's ordinal ("the fourth core principle") for a noun the texts count as fewer ("Three
    core principles were at the heart of the reset"), when they never write the ordinal; or None."""
    stated: dict[str, set[str]] = {}
    for t in texts:
        for noun, numbers in _counts(t).items():
            stated.setdefault(noun, set()).update(numbers)
    said = " ".join(texts).lower()
    for m in _ORDINAL.finditer(question):
        word = m.group(0).lower()
        rank = int(_ORDINALS.get(word, re.sub(r"\D", "", word)))
        after = _AFTER.match(question[m.end():])
        if rank < 2 or not after or re.search(rf"\b{re.escape(word)}\b", said):
            continue
        for noun in terms(after.group(1)):
            counts = [int(n) for n in stated.get(noun, ()) if n.isdigit() and n != "1"]   # "one principle" is "a"
            if counts and max(counts) < rank:
                return word
    return None
