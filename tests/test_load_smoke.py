"""Smoke run of `python -m eval load` (issue 7): a real chat server, 4 clients for 5 s, over loopback.

The figures are printed, never asserted as timings (the machine is shared); what is asserted is that the
run completes with answers and zero errors, that memory was measured, that the server it started bound to
loopback by default, and that the script refuses anything but loopback.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from eval.perf import load

from reliability_helpers import run_module


def test_load_smoke_against_a_real_server(shipped_index: Path, tmp_path: Path):
    out = tmp_path / "load.json"
    proc = run_module("-m", "eval", "load", "--start", "--index", str(shipped_index), "--corpus",
                      str(shipped_index.parent / "corpus"), "--clients", "4", "--seconds", "5", "--warmup", "1",
                      "--json", str(out), timeout=300)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    fig = json.loads(out.read_text(encoding="utf-8"))
    assert fig["requests"] > 0 and fig["errors"] == 0, fig["error_samples"]
    assert fig["throughput_rps"] > 0 and 0 < fig["p50_ms"] <= fig["p95_ms"] <= fig["max_ms"]
    assert fig["rss_start_mb"] > 0 and fig["rss_end_mb"] > 0 and fig["server_pid"]
    assert fig["server_bound_to"] and all(load.is_loopback_host(a) for a in fig["server_bound_to"]), fig
    for line in ("throughput", "p50", "p95", "errors", "server RSS   start"):
        assert line in proc.stdout


@pytest.mark.parametrize("url", ["http://10.1.2.3:7860/", "http://192.168.0.10/", "http://example.org/",
                                 "http://127.0.0.1.nip.io:7860/", "http://[2001:db8::1]:7860/", "http://0.0.0.0:7860/",
                                 "ftp://127.0.0.1/", "127.0.0.1:7860"])
def test_refuses_anything_but_loopback(url: str):
    with pytest.raises(load.LoadError):
        load.check_url(url)


def test_cli_refuses_non_loopback_and_unbounded_runs():
    proc = run_module("-m", "eval", "load", "--url", "http://10.1.2.3:7860/", "--seconds", "1")
    assert proc.returncode == 18 and "only targets loopback" in proc.stderr and "Traceback" not in proc.stderr
    for args in (["--clients", "500"], ["--seconds", "100000"], ["--clients", "0"]):
        proc = run_module("-m", "eval", "load", "--url", "http://127.0.0.1:9/", *args)
        assert proc.returncode == 18 and "must be between" in proc.stderr, proc.stderr
    proc = run_module("-m", "eval", "load", "--url", "http://127.0.0.1:9/", "--seconds", "1")
    assert proc.returncode == 18 and "cannot reach the chat server" in proc.stderr and "Traceback" not in proc.stderr


def test_loopback_urls_are_accepted_and_the_listener_is_found():
    for url in ("http://127.0.0.1:7860", "http://localhost:7860/", "http://[::1]:7860/", "http://127.0.0.2/"):
        assert load.check_url(url).endswith("/")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        pid, bound = load.listening(s.getsockname()[1])
    import os

    assert pid == os.getpid() and bound == ["127.0.0.1"]
    rss = load.rss_mb(pid)
    assert rss is not None and rss > 0
