"""Feedback log: one line per write under concurrency, torn-line recovery, and `eval from-feedback`."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import subprocess
import sys
import threading
from pathlib import Path

from assistant.chat import feedback as fb
from eval.quality.feedback import main as from_feedback
from eval.quality.gold import load_gold, parse_item

ROOT = Path(__file__).resolve().parent.parent


def _record(fid: str, rating: str, comment: str = "", question: str = "Q?", abstained: bool = False) -> dict:
    answer = {"answer": "A sentence. [1]", "abstained": abstained, "index_build": "b1",
              "citations": [] if abstained else [{"n": 1, "doc": "d", "title": "T", "section": "S", "start": 0,
                                                   "end": 11, "text": "A sentence.", "doc_sha256": "f" * 64}],
              "passages": [{"doc": "d", "title": "T", "section": "S", "start": 0, "end": 11, "score": 1.0,
                            "text": "A sentence.", "chunk": 0}]}
    return fb.make_record(feedback_id=fid, rating=rating, comment=comment, question=question, history=["Earlier?"],
                          docs=None, answer=answer, index_build="b1", index_created_at="t")


def _writer(path: str, worker: int, count: int, size: int) -> None:
    for i in range(count):
        rec = {"question": f"w{worker}-{i}", "feedback_id": f"{worker}-{i}", "payload": chr(65 + worker) * size}
        fb.append(Path(path), rec)


def test_concurrent_processes_and_threads_never_interleave(tmp_path: Path):
    log = tmp_path / "fb" / "feedback.jsonl"
    size = 70_000  # far beyond PIPE_BUF and a page: a plain write could be split
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(log), w, 25, size)) for w in range(3)]
    threads = [threading.Thread(target=_writer, args=(str(log), 3 + w, 25, size)) for w in range(2)]
    for p in procs:
        p.start()
    for t in threads:
        t.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    for t in threads:
        t.join(60)
    raw = log.read_bytes()
    lines = raw.split(b"\n")
    assert lines[-1] == b"" and len(lines) - 1 == 5 * 25
    seen = set()
    for line in lines[:-1]:
        rec = json.loads(line)
        worker = int(rec["feedback_id"].split("-")[0])
        assert rec["payload"] == chr(65 + worker) * size
        seen.add(rec["feedback_id"])
    assert len(seen) == 125


def test_a_torn_last_line_does_not_swallow_the_next_record(tmp_path: Path):
    log = tmp_path / "feedback.jsonl"
    fb.append(log, _record("a", "up"))
    with open(log, "ab") as fh:
        fh.write(b'{"question": "half a reco')  # a writer died mid-line
    fb.append(log, _record("b", "down"))
    records, problems = fb.read(log)
    assert [r["feedback_id"] for r in records] == ["a", "b"]
    assert len(problems) == 1 and "line 2" in problems[0]


def test_record_shape_and_latest_state_per_answer(tmp_path: Path):
    log = tmp_path / "feedback.jsonl"
    fb.append(log, _record("x", "down"))
    fb.append(log, _record("x", "down", comment="cites the wrong paragraph"))
    fb.append(log, _record("y", "up"))
    fb.append(log, _record("x", "up"))  # changed their mind; the comment stays with the answer
    records, problems = fb.read(log)
    assert not problems and len(records) == 4
    first = records[0]
    for key in ("timestamp", "question", "history", "answer", "abstained", "citations", "index_build", "rating",
                "comment", "feedback_id"):
        assert key in first
    assert first["citations"][0]["doc_sha256"] == "f" * 64 and first["history"] == ["Earlier?"]
    latest = {r["feedback_id"]: r for r in fb.latest_by_id(records)}
    assert latest["x"]["rating"] == "up" and latest["x"]["comment"] == "cites the wrong paragraph"
    assert [r["feedback_id"] for r in fb.latest_by_id(records)] == ["x", "y"]


def test_from_feedback_writes_reviewable_draft_gold_items(tmp_path: Path, capsys):
    log = tmp_path / "feedback.jsonl"
    fb.append(log, _record("down-1", "down", question="Why did the reset fail?"))
    fb.append(log, _record("down-1", "down", comment="Misses the 2014 annexation", question="Why did the reset fail?"))
    fb.append(log, _record("up-1", "up", question="Fine?"))
    fb.append(log, _record("abst-1", "down", question="Who negotiated détente?", abstained=True))
    fb.append(log, _record("gone-1", "down", question="Withdrawn?"))
    fb.append(log, _record("gone-1", "withdrawn", question="Withdrawn?"))
    with open(log, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    out = tmp_path / "drafts.jsonl"
    assert from_feedback([str(log), "--out", str(out), "--gold", str(tmp_path / "none.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "line 7" in err and "2 new draft item(s)" in err
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i["question"] for i in items] == ["Why did the reset fail?", "Who negotiated détente?"]
    for n, item in enumerate(items, start=1):
        parsed = parse_item(item, n)
        assert "draft" in parsed.tags and parsed.split is None  # never scored until reviewed
        assert item["answer"] == "" and item["evidence"] == []
    assert items[0]["review"]["comment"] == "Misses the 2014 annexation"
    assert items[0]["review"]["cited"][0]["doc_sha256"] == "f" * 64
    assert items[0]["history"] == ["Earlier?"] and "check-answerable" in items[0]["tags"]
    assert "abstained" in items[1]["tags"]
    assert load_gold(out)  # the eval harness loads the file as is
    # idempotent: a second run adds nothing
    assert from_feedback([str(log), "--out", str(out), "--gold", str(tmp_path / "none.jsonl")]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_from_feedback_cli_reports_a_missing_log(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "eval", "from-feedback", str(tmp_path / "missing.jsonl")],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 13
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr
