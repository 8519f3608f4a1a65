"""Yes/no questions about what happened, against sentences that only suppose it (assistant/hypothetical.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.hypothetical import asks_what_happened, only_supposed
from ingest.lexical import terms

PUTIN = ("But even if Putin were to accept Biden’s invitation right away, the U.S. needs to lay the groundwork "
         "for dialogue and cooperation before the summer.")


@pytest.mark.parametrize(("question", "happened"), [
    ("Did Putin accept the summit?", True),
    ("Was the treaty ratified?", True),
    ("Has Russia retaliated?", True),
    ("How did Putin respond to Biden's invitation?", True),  # takes for granted that he responded
    ("How does the op-ed define incentives?", False),
    ("Does the op-ed say Putin will accept?", False),  # what the document says, conditions included
    ("What if Putin accepts?", False),
    ("", False),
])
def test_asks_what_happened(question: str, happened: bool) -> None:
    assert asks_what_happened(question) is happened


@pytest.mark.parametrize(("question", "sentence", "supposed"), [
    ("Did Putin accept the summit?", PUTIN, True),
    ("Did the U.S. lay the groundwork for dialogue?", PUTIN, False),  # said outside the condition
    # a time in the main clause ("before the summer") states no event
    ("Did Putin accept Biden's invitation to a summer summit in 2021?", PUTIN, True),
    ("Did the summer come?", PUTIN, False),
    ("Did Russia retaliate?", "When the U.S. has imposed sanctions, Russia has retaliated.", False),
    ("Did Russia retaliate?", "Russia retaliated only if it was provoked.", False),
    ("Did the talks resume?", "Whether the talks resumed is unclear.", True),
    # narrow on purpose: a conditional's main clause counts as said ("would" also states facts)
    ("Did Russia retaliate?", "Russia would retaliate if sanctions were imposed.", False),
    ("Did the talks resume?", "Nothing here is shared.", False),  # no shared term: not this check's case
])
def test_only_supposed(question: str, sentence: str, supposed: bool) -> None:
    assert only_supposed(sentence, terms(question)) is supposed


def test_the_real_assistant_shows_a_supposition_as_the_closest_passage(assistant: Assistant) -> None:
    answer = assistant.ask("Did Putin accept the summit?")
    assert answer.abstained
    assert answer.text.startswith("The documents don't say that.")
    assert [c.text for c in answer.citations] == [PUTIN]


def test_a_sentence_that_says_something_near_the_top_answers_instead(assistant: Assistant) -> None:
    # The best candidate ("… is whether a less-hardline approach would make Russia …") only supposes it;
    # sentences that say something about it score near it, so they answer.
    question = "Did the less-hardline approach embolden Russia?"
    answer = assistant.ask(question)
    assert not answer.abstained
    assert not any(only_supposed(c.text, terms(question)) for c in answer.citations)
    assert any("no evidence" in c.text for c in answer.citations)
