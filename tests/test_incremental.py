"""Re-runs embed only what changed, found by content hash."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from ingest.build import build_index, is_up_to_date
from ingest.config import load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("incremental")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=base / "index")
    first = build_index(settings)
    return settings, first


def test_first_build_embeds_everything(workspace) -> None:
    settings, first = workspace
    assert sorted(first.added) == ["oped-russia-incentives", "rand-russia-less-hardline"]
    assert first.embedded_texts > 0


def test_unchanged_corpus_is_nothing_to_do_without_loading_the_model(workspace) -> None:
    settings, _ = workspace
    started = time.perf_counter()
    report = build_index(settings)
    assert report.up_to_date and report.embedded_texts == 0
    assert is_up_to_date(settings)
    print(f"unchanged re-run: {time.perf_counter() - started:.3f}s")


def test_changed_added_and_removed_documents(workspace) -> None:
    from assistant import Assistant

    settings, _ = workspace
    oped = settings.index.corpus_dir / "oped-russia-incentives.txt"
    oped.write_text(oped.read_text(encoding="utf-8") + "\n\nA closing line added by the test.\n", encoding="utf-8")
    report = build_index(settings)
    assert report.changed == ["oped-russia-incentives"]
    assert report.embedded_documents == ["oped-russia-incentives"]
    assert report.unchanged == ["rand-russia-less-hardline"]

    (settings.index.corpus_dir / "notes.md").write_text("# Notes\n\nThe notes mention a lighthouse keeper.\n", encoding="utf-8")
    report = build_index(settings)
    assert report.added == ["notes"] and report.embedded_documents == ["notes"]

    (settings.index.corpus_dir / "notes.md").unlink()
    report = build_index(settings)
    assert report.removed == ["notes"] and report.embedded_documents == []

    # The rebuilt index still answers from reused and re-embedded documents alike.
    assistant = Assistant(settings.index.index_dir)
    answer = assistant.ask("What did the closing line say?", docs=["oped-russia-incentives"])
    for c in answer.citations:
        assert assistant.document_text(c.doc)[c.start:c.end] == c.text
    assert "notes" not in assistant.data.documents
