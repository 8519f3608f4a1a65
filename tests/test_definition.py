"""Definition questions put the sentence that defines the term first (assistant/definition.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.definition import asked_term, defining_pattern

CORPUS = {"less", "hardline", "hardlin", "approach", "reset", "détente"}


def known(word: str) -> bool:
    return word.casefold() in CORPUS


@pytest.mark.parametrize(("question", "term"), [
    ("What is a less-hardline approach?", "less-hardline approach"),
    ("what is a less hardlin aproach", "less hardlin aproach"),
    ("What was the reset?", "reset"),
    ("What's détente", "détente"),
    ("whats a less hardline approach in plain english", "less hardline approach"),   # how to answer is no term
    ("whats a less hardline approach what", "less hardline approach"),   # nor is a spelling fix appended to it
    ("What is a hardline approach, in simple terms?", "hardline approach"),
    ("How does the RAND brief define a hardline approach?", "hardline approach"),
    ("Define détente.", "détente"),
    ("What does less-hardline mean?", "less-hardline"),
    ("What is meant by linkage?", "linkage"),
    ("What does the brief mean by a hardline approach?", "hardline approach"),
    ("rand definition of hardline approach", "hardline approach"),    # the source named before the frame
    ("RAND's definition of a less-hardline approach?", "less-hardline approach"),
    ("less-hardline approach definition", "less-hardline approach"),   # a keyword query, the term first
    ("hardline approach meaning", "hardline approach"),
    # Where to look is no part of the term, nor is the spelling fix ("whats" gets "what") after it.
    ("whats the definition of a hardline approach in the RAND brief what", "hardline approach"),
    ("What is a less hardline approach, according to the op-ed?", "less hardline approach"),
    ("what's the meaning of détente per the authors", "détente"),
    ("What is détente in the Cold War?", "détente in the Cold War"),   # a period, not a source
    ("what does less hardline even mean", "less hardline"),               # a filler before "mean"
    ("What did you mean by that?", None),                    # a pronoun defines nothing
    ("How do states define their interests?", None),         # "their interests": no term to define
    ("In the RAND brief, what does it mean when a state takes a hardline approach?", "hardline approach"),
    ("what does it mean to adopt a less-hardline approach", "less-hardline approach"),
    ("What does it mean when Russia takes Crimea and then leaves it alone for years and years?", None),
    ("What is it?", None),                                   # a pronoun defines nothing
    ("Why was the reset circumscribed?", None),              # not a definition question
    ("What is RAND's key finding about core security concerns?", None),  # too long to be a term
    ("", None),
])
def test_asked_term(question: str, term: str | None) -> None:
    assert asked_term(question) == term


@pytest.mark.parametrize(("term", "sentence", "defines"), [
    ("less-hardline approach", "In contrast, a state adopts a less-hardline approach when it seeks ...", True),
    ("less hardlin aproach", "In contrast, a state adopts a less-hardline approach when it seeks ...", True),
    ("less hardlin aproach approach", "The defining feature of a less-hardline approach is a state's ...", True),
    ("less-hardline approach", "A state adopts a hardline approach when it tries ...", False),  # the namesake
    ("hardline approach", "In contrast, a state adopts a less-hardline approach when it seeks ...", False),
    # The asked term without its head noun ("define hardline"): "adopts a hardline approach when" still defines it.
    ("hardline", "A state adopts a hardline approach when it tries ...", True),
    ("hardline", "In contrast, a state adopts a less-hardline approach when it seeks ...", False),
    ("hardline", "A state adopts a hardline tone when it shouts ...", False),  # only approach/policy/strategy/…
    ("less-hardline approach", "Moreover, a less-hardline approach can still involve a tough stance.", False),
    ("reset", "The reset was circumscribed from the start.", True),
    ("détente", "Détente was premised on the belief that ...", True),
    ("reset", "Its preset is fixed.", False),                 # inside another word
])
def test_defining_pattern(term: str, sentence: str, defines: bool) -> None:
    pattern = defining_pattern(term, known)
    assert pattern is not None and bool(pattern.search(sentence)) is defines


def test_a_term_of_unknown_words_only_anchors_nothing() -> None:
    assert defining_pattern("aproach", known) is None


@pytest.mark.parametrize("question", ["what is a less hardlin aproach", "What is a less hardline approach?"])
def test_the_real_assistant_quotes_the_definition_not_its_namesake(assistant: Assistant, question: str) -> None:
    # The new-user session's "what is a less hardlin aproach" got the *hardline* definition alone.
    answer = assistant.ask(question)
    texts = [c.text for c in answer.citations]
    defines = [i for i, t in enumerate(texts)
               if "adopts a less-hardline approach when" in t or "defining feature of a less-hardline" in t]
    assert defines, texts
    # The namesake's definition only ever comes as the context of "In contrast, ...".
    for i, t in enumerate(texts):
        if "adopts a hardline approach" in t:
            assert i + 1 < len(texts) and texts[i + 1].startswith("In contrast"), texts


def test_what_it_means_to_take_an_approach_quotes_that_approach(assistant: Assistant) -> None:
    # The less-hardline definition ranked first for the hardline question (batch 34).
    answer = assistant.ask("In the RAND brief, what does it mean when a state takes a hardline approach?")
    assert answer.citations and "A state adopts a hardline approach when" in answer.citations[0].text


def test_a_define_question_quotes_only_the_definition(assistant: Assistant) -> None:
    # "define" is the question's frame: kept as a query term, the rare word "defining" outweighed
    # "hardline approach" and the less-hardline sentence was quoted instead.
    answer = assistant.ask("How does the RAND brief define a hardline approach?")
    assert [c.text.split(" when ")[0] for c in answer.citations] == ["A state adopts a hardline approach"]


def test_frame_words_leave_only_definition_questions() -> None:
    from assistant.definition import content_terms
    assert content_terms("How does the brief define a hardline approach?", ["defin", "hardlin", "approach"]) == \
        ["hardlin", "approach"]
    assert content_terms("What defines a rivalry in the brief's view, and why?", ["defin", "rivalri"]) == \
        ["defin", "rivalri"]



def test_what_the_brief_means_by_a_term_quotes_its_definition(assistant: Assistant) -> None:
    # Before, "mean" matched "as a means of" and "This does not mean", and the less-hardline definition came first.
    ans = assistant.ask("What does the brief mean by a hardline approach?")
    assert ans.text.startswith("A state adopts a hardline approach when")


def test_a_definition_asked_of_a_named_document_quotes_the_definition(assistant: Assistant) -> None:
    # Before, "in the rand brief" made the term "a hardline approach in the rand brief", which nothing
    # defines, and the brief's overview sentence on less-hardline approaches was quoted.
    ans = assistant.ask("whats the definition of a hardline approach in the rand brief")
    assert ans.text.startswith("A state adopts a hardline approach when")
