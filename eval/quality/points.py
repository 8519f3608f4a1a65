"""Point metrics for overview, list, recommendation and comparison items (eval/gold_overview.jsonl).

A factoid item has one piece of evidence; an overview item has several
expected *points*, each an evidence quote ("the five recommendations", "the
four benefits"). Two questions matter for such answers:

- point coverage: of the expected points, the share the answer cites (a
  citation covers a point when its span overlaps the point's span);
- point precision: of the answer's citations, the share that are an expected
  point or lie in the same section as one. Same-section counts because a
  summary may quote a different sentence of the right part of a document;
  a citation from elsewhere (a neighbouring list, a caption) does not. The
  section is the top-level heading (`top_section`); a document without
  headings is one section, so precision there only guards the document.

Comparison items add documents cited: 1.0 when the answer cites every
document that holds an expected point.

All functions here are pure; `add_point_metrics` attaches them to an eval run
(eval/run.py calls it once per system) with the same bootstrap CIs as the
other metrics.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.index import SentenceRecord

from . import metrics as M

POINT_TAGS = ("overview", "list", "recommendation")
COMPARISON_TAG = "comparison"
METRICS = ("point_coverage", "point_precision", "documents_cited")


@dataclass(frozen=True)
class Point:
    """A span of a document and the section (heading path) it sits in."""

    doc: str
    start: int
    end: int
    section: str = ""

    def overlaps(self, other: Point) -> bool:
        return self.doc == other.doc and min(self.end, other.end) > max(self.start, other.start)


def point_coverage(expected: Sequence[Point], cited: Sequence[Point]) -> float | None:
    """Share of expected points that some citation overlaps; None without expected points."""
    if not expected:
        return None
    return M.rounded(sum(any(p.overlaps(c) for c in cited) for p in expected) / len(expected))


def point_precision(expected: Sequence[Point], cited: Sequence[Point]) -> float | None:
    """Share of citations that overlap an expected point or share its document section; None without citations."""
    if not cited or not expected:
        return None
    sections = {(p.doc, p.section) for p in expected}
    good = sum(any(c.overlaps(p) for p in expected) or (c.doc, c.section) in sections for c in cited)
    return M.rounded(good / len(cited))


def documents_cited(expected: Sequence[Point], cited: Sequence[Point]) -> float | None:
    """1.0 when every document holding an expected point is cited at least once; None without points."""
    if not expected:
        return None
    return 1.0 if {p.doc for p in expected} <= {c.doc for c in cited} else 0.0


def top_section(path: Sequence[str]) -> str:
    """The section a point belongs to: its top-level heading. Findings or recommendations stated as
    sub-headings share their parent ("Recommendations"); two lists under different headings
    ("Potential Benefits", "Potential Costs and Risks") do not."""
    return path[0] if path else ""


class SectionIndex:
    """The (top-level) section of any document offset, from the index's sentence records."""

    def __init__(self, sentences: Iterable[SentenceRecord]) -> None:
        by_doc: dict[str, list[tuple[int, str]]] = {}
        for s in sentences:
            by_doc.setdefault(s.doc, []).append((s.start, top_section(list(s.section))))
        self._starts = {d: [a for a, _ in sorted(v)] for d, v in by_doc.items()}
        self._paths = {d: [p for _, p in sorted(v)] for d, v in by_doc.items()}

    def section_of(self, doc: str, offset: int) -> str:
        starts = self._starts.get(doc)
        if not starts:
            return ""
        i = bisect.bisect_right(starts, offset) - 1
        return self._paths[doc][max(i, 0)]

    def point(self, doc: str, start: int, end: int) -> Point:
        return Point(doc, start, end, self.section_of(doc, start))


def item_points(tags: Sequence[str], evidence: Sequence[M.Span], answer: Mapping[str, Any] | None, status: str,
                sections: SectionIndex) -> dict[str, float | None]:
    """The three point metrics of one result row (all None for items without a point tag).

    An abstention or error on a point item scores 0 coverage and 0 documents cited; precision
    is undefined there (nothing was cited).
    """
    out: dict[str, float | None] = {name: None for name in METRICS}
    is_points = any(t in POINT_TAGS for t in tags)
    is_comparison = COMPARISON_TAG in tags
    if not (is_points or is_comparison) or not evidence:
        return out
    expected = [sections.point(d, s, e) for d, s, e in evidence]
    cites = (answer or {}).get("citations") or [] if status == "scored" else []
    cited = [sections.point(str(c.get("doc")), int(c.get("start", -1)), int(c.get("end", -1))) for c in cites]
    if is_points:
        out["point_coverage"] = point_coverage(expected, cited)
        out["point_precision"] = point_precision(expected, cited)
    if is_comparison:
        out["documents_cited"] = documents_cited(expected, cited)
    return out


def add_point_metrics(output: MutableMapping[str, Any], evidence: Mapping[str, Sequence[M.Span]],
                      sections: SectionIndex, resamples: int) -> None:
    """Score every row of one system's output and add the summaries (value, ci95, n) to its metrics,
    plus a per-intent breakdown under output["points"]. Rows without point tags are left as they are."""
    rows = output.get("items") or []
    for row in rows:
        values = item_points(row.get("tags") or [], evidence.get(row["id"], []), row.get("answer"),
                             row.get("status", ""), sections)
        if any(v is not None for v in values.values()):
            row["metrics"].update(values)
    metrics = output.setdefault("metrics", {})
    for name in METRICS:
        metrics[name] = M.summarise(name, [r["metrics"].get(name) for r in rows], resamples)
    output["points"] = {
        tag: {name: M.summarise(f"{name}:{tag}", [r["metrics"].get(name) for r in rows if tag in r.get("tags", [])],
                                resamples) for name in METRICS}
        for tag in (*POINT_TAGS, COMPARISON_TAG) if any(tag in r.get("tags", []) for r in rows)
    }


def summary_lines(results: Mapping[str, Any]) -> list[str]:
    """Lines for the run's console summary (nothing when the gold set has no point items)."""
    points = results.get("points") or {}
    if not points:
        return []
    lines = []
    for name in METRICS:
        s = results.get("metrics", {}).get(name)
        if s and s.get("n"):
            lines.append(f"{name:22}{M.fmt(s)}")
    for tag, by_name in points.items():
        parts = [f"{name} {M.fmt(s)}" for name, s in by_name.items() if s.get("n")]
        lines.append(f"  {tag}: " + "; ".join(parts))
    return lines
