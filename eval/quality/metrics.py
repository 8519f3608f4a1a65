"""Deterministic, LLM-free metrics as pure functions.

Evidence is matched by *text position*, never by chunk id: a gold quote is
located in its document once (exact match, then a whitespace/typography
normalised fallback), and a passage or citation "contains" it when its
[start, end) span in the same document covers the quote's span. Spans of
several passages are merged first, so a quote that a finer chunker splits
across two neighbouring passages still counts once both are retrieved. The
metrics therefore survive re-chunking and work for any retriever that reports
character offsets (the llama-index baseline included).

Conventions:
- A metric that does not apply to an item is ``None`` (e.g. recall for an
  unanswerable item). Aggregates average the non-``None`` values and report
  their count ``n``; with ``n == 0`` the value is ``None`` ("n/a (0 items)"),
  never NaN.
- Every function returns plain floats rounded to 6 decimals so results files
  are byte-identical across reruns.
"""
from __future__ import annotations

import math
import re
import string
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Span = tuple[str, int, int]  # (document id, start, end), end exclusive
KS = (1, 3, 5, 10)
ROUND = 6

LABEL_NONE = "none"
LABEL_ERROR = "error"
LABEL_RETRIEVAL_MISS = "retrieval miss"
LABEL_NOT_CITED = "retrieved but not cited"
LABEL_WRONG_CITATION = "wrong citation"
LABEL_FALSE_ABSTENTION = "false abstention"
LABEL_MISSED_ABSTENTION = "missed abstention"
LABELS = (LABEL_NONE, LABEL_RETRIEVAL_MISS, LABEL_NOT_CITED, LABEL_WRONG_CITATION, LABEL_FALSE_ABSTENTION,
          LABEL_MISSED_ABSTENTION, LABEL_ERROR)


def _r(x: float) -> float:
    return round(float(x), ROUND)


# -- locating quotes ------------------------------------------------------------
_TYPO = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                       "\u00a0": " ", "\u2026": "."})


def normalise_with_map(text: str, casefold: bool = False) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and unify quotes/dashes.

    Returns the normalised text and, for each of its characters, the index of
    the original character it came from (so matches map back to offsets).
    """
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\u00a0":
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        c = ch.translate(_TYPO)
        if casefold:
            low = c.lower()
            c = low if len(low) == 1 else c
        out.append(c)
        where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def locate(doc_text: str, quote: str) -> tuple[int, int] | None:
    """[start, end) of ``quote`` in ``doc_text``: exact first, then normalised, then case-insensitive."""
    if not quote or not quote.strip():
        return None
    pos = doc_text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    for casefold in (False, True):
        norm_doc, where = normalise_with_map(doc_text, casefold)
        norm_quote, _ = normalise_with_map(quote, casefold)
        if not norm_quote:
            return None
        pos = norm_doc.find(norm_quote)
        if pos >= 0:
            return where[pos], where[pos + len(norm_quote) - 1] + 1
    return None


# -- span algebra ---------------------------------------------------------------
def merge(spans: Iterable[Span]) -> dict[str, list[tuple[int, int]]]:
    """Union of spans per document, as sorted disjoint intervals (touching ones merged)."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc, s, e in spans:
        if e > s:
            by_doc.setdefault(doc, []).append((int(s), int(e)))
    out: dict[str, list[tuple[int, int]]] = {}
    for doc, ivs in by_doc.items():
        ivs.sort()
        merged: list[list[int]] = []
        for s, e in ivs:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        out[doc] = [(s, e) for s, e in merged]
    return out


def covered_chars(target: Span, spans: Iterable[Span]) -> int:
    doc, s, e = target
    total = 0
    for a, b in merge(spans).get(doc, []):
        total += max(0, min(e, b) - max(s, a))
    return total


def is_inside(target: Span, spans: Iterable[Span]) -> bool:
    """True when the union of ``spans`` covers all of ``target`` (same document)."""
    doc, s, e = target
    if e <= s:
        return False
    return any(a <= s and e <= b for a, b in merge(spans).get(doc, []))


def overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and min(a[2], b[2]) > max(a[1], b[1])


