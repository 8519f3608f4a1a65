"""The offset property: every stored chunk and sentence is an exact slice of its document."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.build import build_index
from ingest.config import load_settings
from ingest.index import load_index

from formats import WRITERS

ROOT = Path(__file__).resolve().parent.parent


def _records(index: Path) -> tuple[list[dict], list[dict], dict[str, str]]:
    chunks = [json.loads(line) for line in (index / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    sents = [json.loads(line) for line in (index / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = {d["id"]: d["text"] for d in map(json.loads, (index / "documents.jsonl").read_text(encoding="utf-8").splitlines())}
    return chunks, sents, docs


def test_every_chunk_and_sentence_slices_the_shipped_files(shipped_index: Path) -> None:
    chunks, sents, _ = _records(shipped_index)
    files = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt")}
    assert set(files) == {c["doc"] for c in chunks}
    assert len(chunks) > 20 and len(sents) > len(chunks)
    for rec in chunks + sents:
        assert files[rec["doc"]][rec["start"]:rec["end"]] == rec["text"], rec


def test_chunks_never_split_a_sentence(shipped_index: Path) -> None:
    chunks, sents, _ = _records(shipped_index)
    for c in chunks:
        a, b = c["sentences"]
        inside = sents[a:b]
        assert inside and inside[0]["start"] == c["start"] and inside[-1]["end"] == c["end"]
        assert all(s["chunk"] == c["id"] for s in inside)


def test_chunks_respect_the_token_budget(shipped_index: Path) -> None:
    from ingest.embedder import count_tokens

    data = load_index(shipped_index, "sentence-transformers/all-MiniLM-L6-v2", 384)
    budget = data.manifest["chunker"]["chunk_tokens"]
    for c in data.chunks:
        a, b = c.sentences
        # Only a single over-long sentence may exceed the budget: never split mid-sentence.
        assert b - a == 1 or sum(count_tokens([s.text for s in data.sentences[a:b]])) <= budget


@pytest.fixture(scope="module")
def format_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("formats")
    corpus = base / "corpus"
    corpus.mkdir()
    for ext, write in WRITERS.items():
        write(corpus / f"sample-{ext.strip('.')}{ext}")
    index = base / "index"
    build_index(load_settings(corpus_dir=corpus, index_dir=index))
    return index


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx", "pdf"])
def test_offsets_verify_in_every_format(format_index: Path, fmt: str) -> None:
    chunks, sents, docs = _records(format_index)
    doc_id = f"sample-{fmt}"
    text = docs[doc_id]
    mine = [r for r in chunks + sents if r["doc"] == doc_id]
    assert mine, f"nothing indexed for {fmt}"
    for rec in mine:
        assert text[rec["start"]:rec["end"]] == rec["text"]
    assert any("1907" in s["text"] for s in sents if s["doc"] == doc_id)
    sections = {tuple(c["section"]) for c in chunks if c["doc"] == doc_id}
    assert any("Outcomes" in path for path in sections), sections


def test_text_formats_offsets_point_into_the_file_itself(format_index: Path) -> None:
    chunks, _, _ = _records(format_index)
    corpus = format_index.parent / "corpus"
    for fmt in ("txt", "md"):
        raw = (corpus / f"sample-{fmt}.{fmt}").read_text(encoding="utf-8")
        for c in (c for c in chunks if c["doc"] == f"sample-{fmt}"):
            assert raw[c["start"]:c["end"]] == c["text"]


def test_pdf_chunks_know_their_page(format_index: Path) -> None:
    chunks, _, _ = _records(format_index)
    pages = {c["page"] for c in chunks if c["doc"] == "sample-pdf"}
    assert pages == {1, 2}


def test_catalog_title_or_first_heading(format_index: Path, shipped_index: Path) -> None:
    data = load_index(shipped_index, "sentence-transformers/all-MiniLM-L6-v2", 384)
    assert data.documents["oped-russia-incentives"].title == "With sanctions, let's offer Russia incentives, too"
    assert data.documents["rand-russia-less-hardline"].meta["authors"][0] == "Miranda Priebe"
    uncatalogued = load_index(format_index, "sentence-transformers/all-MiniLM-L6-v2", 384)
    assert uncatalogued.documents["sample-md"].title == "Sample Report"
