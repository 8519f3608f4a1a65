"""A bare "why?" after an answer asks the cause of what the previous question asked (assistant/elliptic.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.elliptic import why_of


@pytest.mark.parametrize(("question", "previous", "rewritten"), [
    ("why?", "when did the reset start to fade?", "why did the reset start to fade?"),
    ("Why not?", "Is offering incentives to Russia appeasement?", "why not: Is offering incentives to Russia appeasement?"),
    ("and why is that", "so what did Britain gain", "why did Britain gain?"),
    ("how come?", "Did détente last?", "why: Did détente last?"),
    ("why did it fade?", "what was the reset", None),           # a question of its own
    ("why?", "why?", None),                                      # nothing before it to ask the cause of
    ("why?", "", None),
])
def test_why_of(question: str, previous: str, rewritten: str | None) -> None:
    assert why_of(question, previous) == rewritten


def test_why_not_after_a_denial_quotes_the_reason(assistant: Assistant) -> None:
    history = ["is offering incentives to russia appeasement?"]
    ans = assistant.ask("why not?", history=history)
    assert not ans.abstained
    assert "authoritarian regimes calculate their self-interests" in ans.text


def test_a_bare_why_without_history_still_abstains(assistant: Assistant) -> None:
    assert assistant.ask("why?").abstained
