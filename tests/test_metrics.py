"""Table-driven tests of the pure metric functions, degenerate inputs included."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from eval.quality import metrics as M

DOC = "Alpha beta gamma. Delta epsilon zeta.\n\nEta  theta\niota. “Quoted” text — here."
A = "doc-a"


# -- locate -----------------------------------------------------------------------------
def _at(sub: str) -> tuple[int, int]:
    return DOC.index(sub), DOC.index(sub) + len(sub)


@pytest.mark.parametrize("quote, expected", [
    ("beta gamma", _at("beta gamma")),                   # exact
    ("Alpha", (0, 5)),                                   # at the start
    ("here.", (len(DOC) - 5, len(DOC))),                 # at the end
    ("Eta theta iota", _at("Eta  theta\niota")),         # whitespace-normalised fallback
    ("zeta. Eta", _at("zeta.\n\nEta")),                  # a blank line matches one space
    ('"Quoted" text - here', _at("“Quoted” text — here")),  # straight quotes / hyphen match curly / em dash
    ("ALPHA BETA", (0, 10)),                             # case-insensitive last resort
    ("omega", None),                                     # absent
    ("", None),                                          # empty
    ("   ", None),                                       # blank
])
def test_locate(quote, expected):
    assert M.locate(DOC, quote) == expected


def test_locate_in_empty_document():
    assert M.locate("", "x") is None


# -- span algebra ---------------------------------------------------------------------------
@pytest.mark.parametrize("target, spans, inside, chars", [
    ((A, 5, 10), [(A, 0, 20)], True, 5),
    ((A, 5, 10), [(A, 5, 10)], True, 5),             # exact boundaries ([start, end))
    ((A, 5, 10), [(A, 6, 20)], False, 4),            # starts too late
    ((A, 5, 10), [(A, 0, 9)], False, 4),             # ends too early
    ((A, 5, 10), [(A, 0, 7), (A, 7, 12)], True, 5),  # split across two adjacent passages
    ((A, 5, 10), [(A, 0, 6), (A, 8, 12)], False, 3),  # a gap in the middle
    ((A, 5, 10), [("doc-b", 0, 100)], False, 0),     # other document
    ((A, 5, 10), [], False, 0),                       # nothing retrieved
    ((A, 5, 5), [(A, 0, 10)], False, 0),              # empty target
    ((A, 5, 10), [(A, 8, 3)], False, 0),              # inverted span ignored
])
def test_inside_and_covered(target, spans, inside, chars):
    assert M.is_inside(target, spans) is inside
    assert M.covered_chars(target, spans) == chars


@pytest.mark.parametrize("a, b, expected", [
    ((A, 0, 5), (A, 4, 9), True), ((A, 0, 5), (A, 5, 9), False), ((A, 0, 5), ("b", 0, 5), False),
    ((A, 3, 4), (A, 0, 9), True),
])
def test_overlaps(a, b, expected):
    assert M.overlaps(a, b) is expected and M.overlaps(b, a) is expected


# -- retrieval ------------------------------------------------------------------------------
E1, E2 = (A, 10, 20), (A, 100, 120)
R_MISS, R_E1, R_E2, R_HALF = (A, 40, 90), (A, 0, 30), (A, 90, 130), (A, 0, 15)


@pytest.mark.parametrize("ranked, evidence, k, hit, recall", [
    ([R_E1, R_MISS], [E1], 1, 1.0, 1.0),
    ([R_MISS, R_E1], [E1], 1, 0.0, 0.0),
    ([R_MISS, R_E1], [E1], 3, 1.0, 1.0),
    ([R_E1, R_MISS, R_E2], [E1, E2], 1, 1.0, 0.5),
    ([R_E1, R_MISS, R_E2], [E1, E2], 3, 1.0, 1.0),
    ([R_HALF, (A, 15, 25)], [E1], 1, 0.0, 0.0),       # half of the quote at rank 1 ...
    ([R_HALF, (A, 15, 25)], [E1], 2, 1.0, 1.0),       # ... the other half at rank 2
    ([], [E1], 5, 0.0, 0.0),                           # nothing retrieved (or an error row)
    ([R_E1], [], 5, None, None),                       # no evidence: not applicable
    ([], [], 5, None, None),
    ([R_E1], [E1], 0, 0.0, 0.0),                       # k = 0
    ([R_E1], [E1], 100, 1.0, 1.0),                     # k beyond the list
])
def test_hit_and_recall(ranked, evidence, k, hit, recall):
    assert M.hit_at_k(ranked, evidence, k) == hit
    assert M.recall_at_k(ranked, evidence, k) == recall


@pytest.mark.parametrize("ranked, evidence, max_rank, expected", [
    ([R_E1], [E1], None, 1.0),
    ([R_MISS, R_MISS, R_E1], [E1], None, round(1 / 3, 6)),
    ([R_MISS, R_E2, R_E1], [E1, E2], None, 0.5),       # the first of several pieces counts
    ([R_MISS, R_MISS, R_E1], [E1], 2, 0.0),             # beyond the depth
    ([R_MISS], [E1], None, 0.0),
    ([], [E1], None, 0.0),
    ([R_E1], [], None, None),
])
def test_reciprocal_rank(ranked, evidence, max_rank, expected):
    assert M.reciprocal_rank(ranked, evidence, max_rank) == expected


def test_found_rank():
    assert M.found_rank([R_MISS, R_HALF, (A, 14, 40)], E1) == 3
    assert M.found_rank([], E1) is None


# -- citations ------------------------------------------------------------------------------
TEXTS = {A: "0123456789abcdefghij"}


@pytest.mark.parametrize("cited, expected", [
    ([M.Cited(A, 0, 3, "012")], 1.0),
    ([M.Cited(A, 0, 3, "012"), M.Cited(A, 10, 12, "ab")], 1.0),
    ([M.Cited(A, 0, 3, "012"), M.Cited(A, 10, 12, "xx")], 0.0),  # one bad citation fails the item
    ([M.Cited("nope", 0, 3, "012")], 0.0),                       # unknown document
    ([M.Cited(A, 18, 25, "ij")], 0.0),                           # past the end
    ([M.Cited(A, -1, 2, "01")], 0.0),
    ([M.Cited(A, 3, 3, "")], 0.0),                               # empty span
    ([], None),
])
def test_citation_validity(cited, expected):
    assert M.citation_validity(cited, TEXTS) == expected


@pytest.mark.parametrize("cited, evidence, support, precision, coverage", [
    ([(A, 0, 30)], [E1], 1.0, 1.0, 1.0),
    ([(A, 0, 15)], [E1], 0.0, 1.0, 0.5),                  # overlaps half of the quote
    ([(A, 0, 15), (A, 15, 30)], [E1], 1.0, 1.0, 1.0),     # two adjacent sentences cover it
    ([(A, 0, 30), R_MISS], [E1], 1.0, 0.5, 1.0),           # one of two citations is off-target
    ([R_MISS], [E1], 0.0, 0.0, 0.0),
    ([(A, 0, 30)], [E1, E2], 1.0, 1.0, round(10 / 30, 6)),  # coverage by characters: 10 of 30
    ([], [E1], None, None, 0.0),                           # abstained: coverage 0, others n/a
    ([(A, 0, 30)], [], None, None, None),                   # no evidence
    ([], [], None, None, None),
    ([(A, 0, 30)], [(A, 5, 5)], 0.0, 0.0, None),            # zero-length evidence
])
def test_citation_support_precision_coverage(cited, evidence, support, precision, coverage):
    assert M.citation_support(cited, evidence) == support
    assert M.citation_precision(cited, evidence) == precision
    assert M.evidence_coverage(cited, evidence) == coverage


# -- answer text ------------------------------------------------------------------------------
@pytest.mark.parametrize("pred, ref, f1, recall", [
    ("May 17, 2023.", "May 17, 2023", 1.0, 1.0),
    ("The answer is May 17, 2023 [1]", "May 17, 2023", round(2 * (3 / 5) * 1 / (3 / 5 + 1), 6), 1.0),
    ("Paris", "London", 0.0, 0.0),
    ("", "", 1.0, 1.0),
    ("", "London", 0.0, 0.0),
    ("London", "", 0.0, 1.0),
    ("the a an", "the", 1.0, 1.0),            # only articles on both sides: both empty
    ("Britain, Russia", "britain and russia", round(2 * 1 * (2 / 3) / (1 + 2 / 3), 6), round(2 / 3, 6)),
    ("Russia’s “reset”", "Russia's reset", 1.0, 1.0),  # typographic punctuation removed
])
def test_token_f1_and_recall(pred, ref, f1, recall):
    assert M.token_f1(M.strip_citation_marks(pred), ref) == f1
    assert M.token_recall(M.strip_citation_marks(pred), ref) == recall


@pytest.mark.parametrize("text, expected", [
    ("One [1] two [2].", "One two."), ("x [1, 2]", "x"), ("no marks", "no marks"), ("", ""), (None, ""),
])
def test_strip_citation_marks(text, expected):
    assert M.strip_citation_marks(text) == expected


@pytest.mark.parametrize("a, b, expected", [
    ([1, 0], [1, 0], 1.0), ([1, 0], [0, 1], 0.0), ([1, 0], [-1, 0], -1.0), ([0, 0], [1, 0], 0.0),
    ([], [], 0.0), ([1, 2], [1, 2, 3], 0.0), ([float("inf"), 0], [1, 0], 0.0),
])
def test_cosine(a, b, expected):
    assert M.cosine(a, b) == expected


# -- abstention -------------------------------------------------------------------------------
@pytest.mark.parametrize("abstained, answerable, precision, recall", [
    ([True, True, False], [False, True, False], 0.5, 0.5),
    ([False, False], [True, True], None, None),      # nothing abstained, nothing unanswerable
    ([True], [False], 1.0, 1.0),
    ([False], [False], None, 0.0),
    ([True], [True], 0.0, None),
    ([], [], None, None),
])
def test_abstention(abstained, answerable, precision, recall):
    assert M.abstention_precision(abstained, answerable) == precision
    assert M.abstention_recall(abstained, answerable) == recall


# -- failure labels ------------------------------------------------------------------------------
@pytest.mark.parametrize("kw, expected", [
    (dict(error=True), M.LABEL_ERROR),
    (dict(answerable=False, abstained=True), M.LABEL_NONE),
    (dict(answerable=False, abstained=False, cited=[R_MISS]), M.LABEL_MISSED_ABSTENTION),
    (dict(abstained=True), M.LABEL_FALSE_ABSTENTION),
    (dict(cited=[]), M.LABEL_WRONG_CITATION),
    (dict(cited=[R_E1], citations_valid=False), M.LABEL_WRONG_CITATION),
    (dict(cited=[R_HALF]), M.LABEL_NONE),                         # overlaps the evidence
    (dict(cited=[R_MISS], retrieved=[R_MISS]), M.LABEL_RETRIEVAL_MISS),
    (dict(cited=[R_MISS], retrieved=[R_MISS, R_E1]), M.LABEL_NOT_CITED),
    (dict(cited=[R_MISS], evidence=[]), M.LABEL_NONE),            # nothing to judge against
    (dict(cited=[(A, 0, 5)], cited_passages=[(A, 0, 30)]), M.LABEL_WRONG_CITATION),  # right passage, wrong sentence
    (dict(cited=[(A, 0, 5)], cited_passages=[(A, 0, 8)], retrieved=[R_E1]), M.LABEL_NOT_CITED),
    (dict(cited=[R_MISS], cited_passages=[R_MISS], retrieved=[R_MISS]), M.LABEL_RETRIEVAL_MISS),
])
def test_failure_label(kw, expected):
    args: dict[str, Any] = dict(error=False, answerable=True, abstained=False, evidence=[E1], retrieved=[R_E1],
                                cited=[R_E1], citations_valid=True)
    args.update(kw)
    assert M.failure_label(**args) == expected


# -- aggregation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("values, expected", [
    ([1.0, 0.0, None], 0.5), ([], None), ([None, None], None), ([0.25], 0.25),
])
def test_mean(values, expected):
    assert M.mean(values) == expected


@pytest.mark.parametrize("values, q, expected", [
    ([1, 2, 3, 4], 50, 2.5), ([5], 95, 5.0), ([], 50, None), ([None], 95, None), ([1, 2, 3, 4, 5], 100, 5.0),
])
def test_percentile(values, q, expected):
    assert M.percentile(values, q) == expected


def test_bootstrap_is_deterministic_and_brackets_the_mean():
    vals = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 0.25]
    a = M.bootstrap_ci(vals, M.seed_for("x"))
    assert a is not None and a == M.bootstrap_ci(vals, M.seed_for("x"))
    assert a[0] <= sum(vals) / len(vals) <= a[1]
    assert M.bootstrap_ci([], 1) is None
    assert M.bootstrap_ci([0.3], 1) == (0.3, 0.3)
    assert M.bootstrap_ci([1.0, 1.0], 1) == (1.0, 1.0)
    assert M.seed_for("hit@5") == M.seed_for("hit@5") != M.seed_for("hit@1")


@pytest.mark.parametrize("values", [[], [None], [None, None, None]])
def test_summarise_empty_is_na_not_nan(values):
    s = M.summarise("m", values)
    assert s == {"value": None, "ci95": None, "n": 0}
    assert M.fmt(s) == "n/a (0 items)"


def test_summarise_never_nan():
    s = M.summarise("m", [0.0, 1.0, None])
    assert s["n"] == 2 and s["value"] == 0.5 and not any(math.isnan(x) for x in s["ci95"])
    assert M.fmt(s).endswith("(n=2)")


# -- paired tests ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("k, n, expected", [
    (0, 0, 1.0), (0, 1, 1.0), (0, 5, 0.0625), (5, 5, 0.0625), (1, 10, round(2 * 11 / 1024, 6)), (5, 10, 1.0),
])
def test_binomial_two_sided(k, n, expected):
    assert M.binomial_two_sided(k, n) == expected


def test_paired_test():
    a = [0, 0, 0, 0, 0, 0, 1, 1]
    b = [1, 1, 1, 1, 1, 1, 1, 1]
    out = M.paired_test(a, b, seed=7)
    assert out["better"] == 6 and out["worse"] == 0 and out["delta"] == 0.75
    assert out["p_value"] == round(2 / 64, 6)
    assert out["ci95"][0] > 0 and out == M.paired_test(a, b, seed=7)
    same = M.paired_test([0.5, 0.2], [0.5, 0.2], seed=1)
    assert same["p_value"] == 1.0 and same["ci95"] == [0.0, 0.0]
    empty = M.paired_test([], [], seed=1)
    assert empty["n"] == 0 and empty["delta"] is None and empty["p_value"] == 1.0
    with pytest.raises(ValueError):
        M.paired_test([1], [], seed=1)


def test_normalise_with_map_maps_back():
    text = "  a \n\t b’c  "
    norm, where = M.normalise_with_map(text)
    assert norm == "a b'c"
    assert [text[i] for i in where] == ["a", " ", "b", "’", "c"]
    assert M.normalise_with_map("") == ("", [])
    assert isinstance(np.float64(M.cosine([1, 1], [1, 1])), np.float64)


# -- answerability: AUC and the operating curve ----------------------------------------------------------
@pytest.mark.parametrize("scores, answerable, expected", [
    ([], [], None),                                          # empty
    ([0.9], [True], None),                                   # one item
    ([0.9, 0.1, 0.5], [True, True, True], None),             # answerable only
    ([0.9, 0.1], [False, False], None),                      # unanswerable only
    ([0.9, 0.8, 0.2, 0.1], [True, True, False, False], 1.0),  # perfect separation
    ([0.1, 0.2, 0.8, 0.9], [True, True, False, False], 0.0),  # perfectly inverted
    ([0.5, 0.5], [True, False], 0.5),                        # a tie counts one half
    ([0.7, 0.7, 0.7, 0.7], [True, False, True, False], 0.5),  # all tied
    ([0.9, 0.5, 0.5, 0.1], [True, True, False, False], 0.875),  # 3 wins + one tie of 4 pairs
    ([0.8, 0.4, 0.6], [True, True, False], 0.5),             # 1 win, 1 loss
    ([3.0, -2.0, 1e9, -1e9], [True, False, True, False], 1.0),  # any finite scale (logits too)
    ([1, 0], [1, 0], 1.0),                                   # ints and 0/1 flags
])
def test_answerability_auc(scores, answerable, expected):
    assert M.answerability_auc(scores, answerable) == expected


@pytest.mark.parametrize("scores, answerable", [
    ([0.5, float("nan")], [True, False]),
    ([0.5, float("inf")], [True, False]),
    ([0.5, None], [True, False]),
    ([0.5], [True, False]),
])
def test_answerability_auc_rejects_bad_scores(scores, answerable):
    """A missing or non-finite score is the caller's to count; it is never silently dropped here."""
    with pytest.raises(ValueError):
        M.answerability_auc(scores, answerable)


