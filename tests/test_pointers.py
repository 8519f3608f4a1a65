"""A follow-up that points at one item of the previous answer (assistant/pointers.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.overview.extremes import asked_extreme, pick
from assistant.pointers import pointed_item


@pytest.mark.parametrize(("question", "n"), [
    ("say more about the first one", 1),
    ("tell me more about #2", 2),
    ("expand on the third point", 3),
    ("explain the second recommendation", 2),
    ("what about the last one?", -1),
    ("ok, more on the 4th case study pls", 4),
    ("what is the first case study", None),      # asks about the documents, not about an answer
    ("the second one", None),                    # a bare pointer asks for nothing
    ("And the last one?", -1),                   # ... but "and" carries on the previous frame
    ("and the lastest", None),
    ("say more", None),
    ("", None),
])
def test_pointed_item(question: str, n: int | None) -> None:
    assert pointed_item(question) == n


def test_say_more_about_the_first_recommendation_quotes_what_follows_it(assistant: Assistant) -> None:
    history = ["what does rand recommend"]
    listed = assistant.ask(history[0])
    first = listed.citations[0].text
    q = assistant.parse("say more about the first one", history)
    assert q.topic == " ".join(first.split())
    ans = assistant.ask("say more about the first one", history=history)
    assert not ans.abstained
    assert "addresses core security concerns" in ans.text


def test_a_pointer_after_a_pointer_points_into_the_same_list(assistant: Assistant) -> None:
    history = ["what are the 4 case studies in the rand brief", "tell me more about the second one"]
    q = assistant.parse("what about the last one", history)
    assert q.topic is not None and q.topic.startswith("Case Study 4")
    assert q.standalone is None


def test_a_pointer_without_a_list_before_it_is_left_as_asked(assistant: Assistant) -> None:
    assert assistant.parse("say more about the first one").topic is None
    # An abstention has no items to point at.
    history = ["What did Napoleon think of the reset?"]
    assert assistant.ask(history[0]).abstained
    assert assistant.parse("say more about the second one", history).topic is None


@pytest.mark.parametrize(("texts", "word", "index"), [
    (["Case 1 (1899–1914)", "Case 2 (1945–1946)", "Case 3 (1969–1975)"], "oldest", 0),
    (["Case 1 (1899–1914)", "Case 2 (1945–1946)", "Case 3 (1969–1975)"], "most recent", 2),
    (["Case 1 (1899–1914)", "Case 2 (1945–1946)", "Case 3 (1969–1975)"], "longest", 0),
    (["Case 1 (1899–1914)", "Case 2 (1945–1946)", "Case 3 (1969–1975)"], "shortest", 1),
    (["Détente (1969–75)", "Reset (2009–2013)"], "longest", 0),              # "1969–75" spans six years
    (["Case 1 (1899–1914)", "Case 2, undated"], "oldest", None),            # an item without a year
    (["Talks in 1945", "Talks in 1945 again"], "earliest", None),            # a tie has no one answer
    (["Case 1 (1899–1914)"], "oldest", None),                                # one item is no comparison
    ([], "oldest", None),
])
def test_pick(texts: list[str], word: str, index: int | None) -> None:
    assert pick(word, texts) == index


@pytest.mark.parametrize(("question", "word"), [
    ("Which case study is the oldest?", "oldest"),
    ("which one is the most recent", "most recent"),
    ("which case study lasted the longest", "longest"),
    ("What are the case studies?", None),
    ("", None),
])
def test_asked_extreme(question: str, word: str | None) -> None:
    assert asked_extreme(question) == word


def test_the_oldest_case_study_is_the_one_item_quoted(assistant: Assistant) -> None:
    ans = assistant.ask("Which case study is the oldest?")
    assert not ans.abstained and len(ans.citations) == 1
    assert ans.citations[0].text.startswith("Case Study 1") and "1899" in ans.citations[0].text


def test_which_one_is_the_most_recent_picks_from_the_list_before_it(assistant: Assistant) -> None:
    history = ["what are the 4 case studies in the rand brief"]
    ans = assistant.ask("which one is the most recent", history=history)
    assert not ans.abstained and len(ans.citations) == 1
    assert ans.citations[0].text.startswith("Case Study 4")
    # "how many case studies" listed them too; as the frame of the rewrite it would count them instead.
    counted = assistant.ask("which one is the most recent", history=["how many case studies"])
    assert not counted.abstained and [c.text[:12] for c in counted.citations] == ["Case Study 4"]
    # After an answer that is no list, there is nothing to pick from: the follow-up is left as asked.
    assert assistant.parse("which one is the most recent", ["what did the reset achieve"]).standalone is None


def test_that_one_is_the_item_the_pointer_before_it_picked(assistant: Assistant) -> None:
    """"the main results of that one" after the most recent case study is that case study's overview, not the
    brief's findings."""
    history = ["What were the four historical case studies in the RAND brief?", "Which one of them was the most recent?"]
    ans = assistant.ask("What were the main results of that one?", history=history)
    assert not ans.abstained and ans.text.startswith("Main points of “Case Study 4: U.S.-Russia Reset (2009–2013)”")
    assert all("Reset" in c.section for c in ans.citations)
    # without a pointer before it, "the main results" are the brief's findings as before
    assert "findings" in assistant.ask("What were the main results?", history=history[:1]).text


