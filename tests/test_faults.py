"""Faults (issue 7): ingest killed part-way, damaged index files, incremental rebuilds.

* `python -m ingest --rebuild` is SIGKILLed at several points of the write phase (RAGQA_INGEST_STEP_DELAY
  slows each step so the test can aim); the previous index must still load and answer.
* Truncated or corrupted index files give IndexCorruptError with the exact fix command, both from
  `Assistant(...)` and from `python -m assistant ask` (exit code 6, no traceback).
* Touching a file re-embeds nothing; changing one re-embeds only that document.

Feedback-log concurrency is tested in tests/test_feedback.py (threads and processes, 70 kB lines).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from ingest.build import build_index
from ingest.errors import IndexCorruptError

from reliability_helpers import ROOT, Workspace, cli_env, clone_workspace, damage, fix_command, verify_citations

QUESTION = "What did the U.S.-Soviet détente achieve?"
STEP_DELAY = "1.0"

# -- SIGKILL part-way through a rebuild ----------------------------------------------------------------------------
# Each kill point names what must already be on disk in the .partial build when the process is killed;
# ingest sleeps STEP_DELAY before each write step, so the kill lands between steps.
KILL_POINTS = {
    "before-documents": lambda b: True,  # the build folder exists, nothing written yet
    "after-records": lambda b: (b / "sentences.jsonl").exists(),  # documents/chunks/sentences written
    "after-vectors": lambda b: (b / "chunks.faiss").exists(),  # vectors and FAISS written
    "before-manifest": lambda b: (b / "query_encoder.onnx").exists(),  # everything but the manifest
}
DEFAULT_POINTS = ("after-records", "before-manifest", "at-publish")


def _partial(ws: Workspace) -> Path | None:
    return next(ws.index.with_name("index.d").glob("*.partial"), None)


TINY_DOC = ("Harbour Report\n\nThe ferry to Stornoway sailed twice a day in 1920. "
            "Its timetable was printed on blue card.\n")


def _tiny_corpus(ws: Workspace) -> Path:
    """What the killed rebuild indexes: one small file, so the test pays for the model load, not for embedding."""
    tiny = ws.root / "tiny-corpus"
    tiny.mkdir(exist_ok=True)
    (tiny / "harbour.txt").write_text(TINY_DOC, encoding="utf-8")
    return tiny


def _kill_rebuild_at(ws: Workspace, point: str, log: Path) -> dict:
    """Start `python -m ingest --rebuild`, SIGKILL it at `point`; returns what was seen."""
    before = ws.index.resolve()
    tiny = _tiny_corpus(ws)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest", "--corpus", str(tiny), "--index", str(ws.index), "--rebuild"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=cli_env(RAGQA_INGEST_STEP_DELAY=STEP_DELAY))
    deadline = time.monotonic() + 300
    seen = ""
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                if point == "at-publish" and proc.returncode == 0 and ws.index.resolve() != before:
                    seen = "finished before the kill landed"  # a busy machine can be that slow to poll
                    break
                raise AssertionError(f"ingest ended (code {proc.returncode}) before {point}: {log.read_text()}")
            build = _partial(ws)
            if point == "at-publish":
                # No delay between the manifest and the link swap: kill as soon as the manifest shows up,
                # which lands just before, during or just after the publish.
                if (build is not None and (build / "manifest.json").exists()) or ws.index.resolve() != before:
                    seen = "manifest written or link swapped"
                    break
                time.sleep(0.002)
                continue
            if build is not None and KILL_POINTS[point](build):
                seen = ", ".join(sorted(p.name for p in build.iterdir())) or "(empty)"
                break
            time.sleep(0.02)
        else:
            raise AssertionError(f"{point} never reached: {log.read_text()}")
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    return {"point": point, "returncode": proc.returncode, "seen": seen, "before": before, "tiny": tiny}


def _check_survivor(ws: Workspace, result: dict) -> None:
    assert result["returncode"] == -signal.SIGKILL or (result["point"] == "at-publish"
                                                       and result["returncode"] == 0), result
    published = ws.index.resolve() != result["before"]
    if result["point"] != "at-publish":
        assert not published, result  # the link was never touched
    assistant = Assistant(ws.index)
    if published:  # killed after the link swap: the complete new build is served
        assert sorted(assistant.data.documents) == ["harbour"]
        verify_citations(assistant, assistant.ask("How often did the ferry to Stornoway sail?"))
        settings = ws.settings(corpus_dir=result["tiny"])
    else:  # the previous index, whole
        assert sorted(assistant.data.documents) == ["oped-russia-incentives", "rand-russia-less-hardline"]
        answer = assistant.ask(QUESTION)
        verify_citations(assistant, answer)
        assert not answer.abstained
        settings = ws.settings()
    # The killed process held the build lock; a new run gets it, finds nothing to do, and clears the debris.
    report = build_index(settings)
    assert report.up_to_date
    assert ws.builds() == [ws.index.resolve().name], "a killed build was left on disk"


def _run_kills(shipped_index: Path, tmp_path: Path, points: tuple[str, ...]) -> None:
    spaces = {p: clone_workspace(shipped_index, tmp_path / p) for p in points}
    # The kill points run side by side: each subprocess pays the model load, so serial runs would add up.
    with ThreadPoolExecutor(len(points)) as pool:
        futures = {p: pool.submit(_kill_rebuild_at, spaces[p], p, tmp_path / f"{p}.log") for p in points}
        results = {p: f.result() for p, f in futures.items()}
    for p in points:
        print(f"killed at {p}: partial build held {results[p]['seen']}")
        _check_survivor(spaces[p], results[p])


def test_killed_rebuild_leaves_the_previous_index_loadable(shipped_index: Path, tmp_path: Path):
    _run_kills(shipped_index, tmp_path, DEFAULT_POINTS)


@pytest.mark.slow
def test_killed_rebuild_at_every_step(shipped_index: Path, tmp_path: Path):
    _run_kills(shipped_index, tmp_path, tuple(KILL_POINTS) + ("at-publish",))


# -- damaged index files ------------------------------------------------------------------------------------------
DAMAGED_FILES = ("chunks.faiss", "chunks.jsonl", "chunk_vectors.npy", "manifest.json", "query_encoder.onnx",
                 "sentences.jsonl", "sentence_vectors.npy", "documents.jsonl")
EXTRA_FILES = ("sentences.faiss", "bm25/vocab.index.json", "bm25/data.csc.index.npy")
CLI_FILES = ("chunks.faiss", "chunks.jsonl", "chunk_vectors.npy", "manifest.json", "query_encoder.onnx")
MODES = ("truncate", "corrupt")


def _damaged_copy(shipped_index: Path, dst: Path, name: str, mode: str) -> Workspace:
    ws = clone_workspace(shipped_index, dst, corpus=False)
    target = ws.index / name
    if not target.exists():
        pytest.skip(f"this index format has no {name}")
    damage(target, mode)
    return ws


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", DAMAGED_FILES + EXTRA_FILES)
def test_damaged_file_gives_a_typed_error_with_the_fix(shipped_index: Path, tmp_path: Path, name: str, mode: str):
    ws = _damaged_copy(shipped_index, tmp_path / "ws", name, mode)
    with pytest.raises(IndexCorruptError) as info:
        Assistant(ws.index)
    message = str(info.value)
    assert message.endswith(f"Rebuild it with: {fix_command(ws.index)}"), message
    assert name.split("/")[-1] in message or "manifest" in message, message


def test_damaged_files_via_the_cli(shipped_index: Path, tmp_path: Path):
    """The same cases through `python -m assistant ask`: exit code 6, the fix command, no traceback."""
    cases = [(n, m) for n in CLI_FILES for m in MODES]
    spaces = {c: _damaged_copy(shipped_index, tmp_path / f"{c[0]}-{c[1]}".replace("/", "_"), *c) for c in cases}

    def run(case: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant", "ask", QUESTION, "--index", str(spaces[case].index)],
                              cwd=ROOT, capture_output=True, text=True, env=cli_env(), timeout=120)

    with ThreadPoolExecutor(3) as pool:
        results = dict(zip(cases, pool.map(run, cases)))
    for case, proc in results.items():
        assert proc.returncode == IndexCorruptError.exit_code == 6, (case, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr, (case, proc.stderr)
        assert proc.stderr.startswith("error: ") and fix_command(spaces[case].index) in proc.stderr, (case, proc.stderr)
        assert proc.stdout == "", (case, proc.stdout)


def test_swapped_manifest_from_another_build_is_caught(shipped_index: Path, tmp_path: Path):
    """A manifest that describes other files (e.g. copied from another build) does not pass for this one."""
    ws = clone_workspace(shipped_index, tmp_path / "ws", corpus=False)
    path = ws.index / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    # Same sizes, other contents: the file a same-sized foreign chunks.jsonl would produce.
    chunks = ws.index / "chunks.jsonl"
    data = chunks.read_bytes()
    os.unlink(chunks)
    chunks.write_bytes(data.replace(b"Russia", b"Prussi"))
    path.unlink()
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="chunks.jsonl"):
        Assistant(ws.index)


# -- incremental rebuilds -------------------------------------------------------------------------------------------
def test_touch_re_embeds_nothing_and_an_edit_re_embeds_only_that_document(shipped_index: Path, tmp_path: Path):
    ws = clone_workspace(shipped_index, tmp_path / "ws")
    old = Assistant(ws.index).data
    rand = ws.corpus / "rand-russia-less-hardline.txt"
    oped = ws.corpus / "oped-russia-incentives.txt"
    os.utime(rand, (time.time() + 60, time.time() + 60))  # `touch`: new mtime, same bytes
    report = build_index(ws.settings())
    assert report.up_to_date and report.embedded_documents == [] and report.embedded_texts == 0

    oped.write_text(oped.read_text(encoding="utf-8") + "\n\nThe editors added this closing note in 2025.\n",
                    encoding="utf-8")
    report = build_index(ws.settings())
    assert report.embedded_documents == ["oped-russia-incentives"]
    assert report.changed == ["oped-russia-incentives"] and report.unchanged == ["rand-russia-less-hardline"]
    new = Assistant(ws.index).data
    assert report.embedded_texts == (new.documents["oped-russia-incentives"].chunks
                                     + new.documents["oped-russia-incentives"].sentences)
    # The untouched document's rows and vectors are carried over bit for bit.
    for rows, vecs in (("chunks", "chunk_vectors"), ("sentences", "sentence_vectors")):
        old_rows = [i for i, r in enumerate(getattr(old, rows)) if r.doc == "rand-russia-less-hardline"]
        new_rows = [i for i, r in enumerate(getattr(new, rows)) if r.doc == "rand-russia-less-hardline"]
        assert len(old_rows) == len(new_rows)
        assert np.array_equal(getattr(old, vecs)[old_rows], getattr(new, vecs)[new_rows])
    # The ONNX query encoder was reused, not exported again (same inode via a hard link, or same bytes).
    assert (new.path / "query_encoder.onnx").stat().st_size == (shipped_index / "query_encoder.onnx").stat().st_size
