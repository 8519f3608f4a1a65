"""Every command a message prints runs as printed, from the project folder (issue 15).

Each test provokes the message, cuts the command out of it and runs that
string in a shell from the repository root with the environment a user has
(no PYTHONPATH, no activated venv), then checks that it did its job.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.config import load_settings
from ingest.errors import IndexCorruptError
from ingest.hints import VENV_PYTHON, python_command

ROOT = Path(__file__).resolve().parent.parent
TINY = """Harbour Notes

The harbour master keeps the ferry timetable in the office by the north gate.

Visitors sign the ledger at the gate before boarding the night ferry to the island.
"""


def _user_env() -> dict[str, str]:
    """A shell as a user has it: the venv not activated, no PYTHONPATH pointing into the project."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != bin_dir)
    return env


def _run_printed(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=ROOT, env=_user_env(), capture_output=True, text=True,
                          timeout=300)


def _command_after(label: str, message: str) -> str:
    m = re.search(re.escape(label) + r"\s*\n?\s*(\S.*)", message)
    assert m, f"no command after {label!r} in: {message}"
    return m.group(1).strip().rstrip(".")


def test_hints_name_the_projects_interpreter():
    if Path(sys.executable).absolute().parent != ROOT / ".venv" / "bin":
        pytest.skip("not running from the project's .venv")
    assert python_command() == VENV_PYTHON
    from ingest.errors import REBUILD_HINT

    assert REBUILD_HINT == ".venv/bin/python -m ingest --rebuild"


def test_printed_build_and_rebuild_commands_run_as_printed(tmp_path: Path, capsys):
    """`chat --no-build` prints a build command; a damaged index prints a rebuild command. Both work."""
    from assistant import Assistant
    from assistant.chat import server

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour-notes.txt").write_text(TINY, encoding="utf-8")
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx", auth="", host="127.0.0.1")

    assert server.serve(settings, build_if_needed=False) == 4
    build = _command_after("Build it with:", capsys.readouterr().err)
    assert build.startswith(python_command() + " -m ingest")
    proc = _run_printed(build)
    assert proc.returncode == 0, proc.stderr
    assert Assistant(tmp_path / "idx").data.documents

    chunks = (tmp_path / "idx").resolve() / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with pytest.raises(IndexCorruptError) as caught:
        Assistant(tmp_path / "idx")
    rebuild = _command_after("Rebuild it with:", str(caught.value))
    assert "--rebuild" in rebuild and f"--corpus {corpus}" in rebuild
    proc = _run_printed(rebuild)
    assert proc.returncode == 0, proc.stderr
    assert "harbour-notes" in Assistant(tmp_path / "idx").data.documents


def test_console_scripts_are_installed():
    bin_dir = ROOT / ".venv" / "bin"
    if Path(sys.executable).absolute().parent != bin_dir:
        pytest.skip("not running from the project's .venv")
    for script in ("groundwork-ingest", "groundwork-ask"):
        if not (bin_dir / script).exists():
            pytest.skip(f"{script} not installed yet (`make install` after the pyproject change)")
        proc = subprocess.run([str(bin_dir / script), "--help"], capture_output=True, text=True, timeout=120,
                              env=_user_env(), cwd="/")
        assert proc.returncode == 0 and "usage:" in proc.stdout, proc.stderr


def test_up_to_date_message_names_the_index_once(tmp_path: Path, monkeypatch, capsys):
    from ingest.__main__ import main

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "harbour-notes.txt").write_text(TINY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--quiet"]) == 0
    capsys.readouterr()
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("index is up to date (1 documents") and "index index" not in out
