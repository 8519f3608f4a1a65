"""A small-size run of the bench (`python -m eval bench --quick`).

Figures are printed for the log and checked for shape only: timings on a
shared machine are reported, never asserted.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.perf import bench


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and x == x and x >= 0  # not NaN, not negative


def test_bench_quick_smoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench"
    # ingest runs in fresh processes on a temporary corpus copy; llama-index (torch) and the chat
    # server are left to the full run so this stays well under a minute.
    rc = bench.main(["--quick", "--out", str(out), "--skip", "llama,chat", "--scale", "300"])
    printed = capsys.readouterr().out
    print(printed)
    assert rc == 0
    res = json.loads((out / "bench.json").read_text(encoding="utf-8"))

    ing = res["ingest"]
    for key in ("from_scratch_s", "unchanged_rerun_s", "chars_per_s", "chunks_per_s", "from_scratch_peak_rss_mb"):
        assert _number(ing[key]), key
    assert ing["chunks"] > 0 and ing["characters"] > 0

    ask = res["ask"]["ms"]
    assert ask["n"] >= 100 and _number(ask["p50"]) and ask["p50"] <= ask["p95"] <= ask["max"]

    cold = res["cold"]
    assert _number(cold["median_s"]) and _number(cold["peak_rss_mb"])
    # The one-shot CLI must stay torch-free (that is what keeps cold start low).
    assert not {"torch", "transformers", "sentence_transformers", "llama_index", "gradio"} & set(cold["heavy_modules_imported"])

    assert res["size"]["bytes"] > 0
    [scaled] = res["scale"]
    assert "error" not in scaled, scaled.get("error")
    assert scaled["n"] == 300 and scaled["encoder_misses"] == 0
    assert _number(scaled["query"]["ask_ms"]["p95"])
    assert {row["index"] for row in scaled["faiss"]} >= {"flat (exact)", "hnsw"}

    labels = {t["figure"] for t in res["targets"]}
    assert "warm ask p50" in labels and "cold start of ask" in labels
    assert "targets (issue 6)" in printed


def test_target_table_and_headline_shapes() -> None:
    res = {"ask": {"ms": {"p50": 5.0, "p95": 9.0, "max": 12.0}}, "llama": {"ms": {"p50": 50.0, "p95": 60.0}},
           "ingest": {"from_scratch_s": 4.0, "unchanged_rerun_s": 0.2}}
    head = bench.headline(res)
    assert head["llama_ratio_p50"] == 10.0
    rows = {r["figure"]: r for r in bench.targets(head)}
    assert rows["warm ask p50"]["met"] is True
    assert rows["cold start of ask"]["met"] is None  # not measured: neither met nor failed
