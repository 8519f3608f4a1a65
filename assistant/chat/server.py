"""Start the chat app: check (or build) the index, load the Assistant once, launch Gradio.

`python -m assistant chat` and `make chat` end up in `serve`. Tests use
`start` to run the same app on a free port without blocking.
"""
from __future__ import annotations

import ipaddress
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home from staff machines

from ingest.config import Settings
from ingest.errors import ConfigError, CorpusError, ExitCode, IndexMissingError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
ASK_CONCURRENCY = 4  # answers at once, for the queue's events and POST /api/ask alike


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_auth(value: str) -> list[tuple[str, str]] | None:
    """RAGQA_AUTH="user:password,user2:password2" -> [(user, password), ...]; empty -> None."""
    value = (value or "").strip()
    if not value:
        return None
    pairs: list[tuple[str, str]] = []
    for item in value.split(","):
        item = item.strip()
        user, sep, password = item.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError("RAGQA_AUTH must look like 'user:password' or 'user1:pass1,user2:pass2' "
                              "(no empty user names or passwords)")
        pairs.append((user.strip(), password))
    return pairs


def is_loopback(host: str | None) -> bool:
    """Loopback names and addresses only; host names are case-insensitive."""
    host = (host or "").strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_name(host: str) -> str:
    """The host as Gradio's `server_name`: IPv6 addresses in brackets.

    Gradio builds its own URL as f"http://{server_name}:{port}/" and strips
    brackets before binding, so "::1" must reach it as "[::1]"; bare, the URL
    is "http://::1:7860/" and launch fails with httpx.InvalidURL.
    """
    host = (host or "").strip()
    bare = host.strip("[]")
    try:
        return f"[{bare}]" if ipaddress.ip_address(bare).version == 6 else bare
    except ValueError:
        return host  # a host name


def _build_command(settings: Settings) -> str:
    from ingest.hints import ingest_command

    return ingest_command(settings.index.index_dir, settings.index.corpus_dir)


def ensure_index(settings: Settings, build_if_needed: bool) -> bool:
    """True when the index can be served; builds a missing or stale one if allowed."""
    from ingest.build import build_index, is_up_to_date

    index = Path(settings.index.index_dir)
    try:
        fresh = is_up_to_date(settings)
    except CorpusError as exc:
        if index.exists():
            _err(f"warning: {exc}; serving the existing index at {index} as it is")
            return True
        raise
    if fresh:
        return True
    state = "is out of date (the corpus or the chunker settings changed)" if index.exists() else "does not exist yet"
    if not build_if_needed:
        _err(f"The index at {index} {state}.\nBuild it with:\n    {_build_command(settings)}\n"
             "then run the chat again (or drop --no-build to build it automatically).")
        return False
    _err(f"The index at {index} {state}; building it now from {settings.index.corpus_dir} "
         f"(same as `{_build_command(settings)}`) ...")
    report = build_index(settings, log=lambda m: _err(f"  {m}"), warn=lambda m: _err(f"  warning: {m}"))
    _err(f"Index ready: {report.documents} documents, {report.chunks} chunks [{report.seconds:.1f}s]")
    return True


@dataclass
class Running:
    demo: Any
    url: str
    assistant: Any

    def close(self) -> None:
        self.demo.close()


def exposure_warning(settings: Settings) -> str | None:
    """The warning to print when the app is reachable from other machines without a login."""
    if is_loopback(settings.chat.host) or parse_auth(settings.chat.auth):
        return None
    return (f"WARNING: binding to {settings.chat.host} without login: anyone who can reach this machine can use the "
            "assistant and read the indexed documents. Set RAGQA_AUTH=user:password to require a login.")


def _blocked_paths(settings: Settings) -> list[str]:
    """Never serve the feedback log or index files, whatever Gradio's defaults become."""
    index = Path(settings.index.index_dir).absolute()
    feedback = Path(settings.chat.feedback_path).absolute()
    paths = {feedback, index, index.with_name(index.name + ".d"), index.resolve()}
    if feedback.parent != Path.cwd():
        paths.add(feedback.parent)
    return sorted(str(p) for p in paths)