def test_answerability_auc_matches_pairwise_count():
    rng = np.random.default_rng(3)
    scores = np.round(rng.random(60), 1).tolist()  # plenty of ties
    flags = (rng.random(60) < 0.5).tolist()
    pos = [s for s, f in zip(scores, flags) if f]
    neg = [s for s, f in zip(scores, flags) if not f]
    pairs = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    assert M.answerability_auc(scores, flags) == round(pairs / (len(pos) * len(neg)), 6)


def _pt(t, recall, far):
    return {"threshold": t, "abstention_recall": recall, "false_abstention_rate": far}


@pytest.mark.parametrize("scores, answerable, expected", [
    ([], [], []),
    ([0.3, 0.4], [True, True], []),  # single class: one rate undefined
    ([0.9, 0.1], [True, False], [_pt(0.1, 0.0, 0.0), _pt(0.9, 1.0, 0.0), _pt(0.900001, 1.0, 1.0)]),
    ([0.5, 0.5], [True, False], [_pt(0.5, 0.0, 0.0), _pt(0.500001, 1.0, 1.0)]),  # ties move together
    ([0.9, 0.8, 0.1, 0.2, 0.5], [True, True, False, False, True],
     [_pt(0.1, 0.0, 0.0), _pt(0.2, 0.5, 0.0), _pt(0.5, 1.0, 0.0), _pt(0.8, 1.0, round(1 / 3, 6)),
      _pt(0.9, 1.0, round(2 / 3, 6)), _pt(0.900001, 1.0, 1.0)]),
    ([0.2, 0.6], [True, False], [_pt(0.2, 0.0, 0.0), _pt(0.6, 0.0, 1.0), _pt(0.600001, 1.0, 1.0)]),  # inverted
])
def test_operating_curve(scores, answerable, expected):
    assert M.operating_curve(scores, answerable) == expected


