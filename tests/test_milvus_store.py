"""The Milvus store (issue 16) on the real milvus-lite engine, with a tiny corpus in a temporary folder.

One store is built per module (embedding a few dozen texts); each test that
changes it works on its own copy of the milvus-lite folder, so the cases do
not depend on their order. Skipped when the `milvus` extra is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from assistant import Answer, Assistant
    from ingest.config import Settings

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

ROOT = Path(__file__).resolve().parent.parent

DOCS = {
    "harbor.txt": "# Harbor Report\n\nThe harbor authority opened a new container terminal in March 2024. "
                  "The terminal handles two million containers each year.\n\n## Dredging\n\n"
                  "Dredging deepened the main channel to sixteen metres. The work cost 40 million euros.\n",
    "orchard.md": "# Orchard Notes\n\nThe orchard grows seven varieties of apple. Frost in April destroyed a third "
                  "of the blossom.\n\n## Harvest\n\nPickers started the harvest on 2 September. The cider press "
                  "runs for six weeks.\n",
    "bridge.txt": "# Bridge Survey\n\nThe suspension bridge was completed in 1937. Inspectors found corrosion on "
                  "the north cable in 2021.\n\n## Repairs\n\nRepairs to the north cable will take three years.\n",
}


def _env(uri: Path, cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAGQA_")}
    env.update({"RAGQA_STORE": "milvus", "RAGQA_MILVUS_URI": str(uri), "RAGQA_CACHE_DIR": str(cache),
                "RAGQA_SELECTOR": "heuristic", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **extra})
    return env


def _settings(corpus: Path, uri: Path, **kw: Any) -> Settings:
    from ingest.config import load_settings

    return load_settings(corpus_dir=corpus, store="milvus", milvus_uri=str(uri), selector="heuristic", **kw)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A corpus and its published milvus-lite store (built in this process with the real embedder)."""
    from ingest.build import build_index

    root = tmp_path_factory.mktemp("milvus")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    cache = root / "cache"
    mp = pytest.MonkeyPatch()
    mp.setenv("RAGQA_CACHE_DIR", str(cache))
    try:
        report = build_index(_settings(corpus, root / "store.db"))
    finally:
        mp.undo()
    assert sorted(report.added) == ["bridge", "harbor", "orchard"]
    return {"root": root, "corpus": corpus, "uri": root / "store.db", "cache": cache}


