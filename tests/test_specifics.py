"""Specific members asked for, a category named (assistant/specifics.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.specifics import asked_category, mentions, names_members


@pytest.mark.parametrize(("question", "category"), [
    ("Which specific Third World interventions by the Soviet Union does the brief identify?", "interventions"),
    ("What specific incentives does Glennys Young want the U.S. to offer Russia?", "incentives"),
    ("What exact limits on launchers did the agreements set?", "limits"),
    ("Which issues exactly would be on the table?", "issues"),
    ("Which specific incentives, such as sanctions relief, does the op-ed recommend?", "incentives"),  # a comma ends it
    ("What specific numerical ceilings on missile launchers did SALT set?", "ceilings"),
    ("Which incentives does the op-ed propose?", ""),                      # no sign that members are wanted
    ("What exactly did the convention decide about Tibet?", ""),            # no category
    ("What's the concrete recommendation for analysts?", ""),
    ("What exactly did the Soviets do in Iran in early 1946?", "actions"),   # what someone did, in detail
    ("what did the soviets actually do in iran", "actions"),
    ("What did the Soviets do in Iran in early 1946?", ""),                # no sign that detail is wanted
    ("", ""),
])
def test_asked_category(question: str, category: str) -> None:
    assert asked_category(question) == category


@pytest.mark.parametrize(("text", "named"), [
    ("The U.S. needs to offer Russia positive incentives, too.", False),
    ("The U.S. should offer Russia incentives to act in the way that the United States wants.", False),
    ("It will offer incentives, such as trade deals and loans.", True),
    ("Three incentives were offered: trade, loans and recognition.", True),
    ("It offered incentives to Moscow and Beijing.", True),                    # names the question lacks
    ("It offered 3 incentives.", False),                                        # before the word: not a member
    ("No word of the category here.", False),
])
def test_names_members(text: str, named: bool) -> None:
    question = "What specific incentives does the op-ed want the U.S. to offer Russia?"
    assert names_members(question, "incentives", text) is named


def test_a_name_after_for_is_whom_they_are_for_not_a_member() -> None:
    q = "Which specific incentives does the op-ed author propose offering Moscow?"
    assert not names_members(q, "incentives", "shifts in Russian behavior may create incentives for Washington to "
                                              "consider a less-hardline approach")
    assert names_members(q, "incentives", "incentives such as trade")


def test_a_stem_is_the_category() -> None:
    assert mentions("interventions", "interventionism in the Third World")
    assert not mentions("interventions", "intervals")


def test_a_category_without_members_is_not_an_answer(assistant: Assistant) -> None:
    ans = assistant.ask("What specific incentives does Glennys Young want the U.S. to offer Russia?")
    assert ans.abstained
    assert ans.abstain_reason == "the documents speak of incentives but name none"
    assert "offer Russia incentives" in ans.text
    ans = assistant.ask("Which three countries were at the center of the British-Russian rivalry?")
    assert not ans.abstained and "Persia, Afghanistan, and Tibet" in ans.text


def test_specific_members_asked_as_a_proposal_are_still_specifics(assistant: Assistant) -> None:
    # "propose" would read it as a recommendation question, which lists the op-ed's advice as if it answered.
    ans = assistant.ask("Which specific incentives does the op-ed propose offering Russia?")
    assert ans.abstained, ans.text
    assert ans.abstain_reason == "the documents speak of incentives but name none"


def test_names_after_actions_say_where_not_which() -> None:
    question = "What exactly did the Soviets do in Iran?"
    assert not names_members(question, "actions", "Soviet actions in Turkey and Iran led U.S. officials to conclude.")
    assert names_members(question, "actions", "Soviet actions, such as troop deployments in Iran, alarmed them.")


def test_what_exactly_someone_did_against_a_sentence_naming_only_their_actions(assistant: Assistant) -> None:
    ans = assistant.ask("What exactly did the Soviets do in Iran in early 1946?")
    assert ans.abstained and "actions" in ans.abstain_reason
    assert "Soviet actions in Turkey and Iran" in ans.text     # shown as the closest passage
    assert not assistant.ask("What did the Soviets do in Iran in early 1946?").abstained
