"""A question that takes for granted what the documents deny (assistant/denied.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.denied import asserts, denied


@pytest.mark.parametrize(("question", "expected"), [
    ("Why did Britain and Russia end up fighting a war over Afghanistan?", True),
    ("How did the reset embolden Russia?", True),
    ("Did the reset embolden Putin to take Crimea?", False),                   # yes/no: the denial is the answer
    ("In the author's view, can sanctions be relied on?", False),              # yes/no after an opening phrase
    ("What does RAND say about the reset emboldening Russia?", False),          # asks what is said about it
    ("Why didn't Britain and Russia fight a war?", False),                     # negates: negation.py's case
    ("What type of jihad does HT avoid engaging in?", False),                  # "avoid" negates too
    ("Was there any evidence of emboldening?", False),
    ("So does she think they should be dropped altogether?", False),           # yes/no after "So"
    ("", True),
])
def test_asserts(question: str, expected: bool) -> None:
    assert asserts(question) is expected


@pytest.mark.parametrize(("question", "text", "hit"), [
    ("Why did Britain and Russia end up fighting a war over Afghanistan after 1907?",
     "Russia and Britain did not fight a war over Central Asia as many observers had predicted.", {"fight", "war", "over"}),
    # a preposition shared with the denial does not make a second denied term: a war is denied, not their rivalry
    ("Which places were Britain and Russia fighting over for influence?",
     "Russia and Britain did not fight a war over Central Asia as many observers had predicted.", set()),
    ("Why does RAND conclude that the reset emboldened Russia to annex Crimea?",
     "There is no evidence that the reset emboldened Russia to be more aggressive.", {"reset", "embolden", "russia"}),
    ("Why did Russia become more demanding in Central Asia?",
     "Russia did not become more demanding or aggressive in Central Asia.", {"demand"}),
    ("Why did Britain sharply reduce its defense spending on India?",              # an adverb in between
     "Britain did not subsequently reduce its expenditures on the defense of India.", {"cut", "defens"}),
    # The word negated is not the question's: an adjunct shares its words ("during the last Ice Age").
    ("What was the source of the Rhine in the last Ice Age?",
     "Most of the Rhine's course was not under the ice during the last Ice Age.", set()),
    # A relative clause negates for some people, not the sentence's claim.
    ("What do supporters of Islamism believe their views reflect?",
     "Scholars who do not believe that Islamism is a movement include Fred Halliday.", set()),
    # "a decision not to tie cooperation …" is a choice described, and "not only" affirms.
    ("Which core issues would Washington have to put on the table to stabilize ties?",
     "a deliberate decision not to tie cooperation on one issue to behavior on another", set()),
    ("Why did the reset produce results?", "The reset not only produced results but also lasted.", set()),
    # What "no evidence that" denies is the whole clause after it, however far its predicate runs, past
    # "U.S." and its full stops; "little evidence" denies too.
    ("Why did détente encourage the Soviet Union to raise its demands on Washington?",
     "Our review did not find compelling evidence that U.S. offers of accommodation emboldened the Soviet Union "
     "to increase its demands.", {"soviet", "demand"}),
    ("Why does RAND conclude that limited concessions will embolden Russia to be more aggressive?",
     "There Appears to Be Little Evidence That Negotiating with Russia or Making Limited Concessions Will "
     "Embolden It to Become More Demanding or Aggressive", {"concess", "embolden"}),
    # ... but not a condition after it: the approach is not what is denied.
    ("How could a less-hardline approach create political constituencies?",
     "There is no evidence that these states became more demanding when a stronger state adopted a "
     "less-hardline approach toward them.", set()),
    ("Why is little known about the treaty?", "Little is known about the treaty.", set()),
    # "does not mean X should jettison sanctions" denies the act after the modal; "drop" and "lift" name the
    # same act as "jettison", "cut" the same as "reduce".
    ("Why does Glennys Young want the US to drop all sanctions on Russia?",
     "This does not mean the U.S. should jettison sanctions.", {"drop", "sanction"}),
    ("Why did Britain sharply cut its defense spending on India?",
     "Britain did not subsequently reduce its expenditures on the defense of India.", {"cut", "spending"}),
    ("Why does the op-ed want the US to keep all sanctions?",
     "This does not mean the U.S. should jettison sanctions.", set()),
    ("Why does the op-ed want the US to drop sanctions?", "This does not mean much.", set()),
    # One shared word is not a denial of the question.
    ("Why did the reset fade?", "The reset did not fade quickly.", set()),
    ("Why did the reset fade?", "", set()),
])
def test_denied(question: str, text: str, hit: set[str]) -> None:
    found = denied(question, text)
    assert found >= hit if hit else not found


def test_the_assistant_shows_what_the_documents_deny(assistant: Assistant) -> None:
    ans = assistant.ask("Why did Britain and Russia end up fighting a war over Afghanistan after 1907?")
    assert ans.abstained
    assert "did not fight a war over Central Asia" in ans.text
    assert ans.text.startswith("The documents don't say that. The closest passage:")
    # The same passage still answers the yes/no question it settles.
    ans = assistant.ask("Did the reset embolden Russia to be more aggressive?")
    assert not ans.abstained
    assert "no evidence that the reset emboldened Russia" in ans.text


def test_a_place_is_not_what_a_denial_must_deny(assistant: Assistant) -> None:
    question = "What did St. Petersburg get out of the 1907 arrangement with Britain?"
    assert "russia" in assistant.retrieve(question).query.split()    # the seat's country is searched too ...
    # ... but "Russia did not become more demanding" denies nothing the question asked
    text = "From the British perspective, Russia did not become more demanding or aggressive in Central Asia."
    assert denied(question + " russia", text) == frozenset()
    assert denied("Why did russia become more demanding after 1907?", text)    # a predicate beside the place
    ans = assistant.ask(question)
    assert not ans.abstained and ans.abstain_reason == ""


def test_a_yes_no_question_is_answered_by_the_runner_up_that_denies_it(assistant: Assistant) -> None:
    # Before, the best sentence was about Britain's motive ("to rein in the British Empire's spending on
    # defense"); the runner-up says it did not happen, which answers the question.
    ans = assistant.ask("Did London cut its spending on defending India after the 1907 deal?")
    assert not ans.abstained
    assert "Britain did not subsequently reduce its expenditures on the defense of India" in ans.text


def test_a_denial_next_to_the_best_sentence_answers_a_yes_no_question(assistant: Assistant) -> None:
    # The best sentence ("Russia may remain an aggressive, revisionist state, but so too were all the weaker
    # states in our case studies") denies nothing; the sentence after it does, and was left out for scoring lower.
    ans = assistant.ask("In the case studies, did the weaker, revisionist states get more aggressive when the "
                        "stronger state softened its approach?")
    assert not ans.abstained
    assert "There is no evidence that these states became more demanding or aggressive" in ans.text


@pytest.mark.parametrize(("question", "yes_no"), [
    ("Did London cut its spending?", True),
    ("So does she want to drop sanctions?", True),
    ("Short answer: does talking to Russia make it bolder?", True),   # a lead-in before a colon or a dash
    ("Bottom line — is RAND for it?", True),
    ("Short answer: what did RAND find?", False),
    ("Didn't London cut its spending?", False),     # negated: negation.py's business
    ("Why did London cut its spending?", False),
    ("", False),
])
def test_asks_yes_no(question: str, yes_no: bool) -> None:
    from assistant.denied import asks_yes_no

    assert asks_yes_no(question) is yes_no
