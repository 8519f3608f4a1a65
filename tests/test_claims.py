"""A claim put to the documents for checking, read as "Is it true that <claim>?" (assistant/claims.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.claims import claim_question
from assistant.question import without_preamble


@pytest.mark.parametrize(("text", "read"), [
    ("I've seen it reported that after the 1907 convention Britain cut its spending on India's defense. "
     "Is that what RAND found?",
     "Is it true that after the 1907 convention Britain cut its spending on India's defense?"),
    ("My draft says New START cut deployed strategic warheads by half. Does the RAND brief back that up?",
     "Is it true that New START cut deployed strategic warheads by half?"),          # a name keeps its capital
    ("A colleague told me RAND recommends lifting all sanctions. Does the brief say that?",
     "Is it true that RAND recommends lifting all sanctions?"),
    ("So the op-ed wants sanctions dropped — is that correct?", "Is it true that the op-ed wants sanctions dropped?"),
    ("The reset emboldened Russia. Is that right?", "Is it true that the reset emboldened Russia?"),
    ("ok so, Young says sanctions never work. true?", "Is it true that Young says sanctions never work?"),
    ("Britain and Russia signed a deal in 1907. What did RAND find?", None),   # asks something of its own
    ("is that right?", None),                                                 # no claim: a follow-up
    ("Why did it fail? Is that what RAND found?", None),                      # a question, not a claim
    ("I saw. Is it true?", None),                                             # too short to be a claim
    ("", None),
])
def test_claim_question(text: str, read: str | None) -> None:
    assert claim_question(text) == read


def test_the_claim_is_no_longer_dropped_as_preamble() -> None:
    # Before: the asker's "I've seen" made the claim look like chat preamble, leaving "Is that what RAND found?".
    q = "I've seen it reported that Britain cut its defense spending. Is that what RAND found?"
    assert without_preamble(q) == "Is it true that Britain cut its defense spending?"
    assert without_preamble("I have five minutes — what's the main argument?") == "What's the main argument?"
    # A request naming the topic says "me" too, and is no preamble about the asker.
    walk = "Walk me through the diplomat expulsion example in the op-ed — what did Moscow do?"
    assert without_preamble(walk) == walk
    assert without_preamble("walk me through how RAND picked its cases") == "How RAND picked its cases"


def test_the_real_assistant_answers_a_claim_with_the_sentence_that_checks_it(assistant: Assistant) -> None:
    answer = assistant.ask("I've seen it reported that after the 1907 convention Britain cut its spending on "
                           "India's defense. Is that what RAND found?")
    assert not answer.abstained
    assert any("did not subsequently reduce its expenditures on the defense of India" in c.text
               for c in answer.citations)
