"""A question asking which members a category has, against the sentence that lists them (assistant/members.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.members import asked_category, lists_members


@pytest.mark.parametrize(("question", "category"), [
    ("which countries were at the center of the britain-russia rivalry in central asia", "countri"),
    ("What kinds of costs can a less-hardline approach cut?", "cost"),
    ("What core issues would the U.S. need to negotiate?", "issu"),
    ("what good do sanctions do according to the oped", ""),    # "do" is no modifier of a category
    ("What led US officials to see the USSR as expansionist?", ""),
    ("What steps should the US take?", ""),                     # too general to be listed by name
    ("What years does the détente case cover?", ""),            # a date question (asked_type.expected_type)
    ("Why did the reset fail?", ""),
    ("", ""),
])
def test_asked_category(question: str, category: str) -> None:
    assert asked_category(question) == category


@pytest.mark.parametrize(("category", "sentence", "lists"), [
    ("countri", "Three countries were central to the Anglo-Russian competition: Persia, Afghanistan, and Tibet.", True),
    ("cost", "A less-hardline approach can reduce the costs associated with hardline approaches, such as defense spending.", True),
    ("issu", "It must negotiate core issues, including NATO enlargement.", True),
    ("studi", "examining the benefits and costs in four historical case studies", True),   # counted
    ("cost", "The costs of war are high.", False),                 # the category, no members
    ("countri", "Both countries hoped the agreement would help.", False),
    ("countri", "", False),
])
def test_lists_members(category: str, sentence: str, lists: bool) -> None:
    assert lists_members(category, sentence) is lists


def test_the_real_assistant_quotes_the_sentence_listing_the_countries(assistant: Assistant) -> None:
    # Before, sentences repeating "Britain", "Russia" and "Central Asia" outranked the one naming the countries,
    # and it was not quoted at all.
    ans = assistant.ask("which countries were at the center of the britain-russia rivalry in central asia")
    assert not ans.abstained
    assert any("Persia, Afghanistan, and Tibet" in c.text for c in ans.citations)
