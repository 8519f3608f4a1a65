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
    ("Could you please explain why the reset's effects did not last?", False),  # a why-question in a request
    ("Tell me why it didn't work.", False),
    ("All cases involve Russia. Isn't that cherry-picking?", False),  # a negative interrogative confirms
    ("Doesn't the brief say sanctions work?", False),
    ("All four cases involve Russia — isn't that a selection bias? How is it justified?", False),  # after a dash
    ("The cases involve Russia - isn't that bias?", False),
    ("Which cases—not the reset—involve Britain?", True),
    ("What did the Huguenots bring?", False),
    ("Where was the non-Muslim Brotherhood founded?", True),     # a prefix that negates
    ("What did non-state actors do?", True),
    ("", False),
])
def test_negates(question: str, negated: bool) -> None:
    assert negates(question) is negated


@pytest.mark.parametrize(("texts", "negation"), [
    (("The reset was not an attempt to transform the relationship.",), True),
    (("They concluded New START.", "Russia didn't retaliate."), True),
    (("They concluded New START.", "It reduced warheads."), False),
    (("It left certain tensions only partially resolved.",), True),   # a limit answers a negated question
    (("The talks failed.",), True),
    (("The issue remained unresolved.",), True),
    (("Under the agreement, trade grew.",), False),                   # "under" is not "un…ed"
    (("The United States and Russia concluded New START.",), False),  # nor is "United"
    (("Russia was unable to respond.",), True),
    (("Islamism is controversial not just because it posits a role for Islam.",), False),  # "not just" affirms
    (("The reset not only produced results but also lasted.",), False),
    (("Non-Muslims were welcomed.",), True),
    ((), False),
])
def test_states_a_negation(texts: tuple[str, ...], negation: bool) -> None:
    assert states_a_negation(*texts) is negation


def test_the_real_assistant_abstains_when_the_question_negates_a_stated_fact(assistant: Assistant) -> None:
    answer = assistant.ask("Which arms agreement did the United States and Russia not conclude in 2011?")
    assert answer.abstained
    assert answer.text.startswith("The documents don't say that.")
    assert answer.citations and "concluded a wide array of agreements" in answer.citations[0].text


def test_a_sentence_that_limits_near_the_top_answers_a_negated_question(assistant: Assistant) -> None:
    # The best candidate (the convention was concluded) negates nothing; the one saying it "left certain
    # tensions in Central Asia only partially resolved" scores near it and answers.
    answer = assistant.ask("Which issues were not resolved by the Anglo-Russian Convention?")
    assert not answer.abstained
    assert any("only partially resolved" in c.text for c in answer.citations)
