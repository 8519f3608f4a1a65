"""Every event is a public entry point; logins are throttled; one session may run many calls (issue 14).

Weak spots 6-8 and the load item: the chat's own UI events can be called over raw HTTP through
/gradio_api/queue/join (a forged rating was logged), logins were unlimited and /gradio_api/cancel and
/gradio_api/reset answered without one, 200 concurrent /call/ask in one session got 404s, and gradio_client's
shared stream was closed under a burst of submissions. POST /api/ask answers outside Gradio's queue.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant import Assistant
from assistant.chat import server
from assistant.chat.server import Running
from eval.perf.measure import free_port
from ingest.config import Settings, load_settings

USER, PASSWORD = "auditor", "Tr0ub4dor&3-staff"
QUESTION = "What is détente?"


def _start(shipped_index: Path, assistant: Assistant, base: Path, auth: str = "") -> tuple[Running, Settings]:
    settings = load_settings(index_dir=shipped_index, corpus_dir=shipped_index.parent / "corpus", host="127.0.0.1",
                             port=free_port(), auth=auth, feedback_path=base / "feedback.jsonl")
    return server.start(settings, assistant=assistant), settings


@pytest.fixture(scope="module")
def open_app(shipped_index: Path, assistant: Assistant,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Settings]]:
    running, settings = _start(shipped_index, assistant, tmp_path_factory.mktemp("events"))
    yield running, settings
    running.close()


@pytest.fixture(scope="module")
def login_app(shipped_index: Path, assistant: Assistant,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Settings]]:
    running, settings = _start(shipped_index, assistant, tmp_path_factory.mktemp("events-login"),
                               auth=f"{USER}:{PASSWORD}")
    yield running, settings
    running.close()


def _fn_index(running: Running, name: str) -> int:
    return next(i for i, fn in running.demo.fns.items() if getattr(fn, "name", "") == name)


def _event(http: httpx.Client, fn_index: int, data: list, session: str,
           event_data: Any = None) -> dict[str, Any]:
    """Run one event the way the browser does (queue/join, then the session's stream); its completion message."""
    body = {"fn_index": fn_index, "data": data, "session_hash": session, "event_data": event_data}
    r = http.post("/gradio_api/queue/join", json=body)
    assert r.status_code == 200, r.text
    event_id = r.json()["event_id"]
    with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed" and msg.get("event_id") == event_id:
                    return msg
    raise AssertionError("the stream ended without the event's completion")


def _log(settings: Settings) -> list[dict[str, Any]]:
    path = Path(settings.chat.feedback_path)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


# -- weak spot 6: private events validate what they are sent -------------------------------------------------------
def test_a_forged_like_writes_nothing_and_a_real_thumb_is_logged(open_app):
    running, settings = open_app
    like, respond = _fn_index(running, "on_like"), _fn_index(running, "respond")
    docs = sorted(running.assistant.data.documents)
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        # No answer in this session yet, and turns sent by the client are not the session's turns.
        forged_turns: list[dict[str, Any]] = [{"id": "x", "question": "Q", "history": [], "docs": None, "answer": {"answer": "A"},
                         "rating": None, "comment": "", "question_html": "", "html": ""}]
        _event(http, like, [forged_turns], "forged-1", {"index": 1, "value": "", "liked": True})
        assert _log(settings) == []
        _event(http, respond, [QUESTION, None, docs], "real-1")
        for liked, index in [("injected-rating <b>x</b>", 1), (["up"], 1), ({"a": 1}, 1), (1, 1),
                             (True, 0), (True, 2), (True, True), (True, "1"), (True, [1, 1]), (True, -1)]:
            msg = _event(http, like, [None], "real-1", {"index": index, "value": "", "liked": liked})
            assert msg["success"] is True, msg  # a toast, not a server error
        assert _log(settings) == []
        _event(http, like, [None], "real-1", {"index": 1, "value": "", "liked": True})
        records = _log(settings)
        assert [r["rating"] for r in records] == ["up"] and records[0]["question"] == QUESTION


def test_a_comment_is_capped_and_cleaned(open_app):
    running, settings = open_app
    like, respond, comment = (_fn_index(running, n) for n in ("on_like", "respond", "on_comment"))
    docs = sorted(running.assistant.data.documents)
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        _event(http, respond, [QUESTION, None, docs], "comment-1")
        before = len(_log(settings))
        # A comment before any rating is refused, whatever "pending" id the client sends (it is server state)
        _event(http, comment, ["early", "forged-id", None], "comment-1")
        assert len(_log(settings)) == before
        _event(http, like, [None], "comment-1", {"index": 1, "value": "", "liked": False})
        before = len(_log(settings))
        for text in ["x" * 5000, "\x00\u200b \n"]:  # over the cap, or nothing left once cleaned: not saved
            assert _event(http, comment, [text, None, None], "comment-1")["success"] is True
        assert len(_log(settings)) == before
        for junk in [{"not": "text"}, ["a"], 12]:  # Gradio's Textbox hands these over as text; no server error
            assert _event(http, comment, [junk, None, None], "comment-1")["success"] is True
        assert all(isinstance(r["comment"], str) and len(r["comment"]) <= 4000 for r in _log(settings))
        _event(http, comment, ["cites \x1b[2Jthe wrong\u200b\u202e part\n\tof it", None, None], "comment-1")
        last = _log(settings)[-1]
        assert last["rating"] == "down" and last["comment"] == "cites [2Jthe wrong part of it"


def test_make_record_refuses_a_rating_that_is_not_a_thumb(tmp_path: Path):
    from assistant.chat import feedback as fb

    with pytest.raises(fb.FeedbackError, match="not a rating"):
        fb.make_record(feedback_id="x", rating="injected-rating <b>x</b>", comment="", question="Q", history=[],
                       docs=None, answer={}, index_build="b")
    rec = fb.make_record(feedback_id="x", rating="up", comment="y" * 9000, question="Q", history=[], docs=None,
                         answer={}, index_build="b")
    assert len(rec["comment"]) == fb.MAX_COMMENT_CHARS


def test_gradio_direct_run_routes_are_closed(open_app):
    running, _ = open_app
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=30) as http:
        like = _fn_index(running, "on_like")
        for path in ("/gradio_api/run/ask", "/gradio_api/api/ask"):
            assert http.post(path, json={"data": [QUESTION, [], None]}).status_code == 404
        r = http.post("/gradio_api/run/predict", json={"fn_index": like, "data": [None],
                                                       "event_data": {"index": 1, "liked": "x"}})
        assert r.status_code in (404, 422)


