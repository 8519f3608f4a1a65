"""A question asking for the opposite of what its best sentence states (assistant/antonyms.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.antonyms import swapped_word


@pytest.mark.parametrize(("question", "texts", "swapped"), [
    ("What is the smallest state?", ("California is the largest state.",), "smallest"),
    ("Which weaker states sustained hardline policies?", ("The stronger states sustained hardline policies.",), "weaker"),
    ("Where is the eastern border?", ("The western border runs along the river.", "It is old."), "eastern"),
    # the question's own word is stated too: no swap
    ("What is the smallest state?", ("The largest state borders the smallest one.",), None),
    # "most" is too common in questions to trigger
    ("What did most members want?", ("The least popular plan won.",), None),
    # function words that flip in paraphrase are not in the list
    ("What happened before 1907?", ("After 1907 the treaty held.",), None),
    ("Why didn't it do more?", ("It did less than hoped.",), None),
    ("Which city was John Calvin born in?", ("Calvin died in Geneva in 1564.",), "born"),
    ("Which team won the final?", ("The visitors lost the final.",), "won"),
    # "early 1900s" against "late 19th century" is loose wording, not an opposite: not in the list
    ("Why did Britain want a deal in the early 1900s?", ("In the late 19th century, observers predicted war.",), None),
    ("", (), None),
])
def test_swapped_word(question: str, texts: tuple[str, ...], swapped: str | None) -> None:
    assert swapped_word(question, *texts) == swapped


def test_the_real_assistant_abstains_on_the_opposite_of_what_is_stated(assistant: Assistant) -> None:
    answer = assistant.ask("Which weaker states sustained hardline policies on some issues in all the case studies?")
    assert answer.abstained and "opposite" in answer.abstain_reason
    assert answer.text.startswith("The documents don't say that.")
    assert "the stronger states sustained hardline policies" in answer.citations[0].text
