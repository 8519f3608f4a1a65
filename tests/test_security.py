"""Security (issue 7): loopback by default, a warning when exposed without login, login that works,
no path traversal through document ids, hostile HTTP requests, pinned and audited dependencies.

Browser-level login and the escaping of rendered document text are tested in tests/test_chat_app.py;
here the same server is probed over plain HTTP and gradio_client, so these checks run without Chromium.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant import Assistant
from assistant.chat.server import Running, start
from assistant.errors import InvalidQuestion
from eval.perf.measure import free_port
from ingest.config import Settings, load_settings

from reliability_helpers import ROOT, cli_env, constraints_pins, run_module

USER, PASSWORD = "auditor", "Tr0ub4dor&3-staff"
TRAVERSALS = ["../../etc/passwd", "/etc/passwd", "..", "../corpus/oped-russia-incentives",
              "rand-russia-less-hardline/../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2fetc%2fpasswd",
              "oped-russia-incentives\x00.txt", "~/.ssh/id_rsa", "file:///etc/passwd", "index/manifest.json"]


# -- document ids ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("doc", TRAVERSALS)
def test_document_filter_rejects_paths(assistant, doc):
    with pytest.raises(InvalidQuestion, match="unknown document id"):
        assistant.ask("What is détente?", docs=[doc])
    with pytest.raises(InvalidQuestion, match="unknown document id"):
        assistant.document_text(doc)


def test_document_filter_rejects_paths_in_the_cli(shipped_index: Path):
    proc = run_module("-m", "assistant", "ask", "What is détente?", "--doc", "../../etc/passwd",
                      "--index", str(shipped_index))
    assert proc.returncode == InvalidQuestion.exit_code == 10  # was 2, shared with usage errors (issue 11)
    assert "unknown document id(s): ../../etc/passwd" in proc.stderr
    assert "root:" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


# -- binding and login ---------------------------------------------------------------------------------------------
def test_loopback_is_the_default_host(monkeypatch):
    monkeypatch.delenv("RAGQA_HOST", raising=False)
    monkeypatch.delenv("RAGQA_CONFIG", raising=False)
    assert Settings().chat.host == "127.0.0.1"
    assert load_settings().chat.host == "127.0.0.1" or Path("ragqa.toml").exists()


def _chat_until(args: list[str], env: dict[str, str], marker: str, timeout: float = 120) -> str:
    """Run `python -m assistant chat ...` until `marker` appears in its output, then kill it; return the output."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line)
            if marker in line or time.monotonic() > deadline:
                break
    finally:
        proc.kill()
        proc.wait(30)
    return "".join(out)