# -- weak spot 7: logins are throttled; cancel and reset need one ---------------------------------------------------
def test_cancel_and_reset_need_a_login(login_app):
    running, _ = login_app
    body = {"session_hash": "s", "fn_index": 0, "event_id": "e"}
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=30) as http:
        assert http.post("/gradio_api/cancel", json=body).status_code == 401
        assert http.post("/gradio_api/reset", json={"event_id": "e"}).status_code == 401
        assert http.post("/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        assert http.post("/gradio_api/cancel", json=body).status_code == 200
        assert http.post("/gradio_api/reset", json={"event_id": "e"}).status_code == 200


def test_repeated_wrong_passwords_get_429_with_retry_after(login_app):
    running, _ = login_app
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=30) as http:
        codes = [http.post("/login", data={"username": USER, "password": f"wrong-{i}"}).status_code
                 for i in range(30)]
        assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}, codes
        r = http.post("/login", data={"username": USER, "password": PASSWORD})  # locked out, even when right
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert not any(k.startswith("access-token") for k in r.cookies)


def test_login_throttle_backs_off_exponentially_and_forgives_a_success():
    from assistant.chat.guard import LoginThrottle

    now = [0.0]
    t = LoginThrottle(max_failures=3, window_s=10, clock=lambda: now[0])
    for _ in range(3):
        assert t.retry_after("a") == 0
        t.failed("a")
    assert t.retry_after("a") == 10 and t.retry_after("b") == 0
    now[0] = 10.5
    for _ in range(3):
        t.failed("a")
    assert t.retry_after("a") == 20  # the second lock-out is twice as long
    t.succeeded("a")
    assert t.retry_after("a") == 0


