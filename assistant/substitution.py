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

from .followup import authorship, subject_of

_ASPECTS = (r"costs?|benefits?|risks?|downsides?|upsides?|advantages?|disadvantages?|drawbacks?|outcomes?|"
            r"long-term outcomes|results?|consequences?|effects?|impacts?|causes?|reasons?|goals?|aims?|"
            r"achievements?|lessons?|examples?|key components|components|principles")
# "And the corresponding costs?": a word pairing the aspect with the one asked before, which names no subject.
_PAIRED = r"(?:corresponding|respective|matching|associated|related|opposite|flip-side|other)"
_ASPECT = re.compile(rf"\b(?:{_ASPECTS})\b", re.I)
_LEAD = r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?"  # "And the benefits?", "OK, what about the op-ed?"
_BARE_ASPECT = re.compile(
    rf"{_LEAD}(?:(?:what|which) (?P<verb>are|were|is|was) )?(?:the |any )?(?:{_PAIRED} )?"
    rf"(?P<aspect>{_ASPECTS})\s*[?.!]*\s*$", re.I)
_EXAMPLE = re.compile(r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)?(?:give (?:me )?|any |can you give (?:me )?)?(?:an? |some )?"
                      r"examples?(?: please)?\s*[?.!]*\s*$", re.I)
_EXAMPLE_OF = re.compile(r"^Give an example of (?P<x>.+?)\.?$")  # this module's own rewrite of "Give an example"
_WHAT_ABOUT = re.compile(_LEAD + r"(?:(?:what|how) about|and(?: for| in)?|same for)\s+(?P<x>[^?.!]+?)\s*[?.!]*\s*$",
                         re.I)
_TAIL = re.compile(r"\b(?:of|about|on|during|for|toward|towards|with|in)\s+(?P<tail>[^?.!]+?)\s*(?P<end>[?.!]*)\s*$", re.I)
_NOT_A_SUBJECT = re.compile(r"(?:why|how|what|when|where|who|whom|which|whose|is|are|was|were|do|does|did|can|could|"
                            r"should|would|will|has|have|had|it|its|they|them|that|this|those|these|so|then|now|"
                            r"also|yet|more|else)\b", re.I)
_ASKS = re.compile(r"\s*(?:does|do|did|is|are|was|were|can|could|would|should|has|have|what|which|who|when|where|why|how)\b",
                   re.I)
_IT = re.compile(r"\b(?:it|its|they|their)\b", re.I)
_WHEN = re.compile(r"(after|before|during|since|until|following|prior to|today|now|in the future|nowadays)\b", re.I)
_AGREE = re.compile(_LEAD + r"(?:does|do|did|would|will) (?P<x>[^?]+?) (?P<verb>agree|disagree|concur)\b[^?]*\??\s*$",
                    re.I)
_BARE_QUESTION = re.compile(r"^\s*(?:(?:and|but|so|ok|okay|really)\b[\s,]*)*(?:why|how|how so|why not|really|what else|"
                            r"who|when|where|why is that|how come)?\s*[?.!]*\s*$", re.I)
_SUBJECT_NAME = re.compile(r"^\s*(?i:what|why|how|when|where|which|who)\s+(?i:did|does|do|was|were|is|are|has|have|had)\s+"
                           r"(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+(?!(?:and|or)\b)[a-z]")
_PRONOUN_TAIL = re.compile(r"^(?:it|them|this|that|these|those|him|her)$", re.I)
# A capitalised name after the first word ("What did Russia get out of it?"): the part "And Britain?" swaps.
_NAME = re.compile(r"(?<=\s)(?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*)*")
# "she", "he", "him", and "her"/"his" before a noun ("her argument": possessive).
_PERSON = re.compile(r"\b(?:she|he|him|(?P<poss>his|her)(?=\s+(?!to\b|about\b|on\b|for\b|and\b|or\b)[a-z]))\b|"
                     r"\bher\b", re.I)
MAX_SUBJECT_WORDS = 8


def standalone_for(question: str, history: Sequence[str], source: Callable[[str], str | None]) -> str | None:
    """The previous question with this one's part swapped in, or None. `source(text)`: the phrase by which
    `text` names a document ("the RAND brief"), or None."""
    prev, author = None, None
    for turn in history:  # each earlier turn read against the one before it, so a chain of swaps holds
        turn = (turn or "").strip()
        if turn and not (prev and _BARE_QUESTION.match(turn)):  # "Why?" swaps nothing and names no subject
            prev = (_swap_into(turn, prev, source) if prev else None) or turn
        if re.match(r"^\s*(?:and\s+)?who\b", turn, re.I):  # the latest "who" question says who "she" is
            author = authorship(turn)
    if prev is None:
        return None
    return _swap_into(question, prev, source) or (_author_for_pronoun(question, author) if author else None)