def test_say_more_continues_the_previous_answer_one_sentence_at_a_time(assistant: Assistant) -> None:
    history = ["According to the op-ed, how did Russia respond when the U.S. expelled its diplomats?"]
    first = assistant.ask(history[0])
    assert "sending home 10 American diplomats" in first.text
    more = assistant.ask("say more", history=history)
    assert "one of many possible examples of proportional response" in more.text
    # "go on" after "say more" takes the sentence after that one, not the same one again.
    q1 = assistant.parse("say more", history)
    q2 = assistant.parse("go on", [*history, "say more"])
    assert q1.topic and q2.topic and q1.topic != q2.topic


def test_the_third_reason_is_the_one_the_text_counts_third(assistant: Assistant) -> None:
    # The answer quotes the lead-in, "First, …" and "Second, …": its third quote is "Second, …", while the
    # asker means the text's own "Third, …", which the answer did not reach.
    history = ["why might the benefits of a less hardline approach not show up in practice"]
    assert any(c.text.startswith("Second,") for c in assistant.ask(history[0]).citations)
    third = assistant.ask("say more about the third reason", history=history)
    assert third.citations and third.citations[0].text.startswith("Third, states may have incentives to misrepresent")
    second = assistant.ask("What is the second reason?", history=history)   # the text's "Second, …"
    assert second.citations and second.citations[0].text.startswith("Second, the mix of a state's policies")
    assert assistant.parse("what is the first case study", ["What does RAND recommend?"]).topic is None
    last = assistant.ask("and what about the last one", history=history)
    assert last.citations and last.citations[0].text.startswith("Finally, when a nation's leaders adopt a strategy")


@pytest.mark.parametrize(("history", "example"), [
    # the example is quoted in the previous answer: the follow-up quotes it on its own
    ("What does the brief say about domestic constituencies?", "Such a dynamic could be seen following the 2009 reset"),
    # the example follows the previous answer
    ("How do sanctions contain tensions, according to the op-ed?", "one of many possible examples of proportional response"),
])
def test_give_an_example_takes_the_example_the_text_gives(assistant: Assistant, history: str, example: str) -> None:
    for follow_up in ("Can you give an example?", "for example?"):
        q = assistant.parse(follow_up, [history])
        assert q.topic is not None and example in q.topic
        assert any(example in c.text for c in assistant.ask(follow_up, history=[history]).citations)


def test_give_an_example_without_one_in_the_text_is_left_as_asked(assistant: Assistant) -> None:
    assert assistant.parse("give an example", ["What is RAND's first recommendation?"]).topic in (None, "")


def test_say_more_after_an_abstention_is_left_as_asked(assistant: Assistant) -> None:
    history = ["What did Napoleon think of the reset?"]
    assert assistant.parse("say more", history).topic is None


def test_which_one_is_about_picks_the_item_that_speaks_of_it(assistant: Assistant) -> None:
    history = ["What are the recommendations in the RAND brief?"]
    q = assistant.parse("which one is about timing?", history)
    assert q.topic is not None and q.topic.startswith("The Best Timing for U.S. Outreach")
    ans = assistant.ask("which one is about timing?", history=history)
    assert not ans.abstained and "Best Timing" in ans.citations[0].text
    # A pronoun after the pointer stands for the item, not for the pointer's words.
    q = assistant.parse("why would that help?", [*history, "which one is about timing?"])
    assert q.topic is not None and q.topic.startswith("The Best Timing")


def test_the_named_one_picks_the_item_that_holds_its_word(assistant: Assistant) -> None:
    history = ["why might benefits not show up in practice"]
    q = assistant.parse("give me the bureaucracy one", history)
    assert q.topic is not None and "bureaucracy" in q.topic
    # "the other one", "the first one": no word of an item; ordinals and comparisons are read elsewhere
    assert assistant.parse("and the other one", history).topic is None


@pytest.mark.parametrize(("pointer", "starts"), [
    ("which one involved Central Asia?", "Case Study 1"),
    ("which one looked at detente?", "Case Study 3"),
    ("and which one dealt with the reset", "Case Study 4"),
])
def test_which_one_involved_takes_the_item_that_names_it(assistant: Assistant, pointer: str, starts: str) -> None:
    q = assistant.parse(pointer, ["which case studies does the rand brief use"])
    assert q.topic is not None and q.topic.startswith(starts)


def test_which_one_is_about_something_no_item_names_is_left_as_asked(assistant: Assistant) -> None:
    history = ["What are the recommendations in the RAND brief?"]
    assert assistant.parse("which one is about penguins?", history).topic is None


def test_a_pronoun_after_which_one_is_the_oldest_stands_for_that_case(assistant: Assistant) -> None:
    history = ["what case studies does rand look at", "which one is the earliest"]
    q = assistant.parse("what did britain get out of it", history)
    assert q.topic is not None and q.topic.startswith("Case Study 1")
