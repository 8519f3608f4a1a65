"""One OpenAI-compatible chat endpoint, through llama-index, with a hard deadline.

The LLM is always built explicitly from `ingest.config.Settings` (base URL,
model, the *name* of the env var holding the key, timeout); llama-index's
global `Settings` are never consulted, so nothing silently falls back to
api.openai.com. Retries are off: a slow or failing endpoint must turn into
the extractive fallback within `llm_timeout_s`, not after minutes of backoff.

Every failure is raised as `LLMError` with a `kind` the caller can turn into
a user-facing notice: "config", "unreachable", "timeout", "http",
"malformed". Messages never contain the API key.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ingest.config import Settings
from ingest.errors import ExitCode

from .errors import AssistantError

log = logging.getLogger(__name__)

# Local servers (Ollama, llama.cpp, vLLM without --api-key) ignore the key, but
# the OpenAI client refuses an empty one.
NO_KEY = "not-needed"
MAX_OUTPUT_TOKENS = 700
TEMPERATURE = 0.0


class LLMError(AssistantError):
    """The LLM backend is unconfigured, unreachable or replied unusably; `kind` says which."""

    exit_code = ExitCode.LLM

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    key_env: str
    timeout_s: float

    @property
    def safe_url(self) -> str:
        """The base URL without user:password@ (safe for logs)."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"


def endpoint(settings: Settings) -> Endpoint:
    base = (settings.llm.base_url or "").strip().rstrip("/")
    model = (settings.llm.model or "").strip()
    missing = [name for name, value in (("llm_base_url (RAGQA_LLM_BASE_URL)", base),
                                        ("llm_model (RAGQA_LLM_MODEL)", model)) if not value]
    if missing:
        raise LLMError("config", f"the LLM answerer needs {' and '.join(missing)}")
    if urlsplit(base).scheme not in ("http", "https"):
        raise LLMError("config", f"llm_base_url must start with http:// or https:// (got {base[:80]!r})")
    # timeout_s is a positive number already: LLMSettings refuses anything else when it is built.
    return Endpoint(base, model, settings.llm.api_key_env or "RAGQA_LLM_API_KEY", settings.llm.timeout_s)


def _api_key(ep: Endpoint) -> str:
    return os.environ.get(ep.key_env, "").strip() or NO_KEY


_clients: dict[tuple[str, str, str, float], Any] = {}
_clients_lock = threading.Lock()


def make_llm(ep: Endpoint) -> Any:
    """A llama-index OpenAILike chat model for the endpoint (cached: it pools connections)."""
    key = _api_key(ep)
    cache_key = (ep.base_url, ep.model, key, ep.timeout_s)
    with _clients_lock:
        llm = _clients.get(cache_key)
        if llm is None:
            from llama_index.llms.openai_like import OpenAILike

            llm = OpenAILike(
                model=ep.model,
                api_base=ep.base_url,
                api_key=key,
                is_chat_model=True,
                is_function_calling_model=False,
                timeout=ep.timeout_s,
                max_retries=0,
                temperature=TEMPERATURE,
                max_tokens=MAX_OUTPUT_TOKENS,
                context_window=8192,
            )
            if len(_clients) > 8:
                _clients.clear()
            _clients[cache_key] = llm
    return llm


def messages(pairs: Sequence[tuple[str, str]]) -> list[Any]:
    from llama_index.core.llms import ChatMessage, MessageRole

    roles = {"system": MessageRole.SYSTEM, "user": MessageRole.USER, "assistant": MessageRole.ASSISTANT}
    return [ChatMessage(role=roles[r], content=c) for r, c in pairs]


# -- errors --------------------------------------------------------------------
def _scrub(text: str, ep: Endpoint) -> str:
    key = os.environ.get(ep.key_env, "").strip()
    if key:
        text = text.replace(key, "***")
    return text.replace(ep.base_url, ep.safe_url)[:300]


def classify(exc: BaseException, ep: Endpoint) -> LLMError:
    """Map openai / httpx / parsing exceptions to an LLMError kind."""
    if isinstance(exc, LLMError):
        return exc
    import httpx
    import openai

    detail = _scrub(f"{type(exc).__name__}: {exc}", ep)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return LLMError("timeout", f"no reply within {ep.timeout_s:g} s ({detail})")
    if isinstance(exc, openai.APIStatusError):
        return LLMError("http", f"HTTP {exc.status_code} from {ep.safe_url} ({detail})", exc.status_code)
    if isinstance(exc, openai.APIResponseValidationError):
        return LLMError("malformed", f"malformed reply ({detail})")
    if isinstance(exc, (openai.APIConnectionError, httpx.ConnectError, ConnectionError)):
        return LLMError("unreachable", f"cannot reach {ep.safe_url} ({detail})")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return LLMError("unreachable", f"connection to {ep.safe_url} broke off ({detail})")
    return LLMError("malformed", f"unusable reply ({detail})")


# -- calls with a deadline -------------------------------------------------------
# `llm_timeout_s` bounds the wait for the first token and every pause between
# tokens; a reply that keeps streaming is cut off after TOTAL_FACTOR times
# that (2 minutes with the default 20 s), so a slow local model on a CPU can
# still finish a long answer while a stalled one fails fast.
TOTAL_FACTOR = 6.0


def _pump(produce: Callable[[], Iterable[str]], ep: Endpoint) -> Iterator[str]:
    """Run `produce` in a worker thread; yield its items while they keep coming in time.

    The OpenAI client's timeout bounds each socket read; the worker thread
    also lets the caller give up on the overall deadline when a server
    trickles tokens forever. An abandoned worker ends at its own read timeout.
    """
    q: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in produce():
                if stop.is_set():
                    return
                q.put(("item", item))
            q.put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            q.put(("error", exc))

    deadline = time.monotonic() + ep.timeout_s * TOTAL_FACTOR
    threading.Thread(target=work, name="llm-call", daemon=True).start()
    try:
        while True:
            now = time.monotonic()
            wait = min(ep.timeout_s, deadline - now)
            try:
                if wait <= 0:
                    raise queue.Empty
                kind, value = q.get(timeout=wait)
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise LLMError("timeout", f"the reply took longer than {ep.timeout_s * TOTAL_FACTOR:g} s") from None
                raise LLMError("timeout", f"no reply within {ep.timeout_s:g} s") from None
            if kind == "item":
                yield value
            elif kind == "end":
                return
            else:
                raise classify(value, ep)
    finally:
        stop.set()


def stream(ep: Endpoint, chat: Sequence[tuple[str, str]]) -> Iterator[str]:
    """Text deltas of a streamed chat completion, as they arrive."""
    llm = make_llm(ep)
    msgs = messages(chat)

    def produce() -> Iterator[str]:
        for chunk in llm.stream_chat(msgs):
            delta = getattr(chunk, "delta", None)
            if delta is None:
                continue
            if not isinstance(delta, str):
                raise LLMError("malformed", "a streamed chunk carries no text")
            if delta:
                yield delta

    yield from _pump(produce, ep)


def complete(ep: Endpoint, chat: Sequence[tuple[str, str]]) -> str:
    """The whole reply text (streamed underneath, so the same timeouts apply)."""
    return "".join(stream(ep, chat))


def prepare(settings: Settings) -> bool:
    """Build the client now (importing llama-index takes seconds) so the first question does not wait.

    No network traffic. Returns False, without raising, when the LLM is not configured.
    """
    try:
        llm = make_llm(endpoint(settings))
        messages([("user", "")])
        return llm is not None
    except LLMError:
        return False
