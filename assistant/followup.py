"""Resolve a follow-up question against the conversation without an LLM.

A question that leans on earlier turns ("What were its long-term outcomes?")
gets the topic of the previous question (`topic_for`), which the `Question`
carries as a field (assistant/question.py); retrieval and sentence scoring see
"... its long-term outcomes? (about: the U.S.-Russia reset)", and the chat
shows `reading(question, topic)`. History is resolved turn by turn, so a chain
of follow-ups keeps its topic.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ingest.lexical import terms

from .name_variants import government_of, variants

if TYPE_CHECKING:
    from .extractive import Decision, Scored

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|this|these|those|he|him|his|she|her|hers|the same|such|that one|"
    r"the agreement|the approach|the case|the author|the brief|the article|the op-ed|the policy|the period|"
    # "why did the talks fall apart?", "how big were the cuts?": the talks or cuts just spoken of, unless named here
    r"the (?:talks|negotiations|deal|treaty|summit|cuts)(?!\s+(?:of|on|over|between|with|in|at|to)\b)|"
    r"(?:each|either|both|the two|the other) (?:sides?|parties|party|countries|country|states?|leaders?|powers?))\b",
    re.I,
)
_LEADING = re.compile(
    r"^\s*(?:(?:and|but|so|also|ok|okay|then)\b[\s,]*)?(?:(?:tell me more about|tell me about|tell me|what about|how about|more about|"
    r"(?:what|who|when|where|why|how)(?:['’]?s)?|which|did|does|do|is|are|was|were|can|could|would|should|might|may|must|will|"
    r"has|have|had|shall)\b\s*)*",
    re.I,
)


# "that" as a pronoun, not a conjunction: the subject of a question ("Why does that matter?") or its last word
# ("What's the evidence for that?"), also after a contracted question word ("hows that diff from hardline").
# "Does RAND say that sanctions work?" introduces a clause.
_THAT = re.compile(r"\b(?:does|did|do|is|was|would|will|could|can|should|has|(?:how|what|why|where)['’]?s) that\b|\bthat\s*[?.!]*\s*$", re.I)


# A question whose subject is left out: "Who was involved?", "What happened next?", "What came after that?".
_ELLIPTIC = re.compile(r"^\s*(?:(?:and|so|ok|okay|then)\b[\s,]*)?(?:who|what|when|where|why|how)\b[\w\s'’]{0,30}?"
                       r"\b(?:involved|next|then|afterwards|after that|later on|later|in the end|instead|in response)"
                       r"\s*[?.!]*\s*$", re.I)


# "What years?", "When?", "How much?", "Which issues exactly?": a bare question word (and a word of kind) asks about the subject
# already on the table. "Why?" and "How?" ask about the previous answer instead, which this module cannot
# resolve, so they are left alone.
_BARE = re.compile(r"^\s*(?:(?:and|so|ok|okay|then|but)\b[\s,]*)?(?:(?:who|what|when|where|which)"
                   r"(?:\s+(?:exactly|else|years?|dates?|months?|period|ones?))?|how\s+(?:much|many|long|often)|"
                   r"(?:which|what)(?:\s+[\w-]+){1,2}\s+exactly)"
                   r"\s*[?.!]*\s*$", re.I)


def elliptic(question: str) -> bool:
    """A question whose subject is left out ("Who was involved?", "What years?")."""
    return bool(_ELLIPTIC.match(question) or _BARE.match(question))


# "Give me a few examples.", "any examples?": examples of what was just asked about.
_BARE_EXAMPLES = re.compile(r"^\s*(?:(?:and|ok|okay|so|then)\b[\s,]*)?(?:(?:can|could) you\s+)?(?:(?:give|show|list)\s+)?"
                            r"(?:me\s+|us\s+)?(?:an?|one|some|any|a few|a couple(?: of)?|two|three)?\s*"
                            r"(?:concrete\s+|real\s+|specific\s+)?examples?\s*[?.!]*\s*$", re.I)


def needs_context(question: str) -> bool:
    q = question.strip().lower()
    return bool(_ANAPHORA.search(question) or _THAT.search(question) or elliptic(question)
                or _BARE_EXAMPLES.match(question)) or \
        q.startswith(("and ", "what about", "how about", "also ", "but "))


# "Who wrote the op-ed?": its subject is the op-ed, and "she" in the next turn is its author.
_AUTHORSHIP = re.compile(r"^\s*who\s+(?:wrote|writes|authored|is the author of|was the author of|are the authors of|"
                         r"were the authors of)\s+(?P<x>[^?]+?)\s*[?.!]*\s*$", re.I)


def authorship(question: str) -> str | None:
    """What a "Who wrote X?" question asks the author of ("the op-ed"), or None."""
    m = _AUTHORSHIP.match(question)
    return m.group("x") if m else None


# A request's frame ("Can you give some examples?", "Summarize the op-ed for me"): not its subject.
_REQUEST = re.compile(
    r"^(?:(?:quick\s+)?(?:q|question)\b\s*:?\s*(?:(?:on|about)\b\s*)?)?"   # "quick q on the reset …"
    r"(?:you\s+)?(?:please\s+)?(?:(?:summari[sz]e|explain|describe|outline|list|give(?: me)?|show(?: me)?)\b\s*)?"
    r"(?:(?:(?:an?|some|any|a few|the)\s+)?(?:examples?|overview|summary|gist|tl;?dr|recap|more)\b(?:\s+(?:of|about|on)\b)?\s*)?",
    re.I)
# "…, main ideas?", "the reset - key points": what kind of answer, typed after the subject.
_SUMMARY_END = re.compile(r"\s*[,:—–-]?\s*(?:(?:the\s+)?(?:main|key|big)\s+(?:ideas?|points?|takeaways?)|summary|overview|"
                          r"tl;?dr|gist|recap)\s*[?.!]*\s*$", re.I)
# How the answer should be given, typed after the subject: "explain detente real quick", "the reset in a nutshell
# pls", "whats the rand thing about basically". No part of a topic, nor of a question's reading (intent.py).
HOW_TO_ANSWER = (r"(?:\s*,?\s*\b(?:for me|please|pls|plz|briefly|in short|real quick|really quick|quick(?:ly)?|"
                 r"in a nutshell|in brief|in plain english|in simple terms|basically|again|tho|though|thx|thanks|"
                 r"in (?:like |about |just )?(?:a |one |two |three |four |five |a few |few |\d )?(?:short )?"
                 r"(?:sentences?|lines?|words?|bullets?|bullet points|paragraphs?)))+")
_REQUEST_END = re.compile(HOW_TO_ANSWER + r"\s*$", re.I)
# "What is the op-ed arguing?": the verb that asks what a source says is not part of its subject.
_SAYING = re.compile(r"\s+(?:arguing|saying|claiming|getting at|about|say|argue|claim)$", re.I)
# "What does “weak-willed” mean in that context?": where it was read, not what it is about.
_CONTEXT_END = re.compile(r"\s+(?:in (?:that|this|the) context|in context|here|there)$", re.I)
# "the first one", "that", "it": a pointer to an earlier answer names no subject of its own.
_POINTER = re.compile(r"^(?:(?:the|that|this|those|these)\s+)?(?:(?:first|second|third|fourth|fifth|last|other|latter|"
                      r"former|next|previous)\s+)?(?:one|ones|it|them|that|this|those|these|point|item)?$", re.I)


_DO_SUPPORT = re.compile(r"^\s*(?:(?:and|but|so|ok|okay|then)\b[\s,]*)?(?:what|which|who|whom|when|where|why|how)"
                         r"(?:\s+\w+)?\s+(?:do|does|did)\b", re.I)
# The bare verbs that follow a subject after "did" in questions to this kind of document. What a source
# recommends, concludes, finds or suggests is the subject of the next turn, so those verbs stay.
_BARE_VERB = re.compile(
    r"(?<=\s)(?:to\s+)?(?:want|try|achieve|accomplish|get|gain|obtain|say|think|mean|believe|hope|expect|see|offer|"
    r"argue|need|lead|cause|make|produce|change|happen|fail|end|start|begin|affect|help|"
    r"seek|agree|disagree|view|consider|use|give|take|include|cover|lose|fear|do|"
    r"support|oppose|describe|define|explain|claim|write|react|respond|matter|work|differ|compare|"
    r"look|come|go|deal|handle|approach|treat|stop|prevent|shape|reduce|improve|win|sign)\b(?:\s+(?:up|out of|out|to|from)\b)?"
    r"(?=\s|$)", re.I)


_DETERMINER = re.compile(r"(?:^|\s)(?:the|a|an|this|that|these|those|its|their|his|her|our|each|every|\d+)\s*$", re.I)


def _without_verb(topic: str) -> str:
    """The topic with its first bare verb (and a "to"-verb after it) cut out; a noun that reads as a verb
    after a determiner ("the deal") stays. An object pronoun stays too ("Britain it"): it marks a topic
    that points further back, which substitution.py will not take an aspect of."""
    padded = f" {topic}"
    for m in _BARE_VERB.finditer(padded):
        if m.start() <= 1 or _DETERMINER.search(padded[:m.start()]):
            continue
        end = m.end()
        while (more := _BARE_VERB.match(padded, end + 1)) and padded[end:end + 1] == " ":
            end = more.end()
        return re.sub(r"\s+", " ", padded[:m.start()] + padded[end:]).strip()
    return topic


def topic_of(question: str) -> str:
    """The subject phrase of a question: the question minus its interrogative frame, or "" when the frame
    is all it has ("Can you give some examples?")."""
    work = authorship(question)
    if work:
        return f"the author of {work}"
    if elliptic(question):
        return ""
    means = _MEANS_BY.match(question)
    if means:
        return means.group("topic")     # "What does the RAND brief mean by a less-hardline approach?"
    fronted = _FRONTED.match(question)
    if fronted and not _POINTER.match(fronted.group("topic")):
        return fronted.group("topic")   # "detente - what was the point": the subject typed first
    topic = _LEADING.sub("", question.strip()).strip(" ?.!")
    if _DO_SUPPORT.match(question):
        # "What did the reset try to achieve?": after "did", the bare verbs are the question's frame, not its
        # subject; what follows them ("… say about sanctions") is kept.
        topic = _without_verb(topic)
    topic = _REQUEST_END.sub("", _REQUEST.sub("", topic, count=1)).strip(" ?.!,")
    topic = _SUMMARY_END.sub("", topic).strip(" ?.!,")
    topic = _SAYING.sub("", _CONTEXT_END.sub("", topic)).strip(" ?.!,")
    topic = _PARTICIPLE_END.sub("", topic)
    return "" if _POINTER.match(topic) else topic


_MEANS_BY = re.compile(r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)?what (?:does|do|did) .{1,40}? mean by (?P<topic>[^?]+?)\s*[?.!]*\s*$",
                       re.I)
# "détente - what was the point", "the anglo russian deal, what was it": the subject typed before the question.
_FRONTED = re.compile(r"^\s*(?P<topic>(?!(?:what|who|why|how|when|where|which|and|so|but|ok|okay|in|on|at|since|after|before|during|"
                      r"according|per|for|from|by|under|given|if|as|despite|although|though|while|to|with|without|"
                      r"once|until|apart|besides|unlike|like|beyond)\b)[^,;:?—–]{3,60}?)"
                      r"\s*(?:,|;|:|\s[—–-]\s)\s*(?:what|who|whom|why|how|when|where|which)\b", re.I)
# "What was détente premised on?": the topic is "détente", not "détente premised on".
_PARTICIPLE_END = re.compile(r"\s+\w+(?:ed|en|wn)\s+(?:on|upon|for|of|by|with|in|to|about|from)$", re.I)


def topic_for(question: str, history: Sequence[str]) -> str | None:
    """The topic a follow-up leans on, or None when the question stands on its own."""
    topic: str | None = None
    for turn in history:
        turn = (turn or "").strip()
        if turn:
            topic = topic if (topic and needs_context(turn)) else topic_of(turn) or topic
    question = question.strip()
    if not topic or not needs_context(question) or topic.lower() in question.lower():
        return None
    # "it" is one thing: after "What were the three principles behind Obama's reset?", "What did it achieve?"
    # asks about the reset, not the principles.
    plural = _PLURAL_HEAD.match(topic)
    if plural and _SINGULAR_IT.search(question) and not _PLURAL_PRONOUN.search(question):
        return plural.group("x")
    return topic


_PLURAL_HEAD = re.compile(r"^(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}?[a-z][a-z-]*[^s\W]s\s+(?:of|behind|in|for|from|about|on)\s+"
                          r"(?P<x>\S.*)$")
_SINGULAR_IT = re.compile(r"\b(?:it|its)\b", re.I)
_PLURAL_PRONOUN = re.compile(r"\b(?:they|them|their|these|those)\b", re.I)


_ABOUT = re.compile(r"^(?P<q>.*?)\s*\(about: (?P<topic>.+)\)\s*$", re.S)
# A topic taken from "What happened during the U.S.-Soviet détente?" starts with the verb phrase;
# for a sentence that reads well only the event is wanted.
_EVENT_FRAME = re.compile(r"^(?:(?:happened|occurred|took place|went on|changed)\s+(?:during|in|at|on|after|before|with|w/?|between)"
                          r"|(?:know|learn|say|tell me)\s+about)\s+", re.I)
_POSSESSIVE = re.compile(r"\b(its|their)\s+([^?.!,;]+?)(?=\s*(?:[?.!,;]|$))", re.I)
_PRONOUN = re.compile(r"\b(it|this|that|they|them|these|those)\b(?!\s*['’]s\b)", re.I)
_LEAD_CONJ = re.compile(r"^\s*(?:and|but|so|also)\b[\s,]*", re.I)


def subject_of(question: str) -> str:
    """What a question is about, without its interrogative frame or an event verb ("Tell me about détente",
    "What happened during détente?" → "détente")."""
    return _EVENT_FRAME.sub("", topic_of(question).strip()).strip()


def about_topic(resolved: str) -> str | None:
    """The topic of a follow-up's retrieval text ("… (about: the U.S.-Russia reset)"), or None."""
    m = _ABOUT.match(resolved or "")
    return m.group("topic") if m else None


