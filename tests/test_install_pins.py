"""Install pins (issue 14, weak spot 10): every `pip install` in the Makefile goes through constraints.txt,
and pip itself is pinned to a release with the fix for CVE-2023-5752 (23.3 or later)."""
from __future__ import annotations

import re

from reliability_helpers import ROOT


def test_every_makefile_install_uses_the_constraints_file():
    installs = [line.strip() for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                if "pip install" in line]
    assert installs
    for line in installs:
        assert "-c constraints.txt" in line, line
        assert not re.search(r"\b\w+==", line), f"a version pinned outside constraints.txt: {line}"
    assert installs[0].endswith(" pip"), "pip is upgraded to its pinned version before anything else is installed"


def test_pip_is_pinned_past_cve_2023_5752():
    pins = dict(line.split("==", 1) for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
                if "==" in line and not line.startswith("#"))
    assert "pip" in pins, "constraints.txt does not pin pip"
    assert tuple(int(x) for x in pins["pip"].split(".")[:2]) >= (23, 3), pins["pip"]
