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
