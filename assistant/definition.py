"""Definition questions: "What is a less-hardline approach?" wants the sentence that defines the term.

Similarity alone ranks every sentence that *uses* the term about level with the one that *defines* it,
and a near namesake ("a hardline approach" for "a less hardline approach") can outrank both. So when a
question asks what a short term is, a candidate that states it in a defining frame ("X is …",
"a state adopts X when …", "the defining feature of X is …") goes first. The term is matched with its
hyphens or spaces, a word's ending free ("hardlin" matches "hardline"), and a word the corpus does not
know (a typo: "aproach") matching one word or none.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_ASKS = re.compile(r"^\s*(?:what|who)\s*(?:is|was|are|were|'s|’s)\s+(?:a |an |the )?(?P<term>[\w’'-]+(?: [\w’'-]+){0,4})"
                   r"\s*\??\s*$", re.I)
_STOP_TERM = frozenset("it this that they there he she its their meant said".split())


def asked_term(question: str) -> str | None:
    """The term a "what is X?" question asks to define, or None for any other question."""
    m = _ASKS.match(question)
    if m is None or m.group("term").split()[0].lower() in _STOP_TERM:
        return None
    return m.group("term")


def defining_pattern(term: str, known: Callable[[str], bool]) -> re.Pattern[str] | None:
    """A pattern for `term` in a defining frame (see the module docstring for how loosely it matches);
    None when the corpus knows none of its words, so there is nothing to anchor it."""
    x, gap = "", ""
    for w in re.findall(r"[\w’']+", term):
        if known(w):
            x += gap + rf"{re.escape(w)}\w*"
            gap = r"[\s-]+"
        else:  # a typo, or its fix appended after the question (Retriever.correct): one optional word
            x += r"(?:[\s-]*\w+)?" if not x else r"(?:[\s-]+\w+)?"
    if not gap:
        return None
    return re.compile(
        rf"(?:^|[^\w-])(?:{x})(?:es|s)?\s+(?:is|are|was|were|means?|refers? to)\b"
        rf"|\badopts?\s+(?:a|an|the)\s+(?:{x})\s+(?:when|if|by)\b"
        rf"|\bdefin\w*\s+(?:feature|characteristic|trait|element)s?\s+of\s+(?:a\s+|an\s+|the\s+)?(?:{x})\b"
        rf"|\b(?:{x})(?:es|s)?,?\s+(?:defined|understood|described)\s+as\b",
        re.I)
