"""What a question asks for (a person, a name, a count, a number, a date) and whether a sentence states it.

A sentence may share every content word with "When did détente begin?" and still not answer it: an answer to
"when" states a date, to "how many" a count, to "who" a name the question does not already hold. These checks
let the answerer skip such a sentence for the next one that does state it, or abstain when none does (an
asked-for date, number or name missing is one of the cheap checks #12 keeps beside the learned selector).
"""
from __future__ import annotations

import re

from .name_variants import government_of, names_a_place
from .persons import MONTHS, WEEKDAYS, asked_office, asks_person, holds_office, names_someone_new

# "once" counts ("met only once"), except as a conjunction ("Once the fruit had been harvested, ...").
_NUM = re.compile(r"\b\d[\d,.]*\b|\bonce\b(?!\s+(?:the|this|that|these|those|it|they|he|she|we|you|its|their|again)\b)|\b(?:twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozens?|hundred|thousand|million|billion|half|third|quarter)\b", re.I)
YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)s?\b")  # "1994", "1970s": what both checks below count as a year
# A year before 1500 is a date only where a date is written: "became Great Khan in 1206", "by 1251", "AD 800"
# ("300 soldiers" is no date). Without it, every "When …?" about medieval history found no date to quote.
_EARLY_YEAR = (r"\b(?:in|by|since|from|until|till|after|before|around|circa|c\.|ca\.)\s+1[0-4]\d\d\b(?![.,]?\d)"
               r"(?!\s*(?:%|percent|km|miles?|meters|metres|feet|people|men|soldiers|troops|ships)\b)|"
               r"\b(?:year|AD)\s+\d{3,4}\b|\b\d{3,4}\s*(?:AD|BC|BCE|CE)\b")
_YEAR_OR_DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)[\s-]+century\b|" + YEAR.pattern + "|" + _EARLY_YEAR + r"|\b(?:" + "|".join(MONTHS.split()) + r"|spring|summer|autumn|fall|winter|century)\b", re.I)


# "How much did the US spend on defense?", "How much did sanctions cost Russia in dollars?": an amount of money,
# which "the Third World" or "the two countries" does not state; a figure in digits or a unit of money does.
_MONEY_ASKED = re.compile(r"\b(?:cost|costs|costing|spend|spends|spent|spending|pay|pays|paid|price|prices|money|"
                          r"dollars?|budget|funding|worth|expenditures?|reparations|indemnit(?:y|ies))\b", re.I)
_MONEY_SAID = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?|sterling|rubles?|roubles?|francs?|marks|yen|livres?|"
                         r"billion|million|trillion|thousand|hundred|percent|per cent)\b|%|\b\d[\d,.]*\b", re.I)
_BY_HOW_MUCH = re.compile(r"\bby how much\b", re.I)
_ONE_PRONOUN = re.compile(r"\b(?:one another|no one|any ?one|some ?one|every ?one|one of)\b", re.I)
_LABEL_NUMBER = re.compile(r"\b(?:case stud(?:y|ies)|chapter|section|figure|table|part|box|appendix|volume|no\.)\s+\d+\b",
                           re.I)
_OF_A_SET = re.compile(r"\bhow many of\b", re.I)
_WHOLE_SET = re.compile(r"\b(?:all|both|none|neither|every|each)\b", re.I)
_FRACTION = re.compile(r"\b(?:(?:one|two|three|four)[- ])?(?:half|halves|thirds?|quarters?|fifths?)\b", re.I)
_NOT_A_PLACE_OR_FIRM = frozenset(
    "central eastern western northern southern east west north south middle asia europe africa america americas "
    f"pacific atlantic balkans caucasus arctic {MONTHS} {WEEKDAYS} president secretary minister "
    "premier chancellor general king queen tsar czar emperor prime ambassador senator governor state".split())
_POSSESSIVE = re.compile(r"['’]s?$")
# A name may end in digits ("WW2", "G20"): the digits are part of it, and "WW" alone is no word of anyone's.
NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z\u00C0-\u024F'’-]+(?:\d+\b)?|\b[A-Z](?:[A-Z]+\d*|\d+)\b")


