"""Huge inputs report progress as log lines when stderr is no terminal (issue 14, weak spot 1).

A single 5 MB line, or a 50 MB text, ran for over 8 minutes with no output in a log. The 50 MB text is
refused by max_document_chars (tests/test_hostile_files.py); what is under the cap reports its progress.
"""
from __future__ import annotations

import random
from pathlib import Path

from ingest import build, embedder, plan
from ingest.chunker import document_sentences
from ingest.config import load_settings
from ingest.documents import SourceDocument


def _one_line(chars: int) -> str:
    rng = random.Random(3)
    words = "relations between the two states were tense during detente and the talks went on".split()
    out, size = [], 0
    while size < chars:
        w = rng.choice(words) + ("." if rng.random() < 0.07 else "")
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:chars].rstrip(" ") + "."


def test_splitting_a_single_long_line_reports_its_progress():
    text = _one_line(200_000)
    seen: list[int] = []
    sentences = document_sentences(SourceDocument("big", Path("big.txt"), "txt", text, "0" * 64),
                                   on_progress=seen.append)
    assert sentences and len(seen) > 50  # one report per slice of the line, not one at the end
    assert seen == sorted(seen) and seen[-1] == len(text)


def test_a_build_without_a_terminal_logs_progress_lines(tmp_path: Path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_text(_one_line(60_000), encoding="utf-8")
    monkeypatch.setattr(plan, "PROGRESS_EVERY_S", 0.0)
    monkeypatch.setattr(plan, "LARGE_DOCUMENT_CHARS", 50_000)
    monkeypatch.setattr(embedder, "LOG_SLICE", 128)
    lines: list[str] = []
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    build.build_index(settings, log=lines.append, progress=False)
    text = "\n".join(lines)
    assert "splitting big.txt (60,001 characters) into sentences" in text
    assert sum(line.endswith("% split") for line in lines) >= 3
    embedded = [line for line in lines if line.strip().startswith("embedded ")]
    assert len(embedded) >= 3 and embedded[-1].endswith("(100%)"), lines
