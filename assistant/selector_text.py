"""How a candidate sentence is shown to the learned selector.

Training (eval/selector/) and inference (assistant/selector.py) both call
`pair_text`, so the model never sees a format at run time that it was not
trained on. The document title and the innermost section name give the
sentence its topic ("Rhine", "Recommendations") without spending many tokens;
the sentence itself comes last so truncation cuts context, not the claim.
"""
from __future__ import annotations

from collections.abc import Sequence

MAX_CONTEXT_CHARS = 120


def context_title(title: str, meta: dict) -> str:
    """The catalog's short title where there is one ("RAND brief"): the selector was trained on
    one-to-three-word article titles, and every token of a long title costs time on each pair."""
    short = meta.get("short_title")
    return short if isinstance(short, str) and short.strip() else title


def pair_text(title: str, section: Sequence[str], sentence: str) -> str:
    where = " › ".join(s for s in (title, *section[-1:]) if s)[:MAX_CONTEXT_CHARS]
    body = " ".join(sentence.split())
    return f"{where}: {body}" if where else body
