"""A question that states a number the passage gives differently (assistant/quantities.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.quantities import other_number

_DIPLOMATS = "After the U.S. recently expelled 10 Russian diplomats, Russia responded by sending home 10 American diplomats."


@pytest.mark.parametrize(("question", "texts", "other"), [
    ("Why did Russia expel 20 American diplomats?", [_DIPLOMATS], "20"),
    ("Why did Russia expel 10 American diplomats?", [_DIPLOMATS], None),
    ("Why did Russia expel ten American diplomats?", [_DIPLOMATS], None),          # a number word is its digits
    ("Why did Russia expel 20 diplomats?", ["Russia expelled ten diplomats."], "20"),
    ("Why did 20 diplomats leave?", ["Some diplomats left, 20 in all."], None),     # the number is stated elsewhere
    ("Why did Russia expel 20 diplomats?", ["Russia expelled diplomats."], None),   # no other number: not this check
    ("What happened to 3,000 Protestants?", ["Nearly 3,000 Protestants were slaughtered."], None),
    ("What happened to 4,000 Protestants?", ["Nearly 3,000 Protestants were slaughtered."], "4000"),
    # a number joined to its noun: "the Seven-Day War" against "the Six-Day War"
    ("What happened during the Seven-Day War?", ["The defeat during the Six-Day War was pivotal."], "7"),
    ("What happened during the Six-Day War?", ["The defeat during the Six-Day War was pivotal."], None),
    ("What happened in 1907 to two empires?", ["In 1908 three empires met."], "2"),  # years are years.py's
    ("What did one of them say?", ["Two of them said so."], None),                 # "one of" counts nothing
    ("What is one benefit of it?", ["Four potential benefits follow."], None),      # "one" as "a"
    ("Why did Russia expel diplomats?", [_DIPLOMATS], None),                       # no number asked
    ("", [], None),
])
def test_other_number(question: str, texts: list[str], other: str | None) -> None:
    assert other_number(question, texts) == other


def test_the_assistant_abstains_on_a_changed_number(assistant: Assistant) -> None:
    ans = assistant.ask("In the op-ed, why did Russia expel 20 American diplomats?")
    assert ans.abstained
    assert "10 American diplomats" in ans.text and ans.text.startswith("The documents don't say that.")
    assert not assistant.ask("Why did Russia send home 10 American diplomats?").abstained


@pytest.mark.parametrize(("question", "texts", "ordinal"), [
    ("What was the fourth core principle of the reset?",
     ["Three core principles were at the heart of the reset: (1) an emphasis on engagement with Moscow."], "fourth"),
    ("What was the third core principle of the reset?",
     ["Three core principles were at the heart of the reset."], None),
    ("What was the 5th case study?", ["We examine four historical case studies."], "5th"),
    # the texts write the ordinal: they may well say what it is
    ("What was the fourth principle?", ["Three principles were named; a fourth principle came later."], None),
    ("What was the second principle?", ["One principle was named."], None),   # "one" counts nothing here
    ("What was the first principle?", ["Three principles."], None),
    ("", [], None),
])
def test_ordinal_beyond(question: str, texts: list[str], ordinal: str | None) -> None:
    from assistant.quantities import ordinal_beyond

    assert ordinal_beyond(question, texts) == ordinal


def test_the_real_assistant_abstains_on_an_ordinal_past_the_count(assistant: Assistant) -> None:
    ans = assistant.ask("What was the fourth core principle of the Obama administration's reset?")
    assert ans.abstained, ans.text
    assert ans.abstain_reason == "the passage counts fewer than a fourth"
    assert not assistant.ask("What was the third core principle of the reset?").abstained
