"""A question about one named place or party against a sentence about another (assistant/swaps.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.swaps import names, swapped_name

DIPLOMATS = "After the U.S. recently expelled 10 Russian diplomats, Russia responded by sending home 10 American diplomats."
CONVENTION = "After years of negotiations, in August 1907, Britain and Russia concluded an agreement."
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
    # A name modifying the same noun is the same slot: "British diplomats" against "American diplomats" ...
    ("How many British diplomats did Russia expel?", [DIPLOMATS], DIPLOMATS, [], ("British", "American")),
    ("How many American diplomats did Russia expel?", [DIPLOMATS], DIPLOMATS, [], None),
    # ... but not a misspelling of the sentence's ("Frensh military" for "French military") ...
    ("What was Frensh military presence?", ["The French military presence grew."], "The French military presence grew.",
     [], None),
    ("How did the Celeron expedition end?", ["Céloron's expedition ended."], "Céloron's expedition ended.", [], None),
    # ... nor a possessive (an owner) against a modifier (a kind): "Guo's calendar", "the Shoushi calendar".
    ("When was Gou's calendar adopted?", ["The Shoushi calendar was adopted in 1281."],
     "The Shoushi calendar was adopted in 1281.", [], None),
    # nor a name running on ("Abu Hamaz al-Masri" against "Abu Hamza al-Masri").
    ("What was Abu Hamaz al-Masri charged with?", ["Abu Hamza al-Masri was charged with incitement."],
     "Abu Hamza al-Masri was charged with incitement.", [], None),
    # a name paired with the same partner is the same slot
    ("In what month did Britain and France sign the convention?", [CONVENTION], CONVENTION, [], ("France", "Russia")),
    ("In what month did Britain and Russia sign the convention?", [CONVENTION], CONVENTION, [], None),
    ("In what month did France and Spain sign the convention?", [CONVENTION], CONVENTION, [], None),  # no partner kept
    ("In Hamburg, what did they create?", [BERLIN], BERLIN, [], None),   # the question's first word is capitalised anyway
    ("", [], "", [], None),
])
def test_swapped_name(question: str, texts: list[str], best: str, headings: list[str],
                      swap: tuple[str, str] | None) -> None:
    assert swapped_name(question, texts, best, headings) == swap


def test_names_matches_by_stem() -> None:
    assert names("Soviets", ["the Soviet Union"])
    assert names("West's", ["the issue of Western access to Berlin"])   # a short name beginning the other
    assert not names("Iran", ["Iraq"])
    assert not names("Hamburg", [BERLIN])
    assert names("Celeron", ["Céloron's expedition force consisted of about 200 Troupes"])  # accents aside
    # a seat of government asked about is named by its country, "U.S." included; a city is no country's name
    assert names("Washington", ["U.S. actions — including the dropping of atomic weapons"], seat=True)
    assert names("Moscow", ["Russia agreed."], seat=True)
    assert not names("Beijing", ["Russia agreed."], seat=True)
    assert not names("Warsaw", ["Poland's population fell."])
    assert not names("Moscow", ["Russia agreed."])


def test_the_real_assistant_abstains_on_a_swapped_place(assistant: Assistant) -> None:
    # Persia is in the corpus (the 1907 convention), but the passage about recognising governments speaks of the
    # Balkans.
    answer = assistant.ask("Which Soviet-friendly governments did the U.S. refuse to recognize in Persia?")
    assert answer.abstained, answer.text
    assert answer.abstain_reason.startswith("the passage speaks of")


def test_the_real_assistant_abstains_on_a_swapped_nationality(assistant: Assistant) -> None:
    answer = assistant.ask("How many British diplomats did Russia expel in response to the sanctions?")
    assert answer.abstained, answer.text
    assert answer.abstain_reason == "the passage speaks of American, not British"
    assert "10 American diplomats" in answer.text   # shown as the closest passage
    assert not assistant.ask("How many American diplomats did Russia send home?").abstained