# -- retrieval -------------------------------------------------------------------
def found_rank(ranked: Sequence[Span], target: Span) -> int | None:
    """1-based rank at which the top-r passages first cover ``target``; None if never."""
    for r in range(1, len(ranked) + 1):
        if is_inside(target, ranked[:r]):
            return r
    return None


def hit_at_k(ranked: Sequence[Span], evidence: Sequence[Span], k: int) -> float | None:
    """1.0 when some gold evidence is covered by the top-k passages; None without evidence."""
    if not evidence:
        return None
    top = list(ranked[:k])
    return 1.0 if any(is_inside(ev, top) for ev in evidence) else 0.0


def recall_at_k(ranked: Sequence[Span], evidence: Sequence[Span], k: int) -> float | None:
    """Share of gold evidence pieces covered by the top-k passages; None without evidence."""
    if not evidence:
        return None
    top = list(ranked[:k])
    return _r(sum(is_inside(ev, top) for ev in evidence) / len(evidence))


def reciprocal_rank(ranked: Sequence[Span], evidence: Sequence[Span], max_rank: int | None = None) -> float | None:
    """1/r for the first rank r at which some gold evidence is covered (0.0 if none by max_rank)."""
    if not evidence:
        return None
    ranks = [r for r in (found_rank(ranked[:max_rank] if max_rank else ranked, ev) for ev in evidence) if r]
    return _r(1.0 / min(ranks)) if ranks else 0.0


# -- citations -------------------------------------------------------------------
@dataclass(frozen=True)
class Cited:
    doc: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return (self.doc, self.start, self.end)


def citation_valid(c: Cited, doc_texts: Mapping[str, str]) -> bool:
    text = doc_texts.get(c.doc)
    return text is not None and 0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.text


def citation_validity(cited: Sequence[Cited], doc_texts: Mapping[str, str]) -> float | None:
    """1.0 when every citation's offsets reproduce its text exactly; None without citations."""
    if not cited:
        return None
    return 1.0 if all(citation_valid(c, doc_texts) for c in cited) else 0.0


