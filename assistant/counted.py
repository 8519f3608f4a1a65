"""A "how many" question against a sentence that counts something else.

"How many people live in the Alsace region?" against "Huguenots remained in large numbers in only one
region": the sentence matches the question's words, and even holds a number, but it does not count what
was asked. SQuAD 2.0 makes unanswerable questions this way, and so do users ("How many separate sanctions
packages had Biden imposed?" against a sentence about "the two countries"). The counted noun is the last
plural word of the phrase after "how many", up to its verb; when neither the best sentence nor its section
headings hold that word (by stem), the sentence does not say how many.

Only the best sentence is read, not its neighbours: a neighbour that names the noun does not make the
number in the best sentence a count of it. Units of measure and time are not counted nouns: a sentence gives
them abbreviated or as a range ("523 km (325 mi)", "from 1618 to 1648"). When the best sentence counts
something else, a candidate near the top that names the noun answers instead.

On SQuAD development articles (Huguenot and three training articles) the rule turned 10 answers to
unanswerable questions into abstentions and no answer to an answerable one; on our own dev questions, one
unanswerable ("How many separate sanctions packages had Biden imposed?") and no answerable one. "By how much
did New START cut deployed strategic launchers?" counts what was cut (session 10).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ingest.lexical import terms

from .quantities import counted_nouns

_HOW_MANY = re.compile(r"\bhow many\s+(.*)$", re.I | re.S)
# "By how much did New START cut deployed strategic launchers?": the object of the cut is what is counted.
_BY_HOW_MUCH = re.compile(r"\bby how much\s+(?:did|does|do|has|have|had|will|would|could|can|should)\s+.+?\s+"
                          r"(?:cut|reduce|lower|decrease|increase|raise|expand|shrink|trim|slash)\s+(.*)$", re.I | re.S)
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|[?,;:]")
# Where the counted noun phrase ends: a verb or what follows one.
_STOP = frozenset("is was are were did does do has have had can could would will should may might be been "
                  "in of on at by for from with to during after before that who whom whose which when where while "
                  "since under over between among against into onto about as than per via".split())
_IRREGULAR_PLURALS = frozenset({"people", "men", "women", "children", "feet", "teeth", "mice", "geese", "persons"})
# Not things counted but units: "How many times did they win?" is answered by "twice", "How many miles
# from Berlin?" by "523 km (325 mi)" and "How many years did it last?" by "from 1618 to 1648".
_UNITS = frozenset("times occasions miles kilometers kilometres km meters metres feet inches yards acres hectares "
                   "tons tonnes pounds kilograms grams liters litres gallons dollars euros degrees percent "
                   "seconds minutes hours days weeks months years decades centuries".split())
_NOT_PLURAL = frozenset({"towards", "across", "always", "perhaps", "its", "his", "hers", "this", "thus", "ours"})


def asks_how_many(question: str) -> bool:
    return _HOW_MANY.search(question) is not None


def counted_noun(question: str) -> str | None:
    """The noun a "how many" question counts ("sanctions packages" → "packages"), or None."""
    m = _HOW_MANY.search(question) or _BY_HOW_MUCH.search(question)
    if not m:
        return None
    phrase: list[str] = []
    for tok in _TOKEN.findall(m.group(1)):
        low = tok.lower()
        if low in _STOP or tok in "?,;:" or (phrase and len(low) > 4 and low.endswith("ed")):
            break
        phrase.append(low)
    plurals = [t for t in phrase if t in _IRREGULAR_PLURALS
               or (t.endswith("s") and not t.endswith("ss") and t not in _NOT_PLURAL)]
    noun = plurals[-1] if plurals else None
    return None if noun in _UNITS else noun


# Nouns that count the same things under another name: "How many historical examples did RAND examine?" is
# answered by "four historical case studies", "How many nations signed?" by "35 states". Kept to words that
# name one thing in any text, not a thesaurus.
_SAME_THING = ("examples cases instances studies", "countries nations states", "people persons individuals",
               "soldiers troops", "weapons arms nukes warheads", "deals agreements accords treaties pacts")
_ALSO = {t: {terms(w)[0] for w in group.split()} for group in _SAME_THING for t in terms(group)}


def counts_something_else(question: str, sentence: str, headings: Sequence[str]) -> str | None:
    """The counted noun, when the sentence and its headings never name it (or another name for it); else None."""
    noun = counted_noun(question)
    if noun is None:
        return None
    stems = terms(noun)
    if not stems:
        return None
    said = set(terms(" ".join([sentence, *headings])))
    return None if _ALSO.get(stems[0], {stems[0]}) & said else noun


def counts_asked(question: str, sentence: str, sources: Collection[str] = ()) -> bool:
    """Whether the sentence puts a number before the counted noun (or another name for it): "How many case
    studies does the brief use?" against "examining … four historical case studies". Such a sentence answers
    even when sentences about the noun without a count outscore it (extractive.decide's typed ratio).
    `sources`: words naming the documents' publishers and authors, which the sentence need not repeat.
    extractive.decide also wants a share of the question's other words (Weights.count_coverage, 0.35):
    "500,000 Huguenots had fled France" holds 0.12 of "How many Huguenots chose to stay in France?" (SQuAD 2.0,
    unanswerable), "we present four historical case studies" 0.42 of "how many case studies does RAND use"."""
    noun = counted_noun(question)
    stems = terms(noun) if noun else []
    if not stems or not _ALSO.get(stems[0], {stems[0]}) & counted_nouns(sentence):
        return False
    # It must also name what the question names: "How many museums does the Busch-Reisinger Museum comprise?"
    # is not answered by "The Harvard Art Museums comprises three museums" (SQuAD 2.0 makes them this way).
    low = sentence.lower()
    names = {n.lower() for n in _NAME.findall(question.strip()[1:])} - {w.lower() for w in sources}
    return all(name in low for name in names)


_NAME = re.compile(r"\b[A-Z][\w’'-]*|\b\d[\d,]*\b")
