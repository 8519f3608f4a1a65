"""Unanswerable training questions made from answerable ones by swapping one name or number.

Why: SQuAD 2.0's adversarial unanswerables are mostly answerable questions
with one detail changed, and the first selector learned topic more than
detail (held-out AUC .63 alone). Our own users' near misses are the same
kind ("Who signed the Quadripartite Agreement?" against a sentence saying it
was concluded). A question whose name or number no longer matches its
answer sentence is a hard negative of exactly that kind, and every
answerable training question can give one, so the 1,702 answerable training
questions add up to as many unanswerable ones at no labelling cost.

The swap: a capitalised word or a number that the question shares with its
positive sentence is replaced by another of the same kind (capitalised /
number) from the same article's candidate sentences that the positive
sentence does not contain. Every candidate of the new question is labelled
0. The label is noisy when the new name happens to answer elsewhere; the
replacement is drawn from sentences the retrieval put beside the positive,
so it is plausible in context, and questions whose positive sentence holds
the replacement are skipped.

Only train articles are augmented (the caller passes train examples);
seeded, so the same data gives the same questions.
"""
from __future__ import annotations

import random
import re
from collections.abc import Sequence

from . import data as D

_WORD = re.compile(r"\b(?:[A-Z][a-zA-Z'\-]{2,}|\d[\d,.]*\d|\d)\b")
# Capitalised words that start questions or carry no identity of their own.
_STOP = frozenset("""What Which Who Whom Whose When Where Why How Did Does Do Is Are Was Were Can Could Would
Should Will Has Have Had The This That These Those There In On At Of For By From With After Before During
Since Until According Along Among Many Much Name Other Another Some Any""".split())


def _kind(token: str) -> str:
    return "number" if token[0].isdigit() else "name"


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text) if t not in _STOP]


def _sentence_text(candidate_text: str) -> str:
    """The sentence without its 'title › section: ' prefix (pair_text), so names in the title never count."""
    return candidate_text.split(": ", 1)[1] if ": " in candidate_text else candidate_text


def swap_one(example: D.Example, rng: random.Random) -> D.Example | None:
    positives = [c for c in example.candidates if c.label]
    if not example.answerable or not positives:
        return None
    answer = " ".join(_sentence_text(c.text) for c in positives)
    shared = [t for t in dict.fromkeys(_tokens(example.question)) if t in _tokens(answer)]
    if not shared:
        return None
    pool = [t for c in example.candidates if not c.label for t in _tokens(_sentence_text(c.text))]
    target = rng.choice(shared)
    options = sorted({t for t in pool if _kind(t) == _kind(target) and t not in answer and t not in example.question})
    if not options:
        return None
    new = rng.choice(options)
    question = re.sub(rf"\b{re.escape(target)}\b", new, example.question)
    candidates = [D.Candidate(c.row, c.text, 0, c.heuristic, c.dense, c.lexical, c.rank)
                  for c in example.candidates]
    return D.Example(f"{example.id}-swap", example.group, question, False, candidates)


def augment(examples: Sequence[D.Example], seed: int) -> list[D.Example]:
    rng = random.Random(seed)
    return [s for e in examples if (s := swap_one(e, rng)) is not None]
