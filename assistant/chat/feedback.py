"""Append-only JSONL feedback log, safe for many writers.

Each rating or comment is one JSON object on one line. A writer opens the
file with O_APPEND, takes an exclusive `fcntl.flock` on it, writes the whole
line with as many `os.write` calls as the kernel needs, fsyncs and unlocks,
so lines from concurrent threads or processes never interleave. If a crash
left a torn last line, the next writer starts on a fresh line, and readers
skip (and report) lines that are not JSON.

Several lines may share a `feedback_id` (one per answer): a rating followed
by a comment, or a changed rating. The last line for an id is its current
state; `latest_by_id` applies that rule.
"""
from __future__ import annotations

import fcntl
import json
import os
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.errors import ExitCode

from ..errors import AssistantError

SCHEMA = 1
RATINGS = ("up", "down")
WITHDRAWN = "withdrawn"  # the same thumb clicked again
MAX_COMMENT_CHARS = 4000


class FeedbackError(AssistantError):
    """The feedback log cannot be written or read."""

    exit_code = ExitCode.FEEDBACK


def new_id() -> str:
    return uuid.uuid4().hex


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def clean_comment(text: str) -> str:
    """A comment as logged: control and format characters dropped (newlines and tabs become spaces), trimmed.

    The log is read by people and by `eval feedback`; a comment must not carry terminal escapes or
    invisible characters, and is capped at MAX_COMMENT_CHARS by the caller and by `make_record`.
    """
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t\r":
            out.append(" ")
        elif cat not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    return " ".join("".join(out).split())


def make_record(*, feedback_id: str, rating: str, comment: str, question: str, history: Sequence[str],
                docs: Sequence[str] | None, answer: dict[str, Any], index_build: str,
                index_created_at: str = "", user: str | None = None, source: str = "chat") -> dict[str, Any]:
    """One log line: what was asked, what was answered, with which evidence, and the verdict.

    The rating must be a thumb or a withdrawal and the comment is cleaned and capped here too, whatever
    the caller checked: a chat event is reachable over raw HTTP (issue 14).
    """
    if rating not in RATINGS + (WITHDRAWN,):
        raise FeedbackError(f"not a rating: {str(rating)[:40]!r} (expected one of {', '.join(RATINGS)}, {WITHDRAWN})")
    comment = clean_comment(comment)[:MAX_COMMENT_CHARS]
    return {
        "schema": SCHEMA,
        "feedback_id": feedback_id,
        "timestamp": now(),
        "rating": rating,
        "comment": comment,
        "question": question,
        "history": list(history),
        "docs": list(docs) if docs else None,
        "answer": answer.get("answer", ""),
        "abstained": bool(answer.get("abstained")),
        "citations": list(answer.get("citations", [])),
        "passages": [{k: p.get(k) for k in ("doc", "title", "section", "start", "end", "score", "text")}
                     for p in answer.get("passages", [])[:3]],
        "resolved_question": answer.get("resolved_question", ""),
        "answerer": answer.get("answerer", ""),
        "index_build": index_build or answer.get("index_build", ""),
        "index_created_at": index_created_at,
        "user": user,
        "source": source,
    }


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def append(path: Path, record: dict[str, Any]) -> None:
    """Append one record as one line, under an exclusive lock."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
    data = (line.replace("\n", "\\n") + "\n").encode("utf-8")  # json.dumps never emits raw newlines; belt and braces
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise FeedbackError(f"cannot open the feedback log {path}: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a torn line from a crashed writer stays on its own line
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError as exc:
        raise FeedbackError(f"cannot write the feedback log {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def read(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """All records in file order, and a message per line that could not be used."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        with open(path, "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH)
            raw = fh.read()
            fcntl.flock(fh, fcntl.LOCK_UN)
    except OSError as exc:
        raise FeedbackError(f"cannot read the feedback log {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"line {n}: not a JSON object ({exc.__class__.__name__}); skipped")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("question"), str):
            problems.append(f"line {n}: not a feedback record (no question); skipped")
            continue
        records.append(obj)
    return records, problems


def latest_by_id(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The last record per feedback_id, in order of first appearance."""
    latest: dict[str, dict[str, Any]] = {}
    for i, rec in enumerate(records):
        key = str(rec.get("feedback_id") or f"line-{i}")
        if key in latest:
            merged = dict(rec)
            if not merged.get("comment") and latest[key].get("comment"):
                merged["comment"] = latest[key]["comment"]  # a later re-rating keeps the earlier comment
            latest[key] = merged
        else:
            latest[key] = rec
    return list(latest.values())
