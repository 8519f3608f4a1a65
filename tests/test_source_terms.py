"""Author names as source words: a question naming the author names the source, not the answer."""
from __future__ import annotations

from assistant import Assistant
from assistant.compose import unsaid_author_terms


def test_author_names_the_text_never_says_are_source_words(assistant: Assistant) -> None:
    terms = unsaid_author_terms(assistant.data.documents.values(), assistant.data.sentences)
    # "Young" is only in a RAND photo credit ("Photo by Jim Young"), which is never answerable text; the
    # RAND authors are named in the brief's byline, which is.
    assert terms == {"glenni", "young"}


def test_an_author_name_the_text_uses_stays_a_term(assistant: Assistant) -> None:
    # Pretend "Putin" wrote one of the documents: the text says his name, so it stays a query term.
    doc = next(iter(assistant.data.documents.values()))
    fake = type(doc)(**{**doc.__dict__, "meta": {**doc.meta, "authors": ["Vladimir Putin"]}})
    assert unsaid_author_terms([fake], assistant.data.sentences) == {"vladimir"}


def test_question_naming_the_author_searches_without_her_name(assistant: Assistant) -> None:
    found = assistant.retrieve("On what grounds does Glennys Young argue that sanctions alone have not worked?")
    assert not {"glenni", "young"} & set(found.qterms)
    assert "sanction" in found.qterms
