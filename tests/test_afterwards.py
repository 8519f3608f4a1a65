"""A question about what happened after the documents were written (assistant/afterwards.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.afterwards import asks_after, written_by


@pytest.mark.parametrize(("published", "newest"), [
    (["2023-05-17", "2021-04"], 2023),
    (["2021-04"], 2021),
    (["2021", None, 17, "April 2022"], 2021),   # only a leading year counts
    ([], None),
])
def test_written_by(published: list[object], newest: int | None) -> None:
    assert written_by(published) == newest


@pytest.mark.parametrize(("question", "after"), [
    ("has the US government adopted any of rands recommendations since 2023", True),
    ("What did Russia do after 2023?", True),
    ("What has happened since late 2024?", True),
    ("What has Russia done since 2014?", False),                  # before the newest document: it may say
    ("What should the U.S. do after 2023?", False),               # advice, not what happened
    ("What happened in 2009-2013 and since 2023-2024 talks?", False),   # a span, not a starting year
    ("What did the reset achieve?", False),
    ("", False),
])
def test_asks_after(question: str, after: bool) -> None:
    assert bool(asks_after(question, 2023)) is after


def test_without_dated_documents_nothing_is_after() -> None:
    assert asks_after("What did Russia do after 2030?", None) == ""


def test_the_real_assistant_abstains_on_what_came_after_the_documents(assistant: Assistant) -> None:
    answer = assistant.ask("has the US government adopted any of rands recommendations since 2023")
    assert answer.abstained and "came after 2023" in answer.abstain_reason
    assert not assistant.ask("What has Russia done since 2014?").abstained
