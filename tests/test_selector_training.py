"""Selector training tools: the name/number swap that makes unanswerable questions (eval/selector/augment.py)
and the read-only evaluation of a model folder (eval/selector/evaluate.py)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from eval.selector import data as D
from eval.selector.augment import augment, swap_one


def _cand(text: str, label: int, rank: int = 0) -> D.Candidate:
    return D.Candidate(row=rank, text=f"Title › Section: {text}", label=label, heuristic=1.0, dense=0.5,
                       lexical=0.5, rank=rank)


def _example(question: str, positive: str, others: list[str], answerable: bool = True) -> D.Example:
    cands = [_cand(positive, int(answerable), 0)] + [_cand(t, 0, i + 1) for i, t in enumerate(others)]
    return D.Example("q1", "Article", question, answerable, cands)


@pytest.mark.parametrize("question, positive, others, expect", [
    # a shared name is swapped for a name from another candidate that the positive lacks
    ("When did Murray build Salamanca?", "Murray built Salamanca in 1812.", ["Watt improved the engine."],
     {"When did Watt build Salamanca?", "When did Murray build Watt?"}),
    # a shared number is swapped only for a number
    ("What happened in 1812?", "In 1812 the engine ran.", ["In 1765 Watt had an idea."], {"What happened in 1765?"}),
    # nothing shared with the positive: no swap
    ("What is the capital?", "Paris is large.", ["Berlin is large."], None),
    # no replacement of the same kind: no swap
    ("What happened in 1812?", "In 1812 the engine ran.", ["Watt had an idea."], None),
    # the title prefix never counts as a shared name
    ("Who wrote Section?", "Someone wrote it.", ["Watt wrote it."], None),
])
def test_swap_one(question: str, positive: str, others: list[str], expect: set[str] | None) -> None:
    out = swap_one(_example(question, positive, others), random.Random(0))
    if expect is None:
        assert out is None
        return
    assert out is not None
    assert out.question in expect
    assert out.answerable is False and out.id == "q1-swap"
    assert [c.label for c in out.candidates] == [0] * len(out.candidates)
    assert [c.text for c in out.candidates] == [f"Title › Section: {t}" for t in [positive, *others]]


def test_unanswerable_questions_are_not_swapped() -> None:
    ex = _example("When did Murray build Salamanca?", "Murray built Salamanca.", ["Watt."], answerable=False)
    assert swap_one(ex, random.Random(0)) is None


def test_augment_is_seeded_and_leaves_its_input_alone() -> None:
    words = ["red", "big", "old", "new", "fast", "slow", "tall", "wide", "long", "cold"]
    exs = [_example(f"When did Murray build the {w} Engine?", f"Murray built the {w} Engine.", ["Watt and Boulton."])
           for w in words]
    before = [(e.question, [c.label for c in e.candidates]) for e in exs]
    a, b = augment(exs, 7), augment(exs, 7)
    assert [x.question for x in a] == [x.question for x in b] and len(a) == 10
    assert {x.question.split()[2] for x in a} | {x.question.split()[-1] for x in a} >= {"Watt", "Boulton?"}
    assert [(e.question, [c.label for c in e.candidates]) for e in exs] == before


def test_evaluate_scores_a_model_folder_and_writes_nothing(tmp_path: Path) -> None:
    from assistant.selector import MODEL_DIR
    from eval.selector.evaluate import evaluate

    exs = [_example("Who built the Salamanca locomotive?", "Matthew Murray built the Salamanca locomotive.",
                    ["The Rhine flows north."]),
           _example("Who painted the Salamanca locomotive?", "Matthew Murray built the Salamanca locomotive.",
                    ["The Rhine flows north."], answerable=False)]
    exs[1] = D.Example("q2", "Article", exs[1].question, False, exs[1].candidates)
    D.write(exs, tmp_path / "own_dev.jsonl")
    before = {p.name: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()}
    out = evaluate(tmp_path, MODEL_DIR, ["own_dev"])
    row = out["own_dev"]
    assert row["questions"] == 2 and row["answerable"] == 1
    assert 0.0 <= row["auc"] <= 1.0 and 0.0 <= row["cross_encoder_alone_auc"] <= 1.0
    assert row["sentence_accuracy"] == 1.0  # the only candidate ranked first is the positive
    assert {p.name: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()} == before
