"""`python -m eval load`: a bounded load test of the chat server's /ask endpoint, over loopback only.

    python -m eval load                      # against `make chat` (http://127.0.0.1:7860/)
    python -m eval load --url http://127.0.0.1:7861/ --clients 16 --seconds 30
    python -m eval load --start --index DIR  # start a server of our own, load it, stop it

N closed-loop clients each send one question, wait for the answer, and send the next, for a fixed time,
so the load is bounded by the client count. Questions come from eval/gold.jsonl (with their history).
Requests use the REST API Gradio generates for `api_name="/ask"` (POST /gradio_api/call/ask, then the
result stream) with one session per client, as browsers and gradio_client have (`--fresh-sessions`: a new
one per request, as one-off curl calls make), `POST /api/ask` outside Gradio's queue with `--mode api`,
or gradio_client itself with `--mode client`. A login
(RAGQA_AUTH or --auth) is used when given.

Reported: requests, throughput, latency p50/p95/p99/max, errors (with the first messages), and the
server's resident memory (RSS) after warm-up, at the end and at its peak, for the process that listens
on the port (eval/perf/measure.py). Targets (issue 7): zero errors, p95 <= 250 ms, no memory growth.
`--gate` turns a missed target into exit code 1; `--json FILE` writes the figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from assistant.chat.server import is_loopback
from ingest.errors import ExitCode, GroundworkError, exit_code_of

from ..errors import LoadError
from .load_run import Figures, run_load
from .measure import ChatServerError, chat_server, free_port, listening, rss_mb

MAX_CLIENTS = 64
MAX_SECONDS = 600
__all__ = ["LoadError", "check_url", "is_loopback_host", "listening", "main", "report", "rss_mb"]


# -- loopback only ----------------------------------------------------------------------------------------------
# The chat server's own check: the load test targets exactly what the server calls loopback.
is_loopback_host = is_loopback


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"not an http(s) URL: {url!r}")
    if not is_loopback_host(parts.hostname):
        raise LoadError(f"refusing to load {parts.hostname}: this load test only targets loopback addresses "
                        "(127.0.0.0/8, ::1, localhost), never another machine")
    return url.rstrip("/") + "/"


def report(fig: Figures) -> str:
    def mb(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.0f} MB"

    lines = [
        f"load: {fig.clients} clients x {fig.seconds:g} s against {fig.url}{'api/ask' if fig.mode.startswith('api') else 'ask'} ({fig.mode}), after a warm-up",
        f"  requests     {fig.requests}  ({fig.abstentions} abstentions)",
        f"  throughput   {fig.throughput_rps:.1f} answers/s",
        f"  latency      p50 {fig.p50_ms} ms, p95 {fig.p95_ms} ms, p99 {fig.p99_ms} ms, max {fig.max_ms} ms",
        f"  CPU/answer   server {fig.server_cpu_ms_per_answer} ms, this load generator "
        f"{fig.client_cpu_ms_per_answer} ms (same machine: both share its cores)",
        f"  errors       {fig.errors}" + (f"  e.g. {fig.error_samples[0]}" if fig.error_samples else ""),
        f"  server RSS   start {mb(fig.rss_start_mb)}, end {mb(fig.rss_end_mb)}, peak {mb(fig.rss_peak_mb)}"
        + (f", growth {fig.rss_growth_mb:+.1f} MB" if fig.rss_growth_mb is not None else "")
        + (f"  (pid {fig.server_pid}, bound to {', '.join(fig.server_bound_to)})" if fig.server_pid else
           "  (server process not visible from here)"),
    ]
    for name, ok in fig.targets.items():
        lines.append(f"  target {name:18} {'met' if ok else 'not measured' if ok is None else 'MISSED'}")
    return "\n".join(lines)


def _reachable(url: str) -> None:
    import httpx

    try:
        httpx.get(url, timeout=5)
    except httpx.HTTPError as exc:
        raise LoadError(f"cannot reach the chat server at {url} ({exc}). Start it with `make chat`, "
                        "or let this script start one with --start.") from exc


def _load(args: argparse.Namespace, url: str, auth: tuple[str, str] | None, pid: int | None) -> Figures:
    url = check_url(url)
    _reachable(url)
    print(f"warming up {args.clients} clients ...", file=sys.stderr, flush=True)
    return run_load(url, args.clients, args.seconds, args.mode, auth, pid=pid,
                    warmup=max(0.0, min(args.warmup, 60.0)), fresh_sessions=args.fresh_sessions,
                    progress=(lambda m: print(m, file=sys.stderr, flush=True)) if sys.stderr.isatty() else None)


def _load_own_server(args: argparse.Namespace, auth: tuple[str, str] | None) -> Figures:
    """--start: a chat server of our own on a free loopback port, loaded, then stopped."""
    log = args.json.with_suffix(".server.log") if args.json else None
    port = free_port()
    print(f"starting a chat server on http://127.0.0.1:{port}/ ...", file=sys.stderr, flush=True)
    try:
        with chat_server(args.index, port=port, corpus=args.corpus, log=log) as server:
            return _load(args, server.url, auth, server.pid)
    except ChatServerError as exc:
        raise LoadError(f"{exc}" + (f" (log: {log})" if log and exc.returncode is not None else "")) from exc


def main(argv: list[str] | None = None) -> int:
    from ingest.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m eval load", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="a running chat server on loopback (default: http://127.0.0.1:PORT/ "
                                     "from the settings, i.e. `make chat`)")
    where.add_argument("--start", action="store_true", help="start a chat server on a free loopback port, "
                                                            "load it, then stop it")
    parser.add_argument("--index", type=Path, help="index for --start (default: the settings' index)")
    parser.add_argument("--corpus", type=Path, help="corpus of that index, for --start's freshness check "
                                                    "(default: the settings' corpus)")
    parser.add_argument("--clients", type=int, default=16, help=f"concurrent clients (1-{MAX_CLIENTS}, default 16)")
    parser.add_argument("--seconds", type=float, default=30.0, help=f"duration (1-{MAX_SECONDS}, default 30)")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="seconds of unmeasured load first, so start-up costs are not counted (default 5)")
    parser.add_argument("--mode", choices=("http", "api", "client"), default="http",
                        help="plain HTTP against Gradio's REST API for /ask through its queue (default), "
                             "POST /api/ask outside the queue (api), or gradio_client")
    parser.add_argument("--fresh-sessions", action="store_true",
                        help="send every request without a session (as one-off curl calls do) instead of one "
                             "session per client (as browsers and gradio_client do)")
    parser.add_argument("--auth", help="user:password when the server requires a login (default: RAGQA_AUTH)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    try:
        if not 1 <= args.clients <= MAX_CLIENTS:
            raise LoadError(f"--clients must be between 1 and {MAX_CLIENTS}")
        if not 1 <= args.seconds <= MAX_SECONDS:
            raise LoadError(f"--seconds must be between 1 and {MAX_SECONDS}")
        settings = load_settings()
        auth_text = args.auth if args.auth is not None else settings.chat.auth
        auth = None
        if auth_text:
            user, _, password = auth_text.split(",")[0].partition(":")
            auth = (user.strip(), password)
        if args.start:
            fig = _load_own_server(args, auth)
        else:
            fig = _load(args, check_url(args.url or f"http://127.0.0.1:{settings.chat.port}/"), auth, None)
    except GroundworkError as exc:  # LoadError, or a bad RAGQA_* setting read by load_settings
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    except OSError as exc:
        print(f"error: cannot reach the chat server ({exc}). Start it with `make chat` or use --start.",
              file=sys.stderr)
        return ExitCode.LOAD
    except Exception as exc:  # httpx connection errors and the like: a message, not a traceback
        print(f"error: the load test could not run: {type(exc).__name__}: {exc}", file=sys.stderr)
        return ExitCode.LOAD
    print(report(fig))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(fig), indent=2) + "\n", encoding="utf-8")
    if args.gate and not all(v is not False for v in fig.targets.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
