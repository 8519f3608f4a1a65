"""A question asking for specific members of a category against a sentence that names only the category.

"Which specific Third World interventions does the brief identify?" against "… its competitive activities,
including new defense programs and interventionism in the Third World"; "What specific incentives does the
op-ed propose?" against "The U.S. needs to offer Russia positive incentives, too." The sentence is about the
right thing, which is why it ranks first, but it states the category where the question asks for its
members, so quoting it looks like an answer and is not one.

The sign is narrow on purpose. The question must ask "which/what specific <category>" ("exact", "concrete",
"particular" too) or "which <category> exactly"; the sentence must write the category word (or a
word sharing its stem) and give no member after it: no "such as", "including", "e.g.", colon or dash list,
and no number or name the question lacks within the next few words. "What concrete benefits did Russia get?"
is untouched when the best sentence never says "benefits", and "Which specific issues …?" is answered by
"core issues, such as NATO enlargement".
"""
from __future__ import annotations

import re

_WANTS_SPECIFICS = re.compile(r"\b(?:specific|specifically|exact|exactly|concrete|particular|precisely)\b", re.I)
# "which specific Third World interventions", "what exact limits": the category is the last word before
# the verb or preposition that follows it.
_CATEGORY = re.compile(r"\b(?:which|what)\s+(?:(?:specific|exact|concrete|particular)\s+((?:[\w'’-]+\s+){0,3}?)|"
                       r"((?:[\w'’-]+\s+){0,3}?)(?=\w+\s+(?:exactly|specifically|precisely)\b))"
                       r"([a-z][a-z-]{3,})(?:\s*,|\s+(?:exactly\s+|specifically\s+|precisely\s+)?(?:did|does|do|was|were|is|"
                       r"are|has|have|had|would|will|could|can|should|of|in|on|at|about|with|from|for|by|to|that|the)\b)",
                       re.I)   # or a comma: "Which specific incentives, such as sanctions relief, does …?"
_MEMBERS = re.compile(r"\b(?:such as|including|include[sd]?|e\.g\.|for example|namely|like)\b|:", re.I)
AFTER_WORDS = 6
_NAME_OR_NUMBER = re.compile(r"\b[A-Z][\w'’-]+|\b\d")


# "What exactly did the Soviets do in Iran?", "what did they actually do": the members of what someone did,
# against "Soviet actions in Turkey and Iran led U.S. officials to conclude …", which names none.
ACTIONS = "actions"
_DID_WHAT = re.compile(r"^\s*what\s+(?:(?:exactly|specifically|precisely|actually)\s+)?(?:did|do|does|has|have|had)\s+"
                       r"[\w .'’-]{2,40}?\s+(?:(?:exactly|specifically|precisely|actually)\s+)?do\b", re.I)
_ACTUALLY = re.compile(r"\b(?:exactly|specifically|precisely|actually)\b", re.I)


def asked_category(question: str) -> str:
    """The category whose specific members the question asks for ("interventions"), or ""."""
    if _DID_WHAT.match(question) and _ACTUALLY.search(question):
        return ACTIONS
    if not _WANTS_SPECIFICS.search(question):
        return ""
    m = _CATEGORY.search(question)
    return m.group(3).lower() if m else ""


def mentions(category: str, text: str) -> bool:
    return _mention(category, text) is not None


def names_members(question: str, category: str, text: str) -> bool:
    """Whether `text`, where it writes the category, goes on to name a member of it."""
    found = _mention(category, text)
    if found is None:
        return False
    after = text[found.end():]
    if _MEMBERS.search(after):
        return True
    if category == ACTIONS:
        return False  # names after "actions" say where or to whom ("in Turkey and Iran"), not which actions
    asked = {w.lower() for w in re.findall(r"[\w'’-]+", question)}
    words = after.split()[:AFTER_WORDS]
    # "incentives for Washington to consider …": a name after "for" or "to" is whom they are for, not one of them.
    return any(_NAME_OR_NUMBER.match(w) and w.strip(".,;’'").lower() not in asked
               and not (i and words[i - 1].lower() in _RECIPIENT) for i, w in enumerate(words))


_RECIPIENT = frozenset("for to toward towards from by with".split())


def _mention(category: str, text: str) -> re.Match[str] | None:
    stem = category[: max(5, len(category) - 3)]
    return re.search(rf"\b{re.escape(stem)}\w*", text, re.I)
