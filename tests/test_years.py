"""A question about one year against a best sentence about others (assistant/years.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.years import full_decades, other_years, unplaced_year

DETENTE = "Case Study 3: U.S.-Soviet Détente (1969–1975)"


@pytest.mark.parametrize(("question", "texts", "headings", "other"), [
    ("How many French Catholics were there in 1598?", ["In 1562 there were two million."], [], True),
    ("What did the US do in 1972?", ["Arms control began in 1969."], [DETENTE], False),  # inside the heading's range
    ("What did the US do in 1980?", ["Arms control began in 1969."], [DETENTE], True),
    ("What motivated Britain before 1907?", ["Talks began in 1899."], [], False),  # a bound, not the asked date
    ("What changed between 1945 and 1946?", ["In 1947 the plan began."], [], False),
    ("What happened in 1945?", ["Nothing here is dated."], [], False),          # no other year: not this check
    ("What happened in 1945?", ["In 1945 the war ended."], [], False),
    ("What happened in the 2000s?", ["In 1999 it began."], [], False),          # a decade is not a year here
    # ... but a passage's decade states its years: "the 1970s" is about other years than 2010, and not 1972
    ("Did they sign a treaty in 2010?", ["Tensions rose in the 1970s."], [], True),
    ("Did they sign a treaty in 1972?", ["Tensions rose in the 1970s."], [], False),
    # a year that dates the source is not asked about
    ("What did the 2023 RAND brief say about détente?", ["Arms control began in 1969."], [DETENTE], False),
    ("Why does the 2021 Seattle Times op-ed oppose sanctions?", ["Since 2014, sanctions …"], [], False),
    ("What did the brief say about 2014 reports?", ["In 2011 …"], [], False),
    ("What did the brief say happened in 2014?", ["In 2011 …"], [], True),
    # "post-1945" bounds a period; the passage does not speak of 1945 itself
    ("What were Brezhnev's demands in the 1945 talks?", ["safeguarding the post-1945 borders, as agreed in 1975"], [DETENTE], True),
    ("What were Brezhnev's demands in the 1945 talks?", ["In 1945 the borders were drawn."], [DETENTE], False),
    ("", [], [], False),
])
def test_other_years(question: str, texts: list[str], headings: list[str], other: bool) -> None:
    assert other_years(question, texts, headings) is other


def test_the_real_assistant_abstains_on_a_year_its_passage_does_not_give(assistant: Assistant) -> None:
    # The corpus knows 2014 (Crimea), so this is not the unknown-year check; the New START sentence gives 2011.
    answer = assistant.ask("Which arms agreement did the United States and Russia conclude in 2014?")
    assert answer.abstained and answer.abstain_reason == "the passage is about other years"
    assert answer.text.startswith("The documents don't say that.")
    assert "New START arms agreement of 2011" in answer.citations[0].text


def test_a_year_dating_the_source_does_not_stop_an_answer(assistant: Assistant) -> None:
    answer = assistant.ask("What did the 2023 RAND brief say about détente?")
    assert not answer.abstained
    assert "détente" in answer.text.lower()


@pytest.mark.parametrize(("question", "texts", "headings", "year"), [
    ("How many Russian diplomats did the U.S. expel in 2016?",
     ["After the U.S. recently expelled 10 Russian diplomats, Russia responded …"], [], "2016"),
    ("What did Britain and Russia agree in August 1907?", ["… in August 1907, Britain and Russia concluded …"], [], ""),
    ("What did the Soviets do in early 1946?", ["By early 1946, Soviet actions in Turkey …"], [], ""),
    ("What happened during 1972?", ["Détente eased tensions."], ["U.S.-Soviet Détente (1969–1975)"], ""),  # a heading's range
    ("What happened in the 1970s?", ["Détente eased tensions."], [], ""),       # a decade is not a year placed
    ("What did the 2023 RAND brief find?", ["The brief finds …"], [], ""),       # dates the source
    ("What did they do after 2014?", ["They did it."], [], ""),                 # a bound: not this check
    ("What was the 1907 convention?", ["The Convention divided Central Asia."], [], ""),  # names it, no "in"
    ("", [], [], ""),
])
def test_unplaced_year(question: str, texts: list[str], headings: list[str], year: str) -> None:
    assert unplaced_year(question, texts, headings) == year


def test_the_real_assistant_abstains_on_a_year_no_passage_places_it_in(assistant: Assistant) -> None:
    ans = assistant.ask("How many Russian diplomats did the U.S. expel in 2016?")
    assert ans.abstained, ans.text
    assert ans.abstain_reason == "the passage does not place it in 2016"
    assert "10 Russian diplomats" in ans.text   # the closest passage


@pytest.mark.parametrize(("question", "decades"), [
    ("why did the soviets warm up to washington in the early 70s", ["1970s"]),
    ("what happened in the '90s", ["1990s"]),
    ("and in the seventies and the 80s?", ["1980s", "1970s"]),
    ("what about the 20s", []),          # either century's
    ("the 1970s", []),                   # written in full already
    ("covid-19s and 747s", []),          # not decades
    ("", []),
])
def test_full_decades(question: str, decades: list[str]) -> None:
    assert full_decades(question) == decades


def test_a_short_decade_the_documents_never_mention_abstains_by_name(assistant: Assistant) -> None:
    ans = assistant.ask("what happened in the 90s between us and russia")
    assert ans.abstained and "1990s" in ans.abstain_reason
