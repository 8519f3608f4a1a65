"""A question about one named place or party against a sentence about another (assistant/swaps.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.swaps import names, swapped_name

BERLIN = "In Berlin, the Huguenots created two new neighbourhoods: Dorotheenstadt and Friedrichstadt."


@pytest.mark.parametrize(("question", "texts", "best", "headings", "swap"), [
    ("What neighborhood did Huguenots create in Hamburg?", [BERLIN], BERLIN, [], ("Hamburg", "Berlin")),
    ("What neighborhood did Huguenots create in Berlin?", [BERLIN], BERLIN, [], None),
    # a possessive before the same noun is the same slot
    ("What did Plato's view on science combine?", ["Aristotle's view on science combined logic and observation."],
     "Aristotle's view on science combined logic and observation.", [], ("Plato", "Aristotle")),
    ("What did Aristotle's view on science combine?", ["Aristotle's view on science combined logic and observation."],
     "Aristotle's view on science combined logic and observation.", [], None),
    ("What's the reset's legacy?", ["The reset's legacy is mixed."], "The reset's legacy is mixed.", [], None),
    ("What were Breznev's priorities?", ["Leonid Brezhnev's priorities were peace."],       # a misspelling
     "Leonid Brezhnev's priorities were peace.", [], None),
    # The asked name a sentence away: the passage is about it, whatever the best sentence's wording.
    ("What neighborhood did Huguenots create in Hamburg?", ["Hamburg also took refugees.", BERLIN], BERLIN, [], None),
    # ... or in the section heading.
    ("What neighborhood did Huguenots create in Hamburg?", [BERLIN], BERLIN, ["Hamburg and Berlin"], None),
    # No other name after the same preposition: not this check (a missing name alone is too common).
    ("What did Huguenots create in Hamburg?", ["The Huguenots created two neighbourhoods."],
     "The Huguenots created two neighbourhoods.", [], None),
    # Acronyms are as often written out: "US" against "the United States".
    ("What did they found in the US?", ["They founded it in the United States."],
     "They founded it in the United States.", [], None),
    # "Wars of Religion" is one name, not a name after "of".
    ("What treaty ended the Wars of Religion?", ["At the end of World War I, the treaty was signed."],
     "At the end of World War I, the treaty was signed.", [], None),
    ("In Hamburg, what did they create?", [BERLIN], BERLIN, [], None),   # the question's first word is capitalised anyway
    ("", [], "", [], None),
])
def test_swapped_name(question: str, texts: list[str], best: str, headings: list[str],
                      swap: tuple[str, str] | None) -> None:
    assert swapped_name(question, texts, best, headings) == swap


def test_names_matches_by_stem() -> None:
    assert names("Soviets", ["the Soviet Union"])
    assert not names("Hamburg", [BERLIN])


def test_the_real_assistant_abstains_on_a_swapped_place(assistant: Assistant) -> None:
    # Persia is in the corpus (the 1907 convention), but the passage about recognising governments speaks of the
    # Balkans.
    answer = assistant.ask("Which Soviet-friendly governments did the U.S. refuse to recognize in Persia?")
    assert answer.abstained, answer.text
    assert answer.abstain_reason.startswith("the passage speaks of")