def test_operating_curve_thresholds_reproduce_their_decisions():
    rng = np.random.default_rng(5)
    scores = rng.random(40).tolist()  # unrounded: the threshold must still split exactly
    flags = (rng.random(40) < 0.5).tolist()
    npos, nneg = sum(flags), 40 - sum(flags)
    curve = M.operating_curve(scores, flags)
    assert len(curve) == 41 and curve[0]["abstention_recall"] == curve[0]["false_abstention_rate"] == 0.0
    for p in curve:
        abst = [s < p["threshold"] for s in scores]
        assert p["abstention_recall"] == round(sum(a for a, f in zip(abst, flags) if not f) / nneg, 6)
        assert p["false_abstention_rate"] == round(sum(a for a, f in zip(abst, flags) if f) / npos, 6)
    recalls = [p["abstention_recall"] for p in curve]
    assert recalls == sorted(recalls) and curve[-1]["abstention_recall"] == 1.0


CURVE = [_pt(0.1, 0.0, 0.0), _pt(0.2, 0.3, 0.0), _pt(0.3, 0.3, 0.04), _pt(0.4, 0.5, 0.1), _pt(0.5, 0.8, 0.25),
         _pt(0.6, 1.0, 1.0)]


@pytest.mark.parametrize("curve, budget, expected", [
    (CURVE, 0.05, _pt(0.2, 0.3, 0.0)),   # equal recall at 0.3: the lower false abstention wins
    (CURVE, 0.10, _pt(0.4, 0.5, 0.1)),   # exactly on the budget counts
    (CURVE, 0.20, _pt(0.4, 0.5, 0.1)),
    (CURVE, 1.0, _pt(0.6, 1.0, 1.0)),
    (CURVE, 0.0, _pt(0.2, 0.3, 0.0)),
    ([], 0.1, None),
    ([_pt(0.5, 0.4, 0.3)], 0.1, None),    # no point within the budget
])
def test_recall_at_false_abstention(curve, budget, expected):
    assert M.recall_at_false_abstention(curve, budget) == expected


