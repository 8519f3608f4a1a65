"""Heading detection and section paths on the RAND brief."""
from __future__ import annotations

import json
from pathlib import Path

from ingest.structure import SEP, assign_sections, blocks_of, looks_like_heading

ROOT = Path(__file__).resolve().parent.parent
RAND = (ROOT / "corpus" / "rand-russia-less-hardline.txt").read_text(encoding="utf-8")

CASES = [
    "Case Study 1: Anglo-Russian Negotiations over Central Asia (1899–1914)",
    "Case Study 2: U.S.-Soviet Negotiations on the Post–World War II Order (1945–1946)",
    "Case Study 3: U.S.-Soviet Détente (1969–1975)",
    "Case Study 4: U.S.-Russia Reset (2009–2013)",
]
SUBSECTIONS = ["Key Components of the Less-Hardline Approach", "Benefits and Costs", "Long-Term Outcomes"]


def _heading_paths() -> list[tuple[str, ...]]:
    blocks = blocks_of(RAND, None)
    paths = assign_sections(RAND, blocks, explicit=False)
    return [p for b, p in zip(blocks, paths) if b.kind == "heading"]


def test_all_four_case_studies_and_their_subsections() -> None:
    paths = _heading_paths()
    for case in CASES:
        assert (case,) in paths
        for sub in SUBSECTIONS:
            assert (case, sub) in paths, f"missing {case}{SEP}{sub}"


def test_benefits_and_costs_occurs_four_times_under_different_cases() -> None:
    parents = [p[0] for p in _heading_paths() if p[-1] == "Benefits and Costs"]
    assert parents == CASES


def test_findings_and_recommendations_nest_under_their_heading() -> None:
    paths = _heading_paths()
    recs = [p for p in paths if p[0] == "Recommendations" and len(p) == 2]
    assert len(recs) == 5
    findings = [p for p in paths if p[0].startswith("Potential Effects of Future") and len(p) == 2]
    assert len(findings) == 6


def test_chunk_section_paths_in_the_index(shipped_index: Path) -> None:
    chunks = [json.loads(line) for line in (shipped_index / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = {SEP.join(c["section"]) for c in chunks}
    assert "Case Study 3: U.S.-Soviet Détente (1969–1975) › Benefits and Costs" in labels
    for case in CASES:
        assert any(label.startswith(case) for label in labels)


def test_heading_shapes() -> None:
    assert looks_like_heading("Benefits and Costs")
    assert looks_like_heading("What Is a Less-Hardline Approach?")
    assert not looks_like_heading("This is a sentence.")
    assert not looks_like_heading("  • Use force against a rival or its proxies")
    assert not looks_like_heading("Photo by Album/Alamy Stock Photo")
    assert not looks_like_heading(
        "State seeks to advance its peacetime interests through a cooperative or accommodating approach"
    )


def test_bullet_items_are_cited_without_their_bullet(shipped_index: Path) -> None:
    sents = [json.loads(line) for line in (shipped_index / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    items = [s for s in sents if s["text"].startswith("Reduce the costs associated with hardline approaches")]
    assert items, "bullet item not found as its own sentence"
    assert not any(s["text"].lstrip().startswith(("•", "-")) for s in sents)


def test_captions_do_not_become_sections(shipped_index: Path) -> None:
    chunks = [json.loads(line) for line in (shipped_index / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not any("Potsdam" in part for c in chunks for part in c["section"])
