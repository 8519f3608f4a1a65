"""Shared fixtures: one real index of the shipped corpus per test session.

The index is built with the real embedder into a temporary folder, so tests
never touch the user's index/ and always see the current chunker.
"""
from __future__ import annotations

import os
import shutil
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
