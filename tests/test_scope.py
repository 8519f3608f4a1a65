"""Names a question asks one document about that this document never writes (assistant/scope.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant

RAND, OPED = "rand-russia-less-hardline", "oped-russia-incentives"


@pytest.mark.parametrize(("question", "doc", "unsaid"), [
    ("Does the op-ed think sanctions on China work better?", OPED, ["China"]),
    ("What does the op-ed say about Russia's 2022 invasion?", OPED, ["2022"]),   # a year the op-ed never writes
    ("What does the op-ed say about Biden's summit?", OPED, []),
    ("What does the op-ed say about the Soviets?", OPED, ["Soviets"]),
    ("What does the RAND brief say about the USSR?", RAND, []),                 # a variant: "Soviet Union"
    ("What does the op-ed say about Moscow?", OPED, []),                        # a seat: its country, Russia
    ("What does the op-ed say about Americans?", OPED, []),                     # a derivation of "America"
    ("What does the Seattle Times piece by Glennys Young argue?", OPED, []),   # sources are never asked about
    ("what does the op ed say about US-Russia collaboration", OPED, []),        # each part of the compound
])
def test_unsaid_names(assistant: Assistant, question: str, doc: str, unsaid: list[str]) -> None:
    assert assistant._doc_words.unsaid(question, doc) == unsaid


@pytest.mark.parametrize(("question", "doc", "lead", "unsaid"), [
    # another document's sentence leads, with a word of the question the named one never writes
    ("Why does the RAND brief single out climate change?", RAND,
     "The summit is essential for forging collaboration on urgent issues such as climate change.", ["climate"]),
    ("What does RAND say about sanctions?", RAND, "Sanctions are the way to go.", ["sanctions"]),
    ("Why does the RAND brief single out climate change?", RAND, "", []),       # the named document leads
    ("What does the op-ed say about incentives?", OPED, "States may have incentives to misrepresent.", []),
    ("What does the op-ed argue about détente?", OPED, "The authors argue that détente faded.", ["detente"]),
    ("What does the op-ed ultimately call for?", OPED, "Ultimately, the agreement had a limited effect.", []),  # an adverb
])
def test_unsaid_words_of_the_leading_sentence(assistant: Assistant, question: str, doc: str, lead: str,
                                              unsaid: list[str]) -> None:
    assert assistant._doc_words.unsaid(question, doc, lead) == unsaid


def test_a_name_the_named_document_never_writes_is_answered_from_the_others_or_not_at_all(assistant: Assistant) -> None:
    # The op-ed's sentences on sanctions had been quoted as its view of sanctions on China.
    answer = assistant.ask("does the op ed think sanctions on china work better")
    assert answer.abstained
    assert answer.text.startswith("The op-ed does not address this. The closest passage")
    assert "from the RAND brief:" in answer.text
    assert answer.citations and all(c.doc == RAND for c in answer.citations)
    assert any("China" in c.text or "Chinese" in c.text for c in answer.citations)
    # A name the named document writes keeps its sentences first.
    summit = assistant.ask("What does the op-ed say about Biden's summit?")
    assert not summit.abstained and summit.citations[0].doc == OPED


def test_a_why_question_naming_a_document_is_answered_from_it_or_not_at_all(assistant: Assistant) -> None:
    # The cause bonus re-sorted the candidates after the named document's had been put first.
    answer = assistant.ask("Why does the RAND brief single out climate change as a promising area for cooperation?")
    assert answer.abstained and answer.text.startswith("The RAND brief does not address this.")
    answer = assistant.ask("Why does the op-ed say sanctions have not worked?")
    assert not answer.abstained and {c.doc for c in answer.citations} == {OPED}
