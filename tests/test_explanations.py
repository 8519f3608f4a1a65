"""A why/how question's answer runs over adjacent sentences (assistant/extractive.py, `explain_ratio`)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.extractive import _EXPLAIN


@pytest.mark.parametrize(("question", "explains"), [
    ("Why did Stalin conclude that American attempts weren't sincere?", True),
    ("How did the 1945-46 negotiations shape Europe?", True),
    ("What motivated Britain to seek an accommodation?", True),
    ("What did Stalin conclude?", False),
    ("How many warheads did New START cut?", False),      # a count, not an explanation
    ("How much did it cost?", False),
    ("", False),
])
def test_which_questions_ask_for_an_explanation(question: str, explains: bool) -> None:
    assert bool(_EXPLAIN.match(question)) is explains


def test_an_explanation_quotes_the_next_sentence_that_carries_it_on(assistant: Assistant) -> None:
    why = assistant.ask("Why did Stalin conclude that American attempts to accommodate him weren't sincere?")
    what = assistant.ask("What did Stalin conclude about American attempts to accommodate him?")
    assert not why.abstained and not what.abstained
    # The reasons ("U.S. actions — including the dropping of atomic weapons …") follow the sentence that
    # states the conclusion; the why-question quotes them, the what-question does not need them.
    assert "dropping of atomic weapons" in why.text
    assert "dropping of atomic weapons" not in what.text


@pytest.mark.parametrize(("sentence", "announces"), [
    ("Although circumscribed, the reset nonetheless produced important results.", True),
    ("The agreement produced significant benefits.", True),
    ("Scholars have suggested that there are multiple reasons why the benefits may not be realized.", True),
    ("The reset produced important results for both sides in arms control.", False),   # it says which
    ("The results were important.", False),
])
def test_which_sentences_announce_what_follows(sentence: str, announces: bool) -> None:
    from assistant.elaboration import announces as announcing

    assert announcing(sentence) is announces


def test_announced_results_are_quoted_with_the_sentence_that_gives_them(assistant: Assistant) -> None:
    ans = assistant.ask("What were the results of the reset?")
    assert not ans.abstained
    assert ans.text.startswith("Although circumscribed, the reset nonetheless produced important results.")
    assert "New START" in ans.text


def test_an_announced_counted_run_is_quoted_whole(assistant: Assistant) -> None:
    # "there are multiple reasons …" and then "First, … Second, … Third, … Finally, …": three sentences cut the
    # run after "Second"; a counted run is quoted to its end (elaboration.RUN_LIMIT).
    ans = assistant.ask("Why might the benefits of a less-hardline approach be smaller than a state hopes?")
    assert not ans.abstained
    opens = [c.text.split(",")[0] for c in ans.citations]
    assert opens[1:] == ["First", "Second", "Third", "Finally"]
    # An announcement without a counted run keeps the three-sentence cap.
    assert len(assistant.ask("What were the results of the reset?").citations) <= 3


@pytest.mark.parametrize(("question", "best", "following", "spelled"), [
    # the next sentence lists members of the noun asked for
    ("Which U.S. actions convinced Stalin?", "Stalin saw U.S. actions as part of a pattern.",
     "U.S. actions — including the dropping of atomic weapons over Japan — persuaded the Soviet Union.", True),
    ("Which U.S. actions convinced Stalin?", "Stalin saw U.S. actions as part of a pattern.",
     "The Soviets took other actions.", False),                            # no list after the noun
    ("Which U.S. actions convinced Stalin?", "Stalin doubted the United States.",
     "U.S. actions — including the bomb — persuaded him.", False),         # the best one never names the noun
    # the question's own word differs, but the next sentence lists what the best one named
    ("Which American moves convinced Stalin?", "Stalin saw U.S. actions as part of a pattern.",
     "U.S. actions — including the dropping of atomic weapons over Japan — persuaded the Soviet Union.", True),
    ("Which American moves convinced Stalin?", "Stalin saw a pattern.",
     "U.S. actions — including the bomb — persuaded him.", False),
    # a question asking what someone did: the deeds may be named only as "actions"
    ("what did the us do that made stalin think it wasnt sincere", "Stalin saw U.S. actions as part of a pattern.",
     "U.S. actions — including the dropping of atomic weapons over Japan — persuaded the Soviet Union.", True),
    ("what did the us do that made stalin think it wasnt sincere", "Stalin saw a pattern.",
     "U.S. actions — including the bomb — persuaded him.", False),
    ("what did the us want from stalin", "Stalin saw U.S. actions as part of a pattern.",
     "U.S. actions — including the bomb — persuaded him.", False),        # asks for no deeds
    # a short statement that one thing could affect another, for a how-question
    ("How does the balance of power affect whether a rival is emboldened?",
     "The distribution of power could affect whether a rival is emboldened by a less-hardline approach.",
     "A relatively weaker state may be less likely to be emboldened.", True),
    ("does the balance of power change whether the rival gets emboldend",          # yes, and the next says how
     "The distribution of power could affect whether a rival is emboldened by a less-hardline approach.",
     "A relatively weaker state may be less likely to be emboldened.", True),
    ("What affects whether a rival is emboldened?",
     "The distribution of power could affect whether a rival is emboldened.", "A weaker state …", False),
    ("How does power matter?", "Power could affect, in many ways and for many reasons, whether it matters.", "…", False),
    ("", "", "", False),
])
def test_spelled_out_next(question: str, best: str, following: str, spelled: bool) -> None:
    from assistant.elaboration import spelled_out_next

    assert spelled_out_next(question, best, following) is spelled


def test_the_next_sentence_that_spells_out_the_asked_actions_is_quoted(assistant: Assistant) -> None:
    ans = assistant.ask("Which U.S. actions convinced Stalin that American accommodation wasn't genuine?")
    assert not ans.abstained
    assert "the dropping of atomic weapons over Japan" in ans.text


@pytest.mark.parametrize(("best", "following", "corrected"), [
    ("Offering incentives is not “appeasement” or being “soft on authoritarianism.”",
     "It is recognizing that authoritarian regimes calculate their self-interests on an ongoing basis.", True),
    ("The reset wasn't a concession.", "Rather, it was a bet on shared interests.", True),
    ("Offering incentives is not “appeasement.”", "Putin’s Russia is no exception.", False),   # no correction
    ("Offering incentives is appeasement.", "It is recognizing that regimes calculate.", False),  # no denial
    ("This does not mean that the U.S. should jettison sanctions altogether, as some argue.",
     "Used selectively, sanctions produce reciprocity.", False),
    ("", "", False),
])
def test_corrected_next(best: str, following: str, corrected: bool) -> None:
    from assistant.elaboration import corrected_next

    assert corrected_next(best, following) is corrected


def test_a_denial_is_quoted_with_the_correction_that_follows(assistant: Assistant) -> None:
    ans = assistant.ask("Why isn't offering incentives to Putin the same as appeasement, in the author's view?")
    assert not ans.abstained
    assert "authoritarian regimes calculate their self-interests" in ans.text


@pytest.mark.parametrize(("sentence", "refers"), [
    ("For one thing, they have not worked.", True),
    ("This, in turn, could cause the rival state to become emboldened.", True),
    ("It took French troops years to hunt down the bands.", True),
    ("Sanctions have not worked.", False),
    ("Their costs were high.", False),     # a possessive opens a noun phrase of its own
    ("It is up to President Biden and his experts to craft the incentive structure.", False),   # "it" stands for nothing
    ("It is difficult to see how sanctions alone could break the cycle.", False),
    ("It is recognizing that authoritarian regimes calculate their self-interests.", True),
    ("", False),
])
def test_a_sentence_referring_back(sentence: str, refers: bool) -> None:
    from assistant.elaboration import REFERS_BACK

    assert (REFERS_BACK.match(sentence) is not None) is refers


def test_a_sentence_whose_subject_is_the_previous_ones_is_scored_with_its_words(assistant: Assistant) -> None:
    # "This, in turn, could cause the rival state to become emboldened" says what follows from looking
    # irresolute only through "This"; scored with the previous sentence's words it is now quoted too.
    ans = assistant.ask("What is the concern that accommodating a rival makes America look irresolute, "
                        "and what could follow from that?")
    assert not ans.abstained
    assert any(c.text.startswith("This, in turn, could cause the rival state") for c in ans.citations)
