"""A question asking what something achieved prefers the sentence announcing its results (assistant/results.py)."""
from __future__ import annotations

from assistant import Assistant
from assistant.extractive import Scored
from assistant.results import announced_first

TEXTS = {
    1: "The reset's positive impact faded as the pace of agreements and achievements waned by late 2012.",
    2: "The reset was circumscribed from the start.",
    3: "Although circumscribed, the reset nonetheless produced important results.",
}


def _scored(*pairs: tuple[int, float]) -> list[Scored]:
    return [Scored(row, score, 0.5, 0.1) for row, score in pairs]


def test_a_near_announcement_comes_first_for_a_results_question() -> None:
    scored = _scored((1, 1.30), (2, 1.03), (3, 0.98))
    assert [s.row for s in announced_first("What did the reset achieve?", scored, TEXTS.__getitem__)] == [3, 1, 2]
    # not for other questions, nor when the announcement scores far below
    assert announced_first("When did the reset start?", scored, TEXTS.__getitem__) == scored
    far = _scored((1, 1.30), (2, 1.03), (3, 0.90))
    assert announced_first("What did the reset achieve?", far, TEXTS.__getitem__) == far


def test_what_the_reset_achieved_names_new_start(assistant: Assistant) -> None:
    # The first-hour session: "What did the reset achieve?" had missed New START.
    ans = assistant.ask("What did the reset achieve?")
    assert not ans.abstained
    assert "New START" in ans.text