def citation_support(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """1.0 when some gold evidence lies inside the cited spans; None without citations or evidence.

    Pass the cited passages for the issue's "evidence inside a cited passage", or the quoted
    sentences for the strict variant.
    """
    if not cited or not evidence:
        return None
    return 1.0 if any(is_inside(ev, cited) for ev in evidence) else 0.0


def citation_precision(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """Share of citations that overlap some gold evidence; None without citations or evidence."""
    if not cited or not evidence:
        return None
    return _r(sum(any(overlaps(c, ev) for ev in evidence) for c in cited) / len(cited))


def evidence_coverage(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """Share of gold evidence characters inside the cited spans; None without evidence."""
    total = sum(max(0, e - s) for _, s, e in evidence)
    if not evidence or total == 0:
        return None
    inside = sum(covered_chars(ev, cited) for ev in evidence)
    return _r(min(1.0, inside / total))


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
    return _r(2 * precision * recall / (precision + recall))


def token_recall(prediction: str, reference: str) -> float:
    """Share of the reference's tokens found in the prediction (1.0 for an empty reference)."""
    p, g = tokens(prediction), tokens(reference)
    if not g:
        return 1.0
    if not p:
        return 0.0
    return _r(sum((Counter(p) & Counter(g)).values()) / len(g))


def cosine(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Cosine similarity, 0.0 when either vector is zero or empty."""
    va, vb = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if va.size == 0 or va.size != vb.size:
        return 0.0
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    if na == 0.0 or nb == 0.0 or not math.isfinite(na) or not math.isfinite(nb):
        return 0.0
    return _r(max(-1.0, min(1.0, float(va @ vb) / (na * nb))))


# -- abstention ------------------------------------------------------------------
def abstention_precision(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the items the system abstained on, the share that are truly unanswerable."""
    picked = [not a for ab, a in zip(abstained, answerable) if ab]
    return _r(sum(picked) / len(picked)) if picked else None


def abstention_recall(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the unanswerable items, the share the system abstained on."""
    picked = [ab for ab, a in zip(abstained, answerable) if not a]
    return _r(sum(picked) / len(picked)) if picked else None


def false_abstention_rate(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Of the answerable items, the share the system abstained on."""
    picked = [ab for ab, a in zip(abstained, answerable) if a]
    return _r(sum(picked) / len(picked)) if picked else None


# -- answerability: how well one confidence score separates answerable from not ------
# Abstention is a threshold on the selector's confidence, so the score itself is
# judged apart from any one threshold: AUC for the separation, the operating
# curve for what each threshold would buy. The budgets are the false abstention
# rates the report reads the curve at.
FALSE_ABSTENTION_BUDGETS = (0.05, 0.10, 0.20)


def _score_arrays(scores: Sequence[float], answerable: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Validated arrays; a missing or non-finite score is the caller's to count, so it is an error here."""
    if len(scores) != len(answerable):
        raise ValueError(f"{len(scores)} scores for {len(answerable)} answerable flags")
    if any(s is None for s in scores):
        raise ValueError("a score is None: leave unscored items out and count them")
    s = np.asarray([float(x) for x in scores], dtype=np.float64)
    if s.size and not bool(np.all(np.isfinite(s))):
        raise ValueError("scores must be finite")
    return s, np.asarray([bool(a) for a in answerable], dtype=bool)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with tied values sharing their mean rank (so a tie counts one half in the AUC)."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def _auc(s: np.ndarray, a: np.ndarray) -> float | None:
    npos = int(a.sum())
    nneg = int(a.size) - npos
    if npos == 0 or nneg == 0:
        return None
    u = float(_average_ranks(s)[a].sum()) - npos * (npos + 1) / 2.0
    return u / (npos * nneg)


def answerability_auc(scores: Sequence[float], answerable: Sequence[bool]) -> float | None:
    """ROC AUC of the score for "answerable": the chance that a random answerable item scores above a
    random unanswerable one, a tie counting one half (the Mann-Whitney U statistic, in O(n log n)).

    0.5 is chance, 1.0 perfect separation. Threshold-free, so it judges the selector's score before any
    abstention threshold is calibrated. None on empty or single-class input, where it is undefined.
    """
    auc = _auc(*_score_arrays(scores, answerable))
    return None if auc is None else _r(auc)


def bootstrap_auc_ci(scores: Sequence[float], answerable: Sequence[bool], seed: int, resamples: int = 2000,
                     level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap CI of the AUC, resampling within each class (stratified).

    Stratifying keeps every resample two-class, so none is undefined and dropped. None where the
    AUC itself is None or ``resamples`` is 0. Same seed, same interval.
    """
    s, a = _score_arrays(scores, answerable)
    if resamples <= 0 or _auc(s, a) is None:
        return None
    pos, neg = s[a], s[~a]
    rng = np.random.default_rng(seed)
    flags = np.concatenate([np.ones(pos.size, dtype=bool), np.zeros(neg.size, dtype=bool)])
    aucs = np.empty(resamples, dtype=np.float64)
    for i in range(resamples):
        sample = np.concatenate([pos[rng.integers(0, pos.size, pos.size)], neg[rng.integers(0, neg.size, neg.size)]])
        aucs[i] = _auc(sample, flags)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(aucs, [tail, 100 - tail])
    return (_r(lo), _r(hi))


def operating_curve(scores: Sequence[float], answerable: Sequence[bool]) -> list[dict[str, float]]:
    """Abstention recall against false abstention rate for every threshold on the score.

    The decision is "abstain when score < threshold". One point per distinct score (ascending; the
    lowest abstains on nothing, so the curve starts at (0, 0)), then one threshold just above the
    highest score, which abstains on everything (1, 1). Thresholds are the scores themselves, not
    rounded, so a point's threshold reproduces its decision exactly. Each point:
    {"threshold", "abstention_recall", "false_abstention_rate"}, rates rounded. Empty on empty or
    single-class input, where one of the rates is undefined.
    """
    s, a = _score_arrays(scores, answerable)
    npos = int(a.sum())
    nneg = int(a.size) - npos
    if npos == 0 or nneg == 0:
        return []
    order = np.argsort(s, kind="stable")
    s_sorted, a_sorted = s[order], a[order]
    uniq = np.unique(s_sorted)
    # Items strictly below each threshold: searchsorted(side="left") counts them.
    below = np.searchsorted(s_sorted, uniq, side="left")
    pos_cum = np.concatenate([[0], np.cumsum(a_sorted)])
    points = []
    for t, k in zip(uniq.tolist(), below.tolist()):
        abst_pos = int(pos_cum[k])
        points.append({"threshold": float(t), "abstention_recall": _r((k - abst_pos) / nneg),
                       "false_abstention_rate": _r(abst_pos / npos)})
    top = float(uniq[-1])
    points.append({"threshold": max(_r(top + 1e-6), float(np.nextafter(top, np.inf))),
                   "abstention_recall": 1.0, "false_abstention_rate": 1.0})
    return points


def paired_auc_test(scores_a: Sequence[float], scores_b: Sequence[float], answerable: Sequence[bool], seed: int,
                    resamples: int = 2000) -> dict[str, Any]:
    """AUC of two scores over the same items, their difference b - a, and a paired stratified bootstrap
    95% CI of that difference (the same resampled items score both, so item difficulty cancels).

    {"n", "a", "b", "delta", "ci95"}; the AUCs, delta and CI are None on single-class input.
    """
    sa, flags = _score_arrays(scores_a, answerable)
    sb, _ = _score_arrays(scores_b, answerable)
    if sa.size != sb.size:
        raise ValueError("paired scores need equal lengths")
    auc_a, auc_b = _auc(sa, flags), _auc(sb, flags)
    out: dict[str, Any] = {"n": int(sa.size), "a": None if auc_a is None else _r(auc_a),
                           "b": None if auc_b is None else _r(auc_b), "delta": None, "ci95": None}
    if auc_a is None or auc_b is None:
        return out
    out["delta"] = _r(auc_b - auc_a)
    if resamples > 0:
        pos, neg = np.flatnonzero(flags), np.flatnonzero(~flags)
        rng = np.random.default_rng(seed)
        diffs = np.empty(resamples, dtype=np.float64)
        for i in range(resamples):
            idx = np.concatenate([pos[rng.integers(0, pos.size, pos.size)], neg[rng.integers(0, neg.size, neg.size)]])
            diffs[i] = _auc(sb[idx], flags[idx]) - _auc(sa[idx], flags[idx])  # type: ignore[operator]
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        out["ci95"] = [_r(lo), _r(hi)]
    return out


def recall_at_false_abstention(curve: Sequence[Mapping[str, float]], budget: float) -> dict[str, float] | None:
    """The curve point with the highest abstention recall whose false abstention rate is within
    ``budget`` (on a tie, the lower false abstention rate, then the lower threshold); None for an
    empty curve. The threshold calibration would pick for that budget, read off test items.
    """
    best: Mapping[str, float] | None = None
    for p in curve:
        if p["false_abstention_rate"] > budget + 1e-12:
            continue
        if best is None or (p["abstention_recall"], -p["false_abstention_rate"], -p["threshold"]) > \
                (best["abstention_recall"], -best["false_abstention_rate"], -best["threshold"]):
            best = p
    return None if best is None else dict(best)


# -- failure labels --------------------------------------------------------------
def failure_label(*, error: bool, answerable: bool, abstained: bool, evidence: Sequence[Span],
                  retrieved: Sequence[Span], cited: Sequence[Span], citations_valid: bool,
                  cited_passages: Sequence[Span] = ()) -> str:
    """One label per item, the first that applies:

    1. error: the system raised an exception;
    2. unanswerable item: missed abstention if it answered, else none;
    3. false abstention: abstained on an answerable item;
    4. wrong citation: an answer without citations, or with offsets that do not verify;
    5. none: a quoted span overlaps gold evidence (or the item has no evidence to judge by);
    6. wrong citation: the cited *passage* holds gold evidence but the quoted sentence is another one;
    7. retrieved but not cited: a retrieved passage holds the evidence, the answer cites other passages;
    8. retrieval miss: no retrieved passage holds the gold evidence.

    ``cited_passages`` are the passages around the citations (defaults to the quoted spans).
    """
    if error:
        return LABEL_ERROR
    if not answerable:
        return LABEL_NONE if abstained else LABEL_MISSED_ABSTENTION
    if abstained:
        return LABEL_FALSE_ABSTENTION
    if not cited or not citations_valid:
        return LABEL_WRONG_CITATION
    if not evidence or any(overlaps(c, ev) for c in cited for ev in evidence):
        return LABEL_NONE
    if any(overlaps(p, ev) for p in cited_passages for ev in evidence):
        return LABEL_WRONG_CITATION
    if any(is_inside(ev, retrieved) for ev in evidence):
        return LABEL_NOT_CITED
    return LABEL_RETRIEVAL_MISS


# -- aggregation -----------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return _r(sum(vals) / len(vals)) if vals else None


def percentile(values: Iterable[float | None], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default) of the non-None values; None when empty."""
    vals = [float(v) for v in values if v is not None]
    if not vals:
        return None
    return _r(float(np.percentile(np.asarray(vals, dtype=np.float64), q)))


def seed_for(name: str, base: int = 20240517) -> int:
    """A stable per-metric seed (crc32, not Python's salted hash)."""
    return (base ^ zlib.crc32(name.encode("utf-8"))) & 0xFFFFFFFF


def bootstrap_ci(values: Sequence[float], seed: int, resamples: int = 2000,
                 level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap CI of the mean; None for no values. Same seed, same interval."""
    vals = np.asarray([float(v) for v in values], dtype=np.float64)
    if vals.size == 0:
        return None
    if vals.size == 1 or np.all(vals == vals[0]):
        return (_r(vals[0]), _r(vals[0]))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, vals.size, size=(resamples, vals.size))
    means = vals[idx].mean(axis=1)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(means, [tail, 100 - tail])
    return (_r(lo), _r(hi))


def summarise(name: str, values: Iterable[float | None], resamples: int = 2000) -> dict:
    """{"value", "ci95", "n"}: mean of the applicable values with its bootstrap CI and denominator."""
    vals = [float(v) for v in values if v is not None]
    ci = bootstrap_ci(vals, seed_for(name), resamples) if resamples > 0 else None
    return {"value": mean(vals), "ci95": list(ci) if ci else None, "n": len(vals)}


def fmt(summary: Mapping | None, digits: int = 3, ci: bool = True) -> str:
    """Human form of a summary: "0.812 [0.70, 0.90] (n=40)" or "n/a (0 items)"."""
    if not summary or summary.get("value") is None:
        return "n/a (0 items)"
    text = f"{summary['value']:.{digits}f}"
    if ci and summary.get("ci95"):
        lo, hi = summary["ci95"]
        text += f" [{lo:.2f}, {hi:.2f}]"
    return f"{text} (n={summary['n']})"


# -- paired tests (compare) -------------------------------------------------------
def binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided sign/McNemar p-value for k successes of n at p=0.5 (1.0 for n=0)."""
    if n <= 0:
        return 1.0
    k = min(k, n - k)
    tail = sum(math.comb(n, i) for i in range(0, k + 1)) / 2 ** n
    return _r(min(1.0, 2 * tail))


def paired_test(a: Sequence[float], b: Sequence[float], seed: int, resamples: int = 5000) -> dict:
    """Paired comparison of per-item values b - a.

    Exact sign test on the items that changed (McNemar's test when values are
    0/1), plus a paired bootstrap 95% CI of the mean difference.
    """
    if len(a) != len(b):
        raise ValueError("paired values need equal lengths")
    diffs = np.asarray([float(y) - float(x) for x, y in zip(a, b)], dtype=np.float64)
    n = int(diffs.size)
    up, down = int((diffs > 1e-12).sum()), int((diffs < -1e-12).sum())
    out = {"n": n, "better": up, "worse": down, "delta": _r(diffs.mean()) if n else None,
           "p_value": binomial_two_sided(up, up + down), "ci95": None}
    if n:
        if np.all(diffs == diffs[0]):
            out["ci95"] = [_r(diffs[0]), _r(diffs[0])]
        else:
            rng = np.random.default_rng(seed)
            means = diffs[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
            lo, hi = np.percentile(means, [2.5, 97.5])
            out["ci95"] = [_r(lo), _r(hi)]
    return out
