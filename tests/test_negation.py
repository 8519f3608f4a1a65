"""Negated questions against sentences that negate nothing (assistant/negation.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.negation import negates, states_a_negation


@pytest.mark.parametrize(("question", "negated"), [
    ("What did the Huguenots not bring?", True),
    ("Which country did not sign?", True),
    ("Who never signed the treaty?", True),
    ("What can't be done?", True),
    ("Why didn't the convention do more?", False),          # a why-question explains a lack in other words
    ("How come it wasn't signed?", False),
    ("All cases involve Russia. Isn't that cherry-picking?", False),  # a negative interrogative confirms
    ("Doesn't the brief say sanctions work?", False),
    ("What did the Huguenots bring?", False),
    ("", False),
])
def test_negates(question: str, negated: bool) -> None:
    assert negates(question) is negated


@pytest.mark.parametrize(("texts", "negation"), [
    (("The reset was not an attempt to transform the relationship.",), True),
    (("They concluded New START.", "Russia didn't retaliate."), True),
    (("They concluded New START.", "It reduced warheads."), False),
    ((), False),
])
def test_states_a_negation(texts: tuple[str, ...], negation: bool) -> None:
    assert states_a_negation(*texts) is negation


def test_the_real_assistant_abstains_when_the_question_negates_a_stated_fact(assistant: Assistant) -> None:
    answer = assistant.ask("Which arms agreement did the United States and Russia not conclude in 2011?")
    assert answer.abstained
    assert answer.text.startswith("The documents don't say that.")
    assert answer.citations and "concluded a wide array of agreements" in answer.citations[0].text
