"""A question about one year against a best sentence about others.

"How many French Catholics were there in 1598?" against a passage that speaks of 1562: SQuAD 2.0 makes
unanswerable questions by changing a date, and the sentence that matches best still gives the original.
When the question names a year that neither the best sentence, its neighbours nor its section heading
(ranges such as "(1969–1975)" and decades such as "the 1970s" included) mention, while they do mention other years, the documents do not
say what happened in the asked year. A year after "before", "after", "since", "until", "by", "from",
"between" or "prior to" is a bound, not the asked date, and is not checked; nor is a year that dates a
source ("the 2023 RAND brief"), which made "What did the 2023 RAND brief say about détente?" abstain.
A text's "post-1945" or "pre-1914" bounds a period and does not state its year: "Brezhnev's demands in the
1945 postwar settlement talks" against "safeguarding the post-1945 European borders" (détente) is about other years.
On SQuAD development articles (Huguenot and three training articles) the rule fired for 11 unanswerable
and 2 answerable questions, and for none of our own dev questions.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

YEAR = re.compile(r"\b(1[0-9]\d\d|20\d\d)\b")
_BOUND = re.compile(r"\b(?:before|after|since|until|till|by|from|between|prior to|through|and|or|to)\s+(?:the\s+)?"
                    r"(?:(?:early|mid|late|end of|start of)[\s-]+)?$", re.I)
RANGE = re.compile(r"\b(1[0-9]\d\d|20\d\d)\s*[–—-]\s*(1[0-9]\d\d|20\d\d|\d\d)\b")
_DECADE = re.compile(r"\b(1[0-9]\d0|20\d0)['’]?s\b")  # "the 1970s" states the years 1970 to 1979


# "the 2023 RAND brief", "the 2021 Seattle Times op-ed": the year dates the source, it is not asked about.
_DATES_SOURCE = re.compile(r"^\s*(?:[A-Z][\w.&-]*\s+){0,3}(?:op-?eds?|briefs?|reports?|stud(?:y|ies)|articles?|papers?|"
                           r"pieces?|columns?|editorials?|research|summar(?:y|ies)|documents?)\b", re.I)


def _asked_years(question: str) -> set[str]:
    return {m.group(1) for m in YEAR.finditer(question)
            if not _BOUND.search(question[: m.start()]) and not _DATES_SOURCE.match(question[m.end():])}


# "the post-1945 European borders", "pre-1914 Europe": the year bounds a period, the text does not speak of it.
_STATED_YEAR = re.compile(r"(?<![Pp]ost-)(?<![Pp]re-)\b(1[0-9]\d\d|20\d\d)\b")


def _years_in(texts: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out.update(_STATED_YEAR.findall(t))
        for a, b in RANGE.findall(t):
            end = int(b) if len(b) == 4 else int(a[:2] + b)
            out.update(str(y) for y in range(int(a), min(end, int(a) + 200) + 1))
        for d in _DECADE.findall(t):
            out.update(str(y) for y in range(int(d), int(d) + 10))
    return out


def other_years(question: str, texts: Sequence[str], headings: Sequence[str]) -> bool:
    """Whether the question asks about a year the texts and headings never mention while the texts mention others."""
    asked = _asked_years(question)
    if not asked:
        return False
    stated = _years_in(texts)
    return bool(stated) and not asked & (stated | _years_in(headings))


# "in 2016", "during 1945", "in August 1907", "in early 1946": the year the question places its event in.
_PLACED_IN = re.compile(r"\b(?:in|during)\s+(?:(?:early|mid|late)[\s-]+)?(?:[A-Z][a-z]+\s+)?$")


def unplaced_year(question: str, texts: Sequence[str], headings: Sequence[str]) -> str:
    """A year the question places its event in ("How many Russian diplomats did the U.S. expel in 2016?") that
    the texts and headings never state, though they state no other year either (other_years covers that), or "".
    """
    stated = _years_in(texts) | _years_in(headings)
    for m in YEAR.finditer(question):
        if _PLACED_IN.search(question[: m.start()]) and not RANGE.match(question, m.start()) \
                and not _DATES_SOURCE.match(question[m.end():]) and m.group(1) not in stated:
            return m.group(1)
    return ""


# "the early 70s", "the '90s", "the seventies": a decade written short, which no text in the corpus matches.
_SHORT_DECADE = re.compile(r"(?<![\w'’-])['’]?([3-9])0['’]?s\b", re.I)
_DECADE_WORDS = {w: str(i) for i, w in enumerate("thirties forties fifties sixties seventies eighties nineties".split(), 3)}
_DECADE_WORD = re.compile(r"\b(" + "|".join(_DECADE_WORDS) + r")\b", re.I)


def full_decades(question: str) -> list[str]:
    """The 20th-century decades a question writes short ("70s" → "1970s"); the '00s, '10s and '20s are left
    alone, as they may be either century's."""
    out = [f"19{m.group(1)}0s" for m in _SHORT_DECADE.finditer(question)]
    out += [f"19{_DECADE_WORDS[m.group(1).lower()]}0s" for m in _DECADE_WORD.finditer(question)]
    return list(dict.fromkeys(out))
