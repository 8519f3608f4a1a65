"""A question asking which person did something, against a sentence that names no one new.

"Which Soviet official did James Byrnes negotiate the Polish border deal with?" against "Secretary of State
James Byrnes' willingness to trade U.S. recognition of the Soviet-drawn Polish border …"; "Which Russian
hardliners opposed Medvedev's cooperation?" against "… when President Medvedev …". The sentence is about the
right episode, so it ranks first, but every name in it is already in the question, a country or its
capital, a month or a title: no one it could be answering with.

Only a question that asks for a person by a word for people ("which official", "what leaders", "which
hardliners", "who … on behalf of") counts. A plain "who" is as often answered by a country ("Who signed the
convention?" — "Britain and Russia"), so it keeps the general name check (asked_type.satisfies). The
exclusions are lists, and a list misses words; a missed word only lets a sentence through, as before.
"""
from __future__ import annotations

import re

from .name_variants import names_a_place, variants

_PEOPLE = (r"persons?|people|officials?|leaders?|presidents?|ministers?|diplomats?|negotiators?|hardliners?|"
           r"hard-liners?|kings?|emperors?|authors?|statesm[ae]n|politicians?|envoys?|ambassadors?|"
           r"secretar(?:y|ies)|advis[eo]rs?|individuals?|men|women|man|woman|senators?|lawmakers?|"
           r"commanders?|premiers?|chancellors?|tsars?|czars?|rulers?")
# The word for people heads the question's wh-phrase: "which official", "which Soviet official", "what senior
# leaders", "which of the RAND authors"; not "What percentage of people", "Which theory suggested people", "What is the general term".
_MODIFIER = r"(?:[A-Z][\w.’'-]*|senior|top|key|former|foreign|military|local|government|hardline|western|eastern)"
_ASKS_PERSON = re.compile(rf"^\s*(?i:which|what)\s+(?:(?i:one\s+)?(?i:of)\s+(?i:the\s+)?(?:[\w.’'-]+\s+)?)?"
                          rf"(?:{_MODIFIER}\s+)?(?i:{_PEOPLE})\b(?!\s+of\b)|"
                          r"^\s*(?i:who)\b.*\b(?i:on behalf of|on [\w.’'-]+['’]s? behalf)\b|"
                          # "Who signed the 1907 convention for the British side?", "Who represented Britain?"
                          r"^\s*(?i:who)\b.*\b(?i:for|on) (?i:the) (?!(?i:other|same|winning|losing|wrong|right)\b)[\w.’'-]+ (?i:side)\b|^\s*(?i:who)\s+(?i:represented)\b|"
                          # "Who signed the convention for Britain?": someone acting for a named party
                          r"^\s*(?i:who)\s+(?i:signed|negotiated|spoke|attended|ratified)\b.*\b(?i:for)\s+(?:(?i:the)\s+)?"
                          r"[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,2}\s*[?.!]*\s*$|"
                          # "What were the names of the 10 Russian diplomats …?"
                          rf"^\s*(?i:what)\s+(?i:is|was|are|were)\s+(?i:the)\s+(?i:names?)\s+(?i:of)\s+(?:(?i:the|those|these)\s+)?"
                          rf"(?:[\w.’'-]+\s+){{0,3}}(?i:{_PEOPLE})\b|"
                          # "Who led the British delegation?": a body of people is led by a person
                          r"^\s*(?i:who)\s+(?i:led|headed|chaired|ran)\s+(?:(?i:the)\s+)?(?:[\w.’'-]+\s+){0,2}?"
                          r"(?i:delegations?|commissions?|committees?|teams?|councils?|panels?|missions?)\b")
MONTHS = "january february march april may june july august september october november december"
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
# Capitalised words that name no person: titles, months, days, and words of offices and bodies.
_NOT_PERSONS = frozenset(f"""
president presidents secretary state minister prime foreign general premier chancellor ambassador senator
governor king queen emperor tsar czar leader chairman administration government congress senate parliament
{MONTHS} {WEEKDAYS} spring summer autumn fall winter
war cold world treaty convention agreement accord pact act conference summit commission council union
east west north south eastern western northern southern central europe european asia asian africa african
middle empire republic federation kingdom allied allies alliance nazi communist party revolution
anglo franco sino russo austro st mt ft
""".split())
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z\u00C0-\u024F'’-]+")
_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z\u00C0-\u024F'’-]+(?:\s+[A-Z][a-zA-Z\u00C0-\u024F'’-]+)*")


# "Who was the U.S. Secretary of State who launched the reset?": the office asked for. Whoever a sentence names
# holds it only if the sentence says so; "when President Barack Obama took office" names a president.
_OFFICE = (r"secretary of state|secretary|foreign minister|prime minister|minister|ambassador|premier|chancellor|"
           r"president|envoy|governor|mayor|king|queen|emperor|tsar|czar|general|commander|chairman|senator|pope|bishop")
_ASKS_OFFICE = re.compile(rf"^\s*(?i:who)\s+(?i:was|is|were|are|served as)\s+(?i:the\s+)?(?:[A-Z][\w.’'-]*\s+){{0,2}}"
                          rf"(?P<office>(?i:{_OFFICE}))\b(?!\s+(?i:of\s+the\s+(?:time|day)))")


def asked_office(question: str) -> str | None:
    """The office a "who was the <office> …?" question asks the holder of, lower case, or None."""
    m = _ASKS_OFFICE.match(question)
    return m.group("office").lower() if m else None


def holds_office(office: str, sentence: str) -> bool:
    """Whether the sentence writes the office (its first word, any ending: "secretaries", "presidency")."""
    word = office.split()[0]
    return re.search(rf"\b{re.escape(word[:max(4, len(word) - 1)])}", sentence, re.I) is not None


def asks_person(question: str) -> bool:
    return bool(_ASKS_PERSON.search(question))


def names_someone_new(question: str, sentence: str) -> bool:
    """Whether the sentence has a capitalised word that could name a person the question does not name."""
    asked = {_plain(w) for w in _CAPITALISED.findall(question)} | {_plain(w) for w in question.split()}
    for run in _RUN.findall(sentence):
        if variants(_plain(run)) != (_plain(run),):
            continue   # "United States", "Soviet Union"
        parts = re.split(r"[\s-]+", run)
        if any(_plain(part) in asked and _plain(part) not in _NOT_PERSONS for part in parts):
            continue   # "President Dmitry Medvedev" is the question's "Medvedev"
        for part in parts:
            p = _plain(part)
            if not p or not part[:1].isupper() or p in asked or p in _NOT_PERSONS:
                continue
            if names_a_place(p):
                continue   # a country, its people or its capital
            return True
    return False


def _plain(word: str) -> str:
    return re.sub(r"['’]s?$", "", word.casefold().strip(".,;:!?\"“”()"))
