"""Sentence roles (ingest/roles.py): rules on documents unlike the RAND brief, and on the real index.

The fixtures are small documents of the kinds the corpus will grow into: a
news article with photo captions and credits, a report with a running header,
a citation block and a recurring sub-heading, and Wikipedia-style prose full
of words that look like furniture but are not ("copyright law", "Reuters
reported", "from left to right"). The index checks ask the questions that used
to quote RAND's photo credits and citation block.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ingest.chunker import ChunkerSettings, chunk_document, document_sentences
from ingest.documents import SourceDocument
from ingest.errors import IndexMismatchError
from ingest.index import FORMAT_VERSION, check_compatible
from ingest.roles import (
    NON_ANSWER_ROLES,
    ROLES,
    answerable,
    furniture_chunks,
    heading_role,
    intrinsic_role,
    is_reference_line,
)

if TYPE_CHECKING:
    from assistant import Assistant

ROOT = Path(__file__).resolve().parent.parent

NEWS = """\
Harbor Cleanup Budget Is Approved by City Council

By Dana Whitfield

Home > News > Local

Protesters gather outside City Hall before the vote on Tuesday.
Photo by Jane Doe/Reuters

The council voted 7-2 on Tuesday to approve a $40 million budget for the harbor cleanup.

Mayor Ellen Park said the plan would be paid for by a new port fee. "We cannot wait another decade," she said.

Advertisement

Council members Rafael Ortiz and Mia Chen listen to public comment. (AP Photo/John Smith)

Work on the first phase is expected to begin in March, officials said.

Share this article

© 2024 Example News Company. All rights reserved.
"""

REPORT = """\
Harbor Water Quality Report 2023 | Page 1

Executive Summary

Dissolved oxygen improved at nine of the twelve monitoring stations between 2019 and 2023.

Methods

Samples were taken every two weeks at each station.

Key Findings

Runoff from Upstream Farms Remains the Largest Source of Nitrogen

Nitrogen loads rose by 12 percent after the spring floods.

Harbor Water Quality Report 2023 | Page 2

Methods

Nitrogen was measured with an automated analyser.

Recommendations

  • Expand sampling to weekly intervals
  • Publish station data every month

Figure 3: Dissolved oxygen by station, 2019-2023.

Source: Harbor Monitoring Program

Methods

Stations were chosen to cover every inflow.

Harbor Water Quality Report 2023 | Page 3

Suggested Citation

APA

Alvarez, Maria, and Tom Becker, Harbor Water Quality Report 2023, Example Institute Press, 2023. https://example.org/harbor-2023

The institute thanks the harbor pilots for their help.

For reprints and permissions, contact the institute.
"""

WIKI = """\
Rhine Delta

The Rhine delta is formed where the river reaches the North Sea. Copyright law in the Netherlands was reformed in 1912, when the delta ports grew.

Reuters reported in 2019 that the main bridge over the river would close for repairs. A map of the river was published by Dutch engineers in 1650. The agency licensed the photograph to Getty Images in 2005.

Latin script is written from left to right. Image processing is used to study the river's banks from satellites. Source material for the history comes from the city archives.