@pytest.mark.parametrize("auth,warned", [("", True), (f"{USER}:{PASSWORD}", False)])
def test_exposed_host_without_login_warns(shipped_index: Path, auth: str, warned: bool):
    """`--host 0.0.0.0` without RAGQA_AUTH prints a warning before serving; with a login it does not.

    The port is held by this test (bound, never listening), so the server can never actually accept a
    connection from the network, whatever the timing of the kill.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as guard:
        guard.bind(("0.0.0.0", 0))
        port = guard.getsockname()[1]
        env = cli_env(RAGQA_AUTH=auth, RAGQA_CORPUS_DIR=str(shipped_index.parent / "corpus"))
        out = _chat_until(["--host", "0.0.0.0", "--port", str(port), "--index", str(shipped_index), "--no-build"],
                          env, "Loading the index")
    assert "Loading the index" in out, out
    warning = "WARNING: binding to 0.0.0.0 without login"
    assert (warning in out) is warned, out
    if warned:
        assert "RAGQA_AUTH=user:password" in out
        assert out.index(warning) < out.index("Loading the index")  # said before anything is served


@pytest.fixture(scope="module")
def login_app(shipped_index: Path, assistant: Assistant,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = tmp_path_factory.mktemp("login")
    settings = load_settings(index_dir=shipped_index, corpus_dir=shipped_index.parent / "corpus", host="127.0.0.1",
                             port=free_port(), auth=f"{USER}:{PASSWORD}", feedback_path=base / "feedback.jsonl")
    running = start(settings, assistant=assistant)
    yield running
    running.close()


def _http(app: Running) -> httpx.Client:
    return httpx.Client(base_url=app.url.rstrip("/"), timeout=30)


def _api_call(http: httpx.Client, data: Any) -> tuple[int, str]:
    """POST /gradio_api/call/ask with a raw body; returns (status, result stream or error text)."""
    kwargs = {"content": data} if isinstance(data, (bytes, str)) else {"json": data}
    r = http.post("/gradio_api/call/ask", headers={"content-type": "application/json"}, **kwargs)
    if r.status_code != 200:
        return r.status_code, r.text
    event_id = r.json()["event_id"]
    result = http.get(f"/gradio_api/call/ask/{event_id}")
    return result.status_code, result.text


def test_wrong_login_is_rejected(login_app: Running) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with _http(login_app) as http:
        r = http.post("/login", data={"username": USER, "password": "wrong-" + PASSWORD})
        assert r.status_code in (400, 401) and "Incorrect" in r.text
        assert not any(k.startswith("access-token") for k in r.cookies)
        r = http.post("/login", data={"username": "root", "password": PASSWORD})
        assert r.status_code in (400, 401)
        # Nothing behind the login answers without it: not the config, not the API.
        assert http.get("/config").status_code == 401
        assert http.get("/gradio_api/info").status_code == 401
        status, text = _api_call(http, {"data": ["What is détente?", [], None]})
        assert status == 401 and "sanctions" not in text
    with pytest.raises(AuthenticationError):  # no credentials
        Client(login_app.url, verbose=False).predict("What is détente?", [], None, api_name="/ask")
    with pytest.raises(ValueError, match="Could not login"):  # gradio_client's own error for a refused login
        Client(login_app.url, auth=(USER, "nope"), verbose=False)


def test_right_login_is_accepted(login_app, assistant):
    from gradio_client import Client

    with _http(login_app) as http:
        r = http.post("/login", data={"username": USER, "password": PASSWORD})
        assert r.status_code == 200, r.text
        assert http.get("/config").status_code == 200
        status, text = _api_call(http, {"data": ["What is détente?", [], None]})
        assert status == 200 and "event: complete" in text, text
    got = Client(login_app.url, auth=(USER, PASSWORD), verbose=False).predict(
        "What is détente?", [], None, api_name="/ask")
    assert got["question"] == "What is détente?" and got["citations"]
    for c in got["citations"]:
        assert assistant.document_text(c["doc"])[c["start"]:c["end"]] == c["text"]


BAD_BODIES = [
    b"{not json", b"\xff\xfe\x00garbage", b"", b"null", b"[]", b'"a string"',
    {"data": "What is détente?"}, {"data": []}, {"data": [None, None, None]}, {"data": [1, 2, 3]},
    {"data": ["What is détente?", "not-a-list", None]}, {"data": ["What is détente?", [], [["nested"]]]},
    {"data": ["What is détente?", [], {"doc": "x"}]}, {"data": ["What is détente?", [[1], {"a": 2}], None]},
    {"data": ["What is détente?", [], ["../../etc/passwd"]]}, {"data": ["x" * 1_000_000, [], None]},
    b'{"data": ["\\u0000\\ud800\\u001b[2J", [], null]}', {"data": ["What is détente?", [], None, "extra", "args"]},
    {"fn_index": 9999, "data": []}, {"data": ["What?", ["a"] * 10_000, None]},
]


def test_server_survives_bad_requests_and_keeps_serving(login_app: Running) -> None:
    with _http(login_app) as http:
        assert http.post("/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        for body in BAD_BODIES:
            shown = repr(body)[:80]
            try:
                status, text = _api_call(http, body)
            except Exception as exc:  # the connection itself must not break either
                raise AssertionError(f"{shown}: {type(exc).__name__}: {exc}") from exc
            assert status < 500, (shown, status, text[:300])
            assert "Traceback" not in text and 'File "' not in text, (shown, text[:300])
            assert "root:" not in text, shown
            if status == 200:  # accepted for processing: the stream must end in a clean error or an answer
                assert "event: error" in text or "event: complete" in text, (shown, text[:300])
        try:  # Gradio ends the stream of an unknown event by closing the connection; either way, no 5xx
            assert http.get("/gradio_api/call/ask/not-an-event-id", timeout=10).status_code < 500
        except httpx.RemoteProtocolError:
            pass
        assert http.put("/gradio_api/call/ask", content=b"x").status_code in (404, 405)
        status, text = _api_call(http, {"data": ["What is détente?", [], None]})
        assert status == 200 and "event: complete" in text, text[:300]
        answer = json.loads(text.split("data:", 1)[1].strip())[0]
        assert answer["citations"] and not answer["abstained"]


# -- dependencies --------------------------------------------------------------------------------------------------
def test_every_dependency_is_pinned():
    import tomllib

    pins = constraints_pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + [d for ds in project["optional-dependencies"].values() for d in ds]
    for req in wanted:
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0]).lower()
        assert name in pins, f"{name} (from pyproject.toml) has no pin in constraints.txt"


def test_pip_audit_finds_no_known_vulnerabilities(tmp_path: Path):
    """Audit the pinned set against the PyPI advisory database; skip (never pass silently) when offline."""
    exe = Path(sys.executable).with_name("pip-audit")
    if not exe.exists():
        pytest.skip("pip-audit is not installed (it is in the [test] extra)")
    pins = constraints_pins()
    probe_name = "requests" if "requests" in pins else next(iter(pins))
    probe_version = pins[probe_name]
    try:  # pip-audit asks https://pypi.org/pypi/NAME/VERSION/json for every pin; see if that can work at all
        probe = httpx.get(f"https://pypi.org/pypi/{probe_name}/{probe_version}/json", timeout=5)
    except Exception as exc:
        pytest.skip(f"pip-audit: PyPI's advisory data is unreachable ({type(exc).__name__}: {str(exc)[:120]})")
    if probe.status_code != 200:
        pytest.skip(f"pip-audit: PyPI answered HTTP {probe.status_code} for {probe_name}=={probe_version} "
                    "(offline mirror without advisory data?); nothing could be audited")
    out = tmp_path / "audit.json"
    cmd = [str(exe), "-r", str(ROOT / "constraints.txt"), "--no-deps", "--disable-pip", "--progress-spinner", "off",
           "--timeout", "10", "--cache-dir", str(tmp_path / "cache"), "-f", "json", "-o", str(out)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "PIP_NO_INPUT": "1"})
    except subprocess.TimeoutExpired:
        pytest.skip("pip-audit: the vulnerability service did not answer within 180 s (offline?)")
    if not out.exists() or not out.read_text().strip():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        network = re.search(r"ConnectionError|NameResolution|Max retries|timed out|Temporary failure|"
                            r"Network is unreachable|Connection refused|SSLError|ProxyError", proc.stderr)
        if network:
            pytest.skip(f"pip-audit: the vulnerability service is unreachable ({tail[0][:200]})")
        pytest.fail(f"pip-audit failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    skipped = [d for d in deps if "skip_reason" in d]
    print(f"pip-audit: {len(audited)} audited, {len(skipped)} not found in the advisory service")
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "nothing to audit"
        pytest.skip(f"pip-audit could not look up any package (offline or no index access): {reason}")
    found = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions", [])) or "no fix yet")
             for d in audited for v in d.get("vulns", [])]
    for name, version, vid, fix in found:
        print(f"  {name}=={version}: {vid} (fixed in {fix})")
    assert not found, f"known vulnerabilities in pinned dependencies: {found}"