# -- weak spot 8: one session, many concurrent calls ----------------------------------------------------------------
def test_concurrent_calls_in_one_session_all_complete(open_app):
    running, _ = open_app
    results: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(base_url=running.url.rstrip("/"), timeout=120) as http:
            r = http.post("/gradio_api/call/ask", json={"data": [QUESTION, [], None], "session_hash": "shared-1"})
            outcome = f"submit {r.status_code}"
            if r.status_code == 200:
                outcome = "no result"
                with http.stream("GET", f"/gradio_api/call/ask/{r.json()['event_id']}") as stream:
                    for line in stream.iter_lines():  # heartbeats keep a stream that never ends alive
                        if line.startswith("event:") and line[6:].strip() in ("complete", "error"):
                            outcome = line[6:].strip()
                            break
                        if time.monotonic() > deadline:
                            break
            with lock:
                results.append(outcome)

    deadline = time.monotonic() + 120
    threads = [threading.Thread(target=one, daemon=True) for _ in range(48)]  # within the queue's max_size of 64
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, deadline + 30 - time.monotonic()))
    assert results.count("complete") == 48, (len(results), sorted(set(results)))


def test_the_queue_stream_stays_open_for_a_submission_right_after_a_completion(open_app):
    """gradio_client's shared stream: a job submitted as the previous one completes is not orphaned."""
    running, _ = open_app
    respond = _fn_index(running, "ask")
    session = "burst-1"
    docs = None
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        first = http.post("/gradio_api/queue/join", json={"fn_index": respond, "data": [QUESTION, [], docs],
                                                          "session_hash": session}).json()["event_id"]
        second = None
        seen: list[str] = []
        with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                seen.append(f"{msg.get('msg')}:{'1' if msg.get('event_id') == first else '2'}")
                if msg.get("msg") == "process_completed" and msg.get("event_id") == first:
                    second = http.post("/gradio_api/queue/join", json={
                        "fn_index": respond, "data": [QUESTION, [], docs], "session_hash": session}).json()["event_id"]
                if msg.get("msg") == "process_completed" and msg.get("event_id") == second:
                    break
                if msg.get("msg") == "close_stream" or len(seen) > 50:
                    break
        assert "process_completed:2" in seen, seen


# -- load: POST /api/ask, outside the queue ------------------------------------------------------------------------------
def test_api_ask_answers_with_the_json_of_ask(open_app, assistant):
    running, _ = open_app
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        r = http.post("/api/ask", json={"question": QUESTION, "history": [], "docs": None})
        assert r.status_code == 200, r.text
        got = r.json()
        want = assistant.ask(QUESTION).to_json()
        assert got["answer"] == want["answer"] and got["citations"] == want["citations"]
        assert http.post("/api/ask", json={"data": [QUESTION]}).json()["answer"] == want["answer"]
        for body, message in [
            ({"question": ""}, "the question is empty"), ({"question": 3}, "the question must be text"),
            ({"question": QUESTION, "history": "x"}, "history must be a list"),
            ({"question": QUESTION, "docs": ["../../etc/passwd"]}, "unknown document id"),
            ({"history": []}, "the question is missing"), ({"question": QUESTION, "extra": 1}, "unknown field"),
            ([1, 2], "must be a JSON object"), ({"data": []}, '"data" must be'),
        ]:
            r = http.post("/api/ask", json=body)
            assert r.status_code == 422 and message in r.json()["error"], (body, r.text)
        r = http.post("/api/ask", content=b"{nope", headers={"content-type": "application/json"})
        assert r.status_code == 422 and "not JSON" in r.json()["error"]
        assert http.post("/api/ask", content=b"x" * 2_000_000).status_code == 413


def test_api_ask_needs_the_login(login_app):
    running, _ = login_app
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        assert http.post("/api/ask", json={"question": QUESTION}).status_code == 401
    # An earlier test locked this address out of /login, so the session is made directly.
    with httpx.Client(base_url=running.url.rstrip("/"), timeout=60) as http:
        http.cookies.set(f"access-token-{running.demo.app.cookie_id}", "tok")
        running.demo.app.tokens["tok"] = USER
        r = http.post("/api/ask", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["citations"], r.text
