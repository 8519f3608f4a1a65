"""Figures for any selector model folder, without writing anything: the model card's tables, reproducible.

`fit` chooses the combination and threshold and writes them beside the model;
this reads a folder as it is (its selector.json, or the shipped one) and
reports, per question set, what `fit` reports plus the cross-encoder's AUC on
its own. It is how two models are compared on dev before one is shipped
(MODEL_CARD.md, "Tried and not shipped"), and it never reads the held-out
articles unless asked to.
"""
from __future__ import annotations

from pathlib import Path

from assistant.selector import MODEL_FILE, TOKENIZER_FILE, PairScorer, read_config

from . import data as D
from . import fit as F

SETS = {"tune": "squad_tune.jsonl", "own_dev": "own_dev.jsonl", "held_out": "squad_held_out.jsonl"}


def evaluate(work: Path, model_dir: Path, sets: list[str]) -> dict[str, dict[str, float]]:
    cfg = read_config(model_dir)
    scorer = PairScorer(model_dir / MODEL_FILE, model_dir / TOKENIZER_FILE, cfg.max_length)
    out: dict[str, dict[str, float]] = {}
    for name in sets:
        scored = F.score(scorer, D.read(work / SETS[name]), cfg.candidates)
        row = F.summary(F.questions(scored, cfg.combiner), cfg.threshold)
        row["cross_encoder_alone_auc"] = F.cross_encoder_alone_auc(scored)
        out[name] = row
    return out
