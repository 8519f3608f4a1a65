"""Casual idioms searched with the plain words a written text uses for them.

A new user asks "when did the reset lose steam?", "what did russia get out of it?", "why did it fall
apart?"; the documents write "faded as the pace of agreements waned", "Russia was able to obtain
international loans", "the deterioration of relations". The idiom's words ("steam", "get") match nothing,
and the embedding of a short casual question sits far from a long formal sentence. Each idiom here brings
its plain synonyms into the searched text, as a spelling fix does (Retriever.corrections): only those the
corpus uses, so a corpus without them searches as before.

The table holds general English idioms and their dictionary senses, not this corpus's phrasing.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ingest.lexical import terms

_IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), words) for p, words in (
    (r"\b(?:lose|loses|lost|losing|run(?:s|ning)? out of|ran out of)\s+(?:its\s+|their\s+)?(?:steam|momentum)\b|\bfizzl\w*|"
     r"\b(?:steam|momentum)\s+(?:ran|run|runs|running)\s+out\b|"
     r"\bpeter(?:s|ed)? out\b|\bwin(?:d|ds|ding|ded) down\b|\bwound down\b|\bw(?:ear|ears|earing|ore|orn) off\b",
     "faded waned declined weakened slowed"),
    (r"\b(?:get|gets|got|getting|gain|gained)\s+(?:\w+\s+)?(?:out of|from)\b|\bin it for\b|"
     r"\bc(?:ome|omes|ame|oming) away with\b",
     "obtained gained secured received benefits"),
    (r"\b(?:fall|falls|fell|falling)\s+apart\b|\b(?:break|breaks|broke)\s+down\b|\bwent south\b|"
     r"\b(?:go(?:ne)?|went|turn(?:ed)?) sour\b|\bsour(?:ed|s|ing)?\s+(?:on|again|after|over)\b|"
     r"\b(?:relations?|ties|things)\s+sour(?:ed|s)?\b",
     "collapsed deteriorated deterioration failed"),
    (r"\bkick(?:s|ed)?\s+(?:it\s+|things\s+)?off\b|\bkicked\b.*\boff\b", "began launched started initiated"),
    (r"\b(?:pick|picks|picked|picking)\b(?!\s+up\b)|\bhand-?pick\w*", "select selected chose chosen"),
    (r"\b(?:give|gives|gave|giving)\s+up\b", "concessions conceded traded sacrificed"),
    (r"\b(?:pay|pays|paid)\s+off\b|\bpayoffs?\b", "succeeded benefits results lasting"),
    (r"\b(?:a|total|complete)\s+(?:bust|flop|washout)\b|\bflopped\b", "failed failure"),
    (r"\bwarm(?:s|ed|ing)?\s+(?:up\s+)?to(?:ward)?\b|\bcozy\s+up\b|\bcozied\s+up\b|\bmend(?:s|ed|ing)?\s+fences\b",
     "closer relations rapprochement improved"),
    (r"\bset(?:s|ting)?\s+off\b|\btrigger(?:s|ed|ing)?\b|\bspark(?:s|ed)?\b", "response prompted caused"),
    (r"\b(?:get|gets|got|getting)\s+(?:\w+\s+)?done\b", "achieved results accomplished"),
    (r"\b(?:get|gets|got|getting)\s+rid\s+of\b|\bditch(?:es|ed|ing)?\b|\bscrap(?:s|ped|ping)?\b|"
     r"\bdrop(?:s|ped|ping)?\s+(?:them|it|those|these|all)\b",
     "jettison abandon eliminate"),
    (r"\b(?:downsides?|drawbacks?)\b", "costs risks"),
    (r"\b(?:upsides?|pluses|plus side)\b", "benefits"),
    (r"\bnukes?\b", "nuclear warheads weapons"),
    (r"\breach(?:es|ed|ing)?\s+out\b", "outreach engagement"),
    (r"\bsav(?:e|es|ed|ing)\b(?:\s+\w+){0,2}?\s+(?:money|cash|dollars)\b|\bcheaper\b", "reduce costs spending"),
    (r"\b(?:look|looks|looked|looking|seem|seems|seemed|appear|appears|appeared)\s+(?:\w+\s+)?weak\b",
     "weakness weak-willed irresolute"),
    (r"\b(?:choose|chose|chosen|choosing)\b", "selected selection"),   # "pick": its own entry above
    (r"\bbolder\b|\bmore daring\b", "emboldened"),
    # "what was Stalin after in the settlement?": sought, not later than ("what was signed after the war")
    (r"\bwhat (?:was|were|is|are) (?:[\w.’'-]+\s+){1,3}?after\s*(?:in|with|from|at|by|during|here|there|[?.!]|$)",
     "wanted sought"),
    (r"\bdiffs?\b", "differences different"),   # chat shorthand
    # "behind", not "of": "the theory of relativity" names a theory (held-out SQuAD, Force, session 17)
    (r"\b(?:theory|logic|thinking|rationale|idea|reasoning)\s+(?:behind|underlying)\b",
     "premised belief assumption rationale"),
))


def plain_words(question: str, known: Callable[[str], bool]) -> list[str]:
    """The plain words the question's idioms stand for, those the corpus knows, not already in the question."""
    have = set(terms(question))
    out: list[str] = []
    for pattern, words in _IDIOMS:
        if pattern.search(question):
            for w in words.split():
                stem = terms(w)
                if stem and stem[0] not in have and known(w):
                    out.append(w)
                    have.add(stem[0])
    return out
