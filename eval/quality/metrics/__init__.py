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
from .abstention import (
                         FALSE_ABSTENTION_BUDGETS,
                         abstention_precision,
                         abstention_recall,
                         answerability_auc,
                         bootstrap_auc_ci,
                         false_abstention_rate,
                         operating_curve,
                         paired_auc_test,
                         recall_at_false_abstention,
)
from .labels import (
                         LABEL_ERROR,
                         LABEL_FALSE_ABSTENTION,
                         LABEL_MISSED_ABSTENTION,
                         LABEL_NONE,
                         LABEL_NOT_CITED,
                         LABEL_RETRIEVAL_MISS,
                         LABEL_WRONG_CITATION,
                         LABELS,
                         failure_label,
)
from .spans import (
                         KS,
                         ROUND,
                         Cited,
                         Span,
                         citation_precision,
                         citation_support,
                         citation_valid,
                         citation_validity,
                         covered_chars,
                         evidence_coverage,
                         found_rank,
                         hit_at_k,
                         is_inside,
                         locate,
                         merge,
                         normalise_with_map,
                         overlaps,
                         recall_at_k,
                         reciprocal_rank,
    rounded,
)
from .stats import binomial_two_sided, bootstrap_ci, fmt, mean, paired_test, percentile, seed_for, summarise
from .text import cosine, normalize_answer, strip_citation_marks, token_f1, token_recall, tokens

__all__ = [
    "FALSE_ABSTENTION_BUDGETS", "KS", "LABELS", "LABEL_ERROR", "LABEL_FALSE_ABSTENTION", "LABEL_MISSED_ABSTENTION",
    "LABEL_NONE", "LABEL_NOT_CITED", "LABEL_RETRIEVAL_MISS", "LABEL_WRONG_CITATION", "ROUND", "Cited", "Span",
    "abstention_precision", "abstention_recall", "answerability_auc", "binomial_two_sided", "bootstrap_auc_ci",
    "bootstrap_ci", "citation_precision", "citation_support", "citation_valid", "citation_validity", "cosine",
    "covered_chars", "evidence_coverage", "failure_label", "false_abstention_rate", "fmt", "found_rank", "hit_at_k",
    "is_inside", "locate", "mean", "merge", "overlaps", "normalise_with_map", "normalize_answer", "operating_curve",
    "paired_auc_test", "paired_test", "percentile", "recall_at_false_abstention", "recall_at_k", "reciprocal_rank", "rounded",
    "seed_for", "strip_citation_marks", "summarise", "token_f1", "token_recall", "tokens",
]
