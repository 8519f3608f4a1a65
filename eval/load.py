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
server's resident memory (RSS) after warm-up, at the end and at its peak, read from /proc for the
process that listens on the port. Targets (issue 7): zero errors, p95 <= 250 ms, no memory growth.
`--gate` turns a missed target into exit code 1; `--json FILE` writes the figures.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.chat.server import is_loopback

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold.jsonl"
MAX_CLIENTS = 64
MAX_SECONDS = 600
REQUEST_TIMEOUT_S = 30.0
TARGET_P95_MS = 250.0
# RSS may move by allocator noise; more than this over the run counts as growth.
GROWTH_TOLERANCE_MB = 25.0
FALLBACK_QUESTIONS = [("What is détente?", []), ("Why did the U.S.-Russia reset fail?", []),
                      ("What incentives does the author propose offering Russia?", [])]


class LoadError(Exception):
    """Bad arguments or a server that cannot be reached; exit code 2."""


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


# -- server process and memory --------------------------------------------------------------------------------------
def _listening_inodes(port: int) -> dict[str, str]:
    """inode -> local address of the sockets listening on `port` (from /proc/net/tcp{,6})."""
    found: dict[str, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) < 10 or parts[3] != "0A":  # 0A = LISTEN
                continue
            addr_hex, port_hex = parts[1].rsplit(":", 1)
            if int(port_hex, 16) != port:
                continue
            found[parts[9]] = _decode_addr(addr_hex)
    return found


def _decode_addr(addr_hex: str) -> str:
    raw = bytes.fromhex(addr_hex)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return str(ipaddress.IPv6Address(words))


