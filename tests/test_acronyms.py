"""Acronyms the documents spell out count as said: "INF" for "Intermediate Nuclear Forces"."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.acronyms import asked_acronyms, expansions


@pytest.mark.parametrize(("text", "acronym", "expansion"), [
    ("the later Intermediate Nuclear Forces agreement", "inf", "Intermediate Nuclear Forces"),
    ("the Strategic Arms Limitation Talks (SALT)", "salt", "Strategic Arms Limitation Talks"),
    ("a memo from the Department of Defense", "dd", None),  # two letters: too many chance matches
    ("a memo from the Department of Defense staff", "dod", "Department of Defense"),  # connective counted
    ("the North Atlantic Treaty Organization met", "nato", "North Atlantic Treaty Organization"),
    ("Although the United States agreed", "atus", None),  # a sentence-initial word is not part of the name
    ("Britain and Russia concluded it", "bar", None),  # "and" joins two names
    ("after World War II ended", "wwi", None),  # a numeral is not an initial
    ("", "inf", None),
])
def test_expansions(text: str, acronym: str, expansion: str | None) -> None:
    assert expansions([text]).get(acronym) == expansion


def test_asked_acronyms() -> None:
    assert asked_acronyms("What is the INF treaty, and did SALT matter to the US?") == ["INF", "SALT"]
    assert asked_acronyms("What is inf?") == []


def test_an_acronym_the_text_spells_out_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask("What was the INF agreement?")
    assert not answer.abstained
    assert any("Intermediate Nuclear Forces" in c.text for c in answer.citations)


def test_an_acronym_the_text_never_spells_out_stays_unknown(assistant: Assistant) -> None:
    answer = assistant.ask("What is the OSCE's role?")
    assert answer.abstained