def _author_for_pronoun(question: str, work: str) -> str | None:
    """"Who wrote the op-ed?" + "What does she argue?": "What does the author of the op-ed argue?"."""
    author = f"the author of {work}"
    out, n = _PERSON.subn(lambda m: f"{work}’s" if m.group("poss") else author, question, count=1)
    return out[:1].upper() + out[1:] if n else None


def _swap_into(question: str, prev: str, source: Callable[[str], str | None]) -> str | None:
    return _aspect_of_subject(question, prev) or _swapped(question, prev, source) or _agreement(question, prev, source)


def naming(text: str, subject: str, pronouns: re.Pattern[str] = _IT) -> str:
    """`text` with its first pronoun standing for `subject`, a possessive ("its", "their") as "subject’s":
    "does it use …" about the op-ed is "does the op-ed use …"."""
    return pronouns.sub(lambda p: f"{subject}’s" if p.group(0).lower() in ("its", "their") else subject, text, count=1)


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
    example = _EXAMPLE_OF.match(prev)
    if example:  # "Give an example of a less-hardline approach." + "What are the risks?"
        return f"What are the {aspect} of {example.group('x')}?"
    if _ASPECT.search(prev):  # "What were the costs of détente?" + "And the benefits?"
        return _ASPECT.sub(aspect, prev, count=1)
    if not subject or len(subject.split()) > MAX_SUBJECT_WORDS or _PRONOUN_TAIL.match(subject.split()[-1]):
        return None  # "Russia get out of it" is no subject to take an aspect of
    verb = (m.group("verb") or "are").lower()
    verb = {"is": "are", "was": "were"}.get(verb, verb)
    return f"What {verb} the {aspect} of {subject}?"


def _swapped(question: str, prev: str, source: Callable[[str], str | None]) -> str | None:
    m = _WHAT_ABOUT.match(question)
    if not m:
        return None
    x = m.group("x").strip()
    subject, comma, rest = x.partition(",")
    if comma and _ASKS.match(rest):
        # "What about the op-ed, does it use any historical examples?": a question of its own, about X.
        q = naming(rest.strip(), subject.strip())
        # "What did the US get out of détente?" + "And what about the Soviets, what were they after?": still
        # about détente.
        tail = _TAIL.search(prev)
        about = tail.group("tail") if tail and not _PRONOUN_TAIL.match(tail.group("tail")) else ""
        if about and len(about.split()) <= MAX_SUBJECT_WORDS and about.lower() not in q.lower() \
                and not source(subject) and not source(about):
            q = f"{q.rstrip(' ?.!')}, about {about}"
        return q[:1].upper() + q[1:] + "?"
    if len(x.split()) > MAX_SUBJECT_WORDS or _NOT_A_SUBJECT.match(x):
        return None  # "And why?", "And then what happened?": a new question, not a new subject
    named, before = source(x), source(prev)
    if named and before:  # "Summarize the RAND brief" + "What about the op-ed?"
        return prev.replace(before, x, 1)
    if _ASPECT.fullmatch(re.sub(r"^(?:the|its|their)\s+", "", x, flags=re.I)) and _ASPECT.search(prev):
        return _ASPECT.sub(re.sub(r"^(?:the|its|their)\s+", "", x, flags=re.I), prev, count=1)
    when = _WHEN.match(x)
    if when:
        # "Does negotiating embolden Russia?" + "What about after the 2022 invasion?": the time is added to the
        # question (or replaces its own "after …"), not swapped for its subject.
        body = prev.rstrip(" ?.!")
        own = re.search(rf"\s+{when.group(1)}\b.*$", body, re.I)
        return f"{body[: own.start()] if own else body} {x}?"
    subject = _SUBJECT_NAME.match(prev)
    if subject and x[:1].isupper() and x.lower() not in prev.lower() and not source(x) and not source(subject.group("name")):
        # "What did Truman want out of the postwar talks?" + "And Stalin?": a name stands in for the asker's
        # subject, not for what follows "of" ("What did Russia get out of the 1907 deal?" + "And Britain?").
        return f"{prev[: subject.start('name')]}{x}{prev[subject.end('name'):]}"
    tail = _TAIL.search(prev)
    if tail and _PRONOUN_TAIL.match(tail.group("tail")):
        # "What did Russia get out of it?" + "And Britain?": the name is swapped, the pointer to the earlier
        # subject stays (Question resolves it).
        names = list(_NAME.finditer(prev[: tail.start("tail")]))
        if x[:1].isupper() and len(names) == 1:
            return f"{prev[: names[0].start()]}{x}{prev[names[0].end():]}"
        return None
    if tail and len(tail.group("tail").split()) <= MAX_SUBJECT_WORDS:
        return f"{prev[: tail.start('tail')]}{x}{tail.group('end') or '?'}"
    names = list(_NAME.finditer(prev))
    if not tail and x[:1].isupper() and len(names) == 1 and not source(names[0].group(0)):
        # "What did Truman want?" + "And Stalin?": the one name is the part swapped.
        return f"{prev[: names[0].start()]}{x}{prev[names[0].end():]}"
    return None
