"""Other names for the same place or body: "USSR" for "Soviet Union", "Poland" for "Polish".

The unknown-name check abstains on a capitalised word the corpus never uses. A document that says "the
Soviet Union" and "the Polish border" does mention the USSR and Poland, so the check looks up these
variants too. The table holds common abbreviations and country/demonym pairs; it is not a thesaurus.

A capital or seat stands for its government as an actor ("How does Beijing's relationship with Moscow affect
…?", "if Washington softens toward the Kremlin"), so for the unknown-name check it is mentioned when its
country is (`government_of`). It is not the same place, so it is no variant: "How many people lived in
Poland in 1939?" against "1,300,000 people lived in Warsaw" is still a swapped name (swaps.py).
"""
from __future__ import annotations

import re

# How close a misspelling must be to the word it stands for (difflib ratio): the spelling corrector's bar for
# any word ("convnetion"), and the bar at which a misspelt name is that name ("Breznev" for "Brezhnev").
TYPO_CUTOFF = 0.85

_GROUPS = [
    "ussr|soviet union|soviets|soviet", "us|usa|united states|america|american|americans",
    "uk|britain|united kingdom|british|england|english", "eu|european union", "un|united nations",
    "nato|north atlantic treaty organization|north atlantic alliance", "prc|china|chinese",
    "poland|polish|poles", "france|french", "germany|german|germans", "japan|japanese", "turkey|turkish|turks",
    "russia|russian|russians", "netherlands|holland|dutch", "spain|spanish", "sweden|swedish", "denmark|danish",
    "finland|finnish", "ireland|irish", "iran|iranian|iranians|persia|persian", "afghanistan|afghan|afghans",
    "ukraine|ukrainian|ukrainians", "italy|italian|italians", "greece|greek|greeks", "egypt|egyptian|egyptians",
    "israel|israeli|israelis", "syria|syrian|syrians", "iraq|iraqi|iraqis", "india|indian|indians",
    "pakistan|pakistani|pakistanis", "korea|korean|koreans", "vietnam|vietnamese", "cuba|cuban|cubans",
    "mexico|mexican|mexicans", "canada|canadian|canadians", "switzerland|swiss", "austria|austrian",
    "belgium|belgian", "portugal|portuguese", "norway|norwegian", "hungary|hungarian", "czechoslovakia|czech",
    "tibet|tibetan", "arabia|arab|arabs|arabic", "scotland|scottish|scots", "wales|welsh",
    "libya|libyan|libyans", "belarus|belarusian|belarusians", "serbia|serbian|serbs", "georgia|georgian|georgians",
    "lithuania|lithuanian", "latvia|latvian", "estonia|estonian", "moldova|moldovan", "armenia|armenian|armenians",
    "azerbaijan|azerbaijani", "kazakhstan|kazakh", "chechnya|chechen|chechens", "kosovo|kosovar", "brazil|brazilian",
    "venezuela|venezuelan", "australia|australian|australians", "mongolia|mongolian|mongols",
    "wwii|ww2|world war ii|second world war", "wwi|ww1|world war i|first world war|great war",
]
_VARIANTS: dict[str, tuple[str, ...]] = {}
for _g in _GROUPS:
    _names = tuple(_g.split("|"))
    for _n in _names:
        _VARIANTS[_n] = _names


def variants(name: str) -> tuple[str, ...]:
    """The other names of `name` (lower case), itself included; just itself when the table has none."""
    return _VARIANTS.get(_key(name), (name.casefold(),))


def names_a_place(word: str) -> bool:
    """Whether a word names a country, its people or its seat of government ("Germany", "Persian", "Kyiv")."""
    return variants(word) != (word.casefold(),) or government_of(word) is not None


def government_of(name: str) -> str | None:
    """The country a capital or seat of government stands for ("Beijing's" → "china"), or None."""
    return _SEATS.get(_key(name))


def _key(name: str) -> str:
    return re.sub(r"['’]s$", "", name.casefold().strip(".").replace(".", ""))  # "Beijing's" is Beijing


_SEATS = {seat: country for country, seats in {
    "russia": "moscow kremlin petersburg", "china": "beijing peking", "ukraine": "kyiv kiev", "iran": "tehran",
    "britain": "london whitehall", "japan": "tokyo", "germany": "berlin", "france": "paris", "turkey": "ankara",
    "poland": "warsaw", "afghanistan": "kabul", "italy": "rome", "egypt": "cairo", "syria": "damascus",
    "iraq": "baghdad", "pakistan": "islamabad", "cuba": "havana", "united states": "washington pentagon",
}.items() for seat in seats.split()}
