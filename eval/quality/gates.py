"""The quality gate: thresholds from eval/gates.toml and the metrics of a run that miss them.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import EvalError
from .aggregate import METRIC_ORDER

DEFAULT_GATES = Path(__file__).resolve().parents[1] / "gates.toml"


# -- gate ------------------------------------------------------------------------------
def load_gates(path: Path) -> dict[str, dict[str, float]]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise EvalError(f"cannot read gate file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise EvalError(f"gate file {path} is not valid TOML: {exc}") from exc
    out: dict[str, dict[str, float]] = {"min": {}, "max": {}}
    for section in ("min", "max"):
        for name, value in (data.get(section) or {}).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise EvalError(f"gate file {path}: [{section}] {name} must be a number")
            if name not in METRIC_ORDER and name not in ("latency_p50_ms", "latency_p95_ms", "answerability_auc"):
                raise EvalError(f"gate file {path}: unknown metric {name!r} in [{section}]")
            out[section][name] = float(value)
    return out


def check_gate(result: Mapping[str, Any], gates: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One line per metric that misses its threshold (an n/a metric misses it too)."""
    failures = []

    def value(name: str) -> tuple[float | None, int]:
        if name.startswith("latency_"):
            lat = result.get("latency", {})
            return lat.get(name.removeprefix("latency_")), int(lat.get("n", 0))
        if name == "answerability_auc":
            a = result.get("answerability", {})
            return a.get("auc"), int(a.get("n", 0))
        s = result["metrics"].get(name, {})
        return s.get("value"), int(s.get("n", 0))

    for name, limit in gates.get("min", {}).items():
        v, n = value(name)
        if v is None:
            failures.append(f"{name} is n/a (0 items); it must be >= {limit:g}")
        elif v < limit:
            failures.append(f"{name} = {v:.3f} (n={n}) is below its threshold {limit:g}")
    for name, limit in gates.get("max", {}).items():
        v, n = value(name)
        if v is None:
            failures.append(f"{name} is n/a (0 items); it must be <= {limit:g}")
        elif v > limit:
            failures.append(f"{name} = {v:.3f} (n={n}) is above its limit {limit:g}")
    return failures
