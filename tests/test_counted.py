"""A "how many" question against a sentence that counts something else (assistant/counted.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.asked_type import expected_type, satisfies
from assistant.counted import counted_noun, counts_asked, counts_something_else


@pytest.mark.parametrize(("question", "noun"), [
    ("How many separate sanctions packages had Biden imposed on Russia?", "packages"),
    ("How many French Catholics died in the massacre?", "catholics"),   # a past-tense verb ends the phrase
    ("How many people live in the Alsace region?", "people"),           # an irregular plural
    ("How many protestants live in France today?", "protestants"),
    ("Students must complete how many general education classes towards a degree?", "classes"),
    ("How many times did Harvard win?", None),                           # "twice" names no noun
    ("By how much did New START cut deployed strategic launchers and delivery vehicles?", "vehicles"),
    ("By how much did New START cut deployed warheads?", "warheads"),
    ("By how much did trade grow?", None),                               # no object counted
    ("How many of them signed?", None),                                  # no noun before the preposition
    ("How much water does the Rhine carry?", None),                      # not a count question
    ("", None),
])
def test_counted_noun(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


@pytest.mark.parametrize(("question", "sentence", "headings", "other"), [
    ("How many people live in the Alsace region?", "Huguenots remained in large numbers in one region.", [], "people"),
    ("How many Huguenots were killed in Toulouse?", "Nearly 3,000 Protestants were slaughtered in Toulouse.",
     ["Huguenot"], None),                                                # the heading names the counted noun
    ("How many diplomats did Russia send home?", "Russia responded by sending home 10 American diplomats.", [], None),
    ("How many warheads did New START allow?", "New START capped each side at 1,550 deployed warheads.", [], None),
    ("How many countries signed?", "Thirty-five nations signed the act.", [], None),  # another name for the same thing
    ("how many historical examples did rand dig into", "examining four historical case studies", [], None),
    ("How many countries signed?", "Thirty-five delegates signed the act.", [], "countries"),
    ("What was signed in 1975?", "Nothing here counts anything.", [], None),            # not a count question
])
def test_counts_something_else(question: str, sentence: str, headings: list[str], other: str | None) -> None:
    assert counts_something_else(question, sentence, headings) == other


@pytest.mark.parametrize(("sentence", "counts"), [
    ("Once the low-hanging fruit of agreements had been harvested, progress slowed.", False),  # a conjunction
    ("They met only once.", True),
    ("They met once a year.", True),
    ("The two sides met twice.", True),
])
def test_once_is_a_count_only_when_it_counts(sentence: str, counts: bool) -> None:
    question = "How many times did they meet?"
    assert expected_type(question) == "count"
    assert satisfies("count", question, sentence) is counts


def test_the_real_assistant_abstains_when_its_passage_counts_something_else(assistant: Assistant) -> None:
    # The op-ed's best matches count diplomats ("10 American diplomats") or countries, not sanctions packages.
    answer = assistant.ask("How many sanctions packages did the U.S. impose on Russia?")
    # Either check may see it first: the counting sentences score far below the passage about sanctions
    # (extractive.py's distance rule), and the best of them counts diplomats (counted.py).
    assert answer.abstained and answer.abstain_reason in ("the passage does not count packages",
                                                          "the passages about this do not state a count")


def test_the_real_assistant_still_answers_a_count_of_what_was_asked(assistant: Assistant) -> None:
    answer = assistant.ask("How many diplomats did Russia send home?")
    assert not answer.abstained
    assert "10 American diplomats" in answer.text


def test_how_many_and_a_compound_source_word_keep_their_meaning(assistant: Assistant) -> None:
    # "many" is the question's frame, not a word to find ("many aspects"); "studies" in "case studies" names
    # the subject, not the brief (a study), so it stays a query term.
    found = assistant.retrieve(assistant.parse("How many case studies are there?"))
    assert "mani" not in found.qterms and {"case", "studi"} <= set(found.qterms)
    # The count of a list is the list's answer, which states it (session 8).
    answer = assistant.ask("How many case studies are there?")
    assert not answer.abstained and answer.text.startswith("The RAND brief presents four case studies:")
    assert "studi" not in assistant.retrieve(assistant.parse("What does the RAND study say about détente?")).qterms


@pytest.mark.parametrize(("question", "sentence", "counts"), [
    ("how many case studies does the rand brief use", "we present four historical case studies involving", True),
    ("How many case studies does the RAND brief use?", "we present four historical case studies", True),  # a source
    ("How many nukes did New START allow?", "New START capped each side at 800 deployed warheads.", True),
    # The sentence counts the noun but not of what the question names (SQuAD 2.0's unanswerable questions).
    ("How many museums does the Busch-Reisinger Museum comprise?", "The Harvard Art Museums comprises three museums.",
     False),
    ("How many students did Charles William Eliot teach?", "Its professors instruct 7,200 students.", False),
    ("How many case studies does the RAND brief use?", "The case studies were chosen in 2021.", False),  # a year
    ("What did the brief study?", "we present four historical case studies", False),   # not a count question
])
def test_counts_asked(question: str, sentence: str, counts: bool) -> None:
    assert counts_asked(question, sentence, sources=["rand"]) is counts


def test_a_sentence_counting_the_noun_answers_below_sentences_that_only_name_it(assistant: Assistant) -> None:
    # Sentences on selecting the case studies outscored the one that counts them; the answer had abstained
    # with "the passages about this do not state a count".
    for question in ("how many case studies does the rand brief use", "How many case studies does the RAND brief use?"):
        ans = assistant.ask(question)
        assert not ans.abstained, question
        assert "four historical case studies" in ans.citations[0].text
