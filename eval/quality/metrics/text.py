"""Answer text against the reference answer: citation marks removed, SQuAD normalisation, token F1
and recall, and the cosine of two embeddings.
"""
from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .spans import rounded

# -- answer text -----------------------------------------------------------------
_CITE_MARK = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | {"\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u2026"}


def strip_citation_marks(text: str) -> str:
    return _CITE_MARK.sub("", text or "").strip()


def normalize_answer(text: str) -> str:
    """SQuAD-style: lower case, drop punctuation and articles, collapse spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = "".join(" " if ch in _PUNCT else ch for ch in text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall; 1.0 when both are empty, 0.0 when one is."""
    p, g = tokens(prediction), tokens(reference)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    common = sum((Counter(p) & Counter(g)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return rounded(2 * precision * recall / (precision + recall))


def token_recall(prediction: str, reference: str) -> float:
    """Share of the reference's tokens found in the prediction (1.0 for an empty reference)."""
    p, g = tokens(prediction), tokens(reference)
    if not g:
        return 1.0
    if not p:
        return 0.0
    return rounded(sum((Counter(p) & Counter(g)).values()) / len(g))


def cosine(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Cosine similarity, 0.0 when either vector is zero or empty."""
    va, vb = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if va.size == 0 or va.size != vb.size:
        return 0.0
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    if na == 0.0 or nb == 0.0 or not math.isfinite(na) or not math.isfinite(nb):
        return 0.0
    return rounded(max(-1.0, min(1.0, float(va @ vb) / (na * nb))))
