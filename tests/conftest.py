"""Shared fixtures: one real index of the shipped corpus per test session.

The index is built with the real embedder into a temporary folder, so tests
never touch the user's index/ and always see the current chunker.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from assistant import Assistant

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def index_of(base: Path, files: dict[str, str]) -> Path:
    """A real index of a small corpus written from `files` (name -> text) under `base`."""
    from ingest.build import build_index
    from ingest.config import load_settings

    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index(load_settings(corpus_dir=corpus, index_dir=base / "index"))
    return base / "index"


@pytest.fixture(scope="session")
def small_index() -> Callable[[Path, dict[str, str]], Path]:
    """`index_of`, for tests that index a corpus of their own."""
    return index_of


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built index of corpus/, shared read-only by the whole session."""
    from ingest.build import build_index
    from ingest.config import load_settings

    base = tmp_path_factory.mktemp("shipped")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = base / "index"
    settings = load_settings(corpus_dir=corpus, index_dir=index)
    build_index(settings)
    return index


@pytest.fixture(scope="session")
def assistant(shipped_index: Path) -> Assistant:
    from assistant import Assistant

    return Assistant(shipped_index)
