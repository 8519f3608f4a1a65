"""A scripted OpenAI-compatible chat-completions server on loopback, for tests.

    with FakeOpenAI(default=Reply("Hello [1].")) as server:
        server.queue(Reply("first"), Reply(status=500))   # FIFO, then the default
        settings = ...(llm_base_url=server.url, ...)

It listens on 127.0.0.1 on a free port, in a daemon thread, and serves
POST /v1/chat/completions (JSON or SSE streaming, as the request asks) and
GET /v1/models. Replies are deterministic: a `Reply`, or a function of the
request JSON returning one (so a reply can cite whichever passage number
holds a phrase, whatever order retrieval put them in). Every request is
recorded in `server.requests` (path, headers, json) for assertions.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0               # seconds before the status line is sent
    chunk_delay: float = 0.0         # seconds between streamed chunks
    chunks: list[str] | None = None  # how the text is split when streaming (default: by words)
    body: bytes | None = None        # sent verbatim instead of a completion (malformed replies)
    content_type: str | None = None  # with `body`
    reasoning: str | None = None


Responder = Reply | Callable[[dict[str, Any]], Reply]


def split_words(text: str) -> list[str]:
    """Stream pieces the way servers do: a word and its leading space per chunk."""
    return re.findall(r"\s*\S+", text) or [text]


def passages_in(request: dict[str, Any]) -> dict[int, str]:
    """The numbered passages of an answer prompt: {n: text}."""
    user = next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")
    body = user.split("\n\nQuestion:", 1)[0]
    out: dict[int, str] = {}
    for m in re.finditer(r"(?ms)^\[(\d+)\] \([^\n]*\)\n(.*?)(?=\n\n\[\d+\] \(|\Z)", body):
        out[int(m.group(1))] = m.group(2)
    return out


def cite(request: dict[str, Any], phrase: str) -> int:
    """The number of the first passage that contains `phrase` (whitespace-insensitive)."""
    want = " ".join(phrase.split()).lower()
    for n, text in sorted(passages_in(request).items()):
        if want in " ".join(text.split()).lower():
            return n
    raise AssertionError(f"no passage in the prompt contains {phrase!r}")


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    json: Any = None
    when: float = field(default_factory=time.monotonic)


class FakeOpenAI:
    def __init__(self, default: Responder | None = None, model: str = "fake-model") -> None:
        self.default: Responder = default or Reply("I have nothing scripted for this.")
        self.model = model
        self.requests: list[Recorded] = []
        self._queue: deque[Responder] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------
    def queue(self, *replies: Responder) -> FakeOpenAI:
        with self._lock:
            self._queue.extend(replies)
        return self

    def start(self) -> FakeOpenAI:
        server = self

        class Handler(_Handler):
            fake = server

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals -------------------------------------------------------------
    def _next(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            responder = self._queue.popleft() if self._queue else self.default
        return responder(request) if callable(responder) else responder


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.0"  # the connection closes after each reply; SSE needs no framing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self.fake.requests.append(Recorded(self.path, dict(self.headers)))
        if self.path.rstrip("/").endswith("/models"):
            body = {"object": "list", "data": [{"id": self.fake.model, "object": "model", "owned_by": "test"}]}
            self._send(200, json.dumps(body).encode(), "application/json")
        else:
            self._send(404, b'{"error": {"message": "not found"}}', "application/json")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            request = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            request = None
        self.fake.requests.append(Recorded(self.path, dict(self.headers), request))
        try:
            if not self.path.rstrip("/").endswith("/chat/completions") or not isinstance(request, dict):
                self._send(404, b'{"error": {"message": "not found"}}', "application/json")
                return
            reply = self.fake._next(request)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.body is not None:
                self._send(reply.status, reply.body, reply.content_type or "application/json")
            elif reply.status != 200:
                err = {"error": {"message": f"scripted failure {reply.status}", "type": "server_error",
                                 "code": reply.status}}
                self._send(reply.status, json.dumps(err).encode(), "application/json")
            elif request.get("stream"):
                self._stream(reply, request)
            else:
                self._send(200, json.dumps(self._completion(reply, request)).encode(), "application/json")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts): nothing to do

    def _completion(self, reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.reasoning:
            message["reasoning_content"] = reply.reasoning
        return {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
            "model": request.get("model", self.fake.model),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _stream(self, reply: Reply, request: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        model = request.get("model", self.fake.model)

        def event(delta: dict[str, Any], finish: str | None = None) -> None:
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        event({"role": "assistant", "content": ""})
        for i, piece in enumerate(reply.chunks if reply.chunks is not None else split_words(reply.text)):
            if i and reply.chunk_delay:
                time.sleep(reply.chunk_delay)
            event({"content": piece})
        event({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
