"""report.md and a self-contained report.html (inline CSS, inline SVG charts, no external assets).

Rendered from Jinja2 templates in report/templates/ with autoescape on for HTML: the corpus may hold
markup such as <script>, and the report must show it, not run it. Python prepares plain values
(content.py: wording and number formats; charts.py: chart geometry; items.py: one question's view);
the templates lay them out.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .. import metrics as M
from . import charts
from .content import (
    ANSWERABILITY_NOTE,
    COLORS,
    DESCRIPTIONS,
    GROUPS,
    LABEL_COLORS,
    LOWER_IS_BETTER,
    auc_text,
    budget_cell,
    context_note,
    describe,
    digits,
    insights,
    md_cell,
    ms,
    rate_pair,
    short,
    systems_of,
    val,
)
from .items import item_view

TAG_COLUMNS = ("no_failure", "recall@5", "answer_coverage", "token_f1", "abstention_recall")
TAG_SERIES = (("no failure", "no_failure", "#15803d"), ("recall@5", "recall@5", "#2563eb"),
              ("answer coverage", "answer_coverage", "#d97706"), ("token F1", "token_f1", "#9333ea"))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("eval.quality.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.globals.update(
        label_colors=LABEL_COLORS, context_note=context_note, auc_text=auc_text, rate_pair=rate_pair, ms=ms,
        short=short, fmt=M.fmt, digits=digits, md_cell=md_cell, answerability_note=ANSWERABILITY_NOTE.replace("**", ""),
    )
    return env


def _answerability(systems: Sequence[Mapping[str, Any]], colors: Mapping[str, str] | None) -> dict[str, Any] | None:
    """The answerability table (and, for HTML, the operating-curve chart); None for results without it."""
    shown = [s for s in systems if "answerability" in s]
    if not shown:
        return None  # a results.json written before answerability was measured
    budgets = [e["budget"] for e in shown[0]["answerability"].get("at_false_abstention", [])]
    cells = []
    for s in shown:
        at = {e["budget"]: e for e in s["answerability"].get("at_false_abstention", [])}
        cells.append([budget_cell(at.get(b)) for b in budgets])
    out: dict[str, Any] = {"systems": shown, "budgets": budgets, "cells": cells}
    if colors is not None:
        out["chart"] = charts.operating_curve(
            "Operating curve: abstention recall vs false abstention",
            [(s["name"], s["answerability"].get("curve", []), s["answerability"].get("operating_point"),
              colors[s["name"]]) for s in shown], budgets)
    return out


def render_markdown(results: Mapping[str, Any]) -> str:
    systems = systems_of(results)
    return environment().get_template("report.md.j2").render(
        results=results, systems=systems, names=[s["name"] for s in systems],
        split=results["config"]["gold"].get("split") or "all", groups=GROUPS, descriptions=DESCRIPTIONS,
        answerability=_answerability(systems, None), answerability_note=ANSWERABILITY_NOTE, notes=insights(results),
        labels=M.LABELS, tag_cols=TAG_COLUMNS, errors=[r for r in results["items"] if r["status"] == "error"])


def _metric_groups(systems: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, str, list[tuple]]]]]:
    """(group title, [(metric, description shown once, [(css class, value, small print) per system])])."""
    groups = []
    described: set[str] = set()
    for title, names in GROUPS:
        rows = []
        for name in names:
            vals = [s["metrics"].get(name, {}).get("value") for s in systems]
            present = [v for v in vals if v is not None]
            best = None
            if len(present) > 1 and name != "answer_chars":
                best = min(present) if name in LOWER_IS_BETTER else max(present)
            cells = []
            for s, v in zip(systems, vals):
                summ = s["metrics"].get(name, {})
                if v is None:
                    cells.append(("num", "n/a", "0 items"))
                    continue
                ci = summ.get("ci95")
                ci_txt = f"[{ci[0]:.2f}, {ci[1]:.2f}] " if ci and name != "answer_chars" else ""
                cls = "num best" if best is not None and v == best else "num"
                cells.append((cls, f"{v:.{digits(name)}f}", f"{ci_txt}n={summ.get('n', 0)}"))
            desc = describe(name)
            rows.append((name, desc if desc not in described else "", cells))
            described.add(desc)
        groups.append((title, rows))
    return groups


def render_html(results: Mapping[str, Any], doc_texts: Mapping[str, str]) -> str:
    systems = systems_of(results)
    colors = {s["name"]: COLORS[i % len(COLORS)] for i, s in enumerate(systems)}
    c = results["counts"]
    cards = [
        (c["items"], "items"), (c["scored"], "answered"), (c["abstained"], "abstained"), (c["error"], "errors"),
        (val(results["metrics"].get("no_failure", {})), "no failure (share)"),
        (val(results["metrics"].get("recall@5")), "recall@5"),
        (val(results["metrics"].get("answer_coverage")), "answer coverage"),
        (val({"value": results.get("answerability", {}).get("auc")}), "answerability AUC"),
        (f"{ms(results['latency'].get('p50_ms'))} ms", "latency p50"),
    ]
    ks = [f"k={k}" for k in M.KS]
    line_charts = [charts.line_chart(f"Evidence {metric}@k", ks, [
        (s["name"], [s["metrics"].get(f"{metric}@{k}", {}).get("value") for k in M.KS], colors[s["name"]])
        for s in systems]) for metric in ("recall", "hit")]
    tags = [(t, e["n"]) for t, e in results["by_tag"].items() if t not in ("dev", "test")]
    hbars = []
    if tags:
        hbars.append(charts.hbar_chart(f"Scores by tag — {results['name']}", tags, [
            (label, [results["by_tag"][t].get(key, {}).get("value") for t, _ in tags], color)
            for label, key, color in TAG_SERIES]))
        if len(systems) > 1:
            hbars.append(charts.hbar_chart("Share of items with no failure, by tag and system", tags, [
                (s["name"], [s["by_tag"].get(t, {}).get("no_failure", {}).get("value") for t, _ in tags],
                 colors[s["name"]]) for s in systems]))
    by_id = {name: {r["id"]: r for r in s["items"]} for name, s in results.get("baselines", {}).items()}
    views = [item_view(r, doc_texts, [(name, rows[r["id"]]) for name, rows in by_id.items() if r["id"] in rows])
             for r in results["items"]]
    return environment().get_template("report.html.j2").render(
        results=results, systems=systems, colors=colors, split=results["config"]["gold"].get("split") or "all",
        cards=cards, metric_groups=_metric_groups(systems), answerability=_answerability(systems, colors),
        line_charts=line_charts, stacked=charts.stacked_labels(systems), hbar_charts=hbars, labels=M.LABELS,
        notes=insights(results), item_views=views)


def write_reports(results: Mapping[str, Any], out: Path, doc_texts: Mapping[str, str]) -> None:
    out = Path(out)
    (out / "report.md").write_text(render_markdown(results), encoding="utf-8")
    (out / "report.html").write_text(render_html(results, doc_texts), encoding="utf-8")
