"""Acronyms the documents spell out count as said: "INF" for "Intermediate Nuclear Forces"."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


@pytest.mark.parametrize("question", ["What was the INF agreement?", "What were the provisions of the INF treaty?",
                                      "Who negotiated the INF treaty?"])
def test_an_acronym_the_text_spells_out_once_shows_where_it_does(assistant: Assistant, question: str) -> None:
    """Before, "the documents never mention INF", which was false; answered, the provisions question quoted the
    "provisions of the Helsinki Act". The brief names the agreement once, in passing: that sentence is the
    closest passage of an abstention."""
    answer = assistant.ask(question)
    assert answer.abstained and answer.abstain_reason == "the documents name the INF only in passing"
    assert [c.text for c in answer.citations if "Intermediate Nuclear Forces" in c.text]
    assert not any("Helsinki" in c.text for c in answer.citations)


@pytest.mark.parametrize("question", ["INF treaty link to detente-era arms control",
                                      "How did detente arms control pave the way for the INF treaty?"])
def test_a_question_about_what_the_passing_mention_says_is_answered(assistant: Assistant, question: str) -> None:
    """The one sentence naming the agreement says how détente's arms control led to it: asked that, it answers."""
    answer = assistant.ask(question)
    assert not answer.abstained, answer.abstain_reason
    assert "proof of concept for the later Intermediate Nuclear Forces agreement" in answer.text


@pytest.mark.parametrize(("question", "context", "says"), [
    ("INF treaty link to detente-era arms control", "Détente the era's arms control negotiations", True),
    ("What were the provisions of the INF treaty?", "the era's arms control negotiations", False),
    ("What was the INF agreement?", "the later Intermediate Nuclear Forces agreement", False),   # nothing else asked
    ("Who negotiated the INF treaty?", "arms control negotiations", False),                     # a detail question
    ("", "", False),
])
def test_says_the_rest(question: str, context: str, says: bool) -> None:
    from assistant.acronyms import _says_the_rest

    assert _says_the_rest(question, {"inf": "Intermediate Nuclear Forces"}, context) is says


def test_an_acronym_the_text_never_spells_out_stays_unknown(assistant: Assistant) -> None:
    answer = assistant.ask("What is the OSCE's role?")
    assert answer.abstained


PORT = """The Harbour Authority

The North Sea Port Authority manages the harbour at Vlissingen. The North Sea Port Authority was founded in 2018
by merging two older port boards. Each year the North Sea Port Authority dredges the main channel to a depth of
sixteen metres. Ships pay their dues to the North Sea Port Authority on arrival.

Fishing

The fishing fleet lands its catch at the old quay on Tuesdays and Fridays.
"""


@pytest.fixture(scope="module")
def port_assistant(tmp_path_factory: pytest.TempPathFactory, small_index: Callable[..., Path]) -> Assistant:
    return Assistant(small_index(tmp_path_factory.mktemp("acronyms"), {"port.txt": PORT}))


def test_an_acronym_the_text_spells_out_often_is_answered(port_assistant: Assistant) -> None:
    answer = port_assistant.ask("When was the NSPA founded?")
    assert not answer.abstained
    assert any("founded in 2018" in c.text for c in answer.citations)
