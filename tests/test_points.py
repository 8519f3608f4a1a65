"""Point metrics (eval/quality/points.py), table-driven."""
from __future__ import annotations

from typing import Any

import pytest

from eval.quality.points import Point, SectionIndex, documents_cited, item_points, point_coverage, point_precision
from ingest.index import SentenceRecord

A = Point("d", 0, 10, "Findings")
B = Point("d", 20, 30, "Findings")
C = Point("d", 40, 50, "Recommendations")
X = Point("e", 0, 10, "")

COVERAGE = [
    ([A, B], [A, B], 1.0),
    ([A, B], [A], 0.5),
    ([A, B], [Point("d", 5, 15, "Findings")], 0.5),  # overlap counts
    ([A, B], [Point("d", 10, 20, "Findings")], 0.0),  # touching is not overlapping
    ([A, B], [], 0.0),
    ([], [A], None),
    ([A], [Point("e", 0, 10, "Findings")], 0.0),  # same offsets, other document
]
PRECISION = [
    ([A], [A], 1.0),
    ([A], [A, B], 1.0),  # B: same section as A
    ([A], [A, C], 0.5),  # C: another section
    ([A], [X], 0.0),
    ([A], [], None),
    ([], [A], None),
]
DOCS = [
    ([A, X], [A, X], 1.0),
    ([A, X], [B], 0.0),
    ([A], [B], 1.0),  # any citation of the document counts
    ([], [A], None),
]


@pytest.mark.parametrize(("expected", "cited", "value"), COVERAGE)
def test_point_coverage(expected: list[Point], cited: list[Point], value: float | None) -> None:
    assert point_coverage(expected, cited) == value


@pytest.mark.parametrize(("expected", "cited", "value"), PRECISION)
def test_point_precision(expected: list[Point], cited: list[Point], value: float | None) -> None:
    assert point_precision(expected, cited) == value


@pytest.mark.parametrize(("expected", "cited", "value"), DOCS)
def test_documents_cited(expected: list[Point], cited: list[Point], value: float | None) -> None:
    assert documents_cited(expected, cited) == value


# SectionIndex reads the index's typed sentence records; only doc, start and section matter here.
SENTENCES = [
    SentenceRecord("d", 0, 10, "", ("Findings",), heading=False),
    SentenceRecord("d", 20, 30, "", ("Findings", "A Claim"), heading=False),
    SentenceRecord("d", 40, 50, "", ("Recommendations",), heading=False),
]


@pytest.mark.parametrize(("offset", "section"), [(0, "Findings"), (25, "Findings"), (45, "Recommendations"),
                                                 (100, "Recommendations")])
def test_section_index_uses_top_level_sections(offset: int, section: str) -> None:
    assert SectionIndex(SENTENCES).section_of("d", offset) == section


ROWS = [
    # (tags, status, citations, expected metrics)
    (["overview", "dev"], "scored", [{"doc": "d", "start": 0, "end": 10}],
     {"point_coverage": 0.5, "point_precision": 1.0, "documents_cited": None}),
    (["list", "test"], "abstained", [],
     {"point_coverage": 0.0, "point_precision": None, "documents_cited": None}),
    (["comparison", "dev"], "scored", [{"doc": "d", "start": 40, "end": 50}],
     {"point_coverage": None, "point_precision": None, "documents_cited": 1.0}),
    (["fact", "dev"], "scored", [{"doc": "d", "start": 0, "end": 10}],
     {"point_coverage": None, "point_precision": None, "documents_cited": None}),
]


@pytest.mark.parametrize(("tags", "status", "citations", "expected"), ROWS)
def test_item_points(tags: list[str], status: str, citations: list[dict[str, Any]],
                     expected: dict[str, float | None]) -> None:
    evidence = [("d", 0, 10), ("d", 20, 30)]
    assert item_points(tags, evidence, {"citations": citations}, status, SectionIndex(SENTENCES)) == expected
