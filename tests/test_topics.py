"""Two topics compared side by side (assistant/topics.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.topics import Compared, compared


def is_source(text: str) -> bool:
    return text.lower() in ("the rand brief", "the op-ed", "rand")


@pytest.mark.parametrize(("question", "earlier", "pair"), [
    ("Compare détente and the Obama reset as less-hardline approaches.", None,
     Compared("détente", "the Obama reset", "as less-hardline approaches")),
    ("How does détente compare with the reset?", None, Compared("détente", "the reset", "")),
    ("détente vs the reset", None, Compared("détente", "the reset", "")),
    ("Compare sanctions with incentives in terms of results", None,
     Compared("sanctions", "incentives", "in terms of results")),
    ("How does that compare with détente?", "the U.S.-Russia reset", Compared("the U.S.-Russia reset", "détente", "")),
    ("How does that compare with détente?", None, None),            # a pointer with nothing to point to
    ("Compare the RAND brief and the op-ed.", None, None),          # documents: an overview comparison
    ("Compare détente and détente", None, None),
    ("What did détente achieve?", None, None),
    # a difference: each term asked as "What is X?"; the first term borrows the noun, "one" takes it
    ("What's the difference between a hardline and less-hardline approach, with examples?", None,
     Compared("hardline approach", "less-hardline approach", "with examples", define=True)),
    ("How does a hardline approach differ from a less-hardline one?", None,
     Compared("hardline approach", "less-hardline approach", "", define=True)),
    ("What's the difference between détente and the reset?", None, Compared("détente", "reset", "", define=True)),
    ("What is the difference between the RAND brief and the op-ed?", None, None),
    ("", None, None),
])
def test_compared(question: str, earlier: str | None, pair: Compared | None) -> None:
    assert compared(question, is_source, earlier) == pair


def test_the_real_assistant_quotes_each_topic(assistant: Assistant) -> None:
    ans = assistant.ask("How does détente compare with the reset?")
    assert not ans.abstained and len(ans.citations) == 2
    quoted = [c.text.lower() for c in ans.citations]
    assert any("détente" in q for q in quoted) and any("reset" in q for q in quoted)
    # A follow-up's "that" is the earlier topic.
    follow = assistant.ask("How does that compare with détente?", history=["What was the U.S.-Russia reset?"])
    assert any("reset" in c.text.lower() for c in follow.citations)
    assert any("détente" in c.text.lower() for c in follow.citations)


def test_the_real_assistant_defines_both_terms_of_a_difference(assistant: Assistant) -> None:
    ans = assistant.ask("What's the difference between hardline and less-hardline?")
    assert not ans.abstained
    first, second = ans.text.index("adopts a hardline approach when"), ans.text.index("adopts a less-hardline approach when")
    assert first < second


def test_a_comparison_with_something_never_mentioned_abstains(assistant: Assistant) -> None:
    """One side the documents never name cannot be compared; quoting the other side alone answered another question."""
    ans = assistant.ask("How did the Trump administration's sanctions on Russia compare with Biden's?")
    assert ans.abstained and not ans.citations
    assert ans.abstain_reason == "the documents never mention Trump"
