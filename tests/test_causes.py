"""A why-question prefers a candidate that states a cause (assistant/causes.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.causes import CAUSE_BONUS, asks_why, causes_first, effect_only
from assistant.extractive import Scored


@pytest.mark.parametrize(("question", "expected"), [
    ("Why did Britain want a deal with Russia?", True),
    ("why did detente lose support at home", True),
    ("According to the op-ed, why haven't sanctions worked?", True),            # after a short lead-in
    ("For what reasons did President Biden increase sanctions?", True),
    ("What motivated Britain to seek the accommodation?", True),
    ("How did the negotiations shape the Cold War?", False),                    # how: a manner, not a cause
    ("What did Russia gain from the convention?", False),
    ("Who asked why the reset faded?", False),                                  # "why" inside, not asked
    ("", False),
])
def test_asks_why(question: str, expected: bool) -> None:
    assert asks_why(question) is expected


TEXTS = {
    1: "After years of negotiations, in August 1907, Britain and Russia concluded an agreement.",
    2: "Britain was motivated to seek the accommodation in order to rein in its spending on defense.",
    3: "Russia and Britain did not fight a war over Central Asia.",
    4: "Russia believed the accommodation would help deal with internal instability.",
}


def _scored(*pairs: tuple[int, float]) -> list[Scored]:
    return [Scored(row, score, 0.5, 0.1) for row, score in pairs]


def test_a_near_candidate_stating_a_cause_comes_first() -> None:
    out = causes_first("Why did Britain want a deal with Russia?", _scored((1, 0.90), (2, 0.85), (3, 0.80)), TEXTS.__getitem__)
    assert [s.row for s in out] == [2, 1, 3]
    assert out[0].score == pytest.approx(0.85 + CAUSE_BONUS)


def test_a_cause_far_below_stays_below() -> None:
    out = causes_first("Why did Britain want a deal?", _scored((1, 0.90), (3, 0.85), (4, 0.50)), TEXTS.__getitem__)
    assert [s.row for s in out] == [1, 3, 4]


def test_other_questions_keep_their_order() -> None:
    scored = _scored((1, 0.90), (2, 0.85))
    assert causes_first("What did Britain want?", scored, TEXTS.__getitem__) == scored


def test_the_motive_is_quoted_not_the_case_studys_opening(assistant: Assistant) -> None:
    # The opening sentence holds every name the question does; the motive shares fewer words.
    ans = assistant.ask("Why did Britain want to cut a deal with Russia over Central Asia in the first place?")
    assert not ans.abstained
    assert ans.text.startswith("Britain was motivated to seek the accommodation")


def test_a_sentence_naming_a_factor_that_explains_states_a_cause() -> None:
    texts = {1: "The reset's positive impact faded by late 2012.",
             2: "The limited nature of the accommodation is a significant factor in explaining the short period."}
    out = causes_first("why did the reset run out of steam so fast", _scored((1, 0.70), (2, 0.62)), texts.__getitem__)
    assert [s.row for s in out] == [2, 1]


@pytest.mark.parametrize(("texts", "only"), [
    (["Putin's return to the presidency in 2012 also had an independent, negative impact on the relationship."], True),
    (["The reform had little effect on prices."], True),
    # a cause beside the effect: the passage may say why
    (["The war had an impact on trade because ports closed."], False),
    (["Putin returned.", "He was motivated by a wish to restore order, and it had an effect on relations."], False),
    (["The reset's positive impact on the relationship faded."], False),   # an impact named, none said to be had
    ([], False),
])
def test_effect_only(texts: list[str], only: bool) -> None:
    assert effect_only(*texts) is only


def test_why_it_happened_is_not_answered_by_what_it_did(assistant: Assistant) -> None:
    ans = assistant.ask("Why did Putin return to the presidency in 2012?")
    assert ans.abstained and "not why" in ans.abstain_reason
    assert "Putin's return to the presidency in 2012" in ans.text     # shown as the closest passage
