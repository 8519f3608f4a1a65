"""A question asking which person did something, against a sentence naming no one new (assistant/persons.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.persons import asked_office, asks_person, holds_office, names_someone_new

BYRNES = ("The clearest example was Secretary of State James Byrnes' willingness to trade U.S. recognition of the "
          "Soviet-drawn Polish border in return for a modified reparations policy preferred by the United States.")


@pytest.mark.parametrize(("question", "asks"), [
    ("Which Soviet official did James Byrnes negotiate the Polish border deal with?", True),
    ("Which Russian hardliners opposed Medvedev?", True),
    ("which senior leaders met?", True),
    ("What individuals wrote the paper?", True),
    ("Who signed the Anglo-Russian Convention on behalf of Britain?", True),
    ("Which British diplomat signed the convention on London's behalf?", True),
    ("who signed the 1907 convention for the British side", True),
    ("Who represented Britain in the talks?", True),
    ("who signed the Anglo-Russian convention for Britain", True),         # acting for a named party
    ("Who negotiated the deal for the United States?", True),
    ("Who signed the convention for peace?", False),                      # "for" a purpose, not a party
    ("Who was on the other side of the table?", False),
    ("Which of the RAND authors wrote the détente case study?", True),
    ("Which of the case studies involve Russia?", False),
    ("Who led the British delegation that negotiated the convention?", True),
    ("Who led the coalition against France?", False),   # a country may lead a coalition
    # a plain "who" is as often answered by a country
    ("Who signed the Anglo-Russian Convention?", False),
    # the word for people does not head the wh-phrase
    ("What percentage of people in Australia regard themselves as Huguenots?", False),
    ("Which theory suggested people in the tropics were uncivilized?", False),
    ("What is the general term used?", False),
    ("Which leaders of the op-ed's argument matter?", False),   # "leaders of": not a person asked
    ("", False),
    ("What were the names of the 10 Russian diplomats that got expelled?", True),
    ("What is the name of the agreement?", False),          # a name, but not a person's
])
def test_asks_person(question: str, asks: bool) -> None:
    assert asks_person(question) is asks


@pytest.mark.parametrize(("question", "sentence", "new"), [
    # every name is the question's, a country, a title or a month
    ("Which Soviet official did James Byrnes negotiate the Polish border deal with?", BYRNES, False),
    ("Which Russian hardliners opposed Medvedev?", "… when President Dmitry Medvedev proved willing to deliver "
     "on key U.S. requests over the objections of Russian hardliners.", False),
    ("Who signed the Anglo-Russian Convention of 1907 on behalf of Britain?", "After years of negotiations, in "
     "August 1907, Britain and Russia concluded an agreement — the Anglo-Russian Convention of 1907.", False),
    ("Which British diplomat signed it on London's behalf?", "… where London and St. Petersburg had been "
     "competing for territory …", False),   # Russia's capital, not a person
    # a name the question lacks
    ("Which leaders met at Potsdam?", "The Potsdam Conference brought together Truman, Stalin and Churchill.", True),
    ("Which U.S. official was willing to trade recognition?", BYRNES, True),
    ("Which official?", "", False),
])
def test_names_someone_new(question: str, sentence: str, new: bool) -> None:
    assert names_someone_new(question, sentence) is new


@pytest.mark.parametrize("question", ["Which Soviet official did James Byrnes negotiate the Polish border deal with?",
                                      "Which Russian hardliners opposed Medvedev's cooperation with the United States?",
                                      "Who signed the Anglo-Russian Convention of 1907 on behalf of Britain?"])
def test_the_real_assistant_abstains_when_no_one_is_named(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained, answer.text
    assert answer.abstain_reason.endswith("do not state a person")
    assert answer.citations   # the closest passage is shown


def test_the_real_assistant_names_the_person_when_the_documents_do(assistant: Assistant) -> None:
    answer = assistant.ask("Which U.S. official was willing to trade recognition of the Polish border?")
    assert not answer.abstained
    assert "James Byrnes" in answer.text


@pytest.mark.parametrize(("question", "office"), [
    ("Who was the U.S. Secretary of State who launched the reset with Russia?", "secretary of state"),
    ("Who was Secretary of State during the reset?", "secretary of state"),
    ("Who was the British foreign minister?", "foreign minister"),
    ("Who is the President of Afghanistan?", "president"),
    ("Who was the leader of the USSR?", None),        # "leader" is no office: any ruler named answers it
    ("Who signed the convention?", None),
    ("Who was president at the time of the reset?", "president"),
    ("", None),
])
def test_asked_office(question: str, office: str | None) -> None:
    assert asked_office(question) == office


@pytest.mark.parametrize(("office", "sentence", "holds"), [
    ("secretary of state", BYRNES, True),
    ("president", "during the presidency of Dmitry Medvedev", True),
    ("president", 'U.S. policy toward Russia underwent a "reset" when Barack Obama took office.', False),
    ("foreign minister", "Foreign Minister Sergey Lavrov said so.", True),
])
def test_holds_office(office: str, sentence: str, holds: bool) -> None:
    assert holds_office(office, sentence) is holds


def test_the_real_assistant_abstains_when_no_sentence_names_the_office(assistant: Assistant) -> None:
    ans = assistant.ask("Who was the U.S. Secretary of State who launched the reset with Russia?")
    assert ans.abstained
    assert "Byrnes" in assistant.ask("Who was the U.S. Secretary of State in 1945?").text
