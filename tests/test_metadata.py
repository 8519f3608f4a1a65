"""Questions about the documents themselves are answered from the catalog."""
from __future__ import annotations

import pytest

from assistant.metadata import asked_field


@pytest.mark.parametrize("question, field", [
    ("Which document was written first?", "published"),     # the dates answer which came first
    ("which of the two documents is older?", "published"),
    ("which one came out first", "published"),
    ("rand brief pub date?", "published"),
    ("On what date did RAND release it?", "published"),
    ("On what date did the Soviets release the prisoners?", None),
    ("Which case study came first?", None),                 # a case study's date is in the text
    ("Who wrote the op-ed?", "authors"),
    ("Who is the op-ed's author?", "authors"),
    ("who's the author of the seattle times piece", "authors"),
    ("What does the op-ed's author argue?", None),          # the author as subject: a content question
    ("What is the op-ed's author's job?", None),
    ("Who are the authors of the RAND brief?", "authors"),
    ("When was the brief published?", "published"),
    ("when did rand put out the less-hardline brief?", "published"),
    ("When did the Seattle Times print the op-ed?", "published"),
    ("when was the op-ed put out", "published"),
    ("when did the US issue sanctions according to the op-ed", None),   # the US issued sanctions, not the op-ed
    ("Which newspaper published the op-ed?", "publisher"),
    ("What is the full title of the RAND brief?", "title"),
    ("Where can I find the brief online? Give me the link", "url"),
    ("Why did détente end?", None),
    ("Why does the op-ed author think sanctions alone aren't enough?", None),
    ("What does the author argue about sanctions?", None),
    ("Who is the author of the op-ed?", "authors"),
    ("how many authors does the RAND brief have", "authors"),
    ("How many case studies are there?", None),        # "how many" asks about content unless it counts authors
    ("Where was the op-ed published?", "publisher"),
    ("In which newspaper did the op-ed appear?", "publisher"),
    ("Where was the Anglo-Russian Convention signed?", None),
    ("What is the RAND brief's number?", "number"),
    ("What is the report number?", "number"),
    ("What did the two sides agree on a number of issues?", None),
    ("What else has the author of the op-ed written?", None),
    # "the author of the op-ed" as the subject of another question (after "she" is resolved)
    ("What incentives exactly does the author of the op-ed want to offer?", None),
    ("the authors of the RAND brief?", "authors"),  # beyond the catalog, which knows one document
    ("What other books have the authors of the brief written?", None),
    # the catalog's kind of document (session 19)
    ("What kind of publication is it exactly?", "kind"),
    ("what type of document is the op-ed", "kind"),
    ("What kind of writing does RAND recommend?", None),             # not about the document itself
])
def test_asked_field(question: str, field: str | None) -> None:
    assert asked_field(question) == field


def test_op_ed_author_comes_from_the_catalog(assistant) -> None:
    answer = assistant.ask("Who wrote the op-ed?")
    assert not answer.abstained and "Glennys Young" in answer.text
    assert answer.citations == []  # the byline is not in the op-ed's text, so nothing to quote


def test_rand_authors_cite_the_author_line(assistant) -> None:
    answer = assistant.ask("Who are the authors of the RAND brief?")
    assert "Miranda Priebe" in answer.text and "[1]" in answer.text
    c = answer.citations[0]
    assert assistant.document_text(c.doc)[c.start:c.end] == c.text and "Priebe" in c.text


def test_publication_date_is_cited_where_the_text_states_it(assistant) -> None:
    answer = assistant.ask("When was the brief published?")
    assert "May 17, 2023" in answer.text
    assert answer.citations and "May 17, 2023" in answer.citations[0].text


def test_content_questions_with_who_are_not_metadata(assistant) -> None:
    answer = assistant.ask("Who wrote the Helsinki Final Act?")
    assert "According to the catalog" not in answer.text


def test_the_kind_of_document_comes_from_the_catalog(assistant) -> None:
    answer = assistant.ask("What kind of source is the op-ed?")
    assert not answer.abstained
    assert answer.text == "According to the catalog, “With sanctions, let's offer Russia incentives, too” is an op-ed."