def listening(port: int) -> tuple[int | None, list[str]]:
    """The pid of the process listening on `port` (None if not visible) and the addresses it is bound to."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None, []
    wanted = {f"socket:[{i}]" for i in inodes}
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in wanted:
                    return int(pid), sorted(set(inodes.values()))
        except OSError:
            continue
    return None, sorted(set(inodes.values()))


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnServer:
    """`python -m assistant chat` on a free loopback port, started and stopped by this script."""

    def __init__(self, index: Path | None, corpus: Path | None, log: Path | None) -> None:
        self.port = _free_port()
        cmd = [sys.executable, "-m", "assistant", "chat", "--port", str(self.port), "--no-build"]
        if index is not None:
            cmd += ["--index", str(index)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("RAGQA_HOST", None)
        if corpus is not None:
            env["RAGQA_CORPUS_DIR"] = str(corpus)
        self.log_path = log
        self._log = open(log, "wb") if log else subprocess.DEVNULL
        # No --host: the server must bind to loopback by default, and the report shows where it did.
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        self.url = f"http://127.0.0.1:{self.port}/"

    def wait_ready(self, timeout: float = 180.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LoadError(f"the chat server exited with code {self.proc.returncode} before it was ready"
                                + (f" (log: {self.log_path})" if self.log_path else ""))
            try:
                if httpx.get(self.url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise LoadError(f"the chat server was not ready after {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # Ctrl+C: the server closes itself
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        if self._log is not subprocess.DEVNULL:
            self._log.close()


# -- clients -------------------------------------------------------------------------------------------------------
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


@dataclass
class Figures:
    url: str
    mode: str
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    abstentions: int = 0
    throughput_rps: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    server_pid: int | None = None
    server_bound_to: list[str] = field(default_factory=list)
    rss_start_mb: float | None = None
    rss_end_mb: float | None = None
    rss_peak_mb: float | None = None
    rss_growth_mb: float | None = None
    server_cpu_ms_per_answer: float | None = None
    client_cpu_ms_per_answer: float | None = None
    targets: dict[str, bool | None] = field(default_factory=dict)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _valid(answer: Any) -> bool:
    return (isinstance(answer, dict) and isinstance(answer.get("answer"), str)
            and isinstance(answer.get("citations"), list) and isinstance(answer.get("abstained"), bool))


@dataclass
class _Phase:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    abstentions: int = 0
    samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    peak_rss: float = 0.0


def _drive(conns: list[Any], seconds: float, questions: list[tuple[str, list[str]]], pid: int | None,
           progress=None, label: str = "") -> _Phase:  # type: ignore[no-untyped-def]
    """Every connection asks, waits, asks again until the time is up (closed loop)."""
    phase = _Phase()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    rng = random.Random(7)

    def worker(conn, offset: int) -> None:  # type: ignore[no-untyped-def]
        n = offset
        while time.monotonic() < stop_at:
            q, h = questions[n % len(questions)]
            with lock:
                n += 1 + rng.randrange(3)
            t0 = time.perf_counter()
            try:
                answer = conn(q, h)
                ok = _valid(answer)
                err = None if ok else f"invalid answer payload: {str(answer)[:160]}"
            except Exception as exc:
                ok, err, answer = False, f"{type(exc).__name__}: {exc}"[:200], None
            ms = (time.perf_counter() - t0) * 1e3
            with lock:
                if ok:
                    phase.latencies.append(ms)
                    phase.abstentions += bool(answer.get("abstained"))
                else:
                    phase.errors += 1
                    if len(phase.samples) < 5:
                        phase.samples.append(err or "error")

    threads = [threading.Thread(target=worker, args=(c, i * 7), daemon=True) for i, c in enumerate(conns)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        now = rss_mb(pid)
        if now is not None:
            phase.peak_rss = max(phase.peak_rss, now)
        if progress and time.monotonic() < stop_at:
            with lock:
                done = len(phase.latencies) + phase.errors
            progress(f"  {label}{max(0.0, stop_at - time.monotonic()):4.0f} s left, {done} requests, "
                     f"{phase.errors} errors, RSS {now if now is not None else float('nan'):.0f} MB")
        for t in threads:
            t.join(timeout=1.0 if progress else 0.25)
    phase.elapsed = time.perf_counter() - started
    return phase


def run_load(url: str, clients: int, seconds: float, mode: str = "http", auth: tuple[str, str] | None = None,
             questions: list[tuple[str, list[str]]] | None = None, pid: int | None = None,
             warmup: float = 5.0, fresh_sessions: bool = False,
             progress=None) -> Figures:  # type: ignore[no-untyped-def]
    """Warm up (not measured: lazy start-up and caches filling up are not growth), then measure."""
    questions = questions or load_questions()
    port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    found_pid, bound = listening(port)
    pid = pid or found_pid
    fig = Figures(url=url, mode=mode + (", a new session per request" if fresh_sessions else ""), clients=clients,
                  seconds=seconds, server_pid=pid, server_bound_to=bound)
    make = {"http": HttpAsk, "api": ApiAsk, "client": ClientAsk}[mode]
    conns = [make(url, auth, fresh_sessions) for _ in range(clients)]
    try:
        warm = _drive(conns, warmup, questions, pid, progress, "warm-up: ")
        fig.rss_start_mb = rss_mb(pid)
        cpu0, own0 = cpu_seconds(pid), sum(os.times()[:2])
        run = _drive(conns, seconds, questions, pid, progress)
        cpu1, own1 = cpu_seconds(pid), sum(os.times()[:2])
    finally:
        for c in conns:
            c.close()
    fig.rss_end_mb = rss_mb(pid)
    fig.rss_peak_mb = max(run.peak_rss, fig.rss_end_mb or 0.0) or None
    fig.requests = len(run.latencies) + run.errors
    fig.errors = run.errors + warm.errors
    fig.error_samples = [f"warm-up: {m}" for m in warm.samples] + run.samples
    fig.abstentions = run.abstentions
    fig.throughput_rps = round(len(run.latencies) / run.elapsed, 2) if run.elapsed > 0 else 0.0
    if fig.requests:
        if cpu0 is not None and cpu1 is not None:
            fig.server_cpu_ms_per_answer = round((cpu1 - cpu0) * 1e3 / fig.requests, 2)
        fig.client_cpu_ms_per_answer = round((own1 - own0) * 1e3 / fig.requests, 2)
    if run.latencies:
        fig.p50_ms = round(_percentile(run.latencies, 0.50), 1)
        fig.p95_ms = round(_percentile(run.latencies, 0.95), 1)
        fig.p99_ms = round(_percentile(run.latencies, 0.99), 1)
        fig.max_ms = round(max(run.latencies), 1)
    if fig.rss_start_mb is not None and fig.rss_end_mb is not None:
        fig.rss_growth_mb = round(fig.rss_end_mb - fig.rss_start_mb, 1)
        fig.rss_start_mb, fig.rss_end_mb = round(fig.rss_start_mb, 1), round(fig.rss_end_mb, 1)
        fig.rss_peak_mb = round(fig.rss_peak_mb or 0.0, 1)
    fig.targets = {
        "zero errors": fig.errors == 0 and fig.requests > 0,
        f"p95 <= {TARGET_P95_MS:.0f} ms": None if fig.p95_ms is None else fig.p95_ms <= TARGET_P95_MS,
        "no memory growth": None if fig.rss_growth_mb is None else fig.rss_growth_mb <= GROWTH_TOLERANCE_MB,
    }
    return fig


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
    server: OwnServer | None = None
    try:
        if not 1 <= args.clients <= MAX_CLIENTS:
            raise LoadError(f"--clients must be between 1 and {MAX_CLIENTS}")
        if not 1 <= args.seconds <= MAX_SECONDS:
            raise LoadError(f"--seconds must be between 1 and {MAX_SECONDS}")
        settings = load_settings()
        auth_text = args.auth if args.auth is not None else settings.auth
        auth = None
        if auth_text:
            user, _, password = auth_text.split(",")[0].partition(":")
            auth = (user.strip(), password)
        if args.start:
            log = args.json.with_suffix(".server.log") if args.json else None
            server = OwnServer(args.index, args.corpus, log)
            print(f"starting a chat server on {server.url} ...", file=sys.stderr, flush=True)
            server.wait_ready()
            url = server.url
        else:
            url = check_url(args.url or f"http://127.0.0.1:{settings.port}/")
        url = check_url(url)
        _reachable(url)
        print(f"warming up {args.clients} clients ...", file=sys.stderr, flush=True)
        fig = run_load(url, args.clients, args.seconds, args.mode, auth,
                       pid=server.proc.pid if server else None, warmup=max(0.0, min(args.warmup, 60.0)),
                       fresh_sessions=args.fresh_sessions,
                       progress=(lambda m: print(m, file=sys.stderr, flush=True)) if sys.stderr.isatty() else None)
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot reach the chat server ({exc}). Start it with `make chat` or use --start.",
              file=sys.stderr)
        return 2
    except Exception as exc:  # httpx connection errors and the like: a message, not a traceback
        print(f"error: the load test could not run: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
    print(report(fig))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(fig), indent=2) + "\n", encoding="utf-8")
    if args.gate and not all(v is not False for v in fig.targets.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