def expected_type(question: str) -> str | None:
    if asks_person(question):
        return "person"   # "Which Soviet official …?" (persons.py)
    q = question.lower()
    if re.search(r"^\s*who\b|\bwhich (?:person|official|leader|president|author)s?\b", q):
        return "name"
    # "What was the cap on deployed warheads?": a cap, ceiling or limit on something is a count of it.
    if re.search(r"\bhow many\b|^\s*(?:what|which) (?:is|was|are|were) the (?:\w+ )?(?:number of|(?:cap|ceiling|limit)s? on)\b", q):
        return "count"
    # "how long" is left out: a duration is as often "until the revolution" as a number. "What reparations
    # figure did the U.S. propose?" asks for one.
    if re.search(r"\bhow (?:much|large|big|far|old|tall|wide|high|deep|heavy|fast)\b|"
                 r"\bwhat (?:[a-z]+ )?(?:percentage|share|fraction|number|amount|sum|figure|proportion|"
                 r"(?:interest |exchange |growth |tax )?rate)\b(?! of times)|\bnumerical\b", q):
        return "number"
    # "When Iqbal promoted unity, what did he encourage?": a clause, the question comes after its comma.
    # Typed short: "whens", "when's", "what yr".
    if re.search(r"^\s*when(?:s|['’]s)?\b(?![^,?]*,\s*(?:what|who|whom|which|how|where|why)\b)|\b(?:what|which) (?:exact |precise |specific )?(?:years?|yrs?|dates?|days?|months?|decades?|century|centuries)\b|\bin which year\b|\bwhich year\b", q):
        return "date"
    if re.search(r"^\W*(?:[\w'’.-]+\s+){1,3}(?:years?|dates?|when|timeline)\W*$", q):
        return "date"  # "detente years?"
    # Asked only when no date is: "what % of russians", "rand $ estimate", "the total value of the loans" ask for
    # a number, but "In what decade did the Rankine cycle create 90% of electric power?" for a date.
    if re.search(r"%|\$|\bpercent\b|\b(?:total|dollar|monetary|cash) (?:value|cost|amount|sum)\b", q):
        return "number"
    # "In which city did they meet?", "which company found the oil?": a place or a firm is answered by its name.
    if re.search(r"\b(?:which|what) (?:[a-z]+ )?(?:city|cities|town|towns|village|villages|venue)\b", q):
        return "place"
    # "Which countries were at the center of the rivalry?": a name the question does not already hold.
    if re.search(r"\b(?:which|what) (?:[a-z]+ )?(?:countries|nations)\b", q):
        return "country"
    if re.search(r"\b(?:which|what) (?:[a-z]+ )?(?:company|companies|firm|firms|corporation|corporations|bank|banks)\b", q):
        return "firm"
    return None


def satisfies(kind: str | None, question: str, sentence: str) -> bool:
    if kind is None:
        return True
    if kind == "person":
        return names_someone_new(question, sentence)
    if kind == "name":
        office = asked_office(question)
        if office and not holds_office(office, sentence):
            return False   # "Who was the Secretary of State …?" against "when President Barack Obama took office"
        asked_names = _names(question)
        return any(m not in asked_names for m in _names(sentence))
    if kind in ("place", "firm", "country"):
        # A country, a region, a month or a title is no city and no firm: "in August 1907, Britain and Russia
        # concluded an agreement … in Central Asia" names neither where it was signed nor who found the oil.
        new = [n for n in _names(sentence) - _names(question) if n not in _NOT_A_PLACE_OR_FIRM]
        if kind == "country":
            return bool(new)
        new = [n for n in new if n not in _country_words(sentence)]   # "United States" is no city and no firm
        if kind == "place":   # a capital is a city ("London"), a country is not, nor a government ("London's desire")
            owners = _owners_only(sentence)
            return any(not names_a_place(n) or (government_of(n) is not None and n not in owners) for n in new)
        return any(not names_a_place(n) for n in new)
    if kind == "count":
        # "How many of the case studies involve Russia?" is answered by "all the selected cases involve …".
        if _OF_A_SET.search(question) and _WHOLE_SET.search(sentence):
            return True
        # "How many warheads?" is not answered by "by one-third": a share is not a count.
        sentence = _FRACTION.sub(" ", sentence)
    if kind in ("number", "count"):
        # Nor by "in 2011": a year is a date, and "How much money …?" is not answered by "By the fall of 1945".
        # "one another", "no one", "one of": a pronoun, not a number; "Case Study 2" numbers a part of the text.
        sentence = YEAR.sub(" ", _ONE_PRONOUN.sub(" ", _LABEL_NUMBER.sub(" ", sentence)))
    # "By how much did Britain cut its spending …?" asks for a change, which a denial ("did not reduce") answers.
    if kind == "number" and _MONEY_ASKED.search(question) and not _BY_HOW_MUCH.search(question) \
            and not _MONEY_SAID.search(sentence):
        return False
    pattern = _NUM if kind in ("number", "count") else _YEAR_OR_DATE
    asked = {m.lower() for m in pattern.findall(question)}
    return any(m.lower() not in asked for m in pattern.findall(sentence))


_RUN = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+")


def _country_words(text: str) -> set[str]:
    """The words of a name in several words that names a country, not its seat ("United States", "Soviet Union")."""
    out: set[str] = set()
    for run in _RUN.finditer(text):
        parts = [_POSSESSIVE.sub("", w) for w in run.group(0).split()]
        for i in range(len(parts) - 1):
            pair = f"{parts[i]} {parts[i + 1]}"
            if names_a_place(pair) and government_of(pair) is None:
                out |= {parts[i].lower(), parts[i + 1].lower()}
    return out


def _owners_only(text: str) -> set[str]:
    """Names the text writes only as owners ("London's desire"): a capital so written is its government."""
    found = NAME.findall(text)
    return {_POSSESSIVE.sub("", m).lower() for m in found} - {m.lower() for m in found if not _POSSESSIVE.search(m)}


def _names(text: str) -> set[str]:
    """Capitalised names, without a possessive ending: "Biden’s invitation" names no one "Biden" did not."""
    return {_POSSESSIVE.sub("", m).lower() for m in NAME.findall(text)}