@pytest.mark.parametrize("abstained, answerable, expected", [
    ([], [], None), ([True], [False], None), ([True, False], [True, True], 0.5), ([False, True], [True, False], 0.0),
])
def test_false_abstention_rate(abstained, answerable, expected):
    assert M.false_abstention_rate(abstained, answerable) == expected


def test_bootstrap_auc_ci_and_paired_auc_test():
    rng = np.random.default_rng(11)
    flags = (rng.random(80) < 0.5).tolist()
    good = [float(f) + rng.normal(0, 0.6) for f in flags]
    noise = rng.random(80).tolist()
    ci = M.bootstrap_auc_ci(good, flags, seed=1, resamples=300)
    auc = M.answerability_auc(good, flags)
    assert ci is not None and auc is not None and ci[0] <= auc <= ci[1] and ci == M.bootstrap_auc_ci(good, flags, seed=1, resamples=300)
    assert M.bootstrap_auc_ci([], [], seed=1) is None
    assert M.bootstrap_auc_ci([0.2, 0.3], [True, True], seed=1) is None
    assert M.bootstrap_auc_ci(good, flags, seed=1, resamples=0) is None
    assert M.bootstrap_auc_ci([0.9, 0.1], [True, False], seed=1, resamples=50) == (1.0, 1.0)
    test = M.paired_auc_test(noise, good, flags, seed=2, resamples=300)
    assert test["n"] == 80 and test["b"] == auc and test["delta"] == round(test["b"] - test["a"], 6)
    assert test["ci95"][0] > 0  # a real signal beats noise
    same = M.paired_auc_test(good, good, flags, seed=2, resamples=100)
    assert same["delta"] == 0.0 and same["ci95"] == [0.0, 0.0]
    assert M.paired_auc_test([], [], [], seed=2) == {"n": 0, "a": None, "b": None, "delta": None, "ci95": None}
    with pytest.raises(ValueError):
        M.paired_auc_test([0.1], [0.1, 0.2], [True], seed=2)