def plain_reading(resolved: str) -> str:
    """`reading` for an answer's stored JSON, whose `resolved_question` holds the retrieval text
    ("What were its long-term outcomes? (about: the U.S.-Russia reset)"): the chat, the export and
    feedback logs read answers back from that JSON. Text without an "(about: …)" part is returned
    unchanged."""
    m = _ABOUT.match(resolved or "")
    if not m:
        return resolved
    return reading(m.group("q"), m.group("topic"))


def reading(question: str, topic: str) -> str:
    """A follow-up and its topic as a plain question a reader can check at a glance.

    The retrieval text reads awkwardly in the chat (issue 15). Here the topic replaces the word
    that pointed back to it: "What were the long-term outcomes of the U.S.-Russia reset?". When no
    such word can be replaced, the topic is appended plainly ("…, about the reset?").
    """
    question, topic = question.strip(), _EVENT_FRAME.sub("", topic.strip())
    if not topic:
        return question
    end = question[-1] if question[-1:] in "?.!" else "?"
    body = question.rstrip("?.! ")
    replaced, n = _POSSESSIVE.subn(lambda p: f"the {p.group(2).strip()} of {topic}", body, count=1)
    if not n:
        replaced, n = _PRONOUN.subn(topic, body, count=1)
    if not n:
        rest = _LEAD_CONJ.sub("", body)
        replaced = f"{rest[:1].upper()}{rest[1:]}, about {topic}" if rest else topic
    return replaced[:1].upper() + replaced[1:] + end