def launch_kwargs(settings: Settings, demo: Any = None) -> dict[str, Any]:
    from starlette.middleware import Middleware

    from .api import ask_route
    from .guard import LoginGuard, OneSessionPerCall, StreamCloseGrace
    from .limits import AskCallDefaults, BodySizeLimit
    from .page import CSS, theme

    auth = parse_auth(settings.chat.auth)
    answer_json = getattr(demo, "gw_answer_json", None)
    return {
        # Every request body is capped before it is read (a 100 MB body used to be read whole);
        # then a short /ask call gets its defaults or a real error (assistant/chat/limits.py);
        # logins are throttled, cancel/reset need one, and the queue's streams are fixed up (guard.py).
        # POST /api/ask answers outside Gradio's queue (api.py).
        "app_kwargs": {"middleware": [Middleware(BodySizeLimit, max_bytes=settings.chat.max_request_bytes),
                                      Middleware(LoginGuard), Middleware(OneSessionPerCall),
                                      Middleware(AskCallDefaults), Middleware(StreamCloseGrace)],
                       "routes": [ask_route(answer_json, concurrency=ASK_CONCURRENCY)] if answer_json else []},
        "blocked_paths": _blocked_paths(settings),
        "server_name": server_name(settings.chat.host),
        "server_port": int(settings.chat.port),
        "auth": auth,
        "auth_message": "Sign in with your staff account." if auth else None,
        "share": False,
        "show_error": False,  # unexpected exceptions never reach the browser; gr.Error messages do
        "max_file_size": "64kb",  # the app takes no uploads
        # Per-session state is kept for this many sessions; the default 10,000 let one-off
        # API calls grow memory by ~55 KB each under load (eval load --fresh-sessions).
        "state_session_capacity": 256,
        "enable_monitoring": False,
        "mcp_server": False,
        "run_history": False,
        "ssr_mode": False,
        "footer_links": ["api"],
        "css": CSS,
        "theme": theme(),
    }


def create(settings: Settings, assistant: Any = None) -> tuple[Any, Any]:
    from ..answerers import make_answerer
    from .app import build_app

    answerer = make_answerer(settings, assistant)
    assistant = answerer.assistant
    demo = build_app(answerer, settings)
    # api_open=False: Gradio's direct routes (/gradio_api/run/<name>, /gradio_api/api/<name>) would run any
    # event, the private ones included, outside the queue and its concurrency limits.
    demo.queue(default_concurrency_limit=ASK_CONCURRENCY, max_size=64, api_open=False)
    return demo, assistant


def start(settings: Settings, assistant: Any = None, quiet: bool = True) -> Running:
    """Launch without blocking (tests, embedding). The caller closes it."""
    demo, assistant = create(settings, assistant)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=quiet, **launch_kwargs(settings, demo))
    return Running(demo, url, assistant)


def serve(settings: Settings, build_if_needed: bool = True) -> int:
    """Blocking entry point of `python -m assistant chat`; returns the exit code."""
    auth = parse_auth(settings.chat.auth)  # a malformed RAGQA_AUTH fails before any work
    if not ensure_index(settings, build_if_needed):
        return IndexMissingError.exit_code
    warning = exposure_warning(settings)
    if warning:
        _err(warning)
    print(f"Loading the index at {settings.index.index_dir} ...", flush=True)
    demo, assistant = create(settings)
    try:
        try:
            _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_kwargs(settings, demo))
        except OSError as exc:
            _err(f"error: cannot start the web server on {settings.chat.host}:{settings.chat.port}: "
                 f"{str(exc).split('. ')[0]}. Is another program using the port? Choose another with --port.")
            return ExitCode.SERVER
        print(f"Serving {len(assistant.data.documents)} documents (index build {assistant.data.build_id}) "
              f"on {url}{'  [login required]' if auth else ''}", flush=True)
        print(f'API: POST {url}api/ask {{"question": ..., "history": [...], "docs": null}}, or '
              f'gradio_client.Client("{url}").predict(question, history, docs, api_name="/ask"). '
              "Ctrl+C stops.", flush=True)
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        try:
            demo.close()
        except Exception:  # closing a server that never started
            pass
    return 0


__all__ = ["serve", "start", "create", "parse_auth", "is_loopback", "ensure_index", "exposure_warning"]
