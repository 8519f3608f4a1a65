"""One failure label per item, the first that applies (the report's and compare's vocabulary).
"""
from __future__ import annotations

from collections.abc import Sequence

from .spans import Span, is_inside, overlaps

LABEL_NONE = "none"
LABEL_ERROR = "error"
LABEL_RETRIEVAL_MISS = "retrieval miss"
LABEL_NOT_CITED = "retrieved but not cited"
LABEL_WRONG_CITATION = "wrong citation"
LABEL_FALSE_ABSTENTION = "false abstention"
LABEL_MISSED_ABSTENTION = "missed abstention"
LABELS = (LABEL_NONE, LABEL_RETRIEVAL_MISS, LABEL_NOT_CITED, LABEL_WRONG_CITATION, LABEL_FALSE_ABSTENTION,
          LABEL_MISSED_ABSTENTION, LABEL_ERROR)


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
