"""Follow-ups that swap one part of the previous question: "What about the op-ed?", "And the benefits?".

followup.py attaches the previous topic to a question that points back to it ("What were its outcomes?").
Two common follow-ups do not point back; they replace a part of the previous question and keep its frame:

- "What about X?" / "How about X?" / "And X?" after "Summarize the RAND brief" means "Summarize the op-ed";
  after "What were the costs of détente?", "What about the reset?" means "What were the costs of the reset?".
- A bare aspect ("What were the costs?", "And the benefits?", "Give an example") after a question about a
  subject asks for that aspect of the subject: "What were the costs of détente?".
- "Does RAND agree?" after a question about the op-ed compares the two: "Do the op-ed and RAND agree?".

Both become a standalone question (`Question.standalone`), so the planner, retrieval and the chat's "read
as" line all see the whole question. Anything else is left to followup.py.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .followup import subject_of

_ASPECTS = (r"costs?|benefits?|risks?|downsides?|upsides?|advantages?|disadvantages?|drawbacks?|outcomes?|"
            r"long-term outcomes|results?|consequences?|effects?|impacts?|causes?|reasons?|goals?|aims?|"
            r"achievements?|lessons?|examples?|key components|components|principles")
_ASPECT = re.compile(rf"\b(?:{_ASPECTS})\b", re.I)
_BARE_ASPECT = re.compile(
    rf"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:(?:what|which) (?P<verb>are|were|is|was) )?(?:the |any )?"
    rf"(?P<aspect>{_ASPECTS})\s*[?.!]*\s*$", re.I)
_EXAMPLE = re.compile(r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)?(?:give (?:me )?|any |can you give (?:me )?)?(?:an? |some )?"
                      r"examples?(?: please)?\s*[?.!]*\s*$", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:(?:what|how) about|and(?: for| in)?|same for)\s+"
                         r"(?P<x>[^?.!]+?)\s*[?.!]*\s*$", re.I)
_TAIL = re.compile(r"\b(?:of|about|on|during|for|toward|towards|with|in)\s+(?P<tail>[^?.!]+?)\s*(?P<end>[?.!]*)\s*$", re.I)
_NOT_A_SUBJECT = re.compile(r"(?:why|how|what|when|where|who|whom|which|whose|is|are|was|were|do|does|did|can|could|"
                            r"should|would|will|has|have|had|it|its|they|them|that|this|those|these|so|then|now|"
                            r"also|yet|more|else)\b", re.I)
_AGREE = re.compile(r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:does|do|did|would|will) (?P<x>[^?]+?) "
                    r"(?P<verb>agree|disagree|concur)\b[^?]*\??\s*$", re.I)
MAX_SUBJECT_WORDS = 8


def standalone_for(question: str, history: Sequence[str], source: Callable[[str], str | None]) -> str | None:
    """The previous question with this one's part swapped in, or None. `source(text)`: the phrase by which
    `text` names a document ("the RAND brief"), or None."""
    prev = None
    for turn in history:  # each earlier turn read against the one before it, so a chain of swaps holds
        turn = (turn or "").strip()
        if turn:
            prev = (_swap_into(turn, prev, source) if prev else None) or turn
    return _swap_into(question, prev, source) if prev else None


def _swap_into(question: str, prev: str, source: Callable[[str], str | None]) -> str | None:
    return _aspect_of_subject(question, prev) or _swapped(question, prev, source) or _agreement(question, prev, source)


def _agreement(question: str, prev: str, source: Callable[[str], str | None]) -> str | None:
    """"What does the op-ed argue?" + "Does RAND agree?": a comparison of the two documents."""
    m = _AGREE.match(question)
    if not m:
        return None
    named, before = source(m.group("x")), source(prev)
    if not named or not before or named.lower() == before.lower():
        return None
    return f"Do {before} and {named} {m.group('verb').lower()}?"


def _aspect_of_subject(question: str, prev: str) -> str | None:
    subject = subject_of(prev)
    if _EXAMPLE.match(question):
        return f"Give an example of {subject}." if subject and not _ASPECT.search(prev) else None
    m = _BARE_ASPECT.match(question)
    if not m:
        return None
    aspect = m.group("aspect").lower()
    if _ASPECT.search(prev):  # "What were the costs of détente?" + "And the benefits?"
        return _ASPECT.sub(aspect, prev, count=1)
    if not subject or len(subject.split()) > MAX_SUBJECT_WORDS:
        return None
    verb = (m.group("verb") or "are").lower()
    verb = {"is": "are", "was": "were"}.get(verb, verb)
    return f"What {verb} the {aspect} of {subject}?"


def _swapped(question: str, prev: str, source: Callable[[str], str | None]) -> str | None:
    m = _WHAT_ABOUT.match(question)
    if not m:
        return None
    x = m.group("x").strip()
    if len(x.split()) > MAX_SUBJECT_WORDS or _NOT_A_SUBJECT.match(x):
        return None  # "And why?", "And then what happened?": a new question, not a new subject
    named, before = source(x), source(prev)
    if named and before:  # "Summarize the RAND brief" + "What about the op-ed?"
        return prev.replace(before, x, 1)
    if _ASPECT.fullmatch(re.sub(r"^(?:the|its|their)\s+", "", x, flags=re.I)) and _ASPECT.search(prev):
        return _ASPECT.sub(re.sub(r"^(?:the|its|their)\s+", "", x, flags=re.I), prev, count=1)
    tail = _TAIL.search(prev)
    if tail and len(tail.group("tail").split()) <= MAX_SUBJECT_WORDS:
        return f"{prev[: tail.start('tail')]}{x}{tail.group('end') or '?'}"
    return None
