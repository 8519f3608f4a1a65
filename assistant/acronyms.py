"""Acronyms the documents spell out: "INF" where the text says "Intermediate Nuclear Forces".

The unknown-name check abstains on a capitalised word the corpus never uses, so "What is the INF
treaty?" was refused although the brief names the Intermediate Nuclear Forces agreement. A run of
capitalised words in the text stands for the acronym of its initials; connectives inside the run
("Department of Defense", "Strategic Arms Limitation Talks") may count or not. Acronyms shorter than
three letters are left out: two initials match too many runs by chance ("EU" is not "Eastern Ukraine").
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ingest.lexical import terms

from .passing import DETAIL

if TYPE_CHECKING:
    from .extractive import Decision

_CONNECTIVES = frozenset({"of", "for", "the", "on", "in", "to"})
_CAP = r"[A-Z][\w’'-]*"
# "and" does not join a run: "Britain and Russia" are two names, not one.
_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|for|the|on|in|to)\s+)?{_CAP})+")
# Capitalised only because they start the sentence: "Although the United States", "In Berlin".
_LEADING = frozenset("""the a an in on at by for from of to as after before during since under with while when but
and or if this that these those although however moreover nonetheless ultimately meanwhile instead because though
yet so thus also then both each all some many most such its their his her our we they it""".split())
_NUMERAL = re.compile(r"^(?:[IVX]+|\d+)$")  # "World War II" is not "WWI"
ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
MIN_LETTERS, MAX_LETTERS = 3, 6


def expansions(texts: Iterable[str]) -> dict[str, str]:
    """Lower-case acronym -> the first capitalised run in the texts whose initials spell it."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _RUN.finditer(text):
            words = m.group(0).split()
            while words and words[0].lower() in _LEADING:
                words = words[1:]
            if any(_NUMERAL.match(w) for w in words):
                continue
            for keep_connectives in (False, True):
                initials = "".join(w[0] for w in words if keep_connectives or w.lower() not in _CONNECTIVES)
                if MIN_LETTERS <= len(initials) <= MAX_LETTERS and sum(w[:1].isupper() for w in words) >= 2:
                    out.setdefault(initials.lower(), " ".join(words))
    return out


def asked_acronyms(question: str) -> list[str]:
    """The all-capital words of a question that could be acronyms ("INF", "SALT")."""
    return ACRONYM.findall(question)


def names_the_acronym(decision: Decision, spelled: Mapping[str, str], in_passing: Callable[[Mapping[str, str]], list[str]],
                      text_of: Callable[[int], str], question: str, section_of: Callable[[int], str]) -> Decision:
    """An acronym the text never uses but spells out ("INF" for "Intermediate Nuclear Forces") must be named
    by the quoted sentence. When the text spells it out only once, that mention is in passing: "What were the
    provisions of the INF treaty?" is not answered by it (nor by the "provisions of the Helsinki Act" quoted
    before it), so the answer is an abstention showing that sentence as the closest passage.

    `spelled`: the question's acronyms with their spelling out (HybridRetriever.spelled_out); `in_passing`:
    which of them the text spells out only once (HybridRetriever.in_passing); `question`: what was asked;
    `section_of(row)`: a sentence's section path as text.

    A question asking what the passing mention does say is answered by it: "INF treaty link to détente-era
    arms control" against "the era's arms control negotiations established … a proof of concept for the later
    Intermediate Nuclear Forces agreement" (section "U.S.-Soviet Détente"). It is told by its other words: when
    it is not a detail question (who, when, how many …: passing.py) and at least ABOUT_SHARE of them (not the
    acronym, its spelling out or the kind of thing it is) are in the sentence or its section, the sentence is
    what was asked about."""
    if decision.abstain or not spelled or not decision.sentences:
        return decision
    best = max(decision.sentences, key=lambda s: (s.score, s.row))
    text = text_of(best.row)
    missing = [a for a, words in spelled.items() if a not in text and words.lower() not in text.lower()]
    if missing:
        return dataclasses.replace(decision, sentences=[best], abstain=True,
                                   reason=f"the passage does not name the {missing[0]}")
    passing = in_passing(spelled)
    if passing and not _says_the_rest(question, spelled, f"{section_of(best.row)} {text}"):
        return dataclasses.replace(decision, sentences=[best], abstain=True,
                                   reason=f"the documents name the {passing[0]} only in passing")
    return decision


ABOUT_SHARE = 0.6
# What kind of thing an acronym names: "the INF treaty" asks no more than "the INF" does.
_KINDS = frozenset(terms("treaty treaties agreement agreements accord accords pact talks act convention deal "
                         "program programme organization organisation initiative"))


def _says_the_rest(question: str, spelled: Mapping[str, str], context: str) -> bool:
    """Whether the context holds the question's words besides the acronyms, their spelling out and their kind."""
    if DETAIL.match(question):
        return False   # "Who negotiated the INF treaty?" is not answered by "arms control negotiations …"
    named = set(terms(" ".join([*spelled, *spelled.values()])))
    rest = [t for t in dict.fromkeys(terms(question)) if t not in named and t not in _KINDS]
    if not rest:
        return False   # "What was the INF agreement?": the mention in passing does not say what it was
    said = set(terms(context))
    return sum(t in said for t in rest) >= ABOUT_SHARE * len(rest)
