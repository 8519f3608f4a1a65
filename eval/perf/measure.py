"""Measurement helpers shared by bench, scale and load (and the quality harness's index fingerprint).

One copy of each: percentiles, memory and CPU of a process (psutil), the process listening on a port,
a free loopback port, file hashes and sizes, a child process timed with its own peak memory, and a
chat server started and stopped around a measurement.
"""
from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[2]


# -- statistics ---------------------------------------------------------------------------------------------------
def percentile(values: Iterable[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]; the values must not be empty."""
    return float(np.percentile(np.asarray(list(values), dtype=np.float64), q))


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, max and mean of a list of timings ({"n": 0} when empty)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        return {"n": 0}
    return {"n": int(arr.size), "p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "max": float(arr.max()), "mean": float(arr.mean())}


# -- memory and CPU -----------------------------------------------------------------------------------------------
def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB; None when there is no such process (or none given)."""
    if pid is None:
        return None
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except (psutil.Error, OSError):
        return None


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (0 for a process that is gone)."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except (psutil.Error, OSError):
        return 0.0
    return sum(rss_mb(p.pid) or 0.0 for p in procs)


def self_peak_rss_mb() -> float:
    """This process's peak resident memory (getrusage's ru_maxrss, kilobytes on Linux = VmHWM), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peak_rss_mb(pid: int) -> float | None:
    """Another process's peak resident memory (high-water mark) in MB; None when it cannot be read.

    psutil reports the current RSS only, so the peak comes from the kernel's VmHWM line (Linux).
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far (not its children's)."""
    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.Error, OSError):
        return None
    return float(times.user + times.system)


def listening(port: int) -> tuple[int | None, list[str]]:
    """The pid of the process listening on TCP `port` (None if not visible) and the addresses it is bound to."""
    try:
        conns = [c for c in psutil.net_connections(kind="tcp")
                 if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port]
    except (psutil.Error, OSError):
        return None, []
    pid = next((c.pid for c in conns if c.pid is not None), None)
    return pid, sorted({c.laddr.ip for c in conns})


# -- ports, files -------------------------------------------------------------------------------------------------
def free_port(family: socket.AddressFamily = socket.AF_INET, host: str = "127.0.0.1") -> int:
    """A TCP port free on `host` right now (the OS picks it; another process may take it before use)."""
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def dir_bytes(path: Path) -> int:
    """Total size of the files under a folder (symlinks followed at the top)."""
    path = Path(path).resolve()
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- child processes ----------------------------------------------------------------------------------------------
def child_env() -> dict[str, str]:
    """This environment, offline, with the project folder first on PYTHONPATH."""
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


@dataclass
class Measured:
    returncode: int
    wall_s: float
    max_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


# `python -m X ...` run as `python -c WRAP X ...`: the same module run as __main__, and at exit the
# process writes its own peak RSS. The rusage of a waited child is no substitute on Linux: its ru_maxrss
# starts from the parent's RSS at fork/exec time, so every child of a big parent looks big.
_WRAP = (
    "import atexit, os, resource, runpy, sys\n"
    "def _hwm():\n"
    "    try:\n"
    "        open(os.environ['BENCH_RSS_FILE'], 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "    except OSError:\n"
    "        pass\n"
    "atexit.register(_hwm)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
)


def run_measured(cmd: Sequence[str], timeout: float = 900.0, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Measured:
    """Run a command; wall time from spawn to exit and, for `python -m ...`, the child's own peak RSS."""
    cmd = list(cmd)
    env = dict(env or child_env())
    rss_file = None
    if len(cmd) >= 3 and cmd[0] == sys.executable and cmd[1] == "-m":
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        env["BENCH_RSS_FILE"] = rss_file
        cmd = [cmd[0], "-c", _WRAP, *cmd[2:]]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd or ROOT, env=env, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status = os.waitpid(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        rss = -1.0  # unknown
        if rss_file:
            with contextlib.suppress(OSError, ValueError):
                rss = int(Path(rss_file).read_text() or "-1024") / 1024.0
            with contextlib.suppress(OSError):
                os.unlink(rss_file)
        return Measured(proc.returncode, wall, rss,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        timed_out.is_set())


# -- a chat server around a measurement ---------------------------------------------------------------------------
class ChatServerError(RuntimeError):
    """The chat server exited (returncode set) or did not answer in time (returncode None) before it was ready."""

    def __init__(self, message: str, returncode: int | None, output: str) -> None:
        super().__init__(message)
        self.returncode, self.output = returncode, output


@dataclass
class ChatServer:
    port: int
    command: list[str]
    proc: subprocess.Popen[bytes]
    ready_s: float = 0.0
    log: Path | None = None
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int:
        return self.proc.pid


def _answers(url: str) -> bool:
    """Whether the server answers `url` with anything but a server error."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return int(resp.status) < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(out: IO[bytes]) -> str:
    out.flush()
    out.seek(0)
    return out.read().decode("utf-8", "replace")[-1500:]


@contextlib.contextmanager
def chat_server(index: Path | None, *, port: int | None = None, corpus: Path | None = None,
                log: Path | None = None, timeout: float = 180.0) -> Iterator[ChatServer]:
    """`python -m assistant chat --no-build` on a free loopback port, ready when entered, stopped on exit.

    No --host: the server must bind to loopback by default (RAGQA_HOST is removed from its environment).
    Its output goes to `log` (else a temporary file whose tail a ChatServerError carries). It runs in a
    session of its own and is stopped like Ctrl+C (SIGINT to its group), killed after 15 s if need be.
    """
    port = port or free_port()
    cmd = [sys.executable, "-m", "assistant", "chat", "--port", str(port), "--no-build"]
    if index is not None:
        cmd += ["--index", str(index)]
    env = child_env()
    env.pop("RAGQA_HOST", None)
    if corpus is not None:
        env["RAGQA_CORPUS_DIR"] = str(corpus)
    out: IO[bytes] = open(log, "w+b") if log else tempfile.TemporaryFile()  # closed in the finally below
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = ChatServer(port, cmd, proc, log=log)
    try:
        while not _answers(server.url):
            if proc.poll() is not None:
                raise ChatServerError(f"the chat server exited with code {proc.returncode} before it was ready",
                                      proc.returncode, _tail(out))
            if time.perf_counter() - started > timeout:
                raise ChatServerError(f"the chat server was not ready after {timeout:.0f} s", None, _tail(out))
            time.sleep(0.05)
        server.ready_s = time.perf_counter() - started
        yield server
    finally:
        _stop(proc)
        out.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C: the server closes itself
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(15)
