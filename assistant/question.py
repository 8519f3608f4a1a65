"""A question as every answerer receives it: cleaned and validated once, follow-up resolved.

Front ends (CLI, chat, POST /api/ask, eval) hand raw input to `parse_question`
(through `Assistant.parse`) exactly once; everything after works on the
`Question`, which cannot hold an invalid value. A follow-up ("What were its
long-term outcomes?") carries the topic of the earlier turn as a field, not
written into the text: `retrieval_text` is the one place that joins them for
retrieval and sentence scoring, and `reading` is how the chat shows it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from .claims import claim_question
from .errors import InvalidQuestion
from .followup import reading, topic_for
from .substitution import naming, standalone_for

MAX_HISTORY_TURNS = 20
_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their)\b", re.I)  # a swapped question still leaning on a turn


@dataclass(frozen=True)
class Question:
    text: str                        # the question as asked, cleaned
    history: tuple[str, ...] = ()    # earlier questions, cleaned, oldest first (blank turns dropped)
    docs: tuple[str, ...] = ()       # document filter; empty searches every document
    topic: str | None = None         # the earlier turn's topic when the question leans on it
    standalone: str | None = None    # a rewrite that stands on its own (the LLM condenser), replacing text+topic

    @property
    def body(self) -> str:
        """What the user asked, without the attached topic (names in a topic were asked about earlier)."""
        return self.standalone or self.text

    @property
    def retrieval_text(self) -> str:
        """The text retrieval and sentence scoring see; `Answer.resolved_question` reports it."""
        if self.standalone:
            return self.standalone
        return f"{self.text} (about: {self.topic})" if self.topic else self.text

    @property
    def reading(self) -> str:
        """The resolved follow-up as a plain question ("What were the long-term outcomes of the reset?")."""
        return reading(self.text, self.topic) if self.topic and not self.standalone else self.retrieval_text

    @property
    def doc_filter(self) -> list[str] | None:
        return list(self.docs) or None

    def rewritten(self, standalone: str, limit: int) -> Question:
        """The same question with a standalone rewrite (cleaned like any question) in place of the topic."""
        return replace(self, standalone=clean_question(standalone, limit), topic=None)


def short(text: str, keep: int = 60) -> str:
    """At most a short prefix of user input in a message: a 10 MB id must not come back as a 10 MB error."""
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text)} characters)"


def clean_question(question: object, limit: int, what: str = "the question") -> str:
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    if len(question) > 10 * limit:  # refused before the per-character cleaning below, which takes seconds on 10 MB
        raise InvalidQuestion(f"{what} is {len(question)} characters long; the limit is {limit}")
    # Control characters carry no meaning for retrieval and break terminals;
    # zero-width and other format characters would split words ("Krem\u200blin").
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else "" if unicodedata.category(ch) == "Cf" else ch
                   for ch in question)
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestion("the question is empty; type a question about the documents")
    if len(text) > limit:
        raise InvalidQuestion(f"{what} is {len(text)} characters long; the limit is {limit}")
    return text


def _has_text(text: str) -> bool:
    return any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in text)


def clean_history(history: object, limit: int) -> tuple[str, ...]:
    """The last MAX_HISTORY_TURNS turns, cleaned; turns that hold nothing once cleaned are skipped."""
    if isinstance(history, str) or not isinstance(history, (list, tuple)):
        raise InvalidQuestion("the history must be a list of earlier questions")
    if not all(isinstance(h, str) for h in history):
        raise InvalidQuestion("each history turn must be text")
    recent = history[-MAX_HISTORY_TURNS:]
    first = len(history) - len(recent) + 1
    return tuple(clean_question(h, limit, f"earlier question {first + i} of the history")
                 for i, h in enumerate(recent) if h.strip() and _has_text(h))


# Chat preamble before the question proper: "I have five minutes before a meeting — what's the main argument of
# each document?", "Quick question: who wrote the op-ed?". Only a preamble about the asker (I, we, my) or a
# stock opener is dropped; "Sanctions: what does the op-ed say?" names its topic and is kept whole.
_PREAMBLE = re.compile(
    r"^(?P<pre>[^?]{2,100}?)\s*(?:—|–|:|;|\s-\s|\.\.\.|(?-i:(?<![A-Z]))\.(?=\s))\s*(?P<q>(?:what|what's|which|who|when|where|why|how|can|"
    r"could|is|are|does|do|did|should|summari[sz]e|give|tell|list|explain)\b.*)$", re.I)
_ABOUT_THE_ASKER = re.compile(r"^\s*(?:(?:ok|okay|so|hey|hi|hello|sorry|please|just|one more|another|quick|simple|"
                              r"dumb|basic|follow-up|different|new|unrelated|separate|other|next|last|final|random|"
                              r"related|side)\b[\s,]*)*(?:question|q|topic|thing)\b|\b(?:i|i'm|i’m|im|i've|we|we're|my|"
                              r"me|our)\b", re.I)


# A request that names the topic is no preamble, though it says "me": "Walk me through the diplomat expulsion
# example in the op-ed — what did Moscow do?" dropped to "What did Moscow do?" and quoted the reset's principles.
_NAMES_THE_TOPIC = re.compile(r"^\s*(?:(?:ok|okay|so|now|please|pls)\s*,?\s*)*(?:(?:walk|talk|take) (?:me|us) through|"
                              r"(?:tell|remind) (?:me|us) (?:about|of)|help (?:me|us) understand|"
                              r"give (?:me|us) (?:the |a )?(?:story|background|rundown|context|gist))\b", re.I)


# A polite request around the question: "Could you please explain why the reset's effects did not last?" is
# "Why the reset's effects did not last?"; its frame words diluted the match and hid the why from the checks.
_POLITE = re.compile(r"^\s*(?:(?:could|can|would|will) you\s+(?:please\s+)?|please\s+)?(?:explain|tell me|describe|"
                     r"(?:walk|talk|take) (?:me|us) through)"
                      r"(?:\s+to me)?\s+(?P<q>(?:why|how|what|when|where|who|which|whether)\b.*)$", re.I | re.S)


def without_preamble(text: str) -> str:
    """The question without a preamble about the asker or a polite request frame; the text unchanged when there
    is neither. A claim put for checking ("<claim>. Is that what RAND found?") is the question (claims.py)."""
    claim = claim_question(text)
    if claim is not None:
        return claim
    q = text
    m = _PREAMBLE.match(q)
    if m and _ABOUT_THE_ASKER.search(m.group("pre")) and not _NAMES_THE_TOPIC.match(m.group("pre")):
        q = m.group("q")
    r = _POLITE.match(q)
    if r:
        q = r.group("q")
    return text if q is text else q[:1].upper() + q[1:]


# Options the asker offers inside dashes: "What specific incentives—visa easing, sanctions relief, trade
# deals—does the op-ed propose?", "which incentives does it want - sanctions relief, trade deals, something
# else?". They are guesses, not what is asked: searched, they pull sentences about sanctions above the ones about
# incentives, and a guessed name the documents never write would make the question look unanswerable.
# An en dash or hyphen opens them only between spaces: "the Biden–Putin summit" is one name.
_OPTIONS = re.compile(r"\s*(?:—|\s[–-]\s)\s*(?!(?:what|which|who|when|where|why|how|is|are|do|does|did)\b)"
                      r"(?P<opts>[^—–?]{2,60}?(?:,|\bor\b)[^—–?]{2,60}?)(?:\s*—\s*|\s[–-]\s|(?=[?.!]*\s*$))", re.I)
_ASKS_FIRST = re.compile(r"^\s*(?:what|which|who|when|where|why|how|is|are|was|were|do|does|did)\b", re.I)


def without_options(text: str) -> str:
    """The question without the options its asker offers between dashes; unchanged when there are none."""
    if not _ASKS_FIRST.match(text):
        return text
    out = _OPTIONS.sub(" ", text, count=1)
    return text if out == text or len(out.split()) < 4 else re.sub(r"\s+([?.!])", r"\1", out).strip()


# "Different topic: …", "ok other question, …", "Switching to the RAND brief — does it agree …?": the asker
# says the question stands alone, so no earlier topic is attached.
_SWITCH = re.compile(r"^\s*(?:(?:ok|okay|so|now|and)\b[\s,]*)?(?:(?:(?:a|one|totally|completely|entirely)\s+)?"
                     r"(?:different|other|another|new|unrelated|separate)\s+(?:topic|question|q|subject|thing)|"
                     r"(?:changing|change of)\s+(?:the\s+)?(?:topic|subject)|on another (?:note|topic)|moving on|"
                     r"switching (?:topics?|gears|subjects?)|switching to\s+(?P<to>[^—–:;,?]+?)(?=\s*[—–:;,]))\s*(?:[—–:;,.!-]+\s*|\s+(?=(?:what|which|who|when|where|why|how|is|are|was|were|do|does|"
                     r"did|can|could|should|would|tell|give|summari[sz]e)\b))"
                     r"(?P<q>\S.*)$", re.I | re.S)
_IT = re.compile(r"\b(?:it|its)\b", re.I)


def topic_switch(text: str) -> str | None:
    """The question after a topic-switch opener, "Switching to X — does it …?" read as "does X …?"; None
    when the question does not open with one."""
    m = _SWITCH.match(text)
    if m is None:
        return None
    q = m.group("q")
    if m.group("to"):
        to = m.group("to").strip()
        q = naming(q, to, _IT)
    return q[:1].upper() + q[1:]


def parse_question(question: object, history: object = (), docs: object = None, *, limit: int,
                   check_docs: Callable[[object], list[str]],
                   source: Callable[[str], str | None] | None = None,
                   case: Callable[[str], str] | None = None) -> Question:
    """Validate raw input once (InvalidQuestion names what is wrong) and resolve a follow-up.

    `check_docs` checks the filter against the index (Assistant.check_docs); `source(text)` finds the
    phrase by which a text names a document, for "What about the op-ed?" (substitution.py); `case` gives
    a question typed in lower case its names' capitals (truecase.py)."""
    recase = case or (lambda text: text)
    cleaned = recase(clean_question(question, limit))
    turns = tuple(without_preamble(recase(t)) for t in clean_history(history, limit))
    doc_filter = check_docs(docs)
    switched = topic_switch(cleaned)
    if switched is not None:  # a new topic: the history is not read
        return Question(text=without_preamble(switched), history=turns, docs=tuple(doc_filter))
    text = without_options(without_preamble(cleaned))
    swapped = standalone_for(text, turns, source) if source is not None and turns else None
    if swapped and _POINTS_BACK.search(swapped) and (topic := topic_for(swapped, turns)):
        swapped = reading(swapped, topic)  # "What did Britain get out of it?": "it" is the earlier subject
    if swapped:
        return Question(text=text, history=turns, docs=tuple(doc_filter), standalone=clean_question(swapped, limit))
    return Question(text=text, history=turns, docs=tuple(doc_filter), topic=topic_for(text, turns))