Warsaw, Poland, is a city on the Vistula rather than the Rhine, and was founded in the 13th century by the Dukes of Masovia at the University of nothing in particular.
"""


def _doc(text: str, doc_id: str = "fixture") -> SourceDocument:
    return SourceDocument(doc_id=doc_id, path=Path(f"{doc_id}.txt"), format="txt", text=text, sha256="0" * 64)


def _roles(text: str) -> dict[str, str]:
    doc = _doc(text)
    out: dict[str, str] = {}
    for s in document_sentences(doc):
        assert doc.text[s.start:s.end] == s.text  # offsets stay exact
        assert s.role in ROLES
        out.setdefault(" ".join(s.text.split()), s.role)
    return out


def _role_of(roles: dict[str, str], prefix: str) -> str:
    hits = [r for t, r in roles.items() if t.startswith(prefix)]
    assert hits, f"no sentence starts with {prefix!r}; sentences: {list(roles)}"
    return hits[0]


NEWS_CASES = [
    ("Harbor Cleanup Budget Is Approved by City Council", "claim_heading"),
    ("By Dana Whitfield", "label_heading"),  # a byline line reads as a heading; it is not furniture
    ("Home > News > Local", "boilerplate"),
    ("Protesters gather outside City Hall", "caption"),
    ("Photo by Jane Doe/Reuters", "credit"),
    ("The council voted 7-2", "body"),
    ("Mayor Ellen Park said", "body"),
    ("Advertisement", "boilerplate"),
    ("Council members Rafael Ortiz and Mia Chen listen", "caption"),
    ("Work on the first phase", "body"),
    ("Share this article", "boilerplate"),
    ("© 2024 Example News Company.", "boilerplate"),
]

REPORT_CASES = [
    ("Harbor Water Quality Report 2023 | Page 1", "boilerplate"),
    ("Harbor Water Quality Report 2023 | Page 3", "boilerplate"),
    ("Executive Summary", "label_heading"),
    ("Dissolved oxygen improved", "body"),
    ("Methods", "label_heading"),  # recurs three times, but as a sub-section heading with a body each time
    ("Runoff from Upstream Farms Remains", "claim_heading"),
    ("Nitrogen loads rose", "body"),
    ("Expand sampling to weekly intervals", "list_item"),
    ("Figure 3: Dissolved oxygen by station", "caption"),
    ("Source: Harbor Monitoring Program", "credit"),
    ("Stations were chosen", "body"),
    ("Suggested Citation", "boilerplate"),
    ("APA", "boilerplate"),
    ("Alvarez, Maria, and Tom Becker", "boilerplate"),
    ("The institute thanks the harbor pilots", "boilerplate"),  # under the citation heading
    ("For reprints and permissions", "boilerplate"),
]


@pytest.mark.parametrize("prefix,role", NEWS_CASES)
def test_news_article_roles(prefix: str, role: str) -> None:
    assert _role_of(_roles(NEWS), prefix) == role


@pytest.mark.parametrize("prefix,role", REPORT_CASES)
def test_report_roles(prefix: str, role: str) -> None:
    assert _role_of(_roles(REPORT), prefix) == role


def test_wikipedia_like_prose_is_all_body() -> None:
    roles = _roles(WIKI)
    assert roles.pop("Rhine Delta") == "label_heading"
    assert set(roles.values()) == {"body"}, {t: r for t, r in roles.items() if r != "body"}
    assert len(roles) == 9


SQUAD = ROOT.parent / "shared" / "data" / "squad2-dev-12" / "corpus"


@pytest.mark.skipif(not SQUAD.is_dir(), reason="SQuAD articles not present")
def test_squad_wikipedia_articles_are_body_apart_from_their_title() -> None:
    for path in sorted(SQUAD.glob("*.txt"))[:4]:
        sentences = document_sentences(_doc(path.read_text(encoding="utf-8"), path.stem))
        other = [(s.role, s.text[:60]) for s in sentences if s.role not in ("body", "label_heading")]
        assert not other, f"{path.name}: {other}"
        assert sum(s.role == "body" for s in sentences) >= 0.99 * len(sentences) - 1


RAND_CASES = [
    ("A map that shows the approximate borders", "caption"),
    ("Approximate Borders in South and Central Asia as of 1914", "caption"),
    ("A black and white photo of the Potsdam Conference", "caption"),
    ("The Potsdam Conference left to right:", "caption"),
    ("Photo by Keystone Press/Alamy Stock Photo", "credit"),
    ("Richard Nixon and Leonidas Breznev shake hands.", "caption"),
    ("Photo by Album/Alamy Stock Photo", "credit"),
    ("Barack Obama and Russian President Dmitry Medvedev sign", "caption"),
    ("Cover: What Should Future", "caption"),
    ("Available for Download", "boilerplate"),
    ("Topics", "boilerplate"),
    ("RAND Style Manual", "boilerplate"),
    ("Priebe, Miranda, Bryan Frederick", "boilerplate"),
    ("Santa Monica, CA: RAND Corporation, 2023.", "boilerplate"),
    ("https://www.rand.org/pubs/research_briefs/RBA1862-1.html.", "boilerplate"),
    ("BibTeX RIS", "boilerplate"),
    ("This document and trademark(s) contained herein", "boilerplate"),
    ("Permission is required from RAND", "boilerplate"),
    ("Research SummaryPublished May 17, 2023", "label_heading"),
    ("Benefits and Costs", "label_heading"),
    ("Examples", "label_heading"),
    ("Use force against a rival", "list_item"),
    ("A Future Less-Hardline U.S. Approach to Russia of Limited Scope Could Still Lead", "claim_heading"),
    ("Analysts Should Generate and Compare Options", "claim_heading"),
    ("Potential Effects of Future Less-Hardline Approaches", "label_heading"),
    ("After Nazi Germany's defeat", "body"),
    ("Miranda Priebe, Bryan Frederick", "body"),  # the byline: catalog answers cite it
]


@pytest.mark.parametrize("prefix,role", RAND_CASES)
def test_rand_brief_roles(prefix: str, role: str) -> None:
    text = (ROOT / "corpus" / "rand-russia-less-hardline.txt").read_text(encoding="utf-8")
    assert _role_of(_roles(text), prefix) == role


@pytest.mark.parametrize("text,role", [
    ("Photo by Jim Young/Alamy Stock Photo", "credit"),
    ("Image: NASA", "credit"),
    ("Credit: Jane Doe", "credit"),
    ("Courtesy of the Smithsonian Institution", "credit"),
    ("Jane Doe/Getty Images", "credit"),
    ("(AP Photo/Evan Vucci)", "credit"),
    ("© Jane Doe", "credit"),
    ("Copyright © 2021 Example Press", "boilerplate"),
    ("All rights reserved.", "boilerplate"),
    ("https://example.org/report.pdf", "boilerplate"),
    ("Accessed March 3, 2024: https://example.org/a", "boilerplate"),
    ("Chicago Manual of Style", "boilerplate"),
    ("Table 2. Budget by year", "caption"),
    ("Fig. 4: Flow at the gauge", "caption"),
    ("A photo of the delegates with the mayor", "caption"),
    ("Delegates pose for a photo (from left): A, B and C.", "caption"),
    ("Getty Images is a photo agency based in Seattle.", None),
    ("Copyright law protects original works.", None),
    ("The text is read from left to right.", None),
    ("A photograph of the ship was printed in 1912.", None),
    ("The council approved the budget.", None),
])
def test_intrinsic_rules(text: str, role: str | None) -> None:
    assert intrinsic_role(text) == role


@pytest.mark.parametrize("text,role", [
    ("Sanctions Alone Will Not Deter Russia", "claim_heading"),
    ("What Is a Less-Hardline Approach?", "label_heading"),
    ("Benefits and Costs", "label_heading"),
    ("Published May 17, 2023", "label_heading"),
])
def test_heading_roles(text: str, role: str) -> None:
    assert heading_role(text) == role


def test_reference_lines() -> None:
    assert is_reference_line("Smith, John, and Ann Lee, River Systems, Example University Press, 2019.")
    assert not is_reference_line("Warsaw, Poland, is home to the University of Warsaw, founded in 1816.")


def test_furniture_never_shares_a_chunk_with_body() -> None:
    for text in (NEWS, REPORT, (ROOT / "corpus" / "rand-russia-less-hardline.txt").read_text(encoding="utf-8")):
        doc = _doc(text)
        chunks, sentences = chunk_document(doc, ChunkerSettings(128), lambda xs: [len(x.split()) for x in xs])
        for c in chunks:
            kinds = {sentences[i].role in NON_ANSWER_ROLES for i in range(*c.sentences)}
            assert len(kinds) == 1, c.text[:80]
            assert doc.text[c.start:c.end] == c.text


def test_old_index_format_is_refused_with_the_rebuild_hint() -> None:
    assert FORMAT_VERSION >= 3
    manifest = {"format_version": 2, "embedder": {"name": "m", "dimension": 384}}
    with pytest.raises(IndexMismatchError, match="Rebuild it with"):
        check_compatible(Path("index"), manifest, "m", 384)


# --- the real index -------------------------------------------------------------------------

def _sentences(index: Path) -> list[dict]:
    return [json.loads(line) for line in (index / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]


def test_index_stores_a_role_for_every_sentence(shipped_index: Path) -> None:
    rows = _sentences(shipped_index)
    assert all(r["role"] in ROLES for r in rows)
    by_text = {r["text"]: r["role"] for r in rows}
    assert by_text["Photo by Album/Alamy Stock Photo"] == "credit"
    assert by_text["The Potsdam Conference left to right: Joseph Stalin, Harry Truman, Winston Churchill."] == "caption"
    assert by_text["RAND Style Manual"] == "boilerplate"
    assert {r["role"] for r in rows if r["doc"] == "oped-russia-incentives"} == {"body"}


FURNITURE_WORDS = ("Alamy", "Stock Photo", "Style Manual", "BibTeX", "left to right", "Permission is required")
QUESTIONS = [
    "Summarize the RAND brief",
    "Who took the photo?",
    "What is the Potsdam Conference?",
    "Who is in the Potsdam Conference photo, left to right?",
    "Who took the photo of Richard Nixon and Brezhnev shaking hands?",
    "How do I cite the RAND brief in Chicago style?",
    "Who is allowed to reproduce RAND documents?",
    "What did Obama and Medvedev sign?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_furniture_is_never_quoted_nor_a_passage(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    sentences = assistant.data.sentences
    rows = {(s.doc, s.start): s for s in sentences}
    for c in answer.citations:
        assert c.role not in NON_ANSWER_ROLES, (question, c.text)
        assert rows[(c.doc, c.start)].role == c.role
    hidden = furniture_chunks(assistant.data.chunks, sentences)
    for p in answer.passages:
        assert p.chunk not in hidden
        assert not any(w in p.text for w in FURNITURE_WORDS), (question, p.text[:120])


def test_caption_found_by_sentence_search_is_still_not_a_candidate(assistant: Assistant) -> None:
    """The nearest-sentence search does find the Potsdam caption; the role filter is what keeps it out."""
    found = assistant.retrieve("The Potsdam Conference left to right: Joseph Stalin, Harry Truman, Winston Churchill",
                               None, 12)
    sentences = assistant.data.sentences
    assert any(not answerable(sentences[r]) for r in found.sentence_rows)
    scored = assistant.decide(found)
    assert all(answerable(sentences[s.row]) for s in scored.sentences)
    assert all(h.row not in assistant.retriever.furniture for h in found.hits)


def test_json_shows_the_role(shipped_index: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", "What were the core principles of the reset?",
                          "--json", "--index", str(shipped_index)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    answer = json.loads(out.stdout)
    assert answer["citations"], answer
    assert all(c["role"] == "body" for c in answer["citations"])
