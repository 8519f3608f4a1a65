"""IDF sums over sets of terms do not depend on the order Python iterates a set in.

A set of strings iterates in an order that changes with PYTHONHASHSEED, so a plain sum of floats over it
changed in the last bit from one process to the next. An overlap of exactly 0.5 then sat on either side of
the "matches closely" threshold, and one held-out question showed its closest passage in one eval run and
not in the next. The sums use math.fsum, which is exact whatever the order.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.extractive import coverage

IDF = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
ROOT = Path(__file__).resolve().parent.parent
PROBE = ("from assistant.extractive import coverage\n"
         "idf = {'a': 0.1, 'b': 0.2, 'c': 0.3, 'd': 0.4}\n"
         "print(repr(coverage(['a', 'b', 'c', 'd'], idf.__getitem__, frozenset('abc'))))\n")


def test_coverage_is_exact() -> None:
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in one order and 0.6 in another; fsum gives 0.6 in all.
    assert coverage(["a", "b", "c", "d"], IDF.__getitem__, frozenset("abc")) == 0.6
    assert coverage([], IDF.__getitem__, frozenset()) == 0.0


def test_coverage_is_the_same_under_every_hash_seed() -> None:
    outs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        outs.add(run.stdout.strip())
    assert outs == {"0.6"}
