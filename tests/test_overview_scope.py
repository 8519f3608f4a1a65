"""A structured answer over a corpus of many documents it does not name (assistant/overview/plan.py).

Comparisons and overviews walk every document in scope; one comparison took 201 s at 4,000 documents.
Beyond MAX_UNNAMED_SCOPE unnamed documents the factoid path answers; named or ticked documents still
get the structured answer.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.overview.plan import MAX_UNNAMED_SCOPE

RAND, OPED = "rand-russia-less-hardline", "oped-russia-incentives"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def many_docs(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from ingest.build import build_index
    from ingest.config import load_settings

    base = tmp_path_factory.mktemp("many")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for i in range(MAX_UNNAMED_SCOPE):
        (corpus / f"note-{i}.md").write_text(
            f"# Trade note {i}\n\nSanctions on exports of machine part {i} were debated by the committee in "
            f"session {i}. Members disagreed about whether sanctions change behaviour.\n", encoding="utf-8")
    settings = load_settings(corpus_dir=corpus, index_dir=base / "index")
    build_index(settings)
    return Assistant(base / "index", settings)


def test_an_unnamed_comparison_over_many_documents_is_answered_from_retrieval(many_docs: Assistant) -> None:
    assert len(many_docs.data.documents) > MAX_UNNAMED_SCOPE
    answer = many_docs.ask("Do the documents agree on whether sanctions change behaviour?")
    assert answer.intent != "comparison"
    assert 0 < len(answer.citations) <= 3
    for c in answer.citations:
        assert many_docs.data.documents[c.doc].text[c.start:c.end] == c.text


def test_named_or_ticked_documents_still_get_the_comparison(many_docs: Assistant) -> None:
    named = many_docs.ask("Do the RAND brief and the op-ed agree on whether the U.S. should engage Russia?")
    assert named.intent == "comparison" and {c.doc for c in named.citations} == {RAND, OPED}
    ticked = many_docs.ask("Do the documents agree on whether the U.S. should engage Russia?", docs=[RAND, OPED])
    assert ticked.intent == "comparison" and {c.doc for c in ticked.citations} == {RAND, OPED}


@pytest.mark.parametrize("question", ["What does the op-ed recommend instead?", "What else does the brief recommend?"])
def test_chat_filler_does_not_narrow_a_recommendation_question(assistant: Assistant, question: str) -> None:
    # "instead" and "else" were read as what the recommendations are about, and no section covers them:
    # the question fell through to a factoid and abstained (blind batch 7, session 10).
    answer = assistant.ask(question)
    assert not answer.abstained, answer.abstain_reason
    assert answer.intent == "recommendation"
