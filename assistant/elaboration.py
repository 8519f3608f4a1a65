"""A best sentence that names what was asked only in general, and the next sentence that spells it out.

"Which U.S. actions convinced Stalin that American accommodation wasn't genuine?" ranks "Stalin, meanwhile,
saw U.S. actions as part of a pattern …" first; the actions themselves are in the next sentence, "U.S.
actions — including the dropping of atomic weapons over Japan, excluding the Soviets from Japan's postwar
administration …", which shares fewer of the question's words. "How does the balance of power affect whether
a rival gets emboldened?" ranks "The distribution of power could affect whether a rival is emboldened by a
less-hardline approach." first: it restates the question, and the next sentence says how ("A relatively
weaker state may be less likely to be emboldened …").

So the next sentence of the same section is quoted with the best one when it lists members of the noun a
"which/what <nouns>" question asks for ("including", "such as", "e.g.", a colon or dash after the noun), or
when the best sentence is a short statement that one thing could affect another, with nothing about how.
A short denial ("Offering incentives is not “appeasement” …") takes the next sentence when that one says what
it is instead ("It is recognizing that …").
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord
from ingest.roles import answerable

if TYPE_CHECKING:
    from .extractive import Scored

_FRAMING = re.compile(
    r":\s*$|\b(?:as follows|the following|below|as shown|illustrates|for example|include[sd]?:|"
    r"(?:several|multiple|two|three|four|many|a number of) (?:reasons|ways|factors|findings|benefits|costs|risks|"
    r"examples|lessons|principles|options|steps|points))\b|"
    # "Although circumscribed, the reset nonetheless produced important results.": the next sentence says which.
    r"\b(?:important|significant|notable|major|tangible|concrete|lasting) (?:results|benefits|gains|achievements|"
    r"outcomes|successes)\.?\s*$", re.I)

# "Which U.S. actions …?", "What two issues …?": the plural noun the question asks members of.
_ASKED_NOUN = re.compile(r"^\s*(?:which|what)\s+(?:[\w.’'-]+\s+){0,2}?([a-z]{4,}s)\b(?!\s+of\b)", re.I)
# A sentence whose subject is a pronoun for the previous sentence's ("For one thing, they have not worked."): its
# words are scored with that sentence's too (extractive.score_sentences).
# An "it" that stands for nothing ("It is up to President Biden …", "It is difficult to see how …") does not.
REFERS_BACK = re.compile(r"^\s*(?:(?:for one thing|first|second|third|moreover|however|but|yet|still|instead|"
                         r"in (?:turn|fact|practice))\s*,?\s*)?(?:they|it(?!\s+(?:is|was|seems|appears|remains)\s+"
                         r"(?:up to|time|(?:(?!\w+ing\b)\w+\s+){0,2}?(?:to|that|whether|how)\b))|this|these|those|such)\b", re.I)
# "What did the U.S. do that …?": asks for deeds, which a sentence may name only as "U.S. actions".
_ASKS_DEEDS = re.compile(r"^\s*(?:so\s+|and\s+)?what\s+(?:did|does|do|has|have|had)\s+(?:[\w.’'-]+\s+){1,4}?do\b", re.I)
_LISTS_AFTER = r"\s*(?:[—–:(]|,?\s+(?:including|such as|e\.g\.|for example|namely))"
# A short sentence that a relation exists, not what it is: "X could affect whether Y".
_RELATION_ONLY = re.compile(r"^[^,;:—–]{0,140}\b(?:could|can|may|might)\s+(?:affect|influence|shape|determine|matter)"
                            r"\b[^,;:—–]{0,80}\.?\s*$", re.I)


def spelled_out_next(question: str, best: str, following: str) -> bool:
    """Whether `following` (the sentence after `best`, same section) spells out what `best` names in general."""
    m = _ASKED_NOUN.match(question)
    if m:
        stem = m.group(1).lower()[:max(4, len(m.group(1)) - 2)]
        said = re.compile(rf"\b{re.escape(stem)}\w*", re.I)
        if said.search(best) and re.search(rf"\b{re.escape(stem)}\w*{_LISTS_AFTER}", following, re.I):
            return True
    if m or _ASKS_DEEDS.match(question):
        # "Which American moves …?", "what did the us do that made stalin …": the next sentence opens by
        # listing what the best one named ("U.S. actions — including …"), in other words than the question's.
        opening = re.match(rf"^\s*((?:[\w.’'-]+\s+){{0,2}}?[a-z][\w’'-]*s){_LISTS_AFTER}", following)
        if opening and opening.group(1).lower() in best.lower():
            return True
    # "How/why does X affect Y?", and "Does X change whether Y?", whose "yes" the best sentence gives without the how
    return bool(_RELATION_ONLY.match(best.strip())) and re.match(
        r"^\s*(?:how|why|does|do|did|can|could|would|will|might)\b", question, re.I) is not None

# "Offering incentives is not “appeasement” …" + "It is recognizing that …": a denial and the correction the
# next sentence makes are one statement; quoted alone, the denial gives no reason.
_DENIAL = re.compile(r"\b(?:is|are|was|were)\s+not\b|\b(?:isn|aren|wasn|weren)[’']t\b", re.I)
_CORRECTION = re.compile(r"^\s*(?:(?:it|this|that|they)\s+(?:is|are|was|were)\b|(?:it|that)[’']s\b|rather\b|instead\b)",
                         re.I)


def corrected_next(best: str, following: str) -> bool:
    """Whether `following` says what the short denial `best` put in the place of what it denied."""
    return len(best) <= 160 and _DENIAL.search(best) is not None and _CORRECTION.match(following) is not None


def announces(text: str) -> bool:
    """Whether a sentence announces content the sentences after it deliver ("there are multiple reasons …")."""
    return _FRAMING.search(text) is not None


def elaborated(question: str, best: Scored, chosen: list[Scored], sentences: Sequence[SentenceRecord],
               limit: int) -> list[Scored]:
    """`chosen` (best first) with the sentences after the best one that deliver what it announces or spell out
    what it names in general, in place of weaker extra picks; at most `limit` sentences."""
    text = sentences[best.row].text
    if announces(text):
        # "there are multiple reasons why …": every following sentence of the section, up to the limit, and past
        # it while the text counts them ("First, …", "Second, …", "Third, …", "Finally, …"), up to RUN_LIMIT
        out = [best]
        row = best.row + 1
        while row < len(sentences) and continues(sentences[row], sentences[best.row]) and (
                len(out) < limit or (len(out) < RUN_LIMIT and OPENS_COUNTED.match(sentences[row].text))):
            out.append(dataclasses.replace(best, row=row))
            row += 1
        if len(out) > limit:
            return out
    elif (best.row + 1 < len(sentences) and continues(sentences[best.row + 1], sentences[best.row])
          and (spelled_out_next(question, text, sentences[best.row + 1].text)
               or corrected_next(text, sentences[best.row + 1].text))):
        out = [best, dataclasses.replace(best, row=best.row + 1)]
    else:
        return chosen[:limit]
    rows = {c.row for c in out}
    return (out + [c for c in chosen if c.row not in rows])[:limit]


# A sentence the text counts: "First, insecurity …", "Third, states may …", "Finally, when a nation's leaders …".
OPENS_COUNTED = re.compile(r"^\s*(?P<word>first|second|third|fourth|fifth|sixth|seventh|finally|lastly)\b", re.I)
RUN_LIMIT = 6  # an announced, counted run is quoted whole up to this many sentences (the announcing one included)


def continues(nxt: SentenceRecord, sent: SentenceRecord) -> bool:
    """Whether `nxt` carries `sent` on: same document and section, not a heading, quotable at all."""
    return nxt.doc == sent.doc and nxt.section == sent.section and not nxt.heading and answerable(nxt)