@pytest.fixture()
def store(base: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A private copy of the built store and its corpus."""
    corpus, uri = tmp_path / "corpus", tmp_path / "store.db"
    shutil.copytree(base["corpus"], corpus)
    shutil.copytree(base["uri"], uri)
    monkeypatch.setenv("RAGQA_CACHE_DIR", str(base["cache"]))
    return {"corpus": corpus, "uri": uri, "cache": base["cache"]}


def _assistant(store: dict[str, Path]) -> Assistant:
    from assistant import Assistant

    settings = _settings(store["corpus"], store["uri"])
    return Assistant(settings.index.index_dir, settings)


def _check_citations(answer: Answer, corpus: Path) -> None:
    assert answer.citations, answer.text
    for c in answer.citations:
        source = next(corpus.glob(f"{c.doc}.*")).read_text(encoding="utf-8")
        assert source[c.start:c.end] == c.text  # the quote is the corpus file's own text at its offsets


def test_ingest_then_ask_cites_verified_sentences(store: dict[str, Path]) -> None:
    assistant = _assistant(store)
    assert assistant.data.manifest["store"]["kind"] == "milvus"
    assert sorted(assistant.data.documents) == ["bridge", "harbor", "orchard"]
    answer = assistant.ask("How deep is the main channel after dredging?")
    assert not answer.abstained
    assert any("sixteen metres" in c.text for c in answer.citations)
    _check_citations(answer, store["corpus"])
    # A document filter is applied inside the Milvus searches.
    only = assistant.ask("When was the bridge completed?", docs=["orchard"])
    assert all(p.doc == "orchard" for p in only.passages)


def test_cli_ingest_is_up_to_date_and_ask_json_verifies(store: dict[str, Path]) -> None:
    env = _env(store["uri"], store["cache"])
    run = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(store["corpus"])], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "up to date" in run.stdout and "milvus-lite" in run.stdout
    run = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "What did inspectors find in 2021?"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["citations"] and not out["abstained"]
    for c in out["citations"]:
        source = next(store["corpus"].glob(f"{c['doc']}.*")).read_text(encoding="utf-8")
        assert source[c["start"]:c["end"]] == c["text"]
    assert any("corrosion" in c["text"] for c in out["citations"])


def test_reingest_reembeds_only_the_changed_document(store: dict[str, Path]) -> None:
    from ingest.build import build_index

    path = store["corpus"] / "orchard.md"
    path.write_text(path.read_text(encoding="utf-8").replace("seven varieties", "eleven varieties"), encoding="utf-8")
    report = build_index(_settings(store["corpus"], store["uri"]))
    assert report.changed == ["orchard"] and report.embedded_documents == ["orchard"]
    assert sorted(report.unchanged) == ["bridge", "harbor"]
    answer = _assistant(store).ask("How many varieties of apple does the orchard grow?")
    assert any("eleven varieties" in c.text for c in answer.citations), answer.text
    _check_citations(answer, store["corpus"])


def test_killed_build_leaves_the_previous_corpus_answerable(store: dict[str, Path]) -> None:
    from ingest import milvus_store
    from ingest.build import build_index

    # Removing a document needs no embedding, so the killed ingest does not spend ~10 s importing torch.
    (store["corpus"] / "bridge.txt").unlink()
    env = _env(store["uri"], store["cache"], RAGQA_INGEST_STEP_DELAY="1.5")
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "--corpus", str(store["corpus"])], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None  # stderr=PIPE
    try:
        deadline = time.monotonic() + 90
        seen = ""
        while "writing build" not in seen and time.monotonic() < deadline:  # killed while writing collections
            line = proc.stderr.readline()
            if not line:
                break
            seen += line
        assert "writing build" in seen, seen
        time.sleep(2)  # into the chunks step
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    settings = _settings(store["corpus"], store["uri"])
    client = milvus_store.connect(settings)
    try:
        current = milvus_store.published_build(client, settings)
        assert len(milvus_store.builds_in(client, settings)) == 2  # the published build and the killed one
    finally:
        client.close()
    assistant = _assistant(store)
    assert sorted(assistant.data.documents) == ["bridge", "harbor", "orchard"]  # the old corpus, complete
    answer = assistant.ask("What did inspectors find in 2021?")
    assert any("corrosion" in c.text for c in answer.citations)
    report = build_index(settings)  # the next ingest finishes the job and drops the killed build
    assert report.removed == ["bridge"] and report.embedded_documents == []
    client = milvus_store.connect(settings)
    try:
        builds = milvus_store.builds_in(client, settings)
        assert current in builds and len(builds) == 2  # the new build and its predecessor
        assert milvus_store.published_build(client, settings) != current
    finally:
        client.close()


def test_mismatched_embedder_is_refused_with_the_fix_command(store: dict[str, Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import embedder
    from ingest.errors import IndexMismatchError

    monkeypatch.setattr(embedder, "MODEL_NAME", "example/other-model")
    with pytest.raises(IndexMismatchError) as err:
        _assistant(store)
    message = str(err.value)
    assert "sentence-transformers/all-MiniLM-L6-v2" in message and "example/other-model" in message
    assert f"-m ingest --rebuild --store milvus --milvus-uri {store['uri']}" in message


def test_unreachable_server_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = _env(tmp_path / "x.db", tmp_path / "cache", RAGQA_MILVUS_URI="http://127.0.0.1:9")
    run = subprocess.run([sys.executable, "-m", "assistant", "ask", "anything"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 8
    assert "cannot reach the Milvus server at http://127.0.0.1:9" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1


def test_settings_validate_the_uri_and_keep_tokens_out() -> None:
    from ingest.config import load_settings
    from ingest.errors import ConfigError

    assert load_settings(store="milvus", milvus_uri="http://milvus:19530").index.milvus_uri == "http://milvus:19530"
    assert load_settings().index.store == "faiss"
    for bad in ("groundwork", "http://milvus", "http://root:secret@milvus:19530", "ftp://milvus:19530"):
        with pytest.raises(ConfigError):
            load_settings(store="milvus", milvus_uri=bad)
    with pytest.raises(ConfigError):
        load_settings(store="qdrant")


def test_hnsw_build_parameters_reach_milvus_lite(tmp_path: Path) -> None:
    """milvus-lite reads HNSW build parameters only from a JSON `params` key; pymilvus 3 flattens them, so
    without it the store's large collections were built with milvus-lite's default M=16 instead of HNSW_M."""
    from pymilvus import MilvusClient

    from ingest.milvus_store import EXACT_LIMIT, HNSW_EF_CONSTRUCTION, HNSW_M
    from ingest.milvus_write import _create

    client = MilvusClient(str(tmp_path / "p.db"))
    try:
        _create(client, "big", "sentences", EXACT_LIMIT)
    finally:
        client.close()
    # milvus-lite has no describe_index; its collection manifest holds what the index is built with.
    manifest = json.loads((tmp_path / "p.db" / "collections" / "big" / "manifest.json").read_text())
    spec = manifest["index_specs"]["vec"]
    assert spec["index_type"] == "HNSW"
    assert spec["build_params"] == {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION}
