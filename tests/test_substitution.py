"""Follow-ups that swap one part of the previous question (assistant/substitution.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.substitution import standalone_for

SOURCES = ("the RAND brief", "the op-ed", "RAND")


def source(text: str) -> str | None:
    return next((s for s in SOURCES if s.lower() in text.lower()), None)


@pytest.mark.parametrize(("history", "question", "standalone"), [
    (["Summarize the RAND brief"], "What about the op-ed?", "Summarize the op-ed"),
    (["What does the RAND brief recommend?"], "And the op-ed?", "What does the op-ed recommend?"),
    (["What were the costs of detente?"], "What about the reset?", "What were the costs of the reset?"),
    # a time is added to the question, or replaces its own, not swapped for its subject
    (["Does negotiating with Russia make it more aggressive?"], "what about after the 2022 invasion?",
     "Does negotiating with Russia make it more aggressive after the 2022 invasion?"),
    (["What did Britain do after 1907?"], "And after 1945?", "What did Britain do after 1945?"),
    # "what about X, <a question>": that question, about X
    (["Which case studies did RAND pick?"], "what about the op-ed, does it use any historical examples?",
     "Does the op-ed use any historical examples?"),
    # ... still about what the earlier question was about (session 10, blind batch 7)
    (["What did the US get out of détente?"], "and what about the Soviets, what were they after?",
     "What were the Soviets after, about détente?"),
    (["What were the costs of detente?"], "And the benefits?", "What were the benefits of detente?"),
    (["Tell me about detente"], "What were the costs?", "What were the costs of detente?"),
    (["What potential benefits of a less-hardline approach does RAND list?"], "And the corresponding costs?",
     "What potential costs of a less-hardline approach does RAND list?"),
    (["What is a less-hardline approach?"], "Give an example", "Give an example of a less-hardline approach."),
    # an aspect after that rewrite asks for the aspect of its subject, not "Give an risks of …"
    (["What is a less-hardline approach?", "give me some examples"], "what are the risks?",
     "What are the risks of a less-hardline approach?"),
    (["What does the op-ed argue?"], "Does RAND agree?", "Do the op-ed and RAND agree?"),
    (["What does the op-ed argue?"], "Does the op-ed agree?", None),           # the same document
    # A chain: the second follow-up swaps into the first one's standalone question.
    (["Tell me about detente", "What were the costs?"], "And the benefits?", "What were the benefits of detente?"),
    # "Why?" in between names no subject: the swap goes into the question before it.
    (["What does the RAND brief recommend?", "Why?"], "What about the op-ed?", "What does the op-ed recommend?"),
    # A name swapped where the earlier question points back: "it" stays for the Question to resolve.
    (["What was the Anglo-Russian Convention?", "What did Russia get out of it?"], "And Britain?",
     "What did Britain get out of it?"),
    (["What did Russia get out of it?"], "And the benefits?", None),
    # The one name of a question without a tail to swap: "And Stalin?" after "What did Truman want?".
    (["What did Truman want?"], "And Stalin?", "What did Stalin want?"),
    (["What did Truman and Stalin want?"], "And Churchill?", None),   # two names: which one is swapped?
    # A name stands in for the question's subject, not for what follows "of"/"with".
    (["What did Truman want out of the postwar talks with the Soviets?"], "and Stalin?",
     "What did Stalin want out of the postwar talks with the Soviets?"),
    (["What did Russia get out of the 1907 deal?"], "And Britain?", "What did Britain get out of the 1907 deal?"),
    # ... unless the earlier question already names it: "from Stalin" is not swapped into "Stalin … from Stalin".
    (["What did Truman want from Stalin?"], "And Stalin?", None),
    (["What does RAND recommend?"], "And Glennys Young?", None),        # a source is not swapped for a person
    # "she" after "Who wrote the op-ed?" is its author, also a turn later; a later "who" question ends that.
    (["Who wrote the op-ed?"], "What does she argue?", "What does the author of the op-ed argue?"),
    (["Who wrote the op-ed?", "What does she argue?"], "What incentives does she suggest?",
     "What incentives does the author of the op-ed suggest?"),
    (["Who wrote the op-ed?"], "What is her main argument?", "What is the op-ed’s main argument?"),
    (["Who wrote the op-ed?", "Who was the Soviet leader?"], "What did he do?", None),
    # Not swaps: a new question, a pointer back (followup.py's job), or nothing to swap into.
    (["What were the costs of detente?"], "And why?", None),
    (["What were the costs of detente?"], "And then what happened?", None),
    (["What was the reset?"], "Why did it fail?", None),
    (["Tell me about the reset."], "What were its long-term outcomes?", None),  # "its" points back: followup.py
    ([], "What about the op-ed?", None),
    (["Summarize"], "What about the op-ed?", None),
])
def test_standalone_for(history: list[str], question: str, standalone: str | None) -> None:
    assert standalone_for(question, history, source) == standalone


def test_the_real_assistant_summarises_the_other_document(assistant: Assistant) -> None:
    question = assistant.parse("What about the op-ed?", ["Summarize the RAND brief"])
    assert question.standalone == "Summarize the op-ed" and question.topic is None
    answer = assistant.answer(question)
    assert answer.intent == "overview" and {c.doc for c in answer.citations} == {"oped-russia-incentives"}


def test_the_real_assistant_answers_a_bare_aspect_of_the_previous_subject(assistant: Assistant) -> None:
    answer = assistant.ask("What were the costs?", history=["Tell me about detente"])
    assert answer.resolved_question == "What were the costs of detente?"
    assert all("Détente" in c.section for c in answer.citations)


def test_the_real_assistant_compares_when_asked_whether_the_other_document_agrees(assistant: Assistant) -> None:
    answer = assistant.ask("Does RAND agree?", history=["What does the op-ed argue?"])
    assert answer.intent == "comparison"
    assert {c.doc for c in answer.citations} == {"oped-russia-incentives", "rand-russia-less-hardline"}


def test_the_real_assistant_reads_she_as_the_author_it_was_just_asked_about(assistant: Assistant) -> None:
    answer = assistant.ask("What does she argue?", history=["Who wrote the op-ed?"])
    assert answer.intent == "overview"
    assert {c.doc for c in answer.citations} == {"oped-russia-incentives"}


def test_the_real_assistant_keeps_the_earlier_subject_when_a_name_is_swapped(assistant: Assistant) -> None:
    answer = assistant.ask("And Britain?", history=["What was the Anglo-Russian Convention?",
                                                    "What did Russia get out of it?"])
    assert answer.resolved_question == "What did Britain get out of the Anglo-Russian Convention?"
    assert not answer.abstained


def test_she_after_a_summary_then_who_wrote_it_is_the_op_eds_author(assistant: Assistant) -> None:
    # "Who wrote it?" took "Summarize the op-ed for me" as its subject, so "she" became "the author of Summarize
    # the op-ed for me"; and "the author of the op-ed" as a question's subject was read as asking for the author.
    answer = assistant.ask("What incentives exactly does she want to offer?",
                           history=["Summarize the op-ed for me.", "Who wrote it?"])
    assert answer.resolved_question == "What incentives exactly does the author of the op-ed want to offer?"
    assert answer.intent != "metadata" and "Glennys Young" not in answer.text
