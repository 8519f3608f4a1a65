"""Loads taken while a build is published (issue 14, weak spot 5).

One load in 362 taken during a publish failed with a false "does not match its
checksum": the reader went through the `index` link once per file, so it could
check the old build's manifest against the new build's files, or read a build
that garbage collection was deleting. A reader must see the old index or the new
one, whole, never a mix and never a false error.

The builds here are tiny and embedded by a stand-in encoder (no model load), so
hundreds of publishes fit in a few seconds.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.build import build_index
from ingest.config import load_settings
from ingest.index import layout, load_index
from ingest.index import reader as index_reader
from ingest.index.publish import new_build_dir, publish

TEXTS = {
    "alpha": "The alpha lighthouse keeper logged forty storms in 1934. The log is kept in Wick.\n",
    "beta": "The beta ferry to Stornoway sailed twice a week. Its master kept the harbour log.\n",
}


class _StandInEncoder:
    """Deterministic unit vectors from a hash of each text; the query encoder file is a placeholder
    (load_index checks it against the manifest but does not run it)."""

    runtime = "stand-in"

    def encode(self, texts: Sequence[str], progress: bool | None = None,
               log: Callable[[int, int], None] | None = None) -> np.ndarray:
        from ingest import embedder

        out = np.empty((len(texts), embedder.DIMENSION), dtype=np.float32)
        for i, t in enumerate(texts):
            v = np.random.default_rng(zlib.crc32(t.encode("utf-8"))).standard_normal(embedder.DIMENSION)
            out[i] = v / np.linalg.norm(v)
        return out

    def export_onnx(self, path: Path) -> None:
        path.write_bytes(b"placeholder query encoder " * 4096)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two complete builds with different content (one document each), kept outside any index.d."""
    base = tmp_path_factory.mktemp("publish-race")
    out = {}
    for name, text in TEXTS.items():
        corpus = base / f"corpus-{name}"
        corpus.mkdir()
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        index = base / f"index-{name}"
        build_index(load_settings(corpus_dir=corpus, index_dir=index), encoder=_StandInEncoder())
        out[name] = base / f"template-{name}"
        shutil.copytree(index.resolve(), out[name])
    return out


def _stage(template: Path, index: Path) -> Path:
    """A new .partial build holding hard links to a template's files, as a real build would be written."""
    build = new_build_dir(index)
    shutil.copytree(template, build, copy_function=os.link, dirs_exist_ok=True)
    return build


def _check_whole(data: index_reader.IndexData) -> str:
    """The one build a load saw: its documents must be those of its own manifest's build."""
    names = sorted(data.documents)
    assert names in (["alpha"], ["beta"]), names
    name = names[0]
    assert data.documents[name].text == TEXTS[name]
    assert [c.doc for c in data.chunks] == [name] * len(data.chunks)
    assert name in str(data.manifest.get("corpus_dir"))
    return name


@pytest.fixture
def index(tmp_path: Path, two_builds: dict[str, Path]) -> Path:
    index = tmp_path / "index"
    publish(_stage(two_builds["alpha"], index), index)
    return index


def test_a_publish_between_the_manifest_and_the_files_is_not_a_checksum_error(index, two_builds, monkeypatch):
    """The old build's manifest is read, then the new build is published before its files are checked."""
    real = index_reader.check_files
    published: list[object] = []

    def publish_first(*args: Any, **kwargs: Any) -> Any:
        if not published:
            published.append(publish(_stage(two_builds["beta"], index), index))
        return real(*args, **kwargs)

    monkeypatch.setattr(index_reader, "check_files", publish_first)
    data = load_index(index)
    assert published and _check_whole(data) == "alpha"  # the build the load started from, whole
    assert _check_whole(load_index(index)) == "beta"  # the next load sees the new one


