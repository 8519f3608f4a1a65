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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord
from ingest.lexical import stopwords, terms

if TYPE_CHECKING:
    from .extractive import Scored

DEPTH = 12  # how far down the candidates a defining sentence is looked for

_TERM = r"(?:a |an |the )?(?P<term>[\w’'-]+(?: [\w’'-]+){0,4})"
# "RAND's definition of …", "the brief's definition of …": the source named before the frame.
_SOURCE = r"(?:(?:the\s+)?(?:rand|brief|report|study|op-?ed|author|authors|paper)(?:'s|’s|s’)?\s+)?"
_ASKS = (
    re.compile(rf"^\s*{_SOURCE}(?:(?:what\s*(?:is|'s|’s)\s+(?:the|a|an)\s+|the\s+)?(?:definition|meaning) of |"
               rf"(?:what|who)\s*(?:is|was|are|were|'s|’s)\s+(?:meant by )?|"
               rf"(?:how (?:does|do|did) .{{1,40}}? )?define ){_TERM}\s*[?.!]*\s*$", re.I),
    re.compile(rf"^\s*what (?:does|do) {_TERM} mean\s*[?.!]*\s*$", re.I),
    # "What does the brief mean by a hardline approach?": the term is what follows "mean by".
    re.compile(rf"^\s*what (?:does|do|did) .{{1,40}}? mean by {_TERM}\s*[?.!]*\s*$", re.I),
    # "what does it mean when a state takes a hardline approach?", "what does it mean to adopt a less-hardline
    # approach?": the term is what the subject takes, adopts or pursues.
    re.compile(rf"^\s*what (?:does|do|would) it mean (?:(?:when|if) .{{1,40}}? (?:takes?|adopts?|pursues?|follows?|"
               rf"uses?|chooses?)|to (?:take|adopt|pursue|follow|use|choose)) {_TERM}\s*[?.!]*\s*$", re.I),
    # "less-hardline approach definition": a keyword query, the term first.
    re.compile(rf"^\s*{_SOURCE}{_TERM}\s+(?:definition|meaning|defined)\s*[?.!]*\s*$", re.I),
)
_FILLER = re.compile(r"\b(?:even|actually|really|exactly|precisely|really even)\s+(?=mean\b)", re.I)
# How the answer should read, not what is defined: "whats a less hardline approach in plain english".
_MANNER = re.compile(r"\s*,?\s*(?:in (?:plain|simple|simpler|layman['’]?s?|everyday) (?:english|terms|words|language)|"
                     r"simply put|in a nutshell|in short|for (?:a )?(?:beginners?|laymen|layman|dummies)|eli5|exactly)"
                     r"(?=\s*[?.!]*(?:\s+[\w’'-]+){0,2}\s*$)", re.I)  # then a spelling fix or two may follow
_WHATS = re.compile(r"^(\s*)whats\b", re.I)
# Where to look, not what is defined: "… a hardline approach in the rand brief", "…, according to the op-ed".
_WRITING = r"(?:brief|report|study|op-?ed|paper|article|piece|column|documents?|authors?|rand)(?:['’]s)?"
_WHERE_SAID = re.compile(r"\s*,?\s*(?:in|from|by|according to|per|says?)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}"
                         rf"{_WRITING}(?=\s*[?.!]*(?:\s+[\w’'-]+){{0,2}}\s*$)", re.I)  # a spelling fix may follow, as for _MANNER
# ... and before it: "In the RAND brief, what does it mean when …".
_SAID_WHERE = re.compile(rf"^\s*(?:in|from|according to|per)\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,2}}{_WRITING}\s*,\s*", re.I)
_STOP_TERM = frozenset("it this that they there he she its their meant said".split())


def asked_term(question: str) -> str | None:
    """The term a "what is X?" question asks to define, or None for any other question."""
    question = _FILLER.sub("", question)  # "what does less hardline even mean"
    question = _WHATS.sub(r"\1what is", _SAID_WHERE.sub("", _WHERE_SAID.sub("", _MANNER.sub("", question))))
    for pattern in _ASKS:
        m = pattern.match(question)
        if m is not None:
            words = m.group("term").split()
            # A spelling fix appended to the question ("whats …" gets "what"), or a trailing "is": not the term.
            while len(words) > 1 and words[-1].lower() in stopwords():
                words.pop()
            return None if words[0].lower() in _STOP_TERM else " ".join(words)
    return None


# "define", "meaning": the frame of a definition question, not its subject. Kept as query terms, the rare
# word "defining" outweighed the term itself, and the sentence that defines it scored too low to be quoted.
FRAME_TERMS = frozenset(terms("define defined defines definition meaning means meant"))


def content_terms(question: str, qterms: list[str]) -> list[str]:
    """The question's terms without a definition question's frame words (all of them for other questions)."""
    if asked_term(question) is None:
        return qterms
    return [t for t in qterms if t not in FRAME_TERMS] or qterms


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
        rf"|\badopts?\s+(?:a|an|the)\s+(?:{x})(?:\s+(?:approach|policy|strategy|stance|posture))?\s+(?:when|if|by)\b"
        rf"|\bdefin\w*\s+(?:feature|characteristic|trait|element)s?\s+of\s+(?:a\s+|an\s+|the\s+)?(?:{x})\b"
        rf"|\b(?:{x})(?:es|s)?,?\s+(?:defined|understood|described)\s+as\b",
        re.I)


def defining(question: str, usable: Sequence[Scored], sentences: Sequence[SentenceRecord],
             known_word: Callable[[str], bool] | None) -> list[Scored]:
    """For "what is X?", the candidates near the top that define X, in score order; [] for other questions."""
    term = asked_term(question)
    if term is None:
        return []
    pattern = defining_pattern(term, known_word or (lambda w: True))
    if pattern is None:
        return []
    return [s for s in usable[:DEPTH] if pattern.search(sentences[s.row].text)]
