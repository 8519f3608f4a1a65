"""Commands that messages print, written so they run as printed from the project folder.

A hint such as "Rebuild it with: python -m ingest --rebuild" fails with a
traceback when pasted into a shell whose `python` is not the project's venv
(issue 15). So every printed command names the interpreter that is running
now: `.venv/bin/python` when it is the project's own venv (what `make`
creates; short and readable), else the interpreter's absolute path. Every
message that prints a command builds it here, so the form is the same
everywhere and `tests/test_hints.py` can run each one.
"""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ".venv/bin/python"


def python_command() -> str:
    """The interpreter as a user can type it from the project folder."""
    exe = Path(sys.executable)
    if exe.absolute().parent == (PROJECT_ROOT / ".venv" / "bin"):
        return VENV_PYTHON
    return shlex.quote(str(exe.absolute()))


def module_command(module: str, *args: str) -> str:
    """`<python> -m module args…`, each argument shell-quoted (paths may hold spaces)."""
    return " ".join([python_command(), "-m", module, *(shlex.quote(a) for a in args)])


def ingest_command(index: Path | str | None = None, corpus: Path | str | None = None, rebuild: bool = False) -> str:
    """The ingest command for an index and corpus; the defaults (index/, corpus/) are left out."""
    args: list[str] = ["--rebuild"] if rebuild else []
    if index is not None and Path(index) != Path("index"):
        args += ["--index", str(index)]
    if corpus is not None and Path(corpus) != Path("corpus"):
        args += ["--corpus", str(corpus)]
    return module_command("ingest", *args)
