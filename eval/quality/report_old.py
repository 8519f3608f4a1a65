"""report.md and a self-contained report.html (inline CSS, inline SVG charts, no external assets).

All document and answer text goes through html.escape: the corpus may hold
markup such as <script>, and the report must show it, not run it.
"""
from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import metrics as M

COLORS = ("#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2")
LABEL_COLORS = {
    M.LABEL_NONE: "#15803d", M.LABEL_RETRIEVAL_MISS: "#b91c1c", M.LABEL_NOT_CITED: "#c2410c",
    M.LABEL_WRONG_CITATION: "#7c2d12", M.LABEL_FALSE_ABSTENTION: "#a16207", M.LABEL_MISSED_ABSTENTION: "#7e22ce",
    M.LABEL_ERROR: "#111827",
}
GROUPS = (
    ("Retrieval (gold evidence inside the retrieved passages)",
     [*(f"hit@{k}" for k in M.KS), *(f"recall@{k}" for k in M.KS), "mrr"]),
    ("Citations (answered items)", ["citation_validity", "citation_support", "citation_support_sentence",
                                    "citation_precision"]),
    ("Answer (answerable items; an abstention scores 0)",
     ["answer_coverage", "token_f1", "token_recall", "semantic_similarity"]),
    ("Abstention", ["abstention_precision", "abstention_recall", "false_abstention_rate"]),
    ("Overall", ["no_failure", "error_rate", "answer_chars"]),
)
LOWER_IS_BETTER = {"false_abstention_rate", "error_rate"}
DESCRIPTIONS = {
    "hit@k": "1 if some gold quote lies inside the top-k passages (same document, span covered)",
    "recall@k": "share of an item's gold quotes inside the top-k passages",
    "mrr": "1 / rank at which the first gold quote is covered (depth 10)",
    "citation_validity": "every citation's offsets reproduce its text: document[start:end] == text",
    "citation_support": "some gold quote lies inside a cited passage (the passage around a quoted sentence)",
    "citation_support_sentence": "strict: some gold quote lies inside the quoted sentences themselves",
    "citation_precision": "share of citations that overlap a gold quote",
    "answer_coverage": "share of gold-quote characters inside the cited spans (abstention = 0)",
    "token_f1": "SQuAD token F1 of the answer (citation marks removed) against the reference answer",
    "token_recall": "share of the reference answer's tokens found in the answer",
    "semantic_similarity": "cosine of MiniLM embeddings of answer and reference",
    "abstention_precision": "of the abstentions, the share on unanswerable items",
    "abstention_recall": "of the unanswerable items, the share abstained on",
    "false_abstention_rate": "of the answerable items, the share abstained on (lower is better)",
    "no_failure": "share of items whose failure label is none",
    "error_rate": "share of items where the system raised an exception (lower is better)",
    "answer_chars": "mean length of the answer text (for llama-index: its context)",
}


