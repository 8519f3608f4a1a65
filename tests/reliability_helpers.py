"""Helpers shared by the reliability tests (issue 7): cheap index copies, damage, CLI runs.

Building an index costs a model load and an ONNX export, so tests that need
an index of their own copy the session's `shipped_index` instead. The 90 MB
query encoder is hard-linked, never copied; `damage` breaks that link before
it writes, so the shared session index can never be harmed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily at run time: the CLI tests here should not pay for loading them
    from assistant import Answer, Assistant
    from ingest.config import Settings

ROOT = Path(__file__).resolve().parent.parent
BIG_FILES = {"query_encoder.onnx"}


@dataclass(frozen=True)
class Workspace:
    root: Path
    corpus: Path
    index: Path

    def settings(self, **overrides: Any) -> Settings:
        from ingest.config import load_settings

        values = {"corpus_dir": self.corpus, "index_dir": self.index, **overrides}
        return load_settings(**values)

    def builds(self) -> list[str]:
        d = self.index.with_name(self.index.name + ".d")
        return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


def _copy(src: str, dst: str) -> None:
    if Path(src).name in BIG_FILES:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def clone_workspace(shipped_index: Path, dst: Path, corpus: bool = True) -> Workspace:
    """A private corpus + index pair that starts identical to the session's shipped one."""
    dst.mkdir(parents=True, exist_ok=True)
    if corpus:
        shutil.copytree(shipped_index.parent / "corpus", dst / "corpus")
    real = shipped_index.resolve()
    shutil.copytree(real, dst / "index.d" / real.name, copy_function=_copy)
    os.symlink(os.path.join("index.d", real.name), dst / "index")
    return Workspace(dst, dst / "corpus", dst / "index")


def unshare(path: Path) -> None:
    """Give `path` its own inode so writing to it cannot touch a hard-linked original."""
    if path.stat().st_nlink > 1:
        tmp = path.with_name(path.name + ".unshare")
        shutil.copyfile(path, tmp)
        os.replace(tmp, path)


def damage(path: Path, mode: str) -> None:
    """truncate: cut the file in half. corrupt: overwrite bytes in the middle, same size."""
    unshare(path)
    data = bytearray(path.read_bytes())
    if mode == "truncate":
        data = data[: len(data) // 2]
    elif mode == "corrupt":
        mid = len(data) // 2
        span = min(64, max(1, len(data) // 4))
        data[mid:mid + span] = bytes((b ^ 0x5A) for b in data[mid:mid + span])
    else:
        raise ValueError(mode)
    path.write_bytes(bytes(data))


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "RAGQA_AUTH": ""}
    env.pop("RAGQA_INGEST_STEP_DELAY", None)
    env.update(extra)
    return env


def run_module(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
               cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          env=env or cli_env(), timeout=timeout)


def fix_command(index: Path, corpus: str | Path | None = None) -> str:
    """The exact command the error messages must print for `index` (built from `corpus`).

    Without `corpus`, the corpus the index's manifest names (when it is readable as one of ours), as
    ingest.index.fix_hint does: a rebuild must read the documents the index was built from.
    """
    from ingest.hints import ingest_command

    if corpus is None:
        try:
            manifest = json.loads((Path(index) / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if isinstance(manifest, dict) and manifest.get("kind") == "groundwork-qa-index":
            named = manifest.get("corpus_dir")
            corpus = named if isinstance(named, str) and named else None
    return ingest_command(index, corpus, rebuild=True)


def verify_citations(assistant: Assistant, answer: Answer) -> None:
    """Every citation is the exact slice of its document. An abstention cites nothing, except on a
    false premise, where it quotes the one closest passage as what the documents do say."""
    from assistant.core import CLOSEST_LEAD

    if answer.abstained and not answer.text.startswith(CLOSEST_LEAD):
        assert not answer.citations, answer
        return
    if answer.abstained:
        assert len(answer.citations) == 1, answer
    assert answer.citations, answer
    for c in answer.citations:
        text = assistant.data.documents[c.doc].text
        assert text[c.start:c.end] == c.text, (c.doc, c.start, c.end)
        assert f"[{c.n}]" in answer.text


def constraints_pins() -> dict[str, str]:
    """constraints.txt as {normalised name: version}; every line must pin with == (the security and install-pin
    tests both read it, through this one parser)."""
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt: {line!r} is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins
