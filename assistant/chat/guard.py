"""ASGI middleware for what Gradio leaves open: login throttling, login on every route, and the queue's streams.

Like `limits.BodySizeLimit`, each class wraps Gradio's FastAPI app through
`launch(app_kwargs={"middleware": ...})` and sees a request before Gradio
does. Starlette puts the Gradio app in `scope["app"]` before the middleware
runs, which is how these read its login state (`auth`, `tokens`,
`cookie_id`) and its queue.

* `LoginGuard` (issue 14, weak spot 7): wrong passwords are counted per
  client address; after `max_failures` in `window_s` seconds the address gets
  429 with Retry-After, and each further lock-out doubles (up to 15 min).
  Gradio answered 30 wrong passwords in 0.3 s. It also puts
  `/gradio_api/cancel` and `/gradio_api/reset`, which Gradio serves without
  its login check, behind the login.
* `OneSessionPerCall` (weak spot 8): every `POST /gradio_api/call/<name>`
  runs in a session of its own. The result stream of that REST API
  (`GET /gradio_api/call/<name>/<event_id>`) reads the *session's* message
  queue, not the event's, so concurrent calls sharing a `session_hash` took
  each other's messages, and the first stream to end deleted the queue the
  others were reading: 185 of 200 concurrent calls in one session got
  "404: Not Found". The API endpoints keep no per-session state, so the
  session a client names carries nothing.
* `StreamCloseGrace` (weak spot 8): Gradio closes a session's
  `/gradio_api/queue/data` stream as soon as the session has no pending
  event. gradio_client multiplexes all of a client's jobs on that stream; a
  job submitted while the close is on its way is tied to the closing stream
  and fails with `CancelledError` (3 of 300 jobs when one client submits 60
  at once, each failure together with a second stream being opened). The
  stream is held open for `grace_s` after the session's last completion, so
  a burst of submissions keeps one stream.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections.abc import Callable, MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from .limits import ASGIApp, Message, Receive, Scope, Send, forward_with_body, read_json_body

log = logging.getLogger("assistant.chat")

LOGIN_PATHS = ("/login", "/login/")
# Gradio serves these two without its login check; nothing else in the app should answer without a login.
LOGIN_REQUIRED_PATHS = ("/gradio_api/cancel", "/gradio_api/cancel/", "/gradio_api/reset", "/gradio_api/reset/")
MAX_LOCKOUT_S = 900.0


async def _reply(send: Send, status: int, payload: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


def logged_in_user(scope: Scope) -> str | None:
    """The user a request's session cookie belongs to, as Gradio's own login check finds it; None if none."""
    app = scope.get("app")
    tokens = getattr(app, "tokens", None)
    cookie_id = getattr(app, "cookie_id", None)
    if not isinstance(tokens, dict) or cookie_id is None:
        return None
    cookies = SimpleCookie()
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            try:
                cookies.load(value.decode("latin-1"))
            except Exception:  # http.cookies.CookieError and friends: a malformed cookie logs nobody in
                continue
    for key in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        if key in cookies and cookies[key].value in tokens:
            return str(tokens[cookies[key].value])
    return None


def login_required(scope: Scope) -> bool:
    app = scope.get("app")
    return getattr(app, "auth", None) is not None or getattr(app, "auth_dependency", None) is not None


class LoginThrottle:
    """Failed logins per client address in a sliding window, with a lock-out that doubles each time."""

    def __init__(self, max_failures: int = 5, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked: dict[str, tuple[float, int]] = {}  # address -> (locked until, lock-outs so far)
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> float:
        """Seconds this address must wait before its next attempt (0: it may try now)."""
        with self._lock:
            until, _ = self._locked.get(address, (0.0, 0))
            return max(0.0, until - self.clock())

    def failed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(address, []) if now - t < self.window_s] + [now]
            self._failures[address] = recent
            if len(recent) >= self.max_failures:
                _, count = self._locked.get(address, (0.0, 0))
                self._locked[address] = (now + min(MAX_LOCKOUT_S, self.window_s * 2 ** count), count + 1)
                self._failures[address] = []
            if len(self._failures) > 10_000:  # many addresses: forget those with nothing recent
                self._failures = {a: ts for a, ts in self._failures.items() if ts and now - ts[-1] < self.window_s}
                self._locked = {a: v for a, v in self._locked.items() if v[0] > now - MAX_LOCKOUT_S}

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
            self._locked.pop(address, None)


class LoginGuard:
    """Throttle `POST /login`; refuse cancel/reset without a login when the app has one."""

    def __init__(self, app: ASGIApp, max_failures: int = 5, window_s: float = 60.0) -> None:
        self.app = app
        self.throttle = LoginThrottle(max_failures, window_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path in LOGIN_REQUIRED_PATHS and login_required(scope) and logged_in_user(scope) is None:
            await _reply(send, 401, {"detail": "Not authenticated"})
            return
        if path not in LOGIN_PATHS or scope.get("method") != "POST" or not login_required(scope):
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.retry_after(address)
        if wait > 0:
            await _reply(send, 429, {"detail": f"Too many failed logins; try again in {math.ceil(wait)} s."},
                         [(b"retry-after", str(math.ceil(wait)).encode())])
            return
        status = 0

        async def watch(msg: Message) -> None:
            nonlocal status
            if msg["type"] == "http.response.start":
                status = int(msg["status"])
            await send(msg)

        await self.app(scope, receive, watch)
        if status == 200:
            self.throttle.succeeded(address)
        elif 400 <= status < 500:
            self.throttle.failed(address)
            if self.throttle.retry_after(address) > 0:
                log.warning("login: %s locked out for %.0f s after repeated failures", address,
                            self.throttle.retry_after(address))


CALL_PREFIX = "/gradio_api/call/"


class OneSessionPerCall:
    """Drop the `session_hash` from `POST /gradio_api/call/<name>` bodies (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope.get("method") != "POST" or not path.startswith(CALL_PREFIX)
                or path.count("/") > 4):  # /gradio_api/call/<name>[/]; /call/v2/<name> carries no session
            await self.app(scope, receive, send)
            return
        read = await read_json_body(receive)
        if read is None:  # the client went away
            return
        body, payload = read
        if isinstance(payload, dict) and "session_hash" in payload:
            del payload["session_hash"]
            body = json.dumps(payload).encode()
        await forward_with_body(self.app, scope, receive, send, body)