def _systems(results: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [results, *results.get("baselines", {}).values()]


def _val(summary: Mapping[str, Any] | None, digits: int = 3) -> str:
    if not summary or summary.get("value") is None:
        return "n/a (0 items)"
    return f"{summary['value']:.{digits}f}"


def _digits(name: str) -> int:
    return 0 if name == "answer_chars" else 3


def _describe(name: str) -> str:
    key = name.split("@")[0] + "@k" if "@" in name else name
    return DESCRIPTIONS.get(key, "")


def insights(system: Mapping[str, Any]) -> list[str]:
    """Plain-language notes on where a system fails, computed from its rows."""
    rows = system["items"]
    notes = []
    by = {label: [r for r in rows if r["label"] == label] for label in M.LABELS}
    fa = by[M.LABEL_FALSE_ABSTENTION]
    if fa:
        had = sum(1 for r in fa if r["metrics"].get("hit@5") == 1.0)
        notes.append(f"{len(fa)} false abstention(s); in {had} of them the gold evidence was already in the top 5 "
                     "passages, so the abstention check (not retrieval) rejected it.")
    rm = by[M.LABEL_RETRIEVAL_MISS]
    if rm:
        deeper = sum(1 for r in rm if r["metrics"].get("hit@10") == 1.0)
        notes.append(f"{len(rm)} retrieval miss(es); in {deeper} of them the evidence appears by rank 10, "
                     "just below the passages the answer shows.")
    nc = by[M.LABEL_NOT_CITED]
    if nc:
        top1 = sum(1 for r in nc if r["metrics"].get("hit@1") == 1.0)
        notes.append(f"{len(nc)} item(s) retrieved but not cited: the answer cited other passages although a "
                     f"shown passage held the evidence (in {top1} of them the top passage).")
    ma = by[M.LABEL_MISSED_ABSTENTION]
    if ma:
        near = sum(1 for r in ma if "near-topic" in r["tags"])
        notes.append(f"{len(ma)} missed abstention(s), {near} of them near-topic (related text exists but does "
                     "not hold the asked detail).")
    if by[M.LABEL_ERROR]:
        notes.append(f"{len(by[M.LABEL_ERROR])} item(s) raised an exception; see their rows.")
    weak = [(e["no_failure"]["value"], t, e["n"]) for t, e in system.get("by_tag", {}).items()
            if t not in ("dev", "test") and e["n"] >= 3 and e["no_failure"]["value"] is not None]
    weak.sort()
    if weak:
        notes.append("Weakest tags (share with no failure): " +
                     ", ".join(f"{t} {v:.2f} (n={n})" for v, t, n in weak[:4]) + ".")
    return notes


# == Markdown ==============================================================================
def render_markdown(results: Mapping[str, Any]) -> str:
    cfg = results["config"]
    systems = _systems(results)
    out = ["# Evaluation report", ""]
    split = cfg["gold"].get("split") or "all"
    out.append(f"- Gold: `{cfg['gold']['path']}` (split: {split}, {cfg['gold']['items']} items, "
               f"sha256 `{cfg['gold']['sha256'][:12]}`)")
    out.append(f"- Index: `{cfg['index']['path']}` (build {cfg['index']['build_id']}, content sha256 "
               f"`{cfg['index']['sha256'][:12]}`, {cfg['index']['chunks']} chunks)")
    out.append(f"- Answerer: {cfg['answerer']}; top_k {cfg['settings'].get('top_k')}, retrieval depth for @k "
               f"{cfg['retrieval_depth']}; bootstrap 95% CIs, {cfg['bootstrap']['resamples']} resamples, fixed seed")
    c = results["counts"]
    out.append(f"- Items: {c['items']} ({c['answerable']} answerable, {c['unanswerable']} unanswerable) — "
               f"{c['scored']} scored, {c['abstained']} abstained, {c['error']} errors")
    out.append("")
    out.append("## Systems")
    out.append("")
    for s in systems:
        out.append(f"- **{s['name']}**: {s['description']}{_context_note(s)}")
    out.append("")
    out.append("Values are means with bootstrap 95% CI and the number of items they are computed over.")
    out.append("")
    out.append("| metric | " + " | ".join(s["name"] for s in systems) + " |")
    out.append("|---|" + "---|" * len(systems))
    for title, names in GROUPS:
        out.append(f"| **{title}** |" + " |" * len(systems))
        for name in names:
            cells = [M.fmt(s["metrics"].get(name), _digits(name)) for s in systems]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("| latency p50 / p95 (ms) | " + " | ".join(
        f"{_ms(s['latency'].get('p50_ms'))} / {_ms(s['latency'].get('p95_ms'))}" for s in systems) + " |")
    out.append("")
    out.append("Metric definitions: " + "; ".join(f"**{k}** — {v}" for k, v in DESCRIPTIONS.items()) + ".")
    out.append("")
    out.extend(_answerability_markdown(systems))
    out.append("## Failure labels")
    out.append("")
    for note in insights(results):
        out.append(f"- {note}")
    out.append("")
    out.append("| label | " + " | ".join(s["name"] for s in systems) + " |")
    out.append("|---|" + "---|" * len(systems))
    for label in M.LABELS:
        out.append(f"| {label} | " + " | ".join(str(s["failures"].get(label, 0)) for s in systems) + " |")
    out.append("")
    out.append(f"## Scores by tag ({results['name']})")
    out.append("")
    tag_cols = ("no_failure", "recall@5", "answer_coverage", "token_f1", "abstention_recall")
    out.append("| tag | n | " + " | ".join(tag_cols) + " |")
    out.append("|---|---|" + "---|" * len(tag_cols))
    for tag, entry in results["by_tag"].items():
        cells = []
        for col in tag_cols:
            e = entry.get(col, {})
            cells.append("n/a" if e.get("value") is None else f"{e['value']:.2f} (n={e['n']})")
        out.append(f"| {tag} | {entry['n']} | " + " | ".join(cells) + " |")
    out.append("")
    out.append(f"## Items ({results['name']})")
    out.append("")
    out.append("| id | label | status | hit@5 | coverage | F1 | question |")
    out.append("|---|---|---|---|---|---|---|")
    for r in results["items"]:
        m = r["metrics"]
        q = _md_cell(r["question"])
        out.append(f"| {r['id']} | {r['label']} | {r['status']} | {_short(m.get('hit@5'))} | "
                   f"{_short(m.get('answer_coverage'))} | {_short(m.get('token_f1'))} | {q} |")
    errors = [r for r in results["items"] if r["status"] == "error"]
    if errors:
        out.append("")
        out.append("## Errors")
        out.append("")
        for r in errors:
            out.append(f"- `{r['id']}`: {_md_cell(r['error'])}")
    out.append("")
    return "\n".join(out)


ANSWERABILITY_NOTE = (
    "The score is the answer's selector confidence, for answered and abstained items alike. **AUC**: the "
    "chance that an answerable item scores above an unanswerable one (0.5 = chance), with a stratified "
    "bootstrap 95% CI. The operating curve abstains when confidence < threshold; **recall at FA ≤ x** is the "
    "best abstention recall (share of unanswerable items abstained on) whose false abstention rate (share "
    "of answerable items abstained on) stays within x, with its threshold. **actual** is the system's own "
    "abstention decisions over the same scored items. Items without a confidence (errors, catalog facts, "
    "systems without a selector) are counted, not placed on the curve.")


def _budget_cell(entry: Mapping[str, Any] | None) -> str:
    point = (entry or {}).get("point")
    if not point:
        return "n/a"
    return f"{point['abstention_recall']:.3f} (FA {point['false_abstention_rate']:.3f}, t={point['threshold']:.4g})"


def _rate_pair(point: Mapping[str, Any] | None) -> str:
    point = point or {}
    r, f = point.get("abstention_recall"), point.get("false_abstention_rate")
    return f"{'n/a' if r is None else f'{r:.3f}'} / {'n/a' if f is None else f'{f:.3f}'}"


def _auc_text(a: Mapping[str, Any]) -> str:
    if a.get("auc") is None:
        return "n/a"
    ci = a.get("auc_ci95")
    return f"{a['auc']:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def _answerability_markdown(systems: Sequence[Mapping[str, Any]]) -> list[str]:
    """The answerability table: AUC, the operating curve read at fixed false abstention budgets, actual point."""
    if not any("answerability" in s for s in systems):
        return []  # a results.json written before answerability was measured
    budgets = [e["budget"] for e in next(s for s in systems if "answerability" in s)["answerability"]
               .get("at_false_abstention", [])]
    out = ["## Answerability (selector confidence)", "", ANSWERABILITY_NOTE, "",
           "| system | AUC [95% CI] | scored (ans. / unans.) | no confidence | actual recall / FA | " +
           " | ".join(f"recall at FA ≤ {b:.2f}" for b in budgets) + " |",
           "|---|---|---|---|---|" + "---|" * len(budgets)]
    for s in systems:
        a = s.get("answerability")
        if a is None:
            continue
        at = {e["budget"]: e for e in a.get("at_false_abstention", [])}
        out.append(f"| {s['name']} | {_auc_text(a)} | {a['n']} ({a['n_answerable']} / {a['n_unanswerable']}) | "
                   f"{a['missing_confidence']} | {_rate_pair(a.get('operating_point'))} | " +
                   " | ".join(_budget_cell(at.get(b)) for b in budgets) + " |")
    out.append("")
    return out


def _context_note(system: Mapping[str, Any]) -> str:
    """For retrieval-only baselines: how much text the 'answer' (its context) is."""
    if system.get("kind") != "retriever":
        return ""
    chars = system["metrics"].get("answer_chars", {}).get("value")
    return "" if chars is None else f" (mean context {chars:,.0f} characters; @k beyond its list = its full list)"


def _md_cell(text: str) -> str:
    """One table cell: one line, pipes escaped, and no raw HTML for Markdown renderers to interpret."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _short(v: Any) -> str:
    return "–" if v is None else f"{v:.2f}"


def _ms(v: Any) -> str:
    return "n/a" if v is None else f"{v:.1f}"


# == HTML helpers ==========================================================================
def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def highlight(text: str, lo: int, hi: int, marks: Sequence[tuple[int, int, str]]) -> str:
    """Escaped text[lo:hi] with each (start, end, css class) range wrapped in a span."""
    lo, hi = max(0, lo), min(len(text), hi)
    cuts = {lo, hi}
    for s, e, _ in marks:
        if e > lo and s < hi:
            cuts.update((max(lo, s), min(hi, e)))
    pts = sorted(cuts)
    parts = []
    for a, b in zip(pts, pts[1:]):
        if b <= a:
            continue
        classes = sorted({cls for s, e, cls in marks if s <= a and b <= e})
        seg = esc(text[a:b])
        parts.append(f'<span class="{" ".join(classes)}">{seg}</span>' if classes else seg)
    return "".join(parts)


def window(text: str, start: int, end: int, pad: int = 220) -> tuple[int, int]:
    """A context window around [start, end), widened to word boundaries."""
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    while lo > 0 and not text[lo - 1].isspace() and start - lo < pad + 30:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < pad + 30:
        hi += 1
    return lo, hi


def _excerpt(text: str, lo: int, hi: int, marks: Sequence[tuple[int, int, str]]) -> str:
    pre = "… " if lo > 0 else ""
    post = " …" if hi < len(text) else ""
    return f'{pre}{highlight(text, lo, hi, marks)}{post}'


# -- charts -------------------------------------------------------------------------------
def svg_line_chart(title: str, xs: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]],
                   width: int = 520, height: int = 300) -> str:
    """Lines over categorical x, y in [0, 1]; None points are skipped."""
    left, right, top, bottom = 46, 150, 34, 40
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(1, len(xs) - 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<text x="{left}" y="20" class="ct">{esc(title)}</text>']
    for i in range(6):
        y = top + ph - ph * i / 5
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{i / 5:.1f}</text>')
    for j, x in enumerate(xs):
        px = left + j * step
        parts.append(f'<text x="{px:.1f}" y="{top + ph + 18}" class="ax" text-anchor="middle">{esc(x)}</text>')
    for n, (name, ys, color) in enumerate(series):
        pts = [(left + j * step, top + ph - ph * y) for j, y in enumerate(ys) if y is not None]
        if pts:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2.5"/>')
            for (x, y), v in zip(pts, [y for y in ys if y is not None]):
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">'
                             f'<title>{esc(name)}: {v:.3f}</title></circle>')
        ly = top + 12 + n * 20
        parts.append(f'<rect x="{left + pw + 14}" y="{ly - 9}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{left + pw + 32}" y="{ly + 1}" class="lg">{esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_operating_curve(title: str, series: Sequence[tuple[str, Sequence[Mapping[str, float]],
                                                             Mapping[str, Any] | None, str]],
                        budgets: Sequence[float] = M.FALSE_ABSTENTION_BUDGETS, width: int = 520,
                        height: int = 340) -> str:
    """Abstention recall (y) against false abstention rate (x), both in [0, 1], one line per system.

    ``series`` holds (name, curve points, actual operating point or None, color). The actual point is a
    ringed marker; dotted verticals mark the false abstention budgets; the dashed diagonal is chance.
    """
    left, right, top, bottom = 46, 150, 34, 46
    pw, ph = width - left - right, height - top - bottom

    def xy(far: float, rec: float) -> tuple[float, float]:
        return left + pw * max(0.0, min(1.0, far)), top + ph - ph * max(0.0, min(1.0, rec))

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<text x="{left}" y="20" class="ct">{esc(title)}</text>']
    for i in range(6):
        y = top + ph - ph * i / 5
        x = left + pw * i / 5
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{i / 5:.1f}</text>')
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + ph + 16}" class="ax" text-anchor="middle">{i / 5:.1f}</text>')
    for b in budgets:
        x = left + pw * b
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" stroke="#9ca3af" '
                     f'stroke-dasharray="2 3"><title>false abstention {b:.2f}</title></line>')
    parts.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top}" stroke="#d1d5db" '
                 'stroke-dasharray="5 4"><title>chance</title></line>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 8}" class="ax" text-anchor="middle">'
                 'false abstention rate (answerable items abstained on)</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.1f}" class="ax" text-anchor="middle" '
                 f'transform="rotate(-90 12 {top + ph / 2:.1f})">abstention recall</text>')
    for n, (name, curve, actual, color) in enumerate(series):
        if curve:
            d = " ".join("{:.1f},{:.1f}".format(*xy(p["false_abstention_rate"], p["abstention_recall"]))
                         for p in curve)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        if actual and actual.get("abstention_recall") is not None and actual.get("false_abstention_rate") is not None:
            x, y = xy(actual["false_abstention_rate"], actual["abstention_recall"])
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#fff" stroke="{color}" stroke-width="2.5">'
                         f'<title>{esc(name)} actual: abstention recall {actual["abstention_recall"]:.3f} at false '
                         f'abstention {actual["false_abstention_rate"]:.3f}</title></circle>'
                         f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{color}"/>')
        ly = top + 12 + n * 20
        parts.append(f'<rect x="{left + pw + 14}" y="{ly - 9}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{left + pw + 32}" y="{ly + 1}" class="lg">{esc(name)}'
                     f'{"" if curve else " (no scores)"}</text>')
    ly = top + 12 + len(series) * 20
    parts.append(f'<circle cx="{left + pw + 20}" cy="{ly - 3}" r="5" fill="#fff" stroke="#374151" stroke-width="2"/>'
                 f'<text x="{left + pw + 32}" y="{ly + 1}" class="lg">actual operating point</text>')
    parts.append("</svg>")
    return "".join(parts)


def _answerability_html(systems: Sequence[Mapping[str, Any]], colors: Mapping[str, str]) -> str:
    """Answerability table and operating-curve chart; empty for results without answerability."""
    shown = [s for s in systems if "answerability" in s]
    if not shown:
        return ""
    budgets = [e["budget"] for e in shown[0]["answerability"].get("at_false_abstention", [])]
    out = ["<h2>Answerability and the operating curve</h2>",
           f'<p class="meta">{esc(ANSWERABILITY_NOTE.replace("**", ""))}</p>',
           "<table><thead><tr><th>system</th><th>AUC [95% CI]</th><th>scored (ans. / unans.)</th>"
           "<th>no confidence</th><th>actual recall / FA</th>" +
           "".join(f"<th>recall at FA ≤ {b:.2f}</th>" for b in budgets) + "</tr></thead><tbody>"]
    for s in shown:
        a = s["answerability"]
        at = {e["budget"]: e for e in a.get("at_false_abstention", [])}
        out.append(f'<tr><td>{esc(s["name"])}</td><td class="num">{esc(_auc_text(a))}</td>'
                   f'<td class="num">{a["n"]} ({a["n_answerable"]} / {a["n_unanswerable"]})</td>'
                   f'<td class="num">{a["missing_confidence"]}</td>'
                   f'<td class="num">{esc(_rate_pair(a.get("operating_point")))}</td>' +
                   "".join(f'<td class="num">{esc(_budget_cell(at.get(b)))}</td>' for b in budgets) + "</tr>")
    out.append("</tbody></table>")
    out.append('<div class="charts">' + svg_operating_curve(
        "Operating curve: abstention recall vs false abstention",
        [(s["name"], s["answerability"].get("curve", []), s["answerability"].get("operating_point"),
          colors[s["name"]]) for s in shown], budgets) + "</div>")
    return "".join(out)


def svg_hbar_chart(title: str, categories: Sequence[tuple[str, int]],
                   series: Sequence[tuple[str, Sequence[float | None], str]], width: int = 760) -> str:
    """Grouped horizontal bars, values in [0, 1]; categories are (label, n)."""
    left, right, top = 190, 60, 52
    bar, gap = 9, 10
    group = bar * len(series) + gap
    height = top + group * len(categories) + 28
    pw = width - left - right
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<text x="8" y="20" class="ct">{esc(title)}</text>']
    lx = left
    for name, _, color in series:
        parts.append(f'<rect x="{lx}" y="30" width="12" height="12" fill="{color}"/>'
                     f'<text x="{lx + 16}" y="40" class="lg">{esc(name)}</text>')
        lx += 24 + 7 * len(name) + 20
    for i in range(6):
        x = left + pw * i / 5
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 24}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" class="ax" text-anchor="middle">{i / 5:.1f}</text>')
    for c, (label, n) in enumerate(categories):
        y0 = top + c * group
        parts.append(f'<text x="{left - 8}" y="{y0 + group / 2:.1f}" class="ax" text-anchor="end">'
                     f'{esc(label)} (n={n})</text>')
        for s, (name, values, color) in enumerate(series):
            v = values[c]
            y = y0 + s * bar
            if v is None:
                parts.append(f'<text x="{left + 3}" y="{y + bar - 1}" class="na">n/a</text>')
                continue
            w = max(0.0, min(1.0, v)) * pw
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" fill="{color}">'
                         f'<title>{esc(label)} — {esc(name)}: {v:.3f}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def svg_stacked_labels(systems: Sequence[Mapping[str, Any]], width: int = 760) -> str:
    """One horizontal stacked bar of failure labels per system."""
    left, right, top, bar = 120, 20, 30, 22
    height = top + len(systems) * (bar + 10) + 60
    pw = width - left - right
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="Failure labels"><title>Failure labels</title>',
             '<text x="8" y="20" class="ct">Failure labels (share of items)</text>']
    for i, s in enumerate(systems):
        y = top + i * (bar + 10)
        total = sum(s["failures"].values()) or 1
        parts.append(f'<text x="{left - 8}" y="{y + 15}" class="ax" text-anchor="end">{esc(s["name"])}</text>')
        x = float(left)
        for label in M.LABELS:
            n = s["failures"].get(label, 0)
            if not n:
                continue
            w = pw * n / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{LABEL_COLORS[label]}">'
                         f'<title>{esc(s["name"])} — {esc(label)}: {n}</title></rect>')
            if w > 18:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 15}" class="in" text-anchor="middle">{n}</text>')
            x += w
    ly = top + len(systems) * (bar + 10) + 14
    lx = left
    for label in M.LABELS:
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{LABEL_COLORS[label]}"/>'
                     f'<text x="{lx + 16}" y="{ly + 10}" class="lg">{esc(label)}</text>')
        lx += 30 + 6.3 * len(label)
        if lx > width - 120:
            lx, ly = left, ly + 18
    parts.append("</svg>")
    return "".join(parts)


# == HTML page ===============================================================================
CSS = """
:root{--fg:#1f2937;--mut:#6b7280;--line:#e5e7eb;--bg:#f9fafb}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);margin:0;background:#fff}
main{max-width:1140px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.meta{color:var(--mut);font-size:13px}.meta code{font-size:12px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:130px;background:var(--bg)}
.card b{display:block;font-size:22px}.card span{color:var(--mut);font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.num small{color:var(--mut);display:block;font-size:11px}
tr.group td{background:#f3f4f6;font-weight:600;font-size:12px;color:#374151}
td.best{font-weight:700}
.desc{color:var(--mut);font-size:11px;display:block}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.chart{max-width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:8px}
.chart .grid{stroke:#eef0f3}.chart .ax{font-size:11px;fill:#4b5563}.chart .ct{font-size:13px;font-weight:600;fill:#111827}
.chart .lg{font-size:11px;fill:#374151}.chart .na{font-size:9px;fill:#9ca3af}.chart .in{font-size:11px;fill:#fff;font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;color:#fff;white-space:nowrap;line-height:19px}
.tag{display:inline-block;border:1px solid var(--line);border-radius:8px;padding:0 6px;font-size:11px;color:var(--mut);margin-right:3px}
details.item{border:1px solid var(--line);border-radius:8px;margin:6px 0;background:#fff}
details.item>summary{cursor:pointer;padding:7px 10px;list-style:none;display:flex;gap:10px;align-items:baseline}
details.item>summary::-webkit-details-marker{display:none}
details.item>summary .id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:var(--mut);min-width:170px}
details.item>summary .q{flex:1}
details.item[open]>summary{border-bottom:1px solid var(--line);background:var(--bg)}
.body{padding:10px 14px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.box{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:var(--bg)}
.box h4{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--mut)}
.ans{white-space:pre-wrap}
.ctx{font-size:13px;line-height:1.55;background:#fff;border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin:4px 0 8px;white-space:pre-wrap;overflow-wrap:anywhere}
.cite{background:#fde68a}.gold{text-decoration:underline 2px #16a34a;text-underline-offset:3px;background:#dcfce7}
.cite.gold{background:#bbf7d0}
ol.ret{padding-left:22px;margin:4px 0}ol.ret li{margin:4px 0}
.ret .hd{font-size:12px;color:var(--mut)}
.ok{color:#15803d;font-weight:600}.citedp{background:#fde68a;border-radius:4px;padding:0 4px;color:#78350f}.bad{color:#b91c1c;font-weight:600}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.chip{font-size:11px;border:1px solid var(--line);border-radius:6px;padding:0 5px;background:#fff;font-variant-numeric:tabular-nums}
.filters{margin:8px 0;display:flex;flex-wrap:wrap;gap:6px}
.filters button{border:1px solid var(--line);background:#fff;border-radius:14px;padding:2px 10px;cursor:pointer;font-size:12px}
.filters button.on{background:#1f2937;color:#fff}
.legend{font-size:12px;color:var(--mut);margin:4px 0}
.err{color:#b91c1c;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
@media (max-width:800px){.cols{grid-template-columns:1fr}}
"""

JS = """
(function(){
  var buttons=document.querySelectorAll('.filters button[data-f]');
  function apply(f){
    document.querySelectorAll('details.item').forEach(function(d){
      d.style.display=(f==='all'||d.dataset.label===f||(f==='fail'&&d.dataset.label!=='none'))?'':'none';
    });
    buttons.forEach(function(b){b.classList.toggle('on',b.dataset.f===f);});
  }
  buttons.forEach(function(b){b.addEventListener('click',function(){apply(b.dataset.f);});});
  var ex=document.getElementById('expand');
  if(ex){ex.addEventListener('click',function(){
    var open=ex.dataset.open!=='1';ex.dataset.open=open?'1':'0';ex.textContent=open?'collapse all':'expand all';
    document.querySelectorAll('details.item').forEach(function(d){if(d.style.display!=='none')d.open=open;});
  });}
})();
"""


def badge(label: str) -> str:
    color = LABEL_COLORS.get(label, "#374151")
    return f'<span class="badge" style="background:{color}">{esc(label)}</span>'


def _metric_table(systems: Sequence[Mapping[str, Any]]) -> str:
    head = "".join(f"<th>{esc(s['name'])}</th>" for s in systems)
    rows = [f"<table><thead><tr><th>metric</th>{head}</tr></thead><tbody>"]
    described: set[str] = set()
    for title, names in GROUPS:
        rows.append(f'<tr class="group"><td colspan="{len(systems) + 1}">{esc(title)}</td></tr>')
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
                    cells.append('<td class="num">n/a<small>0 items</small></td>')
                    continue
                ci = summ.get("ci95")
                ci_txt = f"[{ci[0]:.2f}, {ci[1]:.2f}] " if ci and name != "answer_chars" else ""
                cls = "num best" if best is not None and v == best else "num"
                cells.append(f'<td class="{cls}">{v:.{_digits(name)}f}<small>{ci_txt}n={summ.get("n", 0)}</small></td>')
            desc = _describe(name)
            desc_html = f'<span class="desc">{esc(desc)}</span>' if desc and desc not in described else ""
            described.add(desc)
            rows.append(f'<tr><td>{esc(name)}{desc_html}</td>{"".join(cells)}</tr>')
    lat = "".join(f'<td class="num">{_ms(s["latency"].get("p50_ms"))} / {_ms(s["latency"].get("p95_ms"))}'
                  f'<small>n={s["latency"].get("n", 0)}</small></td>' for s in systems)
    rows.append(f'<tr class="group"><td colspan="{len(systems) + 1}">Latency (timing; excluded from '
                f'determinism checks)</td></tr><tr><td>latency p50 / p95 (ms)</td>{lat}</tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def _gold_marks(doc: str, evidence: Sequence[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    return [(e["start"], e["end"], "gold") for e in evidence if e["doc"] == doc]


def _item_html(r: Mapping[str, Any], doc_texts: Mapping[str, str], others: Sequence[tuple[str, Mapping]]) -> str:
    gold = r["gold"]
    ev = gold["evidence"]
    ans = r.get("answer") or {}
    m = r["metrics"]
    tags = "".join(f'<span class="tag">{esc(t)}</span>' for t in r["tags"])
    parts = [f'<details class="item" data-label="{esc(r["label"])}" id="item-{esc(r["id"])}">',
             f'<summary>{badge(r["label"])}<span class="id">{esc(r["id"])}</span>'
             f'<span class="q">{esc(r["question"])}</span>{tags}</summary><div class="body">']
    if r.get("history"):
        parts.append('<p class="meta">Earlier turns: ' + " → ".join(f"“{esc(h)}”" for h in r["history"]) + "</p>")
    # gold | system
    gold_box = [f'<div class="box"><h4>Gold answer {"" if gold["answerable"] else "(unanswerable)"}</h4>'
                f'<div class="ans">{esc(gold["answer"]) or "<i>—</i>"}</div>']
    for e in ev:
        rank = r.get("evidence_rank", {}).get(f"{e['doc']}:{e['start']}-{e['end']}")
        found = f'<span class="ok">found at rank {rank}</span>' if rank else '<span class="bad">not retrieved</span>'
        gold_box.append(f'<div class="meta">evidence in <code>{esc(e["doc"])}</code> [{e["start"]}:{e["end"]}] — '
                        f'{found}</div><div class="ctx"><span class="gold">{esc(e["quote"])}</span></div>')
    gold_box.append("</div>")
    if r["status"] == "error":
        sys_inner = f'<div class="err">{esc(r.get("error"))}</div>'
    else:
        sys_inner = f'<div class="meta">{esc(r["status"])}</div><div class="ans">{esc(ans.get("answer", ""))}</div>'
        if ans.get("resolved_question") and ans.get("resolved_question") != r["question"]:
            sys_inner += f'<div class="meta">resolved question: {esc(ans["resolved_question"])}</div>'
        if ans.get("notice"):
            sys_inner += f'<div class="meta">notice: {esc(ans["notice"])}</div>'
    chips = "".join(f'<span class="chip">{esc(k)} {("–" if v is None else f"{v:.2f}" if k != "answer_chars" else int(v))}</span>'
                    for k, v in m.items() if k in ("hit@1", "hit@5", "recall@5", "mrr", "citation_support",
                                                   "citation_precision", "answer_coverage", "token_f1",
                                                   "semantic_similarity") and v is not None)
    lat = r.get("latency_ms")
    if lat is not None:
        chips += f'<span class="chip">latency {lat:.1f} ms</span>'
    parts.append(f'<div class="cols">{"".join(gold_box)}<div class="box"><h4>System answer</h4>{sys_inner}'
                 f'<div class="chips">{chips}</div></div></div>')
    # citations in context
    cites = ans.get("citations") or []
    if cites and r["status"] == "scored":
        parts.append("<h3>Citations in context</h3>")
        for c in cites:
            text = doc_texts.get(c["doc"], "")
            ok = 0 <= c["start"] < c["end"] <= len(text) and text[c["start"]:c["end"]] == c["text"]
            mark = '<span class="ok">offsets verify</span>' if ok else '<span class="bad">offsets do not verify</span>'
            sec = f" › {esc(c['section'])}" if c.get("section") else ""
            parts.append(f'<div class="meta">[{esc(c["n"])}] <code>{esc(c["doc"])}</code>{sec} '
                         f'[{c["start"]}:{c["end"]}] — {mark}</div>')
            if ok and len(text):
                lo, hi = window(text, c["start"], c["end"])
                if c["end"] - c["start"] > 1500:
                    lo, hi = c["start"], c["end"]
                marks = [(c["start"], c["end"], "cite"), *_gold_marks(c["doc"], ev)]
                parts.append(f'<div class="ctx">{_excerpt(text, lo, hi, marks)}</div>')
            else:
                parts.append(f'<div class="ctx">{esc(c.get("text", ""))}</div>')
    # retrieved list
    passages = ans.get("passages") or []
    if passages:
        parts.append(f"<h3>Retrieved passages ({len(passages)} shown to the answerer)</h3><ol class=\"ret\">")
        for p in passages:
            span = (p["doc"], p["start"], p["end"])
            has = [e for e in ev if M.is_inside((e["doc"], e["start"], e["end"]), [span])]
            part = [e for e in ev if M.overlaps(span, (e["doc"], e["start"], e["end"])) and e not in has]
            flag = ('<span class="ok">✓ contains gold evidence</span>' if has else
                    '<span class="ok">◐ part of gold evidence</span>' if part else "")
            cited_here = [c["n"] for c in cites if r["status"] == "scored" and
                          M.overlaps(span, (c["doc"], c["start"], c["end"]))]
            if cited_here:
                flag += ' <span class="citedp">cited ' + " ".join(f"[{n}]" for n in cited_here) + "</span>"
            text = doc_texts.get(p["doc"], "")
            sec = f" › {esc(p['section'])}" if p.get("section") else ""
            head = (f'<div class="hd"><code>{esc(p["doc"])}</code>{sec} [{p["start"]}:{p["end"]}] '
                    f'score {p.get("score", 0):.4f} {flag}</div>')
            if p["start"] >= 0 and text[p["start"]:p["end"]] == p["text"]:
                marks = _gold_marks(p["doc"], ev) + [(c["start"], c["end"], "cite") for c in cites
                                                     if r["status"] == "scored" and c["doc"] == p["doc"]]
                if p["end"] - p["start"] <= 900:
                    body = highlight(text, p["start"], p["end"], marks)
                else:  # a long (e.g. 1024-token) node: show its head and the evidence
                    focus = [e for e in has + part]
                    if focus:
                        lo, hi = window(text, max(p["start"], focus[0]["start"]), min(p["end"], focus[0]["end"]), 300)
                        lo, hi = max(lo, p["start"]), min(hi, p["end"])
                    else:
                        lo, hi = p["start"], p["start"] + 600
                    body = ("… " if lo > p["start"] else "") + highlight(text, lo, hi, marks) + \
                           (f" … <i>({p['end'] - p['start']} characters)</i>" if hi < p["end"] else "")
            else:
                body = esc(p.get("text", ""))
            parts.append(f'<li>{head}<div class="ctx">{body}</div></li>')
        parts.append("</ol>")
    if others:
        parts.append("<h3>Baselines on this item</h3><table><thead><tr><th>system</th><th>label</th>"
                     "<th>hit@5</th><th>coverage</th><th>F1</th><th>answer</th></tr></thead><tbody>")
        for name, o in others:
            om = o["metrics"]
            oans = (o.get("answer") or {}).get("answer", "") if o["status"] != "error" else o.get("error", "")
            oans = " ".join(str(oans).split())
            if len(oans) > 300:
                oans = oans[:300] + "…"
            parts.append(f"<tr><td>{esc(name)}</td><td>{badge(o['label'])}</td><td>{_short(om.get('hit@5'))}</td>"
                         f"<td>{_short(om.get('answer_coverage'))}</td><td>{_short(om.get('token_f1'))}</td>"
                         f"<td>{esc(oans)}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</div></details>")
    return "".join(parts)


def render_html(results: Mapping[str, Any], doc_texts: Mapping[str, str]) -> str:
    cfg = results["config"]
    systems = _systems(results)
    colors = {s["name"]: COLORS[i % len(COLORS)] for i, s in enumerate(systems)}
    c = results["counts"]
    nf = results["metrics"].get("no_failure", {})
    split = cfg["gold"].get("split") or "all"
    out = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
           f"<title>Evaluation report — {esc(results['name'])} — {esc(split)}</title><style>{CSS}</style></head>"
           "<body><main>"]
    out.append(f"<h1>Evaluation report: {esc(results['name'])}</h1>")
    out.append(f'<div class="meta">Gold <code>{esc(cfg["gold"]["path"])}</code> (split {esc(split)}, sha256 '
               f'<code>{esc(cfg["gold"]["sha256"][:12])}</code>) · index <code>{esc(cfg["index"]["path"])}</code> '
               f'(build {esc(cfg["index"]["build_id"])}, content sha256 <code>{esc(cfg["index"]["sha256"][:12])}</code>, '
               f'{esc(cfg["index"]["chunks"])} chunks) · answerer {esc(cfg["answerer"])} · top_k '
               f'{esc(cfg["settings"].get("top_k"))}, @k depth {esc(cfg["retrieval_depth"])} · run '
               f'{esc(results.get("timings", {}).get("started_at", ""))}</div>')
    cards = [
        (c["items"], "items"), (c["scored"], "answered"), (c["abstained"], "abstained"), (c["error"], "errors"),
        (_val(nf), "no failure (share)"),
        (_val(results["metrics"].get("recall@5")), "recall@5"),
        (_val(results["metrics"].get("answer_coverage")), "answer coverage"),
        (_val({"value": results.get("answerability", {}).get("auc")}), "answerability AUC"),
        (f"{_ms(results['latency'].get('p50_ms'))} ms", "latency p50"),
    ]
    out.append('<div class="cards">' + "".join(f"<div class=\"card\"><b>{esc(v)}</b><span>{esc(k)}</span></div>"
                                               for v, k in cards) + "</div>")
    out.append("<h2>Systems side by side</h2><ul>")
    for s in systems:
        out.append(f'<li><b style="color:{colors[s["name"]]}">{esc(s["name"])}</b>: {esc(s["description"])}'
                   f'{esc(_context_note(s))}</li>')
    out.append("</ul><p class=\"meta\">Means with bootstrap 95% confidence intervals (fixed seed) and the number "
               "of items each is computed over; <b>bold</b> marks the best system. n/a means no item qualifies.</p>")
    out.append(_metric_table(systems))
    out.append(_answerability_html(systems, colors))
    # charts
    out.append("<h2>Charts</h2><div class=\"charts\">")
    ks = [f"k={k}" for k in M.KS]
    out.append(svg_line_chart("Evidence recall@k", ks, [
        (s["name"], [s["metrics"].get(f"recall@{k}", {}).get("value") for k in M.KS], colors[s["name"]])
        for s in systems]))
    out.append(svg_line_chart("Evidence hit@k", ks, [
        (s["name"], [s["metrics"].get(f"hit@{k}", {}).get("value") for k in M.KS], colors[s["name"]])
        for s in systems]))
    out.append(svg_stacked_labels(systems))
    tags = [(t, e["n"]) for t, e in results["by_tag"].items() if t not in ("dev", "test")]
    if tags:
        tag_series = [("no failure", "no_failure", "#15803d"), ("recall@5", "recall@5", "#2563eb"),
                      ("answer coverage", "answer_coverage", "#d97706"), ("token F1", "token_f1", "#9333ea")]
        out.append(svg_hbar_chart(f"Scores by tag — {results['name']}", tags, [
            (label, [results["by_tag"][t].get(key, {}).get("value") for t, _ in tags], color)
            for label, key, color in tag_series]))
        if len(systems) > 1:
            out.append(svg_hbar_chart("Share of items with no failure, by tag and system", tags, [
                (s["name"], [s["by_tag"].get(t, {}).get("no_failure", {}).get("value") for t, _ in tags],
                 colors[s["name"]]) for s in systems]))
    out.append("</div>")
    # failures table
    out.append("<h2>Failure labels</h2><table><thead><tr><th>label</th>" +
               "".join(f"<th>{esc(s['name'])}</th>" for s in systems) + "</tr></thead><tbody>")
    for label in M.LABELS:
        out.append(f"<tr><td>{badge(label)}</td>" + "".join(
            f'<td class="num">{s["failures"].get(label, 0)}</td>' for s in systems) + "</tr>")
    out.append("</tbody></table>")
    notes = insights(results)
    if notes:
        out.append(f"<h3>Where {esc(results['name'])} fails</h3><ul>" +
                   "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    out.append('<p class="legend">Labels: <b>retrieval miss</b> — no gold quote inside the retrieved passages; '
               "<b>retrieved but not cited</b> — a retrieved passage held the gold quote but the answer cites other "
               "passages; "
               "<b>wrong citation</b> — an answer without citations, with offsets that do not verify, or citing "
               "the passage that holds the gold quote but quoting another sentence of it; "
               "<b>false abstention</b> — abstained on an answerable item; <b>missed abstention</b> — answered an "
               "unanswerable item; <b>error</b> — the system raised an exception.</p>")
    # items
    out.append(f"<h2>Questions ({len(results['items'])})</h2>")
    present = [label for label in M.LABELS if results["failures"].get(label)]
    out.append('<div class="filters"><button data-f="all" class="on">all</button>'
               '<button data-f="fail">all failures</button>' +
               "".join(f'<button data-f="{esc(label)}">{esc(label)} ({results["failures"][label]})</button>'
                       for label in present) + '<button id="expand">expand all</button></div>')
    out.append('<p class="legend">In the text: <span class="cite">cited span</span> · '
               '<span class="gold">gold evidence</span> · <span class="cite gold">both</span>. '
               'Click a question to open it.</p>')
    by_id = {name: {r["id"]: r for r in s["items"]} for name, s in results.get("baselines", {}).items()}
    for r in results["items"]:
        others = [(name, rows[r["id"]]) for name, rows in by_id.items() if r["id"] in rows]
        out.append(_item_html(r, doc_texts, others))
    out.append(f"<script>{JS}</script></main></body></html>")
    return "\n".join(out)


def write_reports(results: Mapping[str, Any], out: Path, doc_texts: Mapping[str, str]) -> None:
    out = Path(out)
    (out / "report.md").write_text(render_markdown(results), encoding="utf-8")
    (out / "report.html").write_text(render_html(results, doc_texts), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - convenience re-render
    """Re-render the reports of a results.json: python -m eval.report DIR/results.json [--index DIR]."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m eval.report")
    parser.add_argument("results", type=Path)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))
        from ingest.store import _read_jsonl

        docs = {d["id"]: d["text"] for d in _read_jsonl(Path(args.index) / "documents.jsonl")}
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_reports(results, args.results.parent, docs)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
