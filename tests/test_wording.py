"""Chat wording (issue 15): follow-ups read as plain questions, abstentions name the selection, questions
in another language are recognised, and short titles come from the catalog."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.render import scoped_abstention
from assistant.followup import plain_reading, topic_for
from assistant.language import foreign_language, language_note
from assistant.question import Question


@pytest.mark.parametrize("history, question, shown", [
    ("Tell me about the U.S.-Russia reset.", "What were its long-term outcomes?",
     "What were the long-term outcomes of the U.S.-Russia reset?"),
    ("What happened during the U.S.-Soviet détente?", "What were its long-term outcomes?",
     "What were the long-term outcomes of the U.S.-Soviet détente?"),
    ("What is détente?", "Why did it end?", "Why did détente end?"),
    ("Tell me about the reset.", "And the sanctions?", "The sanctions, about the reset?"),
])
def test_follow_up_reads_as_a_plain_question(history: str, question: str, shown: str):
    resolved = Question(text=question, history=(history,), topic=topic_for(question, [history])).retrieval_text
    assert "(about:" in resolved  # what retrieval sees is unchanged
    assert plain_reading(resolved) == shown


def test_plain_reading_leaves_other_questions_alone():
    assert plain_reading("What is détente?") == "What is détente?"


@pytest.mark.parametrize("question, language", [
    ("Каковы основные выводы доклада?", "Russian or another Cyrillic-script language"),
    ("Quelles sont les conclusions du rapport ?", "French"),
    ("¿Qué recomienda el informe sobre las sanciones?", "Spanish"),
    ("Was empfiehlt der Bericht für die Beziehungen?", "German"),
    ("中国的政策是什么", "Chinese or Japanese"),
])
def test_other_languages_are_recognised(question: str, language: str):
    assert foreign_language(question) == language
    assert "documents are in English" in (language_note(question) or "")


@pytest.mark.parametrize("question", ["What does the brief recommend?", "Who is Putin?", "Was the reset a success?",
                                      "Détente?", "What did Gorbachev and Reagan sign at Reykjavík?", "?!"])
def test_english_questions_get_no_language_note(question: str):
    assert foreign_language(question) is None


def test_abstention_names_the_selected_documents():
    assert scoped_abstention("The documents do not answer this question.", ["the op-ed"]) == \
        "The selected document (“the op-ed”) does not answer this question."
    assert scoped_abstention("The documents don't say that. The closest passage: x [1]", ["A", "B"]).startswith(
        "The selected documents (“A” and “B”) don't say that.")
    assert scoped_abstention("Something else.", ["A"]) == "Something else."
    assert scoped_abstention("The documents do not answer this question.", []).startswith("The documents")


def test_catalog_short_titles_are_indexed(assistant):
    shorts = {d: doc.meta.get("short_title") for d, doc in assistant.data.documents.items()}
    assert all(isinstance(s, str) and 0 < len(s) <= 60 for s in shorts.values()), shorts


@pytest.mark.parametrize("question", ["Who won the 2018 FIFA World Cup?", "Who took the photos?",
                                      "Where can I download the PDF?", "What does RAND permit for reuse?"])
def test_related_passages_hold_no_page_furniture(assistant, question: str):
    """Captions, credits and boilerplate (ingest/roles.py) never come back as related passages."""
    furniture = [(s.doc, s.start, s.end) for s in assistant.data.sentences
                 if s.role in ("caption", "credit", "boilerplate")]
    for p in assistant.ask(question).passages:
        assert not [f for f in furniture if f[0] == p.doc and p.start <= f[1] and f[2] <= p.end], (question, p.text)


def test_the_cli_names_the_documents_it_searched_when_it_abstains(shipped_index: Path) -> None:
    from reliability_helpers import run_module

    proc = run_module("-m", "assistant", "ask", "How many moons does Jupiter have?", "--doc", "oped-russia-incentives",
                      "--index", str(shipped_index))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("The selected document (“oped-russia-incentives”) does not answer"), proc.stdout
    unscoped = run_module("-m", "assistant", "ask", "How many moons does Jupiter have?", "--index", str(shipped_index))
    assert unscoped.stdout.startswith("The documents do not answer"), unscoped.stdout
