"""A question about how something ended, against a passage that states no end (assistant/outcomes.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.outcomes import asks_outcome, states_outcome, subject_terms, uncertain_outcome


@pytest.mark.parametrize(("question", "asks"), [
    ("How did the war in Ukraine end?", True),
    ("When did the Syrian Civil War end?", True),
    ("Has the war in Ukraine ended?", True),
    ("What was the outcome of the 1907 convention?", True),
    ("Who won the Seven Years' War?", True),
    ("How did the Islamic Group's campaign turn out?", True),
    ("How did the negotiations end up shaping the Cold War?", False),     # "end up" is not an end
    ("how did the russia ukraine war end up ending", True),               # ... unless nothing follows it but the end
    ("How did the war end up?", True),
    ("Why did détente end?", False),
    ("did biden and putin end up meeting that summer?", True),           # whether it came about
    ("Did the summit ever take place?", True),
    ("did the biden putin summit in geneva actually happen", True),                                      # a cause, the end taken for granted
    ("How did RAND conclude that concessions embolden?", False),
    ("What happened as a result of the Six-Day War?", False),
    ("did the reset make russia bolder, like was crimea a result of it", False),  # whether it caused Crimea
    ("What was the result of the reset?", True),
    ("Where and on what date did the Biden-Putin summit eventually take place?", True),
    ("When did the talks finally happen?", True),
    ("Where did the talks happen?", False),
    ("", False),
])
def test_asks_outcome(question: str, asks: bool) -> None:
    assert asks_outcome(question) is asks


@pytest.mark.parametrize(("text", "states"), [
    ("Harvard College ended its early admissions program in 2007.", True),
    ("Ultimately the campaign was unsuccessful.", True),
    ("The period between 1969 and 1975 saw a mutual easing of tensions.", True),     # a span gives the end
    ("U.S.-Soviet Détente (1969–1975)", True),
    ("Below, we present four case studies before Russia's 2022 war in Ukraine.", False),
    ("We focus on peacetime rather than on concessions during a war to end the fighting.", False),  # a purpose
    ("Once the fighting eventually stops, the United States will face incentives.", False),       # a future
    ("Although the outcome of the war is uncertain at the time of this writing, costs are high.", False),
])
def test_states_outcome(text: str, states: bool) -> None:
    assert states_outcome(text) is states


def test_an_unknown_outcome_and_the_subject() -> None:
    assert uncertain_outcome("Although the ultimate trajectory of the conflict in Ukraine is not knowable, …")
    assert not uncertain_outcome("The outcome was a treaty.")
    assert subject_terms("How did the war in Ukraine end?") == {"war", "ukrain"}
    assert subject_terms("What did RAND say?") == set()


def test_the_documents_say_the_outcome_was_not_known(assistant: Assistant) -> None:
    ans = assistant.ask("How did the war in Ukraine end?")
    assert ans.abstained
    assert ans.abstain_reason == "the documents say the outcome was not known"
    assert ans.text.startswith("The documents don't say that. The closest passage:")
    assert "not knowable" in ans.text or "uncertain" in ans.text
    # A span of years is an end: the détente period is answered.
    assert not assistant.ask("When did détente begin and end?").abstained


def test_a_denial_is_shown_however_loosely_it_matches(assistant: Assistant) -> None:
    ans = assistant.ask("Why does Glennys Young want the US to drop all sanctions on Russia?")
    assert ans.abstained and ans.abstain_reason == "the documents say otherwise"
    assert "This does not mean the U.S. should jettison sanctions." in ans.text
