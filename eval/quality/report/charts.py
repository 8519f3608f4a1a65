"""Geometry of the report's inline SVG charts; templates/charts.html.j2 draws them.

Coordinates are computed here (plain numbers), labels stay plain text: the template formats the
numbers and escapes every label. Values are shares in [0, 1]; None values are skipped or shown as n/a.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import metrics as M
from .content import LABEL_COLORS

Series = tuple[str, Sequence[float | None], str]  # (name, values, colour)


@dataclass
class Dot:
    x: float
    y: float
    value: float


@dataclass
class Line:
    name: str
    color: str
    dots: list[Dot]
    legend_y: int

    @property
    def points(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


@dataclass
class LineChart:
    """Lines over categorical x (e.g. k=1..10), y in [0, 1]."""

    title: str
    xs: list[tuple[float, str]]  # (x position, label)
    lines: list[Line]
    width: int = 520
    height: int = 300
    left: int = 46
    top: int = 34
    pw: int = 0
    ph: int = 0
    grid: list[tuple[float, float]] = field(default_factory=list)  # (y position, value)


def line_chart(title: str, xs: Sequence[str], series: Sequence[Series], width: int = 520,
               height: int = 300) -> LineChart:
    left, right, top, bottom = 46, 150, 34, 40
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(1, len(xs) - 1)
    lines = []
    for n, (name, ys, color) in enumerate(series):
        dots = [Dot(left + j * step, top + ph - ph * y, y) for j, y in enumerate(ys) if y is not None]
        lines.append(Line(name, color, dots, top + 12 + n * 20))
    return LineChart(title, [(left + j * step, x) for j, x in enumerate(xs)], lines, width, height, left, top,
                     pw, ph, [(top + ph - ph * i / 5, i / 5) for i in range(6)])


@dataclass
class Curve:
    name: str
    color: str
    points: str  # the polyline, "" when the system has no scores
    actual: Mapping[str, Any] | None  # the system's own operating point, when it has one
    actual_x: float = 0.0
    actual_y: float = 0.0
    legend_y: int = 0


@dataclass
class CurveChart:
    """Abstention recall (y) against false abstention rate (x), both in [0, 1], one line per system.

    The actual operating point is a ringed marker; dotted verticals mark the false abstention budgets;
    the dashed diagonal is chance.
    """

    title: str
    curves: list[Curve]
    budgets: list[tuple[float, float]]  # (x position, budget)
    width: int
    height: int
    left: int
    top: int
    pw: int
    ph: int
    ticks: list[tuple[float, float, float]]  # (x position, y position, value)
    legend_y: int


def operating_curve(title: str, series: Sequence[tuple[str, Sequence[Mapping[str, float]],
                                                      Mapping[str, Any] | None, str]],
                    budgets: Sequence[float] = M.FALSE_ABSTENTION_BUDGETS, width: int = 520,
                    height: int = 340) -> CurveChart:
    """``series`` holds (name, curve points, actual operating point or None, colour)."""
    left, right, top, bottom = 46, 150, 34, 46
    pw, ph = width - left - right, height - top - bottom

    def xy(far: float, rec: float) -> tuple[float, float]:
        return left + pw * max(0.0, min(1.0, far)), top + ph - ph * max(0.0, min(1.0, rec))

    curves = []
    for n, (name, curve, actual, color) in enumerate(series):
        points = " ".join("{:.1f},{:.1f}".format(*xy(p["false_abstention_rate"], p["abstention_recall"]))
                          for p in curve)
        shown = actual if actual and actual.get("abstention_recall") is not None and \
            actual.get("false_abstention_rate") is not None else None
        ax, ay = xy(shown["false_abstention_rate"], shown["abstention_recall"]) if shown else (0.0, 0.0)
        curves.append(Curve(name, color, points, shown, ax, ay, top + 12 + n * 20))
    ticks = [(left + pw * i / 5, top + ph - ph * i / 5, i / 5) for i in range(6)]
    return CurveChart(title, curves, [(left + pw * b, b) for b in budgets], width, height, left, top, pw, ph, ticks,
                      top + 12 + len(series) * 20)


@dataclass
class Bar:
    y: int
    width: float | None  # None: n/a
    name: str
    color: str
    value: float | None


@dataclass
class BarGroup:
    label: str
    n: int
    center_y: float
    bars: list[Bar]


@dataclass
class HBarChart:
    """Grouped horizontal bars, values in [0, 1]; one group per category (label, n)."""

    title: str
    legend: list[tuple[int, str, str]]  # (x, name, colour)
    groups: list[BarGroup]
    width: int
    height: int
    left: int
    top: int
    pw: int
    bar: int


def hbar_chart(title: str, categories: Sequence[tuple[str, int]], series: Sequence[Series],
               width: int = 760) -> HBarChart:
    left, right, top = 190, 60, 52
    bar, gap = 9, 10
    group = bar * len(series) + gap
    height = top + group * len(categories) + 28
    pw = width - left - right
    legend, lx = [], left
    for name, _, color in series:
        legend.append((lx, name, color))
        lx += 24 + 7 * len(name) + 20
    groups = []
    for c, (label, n) in enumerate(categories):
        y0 = top + c * group
        bars = []
        for s, (name, values, color) in enumerate(series):
            v = values[c]
            bars.append(Bar(y0 + s * bar, None if v is None else max(0.0, min(1.0, v)) * pw, name, color, v))
        groups.append(BarGroup(label, n, y0 + group / 2, bars))
    return HBarChart(title, legend, groups, width, height, left, top, pw, bar)


@dataclass
class Stack:
    name: str
    y: int
    parts: list[tuple[float, float, str, int]]  # (x, width, label, count)


@dataclass
class StackedChart:
    """One horizontal stacked bar of failure labels per system."""

    stacks: list[Stack]
    legend: list[tuple[float, int, str]]  # (x, y, label)
    width: int
    height: int
    left: int
    bar: int
    colors: Mapping[str, str] = field(default_factory=lambda: LABEL_COLORS)


def stacked_labels(systems: Sequence[Mapping[str, Any]], width: int = 760) -> StackedChart:
    left, right, top, bar = 120, 20, 30, 22
    height = top + len(systems) * (bar + 10) + 60
    pw = width - left - right
    stacks = []
    for i, s in enumerate(systems):
        total = sum(s["failures"].values()) or 1
        x, parts = float(left), []
        for label in M.LABELS:
            n = s["failures"].get(label, 0)
            if n:
                w = pw * n / total
                parts.append((x, w, label, n))
                x += w
        stacks.append(Stack(s["name"], top + i * (bar + 10), parts))
    legend: list[tuple[float, int, str]] = []
    ly = top + len(systems) * (bar + 10) + 14
    lx: float = left
    for label in M.LABELS:
        legend.append((lx, ly, label))
        lx += 30 + 6.3 * len(label)
        if lx > width - 120:
            lx, ly = left, ly + 18
    return StackedChart(stacks, legend, width, height, left, bar)
