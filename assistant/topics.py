"""Comparing two things one document discusses: "Compare détente and the Obama reset".

Comparing the documents themselves is an overview answer (overview/comparison.py). Comparing two
topics was a factoid question, and the best sentences of the whole question were all about whichever
topic the wording leaned to: "Compare détente and the Obama reset as less-hardline approaches" quoted
two sentences on the reset. Here each topic is asked about on its own, with the rest of the question
("as less-hardline approaches"), through the same retrieval and decision as any factoid question, and
the best sentence of each is quoted. A topic the documents are silent on is left out; when both are,
the answer abstains as the factoid path would.

"What's the difference between X and Y?" and "How does X differ from Y?" ask each topic as "What is X?",
so a term the documents define is answered by its definition (definition.py): "What's the difference
between hardline and less-hardline?" had quoted "The gray box illustrates the differences …", which names
the difference without stating it.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ingest.index import SentenceRecord
from ingest.lexical import terms

from .extractive import UNKNOWN_REASON, Decision, Scored

_TOPIC = r"(?:the |a |an )?[\w.’'-]+(?: [\w.’'-]+){0,5}?"
_FORMS = (
    re.compile(rf"^\s*(?:can you |please )?(?:compare|contrast)\s+(?P<a>{_TOPIC})\s+(?:and|with|to|against)\s+"
               rf"(?P<b>{_TOPIC})(?P<rest>\s+(?:as|in|on|for|regarding|in terms of|when it comes to)\b[^?]*)?\s*[?.!]*\s*$",
               re.I),
    re.compile(rf"^\s*how (?:does|do|did) (?P<a>{_TOPIC})\s+(?:compare|stack up)\s+(?:with|to|against)\s+"
               rf"(?P<b>{_TOPIC})(?P<rest>\s+(?:as|in|on|for|regarding|in terms of)\b[^?]*)?\s*[?.!]*\s*$", re.I),
    re.compile(rf"^\s*(?P<a>{_TOPIC})\s+(?:vs\.?|versus)\s+(?P<b>{_TOPIC})(?P<rest>\s*[:,-]\s*[^?]*)?\s*[?.!]*\s*$", re.I),
)
# "What's the difference between a hardline and a less-hardline approach, with examples?": a tail after a
# comma or "with"/"in"/"according" is frame.
_DEFINING_FORMS = (
    re.compile(rf"^\s*(?:what(?:\s+is|'s|’s)\s+(?:the\s+)?|what\s+are\s+(?:the\s+)?)?(?:main\s+|key\s+)?"
               rf"differences?\s+between\s+(?P<a>{_TOPIC})\s+and\s+(?P<b>{_TOPIC})"
               rf"(?P<rest>\s*,?\s+(?:with|and|in|according)\b[^?]*)?\s*[?.!]*\s*$", re.I),
    re.compile(rf"^\s*how\s+(?:does|do|is|are)\s+(?P<a>{_TOPIC})\s+(?:differ|different)\s+from\s+(?P<b>{_TOPIC})"
               rf"(?P<rest>\s*,?\s+(?:with|and|in|according)\b[^?]*)?\s*[?.!]*\s*$", re.I),
)


@dataclasses.dataclass(frozen=True)
class Compared:
    first: str
    second: str
    rest: str  # what they are compared on ("as less-hardline approaches"), or ""
    define: bool = False  # "the difference between X and Y": each is asked as "What is X?"

    def questions(self) -> tuple[str, str]:
        """One question per topic, each keeping what they are compared on."""
        if self.define:
            return f"What is {self.first}?", f"What is {self.second}?"
        return tuple(f"{t} {self.rest}".strip() for t in (self.first, self.second))  # type: ignore[return-value]


_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def _shared_noun(a: str, b: str) -> tuple[str, str]:
    """"a hardline and a less-hardline approach": the first term borrows the second's noun; "… differ from a
    less-hardline one": "one" is the first term's noun."""
    if len(a.split()) == 1 and len(b.split()) > 1:
        a = f"{a} {b.split()[-1]}"
    if b.split()[-1].lower() in ("one", "ones") and len(a.split()) > 1:
        b = f"{b.rsplit(None, 1)[0]} {a.split()[-1]}"
    return a, b


_POINTER = re.compile(r"^(?:that|this|it|they|them|these|those|the same)$", re.I)


def compared(question: str, is_source: Callable[[str], bool], earlier: str | None = None) -> Compared | None:
    """The two topics a comparison question sets side by side, or None (not a comparison, or one of the
    two is a document: overview/comparison.py answers those). A pointer ("How does that compare with
    détente?") stands for the `earlier` topic of a follow-up; without one it is no topic."""
    for form in _FORMS + _DEFINING_FORMS:
        m = form.match(question)
        if m is None:
            continue
        a, b = (earlier if _POINTER.match(t.strip()) and earlier else t.strip() for t in (m.group("a"), m.group("b")))
        if _POINTER.match(a) or _POINTER.match(b):
            return None
        if is_source(a) or is_source(b) or a.lower() == b.lower():
            return None
        define = form in _DEFINING_FORMS
        if define:
            a, b = _shared_noun(_ARTICLE.sub("", a), _ARTICLE.sub("", b))
        return Compared(a, b, (m.group("rest") or "").strip(" ,:-.!"), define)
    return None


def side_by_side(pair: Compared, decide: Callable[[str], Decision], mentions: Callable[[int, str], bool]) -> Decision | None:
    """The best sentence on each topic, as one decision; None when the documents answer for neither.
    Its confidence is the lower of the two (None when the heuristic decided alone). `mentions(row, topic)`:
    whether a sentence (with its headings) names the topic; a sentence that does not, chosen because of
    what they are compared on, gives way to the best sentence on the topic alone."""
    chosen: list[Scored] = []
    sure: list[float | None] = []
    for topic, q in zip((pair.first, pair.second), pair.questions()):
        decision = decide(q)
        if q != topic and not (decision.abstain or not decision.sentences or mentions(decision.sentences[0].row, topic)):
            decision = decide(topic)  # what they are compared on outweighed the topic itself
        if decision.abstain and decision.reason.startswith(UNKNOWN_REASON):
            return decision   # "How did the Trump administration's sanctions compare with Biden's?": one side is never mentioned
        if not decision.abstain and decision.sentences:
            best = decision.sentences[0]
            if all(best.row != c.row for c in chosen):
                chosen.append(best)
                sure.append(decision.confidence)
    if not chosen:
        return None
    confidence = None if any(p is None for p in sure) else min(p for p in sure if p is not None)
    return Decision(chosen, False, "", 0.0, confidence=confidence)


def names(sentence: SentenceRecord, topic: str) -> bool:
    """Whether a sentence or its section headings hold a content term of the topic."""
    wanted = set(terms(topic))
    return not wanted or bool(wanted & set(terms(" ".join((sentence.text, *sentence.section)))))
