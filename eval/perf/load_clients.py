"""The load test's clients: one connection per simulated user, each asking /ask and returning the answer.

`HttpAsk` speaks the REST API Gradio generates for `api_name="/ask"`, `ApiAsk` posts to `/api/ask`
outside Gradio's queue, `ClientAsk` goes through gradio_client. Questions come from eval/gold.jsonl.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..errors import LoadError

GOLD = Path(__file__).resolve().parents[1] / "gold.jsonl"
REQUEST_TIMEOUT_S = 30.0
FALLBACK_QUESTIONS: list[tuple[str, list[str]]] = [("What is détente?", []), ("Why did the U.S.-Russia reset fail?", []),
                      ("What incentives does the author propose offering Russia?", [])]


def load_questions(path: Path = GOLD) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    try:
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                obj = json.loads(line)
                out.append((str(obj["question"]), [str(h) for h in obj.get("history") or []]))
    except (OSError, ValueError, KeyError):
        return list(FALLBACK_QUESTIONS)
    return out or list(FALLBACK_QUESTIONS)


class HttpAsk:
    """One client's connection: the REST API Gradio generates for the named endpoint."""

    def __init__(self, url: str, auth: tuple[str, str] | None, fresh_sessions: bool = False) -> None:
        import uuid

        import httpx

        self.url = url
        self.http = httpx.Client(timeout=REQUEST_TIMEOUT_S)
        # Like a browser tab or a gradio_client.Client, a client keeps one session; with fresh_sessions
        # every request is anonymous (as curl calls are), and Gradio keeps state for each such session.
        self.session = None if fresh_sessions else uuid.uuid4().hex[:11]
        if auth:
            r = self.http.post(url + "login", data={"username": auth[0], "password": auth[1]})
            if r.status_code != 200:
                raise LoadError(f"login as {auth[0]!r} failed (HTTP {r.status_code})")

    def __call__(self, question: str, history: list[str]) -> dict[str, Any]:
        body: dict[str, Any] = {"data": [question, history, None]}
        if self.session:
            body["session_hash"] = self.session
        r = self.http.post(self.url + "gradio_api/call/ask", json=body)
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code} on submit: {r.text[:120]}")
        event_id = r.json()["event_id"]
        event, data = "", ""
        with self.http.stream("GET", self.url + f"gradio_api/call/ask/{event_id}") as stream:
            if stream.status_code != 200:
                raise RuntimeError(f"HTTP {stream.status_code} on result")
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
                    if event in ("complete", "error"):
                        break
        if event != "complete":
            raise RuntimeError(f"event {event or 'none'}: {data[:160]}")
        payload = json.loads(data)
        return payload[0] if isinstance(payload, list) and payload else payload

    def close(self) -> None:
        self.http.close()


class ApiAsk:
    """`POST /api/ask`: one request per answer, outside Gradio's queue (assistant/chat/api.py)."""

    def __init__(self, url: str, auth: tuple[str, str] | None, fresh_sessions: bool = False) -> None:
        import httpx

        self.url = url
        self.http = httpx.Client(timeout=REQUEST_TIMEOUT_S)
        if auth:
            r = self.http.post(url + "login", data={"username": auth[0], "password": auth[1]})
            if r.status_code != 200:
                raise LoadError(f"login as {auth[0]!r} failed (HTTP {r.status_code})")

    def __call__(self, question: str, history: list[str]) -> dict[str, Any]:
        r = self.http.post(self.url + "api/ask", json={"question": question, "history": history, "docs": None})
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code}: {r.text[:160]}")
        return r.json()

    def close(self) -> None:
        self.http.close()


class ClientAsk:
    """Through gradio_client, as the README documents the API."""

    def __init__(self, url: str, auth: tuple[str, str] | None, fresh_sessions: bool = False) -> None:
        from gradio_client import Client

        self.client = Client(url, auth=auth, verbose=False)

    def __call__(self, question: str, history: list[str]) -> dict[str, Any]:
        return self.client.predict(question, history, None, api_name="/ask")

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # older gradio_client versions have no close()
            pass


class Connection(Protocol):
    """What the driver needs of a client: ask one question (with its history), and close."""

    def __call__(self, question: str, history: list[str]) -> dict[str, Any]: ...

    def close(self) -> None: ...


CONNECTIONS: dict[str, Callable[[str, tuple[str, str] | None, bool], Connection]] = {
    "http": HttpAsk, "api": ApiAsk, "client": ClientAsk}