def test_publishes_during_a_load_do_not_collect_the_build_it_reads(index, two_builds, monkeypatch):
    """Two publishes land during one load: garbage collection skips the build the load holds."""
    real = index_reader.check_files
    calls: list[int] = []

    def publish_twice(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            publish(_stage(two_builds["beta"], index), index)
            publish(_stage(two_builds["beta"], index), index)
        return real(*args, **kwargs)

    monkeypatch.setattr(index_reader, "check_files", publish_twice)
    first = index.resolve()
    assert _check_whole(load_index(index)) == "alpha" and len(calls) == 1
    assert first.is_dir()  # kept while it was read; the next collection removes it
    publish(_stage(two_builds["alpha"], index), index)
    assert not first.exists()
    assert len(list(layout.builds_dir(index).iterdir())) == 1


def test_a_build_collected_before_the_load_locked_it_is_read_again_from_the_new_one(index, two_builds, monkeypatch):
    """Between resolving the link and locking the build, a publish swaps it and a collection removes it."""
    real = index_reader.check_files
    calls: list[Path] = []

    def publish_and_remove(index_: Path, manifest: dict[str, Any], build: Path) -> Any:
        calls.append(build)
        if len(calls) == 1:
            publish(_stage(two_builds["beta"], index), index)
            shutil.rmtree(build)  # as a collection that got there first would have
        return real(index_, manifest, build)

    monkeypatch.setattr(index_reader, "check_files", publish_and_remove)
    assert _check_whole(load_index(index)) == "beta"
    assert len(calls) == 2 and calls[1] == index.resolve()  # one retry, from the build the link names now


def test_garbage_collection_skips_a_build_a_reader_holds(index, two_builds):
    from ingest.index.publish import collect_garbage, reading

    held = index.resolve()
    with reading(held):
        publish(_stage(two_builds["beta"], index), index)
        collect_garbage(index)
        assert held.is_dir()
    collect_garbage(index)
    assert not held.exists()
    assert [p.name for p in layout.builds_dir(index).iterdir()] == [index.resolve().name]


def test_a_real_error_is_not_retried_away(index):
    """A damaged current build still fails with its own error (the retry is only for a build that was replaced)."""
    from ingest.errors import IndexCorruptError

    from reliability_helpers import damage

    damage(index.resolve() / layout.CHUNKS, "corrupt")  # unshares the hard link to the template first
    with pytest.raises(IndexCorruptError, match="does not match its checksum"):
        load_index(index)


def _race(index: Path, templates: dict[str, Path], seconds: float) -> tuple[int, int, list[str], dict[str, int]]:
    """Publish alternately in one thread while this one loads, for `seconds`."""
    stop = threading.Event()
    publishes = [0]
    failure: list[BaseException] = []

    def publisher() -> None:
        try:
            while not stop.is_set():
                for name in ("beta", "alpha"):
                    publish(_stage(templates[name], index), index)
                    publishes[0] += 1
        except BaseException as exc:  # reported by the test, not swallowed
            failure.append(exc)

    errors: list[str] = []
    seen = {"alpha": 0, "beta": 0}
    loads = 0
    thread = threading.Thread(target=publisher, daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                seen[_check_whole(load_index(index))] += 1
            except Exception as exc:  # collected, not swallowed: the test fails listing them
                errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            loads += 1
    finally:
        stop.set()
        thread.join(30)
    assert not failure, failure
    return loads, publishes[0], errors, seen


def _assert_race_clean(index: Path, templates: dict[str, Path], seconds: float) -> None:
    from ingest.index.publish import collect_garbage

    loads, publishes, errors, seen = _race(index, templates, seconds)
    print(f"{loads} loads during {publishes} publishes: {seen}, {len(errors)} errors")
    assert not errors, f"{len(errors)} of {loads} loads failed during {publishes} publishes: {errors[:5]}"
    assert publishes >= 20 and loads >= 20, (loads, publishes)
    assert seen["alpha"] and seen["beta"], seen  # both builds were really served
    collect_garbage(index)
    assert [p.name for p in layout.builds_dir(index).iterdir()] == [index.resolve().name]  # none held any more


def test_loads_during_a_loop_of_publishes_see_one_whole_build(index, two_builds):
    _assert_race_clean(index, two_builds, seconds=3.0)


@pytest.mark.slow
def test_loads_during_a_long_loop_of_publishes_see_one_whole_build(index, two_builds):
    _assert_race_clean(index, two_builds, seconds=30.0)
