"""Driving the load: closed-loop client threads, warm-up then measurement, and the figures they yield."""
from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .load_clients import CONNECTIONS, Connection, load_questions
from .measure import cpu_seconds, listening, percentile, rss_mb

TARGET_P95_MS = 250.0
# RSS may move by allocator noise; more than this over the run counts as growth.
GROWTH_TOLERANCE_MB = 25.0
Progress = Callable[[str], None]


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


def _drive(conns: Sequence[Connection], seconds: float, questions: list[tuple[str, list[str]]], pid: int | None,
           progress: Progress | None = None, label: str = "") -> _Phase:
    """Every connection asks, waits, asks again until the time is up (closed loop)."""
    phase = _Phase()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    rng = random.Random(7)

    def worker(conn: Connection, offset: int) -> None:
        n = offset
        while time.monotonic() < stop_at:
            q, h = questions[n % len(questions)]
            with lock:
                n += 1 + rng.randrange(3)
            t0 = time.perf_counter()
            answer: dict[str, Any] | None = None
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
                    phase.abstentions += bool(answer and answer.get("abstained"))
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
             progress: Progress | None = None) -> Figures:
    """Warm up (not measured: lazy start-up and caches filling up are not growth), then measure."""
    questions = questions or load_questions()
    port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    found_pid, bound = listening(port)
    pid = pid or found_pid
    fig = Figures(url=url, mode=mode + (", a new session per request" if fresh_sessions else ""), clients=clients,
                  seconds=seconds, server_pid=pid, server_bound_to=bound)
    make = CONNECTIONS[mode]
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
        fig.p50_ms = round(percentile(run.latencies, 50), 1)
        fig.p95_ms = round(percentile(run.latencies, 95), 1)
        fig.p99_ms = round(percentile(run.latencies, 99), 1)
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
