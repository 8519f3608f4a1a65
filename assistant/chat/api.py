"""`POST /api/ask`: the /ask API as a plain JSON route beside the Gradio app, outside Gradio's queue.

Gradio's REST API for `/ask` is two round trips (submit, then a result
stream) through its queue, and that costs about 60 ms of each answer under
load (issue 14, "Load"). This route answers in one request:

    POST /api/ask   {"question": "...", "history": ["..."], "docs": ["doc-id"] | null}
    200             the JSON of `python -m assistant ask --json`
    422             {"error": "Invalid request: ..."}   (the same checks and messages as /ask)
    401             without a login when the server has one (RAGQA_AUTH)
    503             more than `max_waiting` requests already waiting
    500             {"error": "..."}                    (the details are in the server log)

`{"data": [question, history, docs]}`, the body of Gradio's own call API, is
accepted too. Answers run on worker threads, at most `concurrency` at once
(the same limit as the queue's /ask), so a burst waits instead of
oversubscribing the cores. The body is capped by `limits.BodySizeLimit`
like every other request.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from ..errors import AssistantError, InvalidQuestion
from .guard import logged_in_user, login_required

log = logging.getLogger("assistant.chat")

ASK_PATH = "/api/ask"
AnswerJson = Callable[[Any, Any, Any], dict]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _arguments(payload: Any) -> tuple[Any, Any, Any]:
    """(question, history, docs) from either body shape; InvalidQuestion for anything else."""
    if isinstance(payload, dict) and "data" in payload and "question" not in payload:
        data = payload["data"]
        if not isinstance(data, list) or not 1 <= len(data) <= 3:
            raise InvalidQuestion('"data" must be [question, history, docs]')
        data = data + [None] * (3 - len(data))
        return data[0], data[1], data[2]
    if not isinstance(payload, dict):
        raise InvalidQuestion('the body must be a JSON object: {"question": "...", "history": [], "docs": null}')
    unknown = sorted(set(payload) - {"question", "history", "docs"})
    if unknown:
        raise InvalidQuestion(f"unknown field(s): {', '.join(repr(k[:40]) for k in unknown[:5])}; "
                              "expected question, history, docs")
    if "question" not in payload:
        raise InvalidQuestion("the question is missing")
    return payload["question"], payload.get("history"), payload.get("docs")


def ask_route(answer_json: AnswerJson, concurrency: int = 4, max_waiting: int = 64) -> APIRoute:
    """The route, for FastAPI's `routes=` (Gradio's app is a FastAPI app built from `launch(app_kwargs=...)`)."""
    limiter = anyio.CapacityLimiter(concurrency)
    admitted = 0

    async def api_ask(request: Request) -> JSONResponse:
        nonlocal admitted
        if login_required(request.scope) and logged_in_user(request.scope) is None:
            return _error(401, "Not authenticated: POST /login with username and password first")
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(422, "Invalid request: the body is not JSON")
        try:
            question, history, docs = _arguments(payload)
        except InvalidQuestion as exc:
            return _error(422, f"Invalid request: {exc}")
        if admitted >= concurrency + max_waiting:
            return _error(503, "The server is busy; try again in a moment.")
        admitted += 1
        try:
            answer = await anyio.to_thread.run_sync(answer_json, question, history, docs, limiter=limiter)
        except InvalidQuestion as exc:
            return _error(422, f"Invalid request: {exc}")
        except AssistantError as exc:
            log.exception("API answer failed")
            return _error(500, f"The assistant could not answer: {exc}")
        except Exception:  # never a traceback in a reply; the log has it
            log.exception("unexpected API error")
            return _error(500, "Internal error while answering; the server log has the details.")
        finally:
            admitted -= 1
        return JSONResponse(answer)

    return APIRoute(ASK_PATH, api_ask, methods=["POST"], name="api_ask",
                    summary="Answer one question from the documents (the JSON of `assistant ask --json`)")
