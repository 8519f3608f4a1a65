"""Install pins (issue 14, weak spot 10): `make install` installs every dependency from requirements.lock with
`--require-hashes`, so pip refuses a file whose sha256 the lock does not list. The lock is compiled from
constraints.txt (the human-readable pin list) by `make lock`; these tests keep the two in step, check that the venv
the tests run in holds exactly what the lock pins, that pip is past CVE-2023-5752, and that torch is the CPU build."""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from reliability_helpers import ROOT, constraints_pins

LOCK = ROOT / "requirements.lock"
PROJECT = "groundwork-qa"
# The CPU wheel pip's find-links (/opt/wheels) serves on this machine; the lock must hold its hash.
CPU_WHEEL = Path("/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl")


@dataclass(frozen=True)
class Pin:
    """One requirement of the lock: the exact version and the sha256 hashes pip accepts for it."""
    version: str
    hashes: frozenset[str]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, Pin]:
    """Parse pip-compile's output: `name==version \\` followed by `--hash=sha256:...` continuation lines."""
    text = re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8"))
    pins: dict[str, Pin] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split()
        name, sep, version = requirement.partition("==")
        assert sep and version, f"requirements.lock: {requirement!r} is not pinned with =="
        hashes = frozenset(o.removeprefix("--hash=sha256:") for o in options if o.startswith("--hash=sha256:"))
        assert len(hashes) == len(options), f"requirements.lock: {requirement} has an option that is not a sha256"
        pins[_normal(name)] = Pin(version, hashes)
    return pins


def _install_recipe() -> list[str]:
    """The recipe lines of the $(STAMP) rule, which `make install` (and so `make chat` and `make test`) runs."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("$(STAMP):"))
    recipe: list[str] = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_every_locked_package_is_pinned_with_a_sha256_hash():
    pins = _lock()
    assert len(pins) > 100, "requirements.lock holds the whole dependency tree"
    for name, pin in pins.items():
        assert pin.hashes, f"{name}=={pin.version} has no sha256 hash in requirements.lock"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in pin.hashes), name


def test_the_lock_is_compiled_from_constraints_txt():
    """Same names, same versions: a pin edited in constraints.txt without `make lock` shows up here."""
    locked = {name: pin.version for name, pin in _lock().items()}
    assert locked == constraints_pins(), "requirements.lock and constraints.txt differ: run `make lock`"


def test_the_makefile_install_verifies_the_hashes():
    recipe = _install_recipe()
    installs = [line for line in recipe if "pip install" in line or "$(PIP_INSTALL)" in line]
    assert len(installs) == 3, recipe
    pip_first, deps, project = installs
    assert "/^pip==/" in pip_first and "requirements.lock" in pip_first, \
        "pip is upgraded to its locked version, from its lock entry, before anything else is installed"
    for line in (pip_first, deps):
        assert "--require-hashes" in line and "--no-deps" in line, line
    assert deps.endswith("-r requirements.lock"), deps
    assert "--no-deps" in project and "--no-build-isolation" in project and project.endswith("-e ."), \
        "the project itself adds nothing unhashed: no dependencies, no isolated build environment fetched"
    for line in installs:
        assert not re.search(r"\b[\w.-]+==\d", line), f"a version pinned outside requirements.lock: {line}"
        assert "-c constraints.txt" not in line, "install from the hashed lock, not the unhashed pin list"
    rule = next(line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                if line.startswith("$(STAMP):"))
    assert "requirements.lock" in rule, "a new lock reinstalls the venv"


def test_the_lock_is_regenerated_with_hashes():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lock:", text, re.M), "`make lock` regenerates requirements.lock"
    assert "pip-compile" in text and "--generate-hashes" in text and "--allow-unsafe" in text
    assert "make lock" in LOCK.read_text(encoding="utf-8").split("\n\n", 1)[0], "the lock names its command"


def test_pip_is_pinned_past_cve_2023_5752():
    pins = _lock()
    assert "pip" in pins, "requirements.lock does not pin pip"
    assert tuple(int(x) for x in pins["pip"].version.split(".")[:2]) >= (23, 3), pins["pip"].version


def test_torch_is_the_cpu_build():
    pins = _lock()
    torch = pins["torch"]
    assert torch.version.endswith("+cpu"), f"torch=={torch.version} is not the CPU build"
    cuda = sorted(name for name in pins if name.startswith(("nvidia-", "triton")))
    assert not cuda, f"CUDA packages in the lock: {cuda}"
    if CPU_WHEEL.exists():
        digest = hashlib.sha256(CPU_WHEEL.read_bytes()).hexdigest()
        assert digest in torch.hashes, f"the lock does not hold the hash of {CPU_WHEEL.name}"


def test_the_venv_holds_exactly_what_the_lock_pins():
    """Every distribution installed beside the tests is in the lock at the locked version (the project aside)."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("not running in a venv: nothing to compare")
    pins = _lock()
    installed = {_normal(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed.pop(PROJECT, None)
    unpinned = sorted(f"{n}=={v}" for n, v in installed.items() if n not in pins)
    assert not unpinned, f"installed but not in requirements.lock: {unpinned}"
    wrong = sorted(f"{n}=={v} (lock: {pins[n].version})" for n, v in installed.items() if pins[n].version != v)
    assert not wrong, f"installed versions differ from requirements.lock (run `make install`): {wrong}"
