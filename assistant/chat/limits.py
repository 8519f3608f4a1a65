"""A cap on HTTP request bodies, enforced before the body is read.

Gradio reads a request body whole before looking at it: three 100 MB bodies
sent to /gradio_api/call/ask left the server holding 1.26 GB, and each took
14 s to be refused (issue 14). This ASGI middleware sits in front of every
route (it is passed to Gradio's FastAPI app through `launch(app_kwargs=...)`):

* a declared Content-Length over the cap is answered 413 at once, without
  reading a byte of the body (uvicorn then closes the connection);
* a body without a length (chunked) is counted as the app reads it, and the
  read that crosses the cap ends the request with 413 instead.

Nothing the app takes is large: questions are capped at a few thousand
characters, the conversation itself is server-side state, and uploads are
capped at 64 kB, so 1 MB (the `max_request_bytes` setting) leaves room.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    """Raised inside `receive` when a streamed body crosses the cap; caught by the middleware."""


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = int(max_bytes)

    async def _reject(self, send: Send, detail: str) -> None:
        body = json.dumps({"error": detail}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        message = f"the request body is larger than the limit of {limit:,} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.strip().isdigit():
                    await self._reject(send, "the Content-Length header is not a number")
                    return
                if int(value) > limit:
                    await self._reject(send, message)
                    return
        received = 0
        exceeded = False  # the body crossed the cap; whatever the app answers is replaced by 413
        replied = False

        async def capped_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _TooLarge
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return msg

        async def guarded_send(msg: Message) -> None:
            # FastAPI turns any exception while reading the body into its own 400
            # ("There was an error parsing the body"); the client must see the real reason.
            nonlocal replied
            if not exceeded:
                replied = replied or msg["type"] == "http.response.start"
                await send(msg)
            elif not replied:
                replied = True
                await self._reject(send, message)

        try:
            await self.app(scope, capped_receive, guarded_send)
        except _TooLarge:
            if not replied:
                replied = True
                await self._reject(send, message)
            # A response already under way cannot be replaced; the server closes the connection.


ASK_CALL_PATHS = ("/gradio_api/call/ask", "/gradio_api/call/ask/")


class AskCallDefaults:
    """`POST /gradio_api/call/ask` with fewer than three values: defaults filled in, or a real error.

    Gradio checks the number of values before the handler runs and, with
    show_error off, answers a short `data` with `{"error": null}` (issue 14:
    `{"data": []}`). Here `history` defaults to [] and `docs` to null, as in
    the Python signature, and a call without a question gets a 422 that says
    so. The body was already capped by BodySizeLimit, which wraps this one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") not in ASK_CALL_PATHS:
            await self.app(scope, receive, send)
            return
        read = await read_json_body(receive)
        if read is None:  # the client went away
            return
        body, payload = read
        if isinstance(payload, dict) and isinstance(payload.get("data"), list) and len(payload["data"]) < 3:
            data = payload["data"]
            if not data:
                error = json.dumps({"error": "Invalid request: the question is missing; send "
                                             '{"data": [question, history, docs]}'}).encode()
                await send({"type": "http.response.start", "status": 422,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(error)).encode())]})
                await send({"type": "http.response.body", "body": error})
                return
            payload["data"] = data + [[], None][len(data) - 1:]
            body = json.dumps(payload).encode()
        await forward_with_body(self.app, scope, receive, send, body)


async def read_json_body(receive: Receive) -> tuple[bytes, Any] | None:
    """The whole (already size-capped) request body and its JSON, or None if the client left.
    Malformed JSON gives None as the payload: Gradio answers it itself."""
    chunks: list[bytes] = []
    while True:
        msg = await receive()
        if msg["type"] != "http.request":
            return None
        chunks.append(msg.get("body", b""))
        if not msg.get("more_body", False):
            break
    body = b"".join(chunks)
    try:
        return body, json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body, None


async def forward_with_body(app: ASGIApp, scope: Scope, receive: Receive, send: Send, body: bytes) -> None:
    """Pass the request on with `body` in place of the one already read (Content-Length fixed)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    headers = [(k, v) for k, v in scope.get("headers", ()) if k != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await app({**scope, "headers": headers}, replay, send)