OWN_RATIO = 0.75  # a follow-up's candidate holding its own words must score this share of the best


def own_words_first(asked: str, query: str, scored: list[Scored], text_of: Callable[[int], str]) -> list[Scored]:
    """A follow-up's candidates with one that holds the follow-up's own words first, when the best holds
    none of them and that one scores near it.

    "Was it successful?" about détente is retrieved as "… (about: détente)", and the topic's words won:
    a sentence on the Helsinki Act came first, above "Détente had an overall, if temporary, stabilizing
    effect". A word in capitals ("START") is an acronym, not the follow-up's word ("When did it start?").
    `asked` is the follow-up as asked, `query` what retrieval saw; for a question that stands alone they
    are the same and the order stands."""
    own = _own_words(asked, query)
    if not own or not scored:
        return scored

    def holds_own(s: Scored) -> bool:
        return bool(own & set(terms(" ".join(w for w in text_of(s.row).split() if not (w.isupper() and len(w) > 1)))))

    best = scored[0]
    if holds_own(best):
        return scored
    for s in scored[1:OWN_DEPTH]:
        if s.score < OWN_RATIO * best.score:
            break
        if holds_own(s):
            return [s] + [x for x in scored if x is not s]
    return scored


def own_extras(asked: str, query: str, decision: Decision, text_of: Callable[[int], str]) -> Decision:
    """A follow-up's answer led by a sentence holding the follow-up's own words, without the further picks
    that hold none of them and outscored it, which only the topic's words can have raised (the one beside it
    stays): "why did it fade out" (the reset) had quoted the reset's opening sentences around the one that
    says it faded. A lower-scored pick stays: "Was it successful?" (détente) keeps "Détente had an overall,
    if temporary, stabilizing effect"."""
    own = _own_words(asked, query)
    if decision.abstain or not own or len(decision.sentences) < 2:
        return decision

    def holds(row: int) -> bool:
        return bool(own & set(terms(text_of(row))))

    first, *rest = decision.sentences
    if not holds(first.row):
        return decision
    kept = [first] + [s for s in rest if s.score <= first.score or holds(s.row) or abs(s.row - first.row) == 1]
    return dataclasses.replace(decision, sentences=kept)


OWN_DEPTH = 8


def _own_words(asked: str, query: str) -> set[str]:
    """A follow-up's own terms: those of `asked` (the follow-up as asked; `query` is what retrieval saw) that the
    topic does not already name. None for a question that stands alone (`asked == query`)."""
    return set() if asked == query else set(terms(asked)) - _named_in_topic(asked, query)


def _named_in_topic(asked: str, query: str) -> set[str]:
    """Terms of the follow-up's names that the topic already names another way: "Moscow" in "And how has
    Moscow reacted to them?" after a question about sanctions on Russia is the topic's Russia, not a word
    of the follow-up's own that a sentence must hold."""
    topic = query[len(asked):].lower() if query.startswith(asked) else query.lower()
    out: set[str] = set()
    for name in re.findall(r"(?<!^)\b[A-Z][\w’'-]+", asked.strip()):
        country = government_of(name) or name.lower()
        if any(re.search(rf"\b{re.escape(v)}\b", topic) for v in variants(country)):
            out |= set(terms(name))
    return out
