"""Other names for the same place or body: "USSR" for "Soviet Union", "Poland" for "Polish".

The unknown-name check abstains on a capitalised word the corpus never uses. A document that says "the
Soviet Union" and "the Polish border" does mention the USSR and Poland, so the check looks up these
variants too. The table holds common abbreviations, country/demonym pairs and the capitals or seats that
stand for a government ("Beijing", "the Kremlin"): "How does Beijing's relationship with Moscow affect …?"
is a question about China, which the brief discusses, not about a city it never names. It is not a
thesaurus.
"""
from __future__ import annotations

import re

# How close a misspelling must be to the word it stands for (difflib ratio): the spelling corrector's bar for
# any word ("convnetion"), and the bar at which a misspelt name is that name ("Breznev" for "Brezhnev").
TYPO_CUTOFF = 0.85

_GROUPS = [
    "ussr|soviet union|soviets|soviet", "us|usa|united states|america|american|americans",
    "uk|britain|united kingdom|british|england|english|london|whitehall", "eu|european union", "un|united nations",
    "nato|north atlantic treaty organization|north atlantic alliance", "prc|china|chinese|beijing|peking",
    "poland|polish|poles|warsaw", "france|french|paris", "germany|german|germans|berlin", "japan|japanese|tokyo", "turkey|turkish|turks|ankara",
    "russia|russian|russians|moscow|kremlin", "netherlands|holland|dutch", "spain|spanish", "sweden|swedish", "denmark|danish",
    "finland|finnish", "ireland|irish", "iran|iranian|iranians|persia|persian|tehran", "afghanistan|afghan|afghans|kabul",
    "ukraine|ukrainian|ukrainians|kyiv|kiev", "italy|italian|italians|rome", "greece|greek|greeks", "egypt|egyptian|egyptians|cairo",
    "israel|israeli|israelis", "syria|syrian|syrians|damascus", "iraq|iraqi|iraqis|baghdad", "india|indian|indians|new delhi",
    "pakistan|pakistani|pakistanis|islamabad", "korea|korean|koreans", "vietnam|vietnamese", "cuba|cuban|cubans|havana",
    "mexico|mexican|mexicans", "canada|canadian|canadians", "switzerland|swiss", "austria|austrian",
    "belgium|belgian", "portugal|portuguese", "norway|norwegian", "hungary|hungarian", "czechoslovakia|czech",
    "tibet|tibetan", "arabia|arab|arabs|arabic", "scotland|scottish|scots", "wales|welsh",
    "wwii|ww2|world war ii|second world war", "wwi|ww1|world war i|first world war|great war",
]
_VARIANTS: dict[str, tuple[str, ...]] = {}
for _g in _GROUPS:
    _names = tuple(_g.split("|"))
    for _n in _names:
        _VARIANTS[_n] = _names


def variants(name: str) -> tuple[str, ...]:
    """The other names of `name` (lower case), itself included; just itself when the table has none."""
    key = re.sub(r"['’]s$", "", name.casefold().strip(".").replace(".", ""))  # "Beijing's" is Beijing
    return _VARIANTS.get(key, (name.casefold(),))
