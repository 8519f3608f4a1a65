"""A follow-up that points at one item of the previous answer (assistant/pointers.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.pointers import pointed_item


@pytest.mark.parametrize(("question", "n"), [
    ("say more about the first one", 1),
    ("tell me more about #2", 2),
    ("expand on the third point", 3),
    ("explain the second recommendation", 2),
    ("what about the last one?", -1),
    ("ok, more on the 4th case study pls", 4),
    ("what is the first case study", None),      # asks about the documents, not about an answer
    ("the second one", None),                    # a bare pointer asks for nothing
    ("say more", None),
    ("", None),
])
def test_pointed_item(question: str, n: int | None) -> None:
    assert pointed_item(question) == n


def test_say_more_about_the_first_recommendation_quotes_what_follows_it(assistant: Assistant) -> None:
    history = ["what does rand recommend"]
    listed = assistant.ask(history[0])
    first = listed.citations[0].text
    q = assistant.parse("say more about the first one", history)
    assert q.topic == " ".join(first.split())
    ans = assistant.ask("say more about the first one", history=history)
    assert not ans.abstained
    assert "addresses core security concerns" in ans.text


def test_a_pointer_after_a_pointer_points_into_the_same_list(assistant: Assistant) -> None:
    history = ["what are the 4 case studies in the rand brief", "tell me more about the second one"]
    q = assistant.parse("what about the last one", history)
    assert q.topic is not None and q.topic.startswith("Case Study 4")
    assert q.standalone is None


def test_a_pointer_without_a_list_before_it_is_left_as_asked(assistant: Assistant) -> None:
    assert assistant.parse("say more about the first one").topic is None
    # An abstention has no items to point at.
    history = ["What did Napoleon think of the reset?"]
    assert assistant.ask(history[0]).abstained
    assert assistant.parse("say more about the second one", history).topic is None