QUEUE_DATA_PATHS = ("/gradio_api/queue/data", "/gradio_api/queue/data/")


def _pending_events(scope: Scope, session: str) -> set[str] | None:
    """The session's pending event ids in Gradio's queue; None when that internal is not there."""
    app = scope.get("app")
    if app is None:
        return None
    try:
        blocks: Any = app.get_blocks()  # Gradio's queue is internal and untyped: read it as Any, guarded below
        pending: MutableMapping[str, set[str]] = blocks._queue.pending_event_ids_session
    except AttributeError:
        return None
    return set(pending.get(session, ()))


class StreamCloseGrace:
    """Hold a session's queue stream open for `grace_s` after its last completion (see the module docstring)."""

    def __init__(self, app: ASGIApp, grace_s: float = 1.0, poll_s: float = 0.01) -> None:
        self.app = app
        self.grace_s = grace_s
        self.poll_s = poll_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in QUEUE_DATA_PATHS:
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        session = (query.get("session_hash") or [""])[0]

        async def held_send(msg: Message) -> None:
            await send(msg)
            body = msg.get("body", b"") if msg["type"] == "http.response.body" else b""
            if not session or b'"process_completed"' not in body:
                return
            try:
                done = json.loads(body.decode("utf-8").removeprefix("data:").strip()).get("event_id")
            except (ValueError, UnicodeDecodeError, AttributeError):
                return
            # Gradio removes the finished event after this send returns and closes the stream if none
            # is left; wait (briefly) for the client's next submission before letting it decide.
            deadline = time.monotonic() + self.grace_s
            while time.monotonic() < deadline:
                pending = _pending_events(scope, session)
                if pending is None or pending - {done}:
                    return
                await asyncio.sleep(self.poll_s)

        await self.app(scope, receive, held_send)
