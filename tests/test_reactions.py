"""A question about how someone reacted, against a passage that never names them (assistant/reactions.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.reactions import asked_reactor, names_reactor, reacts_to_source


@pytest.mark.parametrize(("question", "who"), [
    ("How did Germany react to the 1907 Anglo-Russian Convention?", "Germany"),
    ("How did Beijing react to the Obama administration's reset with Moscow?", "Beijing"),
    ("How did President Putin respond to the sanctions?", "Putin"),              # the title is no part of the name
    ("What was Stalin's reaction to the atomic bomb?", "Stalin"),
    ("How did the Soviet Union view détente?", "Soviet Union"),
    ("How did Britain initially respond?", "Britain"),
    ("How did the German government react to the convention?", "German"),     # a name with a body of its people
    ("how did the Persian government feel about being carved into spheres", "Persian"),   # as truecased
    ("What did Germany think of the 1907 agreement?", "Germany"),
    ("what did Beijing make of the reset", "Beijing"),
    ("What did the reset think of?", None),                                  # no name: nothing to look for
    ("How did sanctions affect Russia?", None),                                  # no reactor: a lower-case subject
    ("How does the brief define it?", None),                                    # not a verb of reacting
    ("Why did Germany react?", None),                                          # not a how-question
    ("", None),
])
def test_asked_reactor(question: str, who: str | None) -> None:
    assert asked_reactor(question) == who


@pytest.mark.parametrize(("who", "texts", "named"), [
    ("Germany", ["Improved relations helped both achieve greater security vis-à-vis Germany."], True),
    ("Germany", ["The German government protested."], True),                   # its people
    ("Beijing", ["if U.S.-China relations were to become more constructive"], True),   # a seat for its country
    ("Beijing", ["The Obama administration also used the reset."], False),
    ("Soviet Union", ["Soviet officials believed the borders provided a buffer."], True),
    ("Germany", [], False),
])
def test_names_reactor(who: str, texts: list[str], named: bool) -> None:
    assert names_reactor(who, texts) is named


def test_a_reaction_the_documents_never_describe_is_an_abstention(assistant: Assistant) -> None:
    ans = assistant.ask("How did Germany react to the 1907 Anglo-Russian Convention?")
    assert ans.abstained
    assert "Germany" in ans.abstain_reason


def test_a_described_view_is_still_answered(assistant: Assistant) -> None:
    ans = assistant.ask("How did Stalin view U.S. actions?")
    assert not ans.abstained
    assert "Stalin, meanwhile, saw U.S. actions" in ans.text


@pytest.mark.parametrize(("question", "to_source"), [
    ("How did Beijing react to the report?", True),
    ("how did Kyiv respond to RAND's idea of negotiating over Ukraine", True),
    ("How did Moscow respond to the op-ed?", True),
    ("How did Moscow respond to the sanctions?", False),
    ("How did Russia react to it?", False),      # "it" points back into the conversation, not at the documents
])
def test_reacts_to_source(question: str, to_source: bool) -> None:
    assert reacts_to_source(question) is to_source


def test_a_reaction_to_the_documents_themselves_is_an_abstention(assistant: Assistant) -> None:
    ans = assistant.ask("How did Beijing react to the report?")
    assert ans.abstained


def test_a_view_of_a_document_s_own_author_is_what_the_document_says(assistant: Assistant) -> None:
    # The op-ed never writes its author's name, nor RAND's brief its publisher's in the sentence it quotes:
    # asked for their view, the documents themselves answer.
    for question in ("How does Young view sanctions?", "What does Young think of sanctions?"):
        ans = assistant.ask(question)
        assert not ans.abstained, question
        assert "sanctions" in ans.text
    assert "reacted" not in assistant.ask("How does RAND view the reset?").abstain_reason


def test_what_someone_thought_of_it_needs_a_passage_naming_them(assistant: Assistant) -> None:
    ans = assistant.ask("what did germany think of the 1907 anglo-russian agreement")
    assert ans.abstained and "Germany" in ans.abstain_reason


def test_what_a_question_is_about_must_be_named_where_the_answer_is(assistant: Assistant) -> None:
    # Tibet is named once, in a list of the contested countries; the convention sentence never names it.
    ans = assistant.ask("What exactly did the 1907 Convention stipulate about Tibet?")
    assert ans.abstained and "Tibet" in ans.abstain_reason
    ans = assistant.ask("what did the convention say about Persia")
    assert not ans.abstained and "Persia" in ans.text
