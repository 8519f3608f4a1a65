"""The gold set: exact quotes, unique ids, coverage of the issue's categories, a clean split; loader errors."""
from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from eval.quality.gold import GoldError, load_gold

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
CORPUS = ROOT / "corpus"


def corpus_texts() -> dict[str, str]:
    catalog = tomllib.loads((CORPUS / "catalog.toml").read_text(encoding="utf-8"))
    out = {}
    for entry in catalog["document"]:
        out[entry["id"]] = (CORPUS / entry["file"]).read_text(encoding="utf-8")
    for path in CORPUS.glob("*.txt"):  # id = file name without extension
        out.setdefault(path.stem, path.read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def items():
    return load_gold(GOLD)


def test_ids_are_unique_in_the_raw_file():
    ids = [json.loads(line)["id"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate gold ids: {dupes}"


def test_every_quote_is_an_exact_substring_of_its_document(items):
    texts = corpus_texts()
    problems = []
    for item in items:
        for ev in item.evidence:
            if ev.doc not in texts:
                problems.append(f"{item.id}: unknown document {ev.doc!r}")
            elif not ev.quote.strip():
                problems.append(f"{item.id}: empty quote")
            elif ev.quote not in texts[ev.doc]:
                problems.append(f"{item.id}: quote not in {ev.doc}: {ev.quote[:60]!r}")
    assert not problems, "\n".join(problems)


def test_size_split_and_labels(items):
    assert len(items) >= 80
    for item in items:
        assert (item.split in ("dev", "test")) and not {"dev", "test"} <= set(item.tags), item.id
        if item.answerable:
            assert item.evidence and item.answer.strip(), f"{item.id}: answerable items need evidence and an answer"
        else:
            assert not item.evidence, f"{item.id}: an unanswerable item cannot have evidence"
    dev = {i.id for i in items if i.split == "dev"}
    test = {i.id for i in items if i.split == "test"}
    assert dev and test and not dev & test
    assert len(load_gold(GOLD, "dev")) == len(dev) and len(load_gold(GOLD, "test")) == len(test)


def test_covers_the_required_categories(items):
    tags = Counter(t for i in items for t in i.tags)
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) >= 15
    assert any("off-topic" in i.tags for i in unanswerable) and any("near-topic" in i.tags for i in unanswerable)
    for tag in ("fact", "date", "number", "list", "why", "how", "case-study-1", "case-study-2", "case-study-3",
                "case-study-4", "findings", "recommendations", "metadata", "cross-doc", "followup",
                "misspelled", "lowercase"):
        assert tags[tag] >= 1, f"no gold item tagged {tag!r}"
    assert any(i.history for i in items), "follow-ups need history"
    cross = [i for i in items if "cross-doc" in i.tags and i.answerable]
    assert any(len({e.doc for e in i.evidence}) == 2 for i in cross), "a cross-doc item must cite both documents"
    assert {e.doc for i in items for e in i.evidence} == set(corpus_texts())


# -- loader errors ---------------------------------------------------------------------------
GOOD = {"id": "a", "question": "q?", "answer": "x", "answerable": True,
        "evidence": [{"doc": "d", "quote": "x"}], "tags": ["dev"], "history": []}


@pytest.mark.parametrize("lines, message", [
    (["{not json"], "line 1: not valid JSON"),
    ([json.dumps(GOOD), json.dumps(GOOD)], "already used on line 1"),
    ([json.dumps([1, 2])], "expected a JSON object"),
    ([json.dumps({**GOOD, "id": ""})], "'id' must be a non-empty string"),
    ([json.dumps({**GOOD, "question": None})], "'question' must be a non-empty string"),
    ([json.dumps({**GOOD, "answerable": "yes"})], "'answerable' must be true or false"),
    ([json.dumps({**GOOD, "evidence": [{"doc": "d"}]})], "evidence needs string 'doc' and 'quote'"),
    ([json.dumps({**GOOD, "tags": ["dev", 3]})], "must be lists of strings"),
    (["", "   "], "no gold items"),
])
def test_load_gold_errors(tmp_path, lines, message):
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_gold(path)


def test_load_gold_missing_file_and_empty_split(tmp_path):
    with pytest.raises(GoldError, match="cannot read gold file"):
        load_gold(tmp_path / "nope.jsonl")
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="no gold items in split 'test'"):
        load_gold(path, "test")
    assert [i.id for i in load_gold(path, "dev")] == ["a"]
