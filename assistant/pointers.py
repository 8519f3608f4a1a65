"""A follow-up that points at one item of the previous answer: "say more about the first one".

After "What does RAND recommend?" lists five recommendations, "say more about the first one" names nothing
the documents say: its words are all frame. The item it points at is in the previous *answer*, and the
history the chat, the API and the CLI pass holds only the questions. Answers are deterministic, so the
previous answer is rebuilt by asking its question again (one more `ask`, only for such a follow-up), and
the pointed-at quote becomes the follow-up's topic, as a pronoun's antecedent does (followup.py).

The same holds for the item "which one is about timing?" names by its words, for "which one is the oldest?"
(the list asked again for its one dated extreme, overview/extremes.py), for "say more" / "go on" (the sentence
after the previous answer's last quote), for a bare "why?" (the previous question as a why-question,
elliptic.py), and for a pronoun after any of these, which stands for the item rather than the pointer's words.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from ingest.index import SentenceRecord
from ingest.lexical import terms
from ingest.roles import answerable

from .answer import Answer, Citation
from .elaboration import OPENS_COUNTED
from .elliptic import why_of
from .name_variants import variants
from .question import Question

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "last": -1, "final": -1}
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ITEM = (r"one|point|item|bullet|recommendation|finding|case|case study|study|example|benefit|cost|risk|option|"
         r"lesson|idea|reason|principle|approach")
# The whole question is the pointer and a request to go on: "say more about the first one", "tell me more about
# #2", "expand on the last point", "what about the second one?", "explain the third recommendation".
_POINTING = re.compile(
    r"^\s*(?:(?:and|ok|okay|so|now|then)\b[\s,]*)?(?:(?:can|could) you\s+|pls\s+|please\s+)?"
    r"(?:(?:say|tell me|talk|explain|elaborate|expand|go into|dig into|unpack|more)(?:\s+(?:a bit|a little|some))?"
    r"(?:\s+more)?(?:\s+(?:about|on|into))?\s+|what about\s+|how about\s+|and\s+(?=the\s))"
    rf"(?:the\s+|that\s+|#|no\.?\s*|number\s+)?(?P<ord>{_ORDINAL}|[1-9])(?:\s+(?:{_ITEM}))?"
    r"(?:\s+(?:pls|please|more|in more detail|in detail))?\s*[?.!]*\s*$", re.I)


# "What is the second reason?": the text's own second one when the previous answer quotes a run the text counts
# (enumerated_item); otherwise it asks about the documents ("what is the first case study"), as asked.
_WHAT_IS_NTH = re.compile(rf"^\s*(?:(?:and|ok|okay|so)\b[\s,]*)?what(?:['’]s|\s+is|\s+was|\s+are)\s+the\s+"
                          rf"(?P<ord>{_ORDINAL})(?:\s+(?:{_ITEM}))?\s*[?.!]*\s*$", re.I)


# "which one is the oldest?", "and which of them lasted longest": the extreme of the previous list
# (overview/extremes.py picks it from the items' years).
_EXTREME = re.compile(r"^\s*(?:(?:and|ok|okay|so|then)\b[\s,]*)?(?:which|what)\s+(?:one|of (?:them|those|these|the \w+))\b"
                      r"[^?]*?\b(?P<word>oldest|earliest|least recent|most recent|latest|newest|longest|shortest)\b", re.I)


_HOW_MANY = re.compile(r"^\s*how many\b", re.I)
_THAT_ONE = re.compile(r"\b(?:that|this) one\b", re.I)


# "say more", "go on", "tell me more": the previous answer, continued.
_MORE = re.compile(r"^\s*(?:(?:and|ok|okay|so|then)\b[\s,]*)?(?:(?:can|could) you\s+|pls\s+|please\s+)?"
                   r"(?:say more|tell me more|more|go on|continue|keep going|elaborate|expand(?: on (?:that|this|it))?|"
                   r"more (?:detail|details|on that|on this)|what else|anything else)(?:\s+(?:pls|please))?\s*[?.!]*\s*$", re.I)


# "Can you give an example?", "for example?", "like what?": the example the text gives of what the previous answer
# said, in the sentences after it ("Such a dynamic could be seen following the 2009 reset, when …").
_EXAMPLE = re.compile(r"^\s*(?:(?:and|ok|okay|so|then)\b[\s,]*)?(?:(?:(?:can|could) you\s+|pls\s+|please\s+)?"
                      r"(?:give|show|offer)\s+(?:me\s+|us\s+)?(?:an?|one|some|any|a few|a couple(?: of)?)\s+(?:concrete\s+|real\s+|specific\s+)?"
                      r"examples?(?:\s+of\s+(?:that|this|it))?|for example|for instance|examples?|like what|"
                      r"(?:is there|are there|any)\s+(?:an?\s+)?examples?)\s*[?.!]*\s*$", re.I)
# One that gives an example, not one that only announces some ("The gray box … provides examples of each").
_GIVES_EXAMPLE = re.compile(r"\b(?:for example|for instance|e\.g\.|could be seen|as when|a case in point|"
                            r"one of (?:many|several|the) (?:possible )?examples)\b", re.I)
_EXAMPLE_DEPTH = 4  # how many sentences after the previous answer an example is looked for


def example_pointed(question: Question) -> bool:
    """Whether the question is "give an example" resolved to the example the text gives (its topic): a factoid to
    quote, not a request for the documents' lists of examples."""
    return bool(question.topic and _EXAMPLE.match(question.text) and _GIVES_EXAMPLE.search(question.topic))


def example_after(answer: Answer, sentences: Sequence[SentenceRecord]) -> str | None:
    """The first sentence that gives an example among the answer's quotes past its first and the sentences after
    its last quote in the same section; None if none does."""
    quoted = next((c.text for c in answer.citations[1:] if _GIVES_EXAMPLE.search(c.text)), None)
    if quoted is not None and not answer.abstained:
        return " ".join(quoted.split())
    # one pass over the index, not one per sentence looked at
    return next((t for t in itertools.islice(_following(answer, sentences), _EXAMPLE_DEPTH) if _GIVES_EXAMPLE.search(t)),
                None)


def _row_of(quote: Citation, sentences: Sequence[SentenceRecord]) -> int | None:
    """The index row of the sentence a quote starts in; None when the index holds no such sentence."""
    return next((i for i, s in enumerate(sentences) if s.doc == quote.doc and s.start <= quote.start < s.end), None)


def _following(answer: Answer, sentences: Sequence[SentenceRecord]) -> Iterator[str]:
    """The sentences that follow the answer's last quote in its section and say something, not already quoted;
    none after an abstention."""
    if answer.abstained or not answer.citations:
        return
    row = _row_of(answer.citations[-1], sentences)
    if row is None:
        return
    here = sentences[row]
    quoted = {(c.doc, c.start) for c in answer.citations}
    for s in sentences[row + 1:]:
        if s.doc != here.doc or s.section != here.section:
            return
        if answerable(s) and not s.heading and (s.doc, s.start) not in quoted:
            yield s.text


def next_after(answer: Answer, sentences: Sequence[SentenceRecord], skip: int = 0) -> str | None:
    """The sentence that follows the answer's last quote in its section, past `skip` more that say something
    (a "go on" after a "say more"); None at the section's end or after an abstention."""
    return next(itertools.islice(_following(answer, sentences), skip, None), None)


# "which one is about timing?": the item of the previous list that speaks of it.
_ABOUT = re.compile(r"^\s*(?:(?:and|ok|okay|so)\b[\s,]*)?(?:which|what)\s+(?:one|of (?:them|those|these))\s+"
                    r"(?:(?:is|was|are|were)\s+)?(?:about|on|mentions?|deals? with|dealt with|covers?|covered|"
                    r"talks? about|concerns?|concerned|addresses|has to do with|had to do with|involves?|involved|"
                    r"includes?|included|features?|featured|looks? at|looked at|focus(?:es|ed)? on)\s+(?P<what>[^?]+?)\s*[?.!]*\s*$|"
                    # "give me the bureaucracy one", "and the china one?": the item named by a word of its own
                    r"^\s*(?:(?:and|ok|okay|so)\b[\s,]*)?(?:(?:give me|show me|tell me(?: more)? about|explain|what about|"
                    r"how about|what(?:['’]s| is) in)\s+)?the\s+(?!(?:other|opposite|same|next|previous|last|first|"
                    r"second|third|fourth|final|former|latter|new|old|main|right|wrong|best|worst|big|biggest|"
                    r"hardline|less-hardline|soft|softer|hard|harder)\s+one\b)(?P<named>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
                    r"\s+one\s*[?.!]*\s*$", re.I)


def item_about(answer: Answer, what: str) -> str | None:
    """The one quote of an answer sharing most terms with `what`; None when none shares any, or two tie."""
    asked = set(terms(" ".join(v for w in what.split() for v in variants(w))))  # "the USSR" meets "U.S.-Soviet"
    shared = [(len(asked & set(terms(c.text))), " ".join(c.text.split())) for c in answer.citations]
    best = max((k for k, _ in shared), default=0)
    top = [t for k, t in shared if k == best]
    return top[0] if best and len(top) == 1 and not answer.abstained else None


def points(turn: str) -> bool:
    """Whether a turn points into the answer before it (an item, the next sentences, an example), rather than
    asking anew."""
    return pointed_item(turn) is not None or any(p.match(turn) for p in (_ABOUT, _MORE, _EXTREME, _EXAMPLE, _WHAT_IS_NTH))


def _item_pointed(turn: Question, answer_of: Callable[[str, Sequence[str]], Answer],
                  sentences: Sequence[SentenceRecord]) -> str | None:
    """What a pointing turn pointed at: its resolved topic, or the one item its list answer quoted."""
    resolved = resolve(turn, answer_of, sentences)
    if resolved.topic:
        return resolved.topic
    if resolved.standalone and _EXTREME.match(turn.text):
        picked = answer_of(resolved.standalone, turn.history).citations
        return " ".join(picked[0].text.split()) if len(picked) == 1 else None
    return None


def pointed_item(question: str) -> int | None:
    """1-based position the question points at (-1: the last), or None when it points at nothing."""
    m = _POINTING.match(question)
    if not m:
        return None
    word = m.group("ord").lower()
    return int(word) if word.isdigit() else _ORDINALS[word]


def item_of(answer: Answer, n: int) -> str | None:
    """The text of the n-th quote of an answer (-1: the last), or None when it has no such quote."""
    quotes = [c.text for c in answer.citations]
    if answer.abstained or not quotes or n > len(quotes):
        return None
    return " ".join(quotes[n - 1 if n > 0 else -1].split())


# A run of sentences the text itself counts: "First, insecurity …", "Second, the mix …", "Third, states may …".
_COUNTED = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
_RUN = 12  # how many sentences after the answer's first quote the run is followed


def enumerated_item(answer: Answer, n: int, sentences: Sequence[SentenceRecord]) -> str | None:
    """The n-th of the reasons the text counts itself when the answer quotes part of that run: "say more about
    the third reason" after an answer quoting the lead-in, "First, …" and "Second, …" means the text's "Third,
    …", not the answer's third quote. None when the answer quotes no counted sentence."""
    if answer.abstained or n == 0 or not sentences:
        return None
    first = answer.citations[0] if answer.citations else None
    if first is None or not any(OPENS_COUNTED.match(c.text) for c in answer.citations):
        return None
    row = _row_of(first, sentences)
    if row is None:
        return None
    here = sentences[row]
    run = [s for s in sentences[row:row + _RUN] if s.doc == here.doc and s.section == here.section]
    for s in run:
        m = OPENS_COUNTED.match(s.text)
        word = m.group("word").lower() if m else ""
        if (n > 0 and word == _COUNTED[min(n, len(_COUNTED)) - 1]) or (n < 0 and word in ("finally", "lastly")):
            return " ".join(s.text.split())
    return None


def resolve(question: Question, answer_of: Callable[[str, Sequence[str]], Answer],
            sentences: Sequence[SentenceRecord] = ()) -> Question:
    """The question with the pointed-at quote as its topic; unchanged when it points at nothing.
    `answer_of(text, history)`: the answer to an earlier question, without resolving pointers again;
    `sentences`: the index's, where "say more" finds what follows the previous answer."""
    if question.history and why_of(question.text, question.history[-1]):
        # The previous question as it was read: "did it change soviet behavior" leaned on détente.
        read = answer_of(question.history[-1], question.history[:-1]).resolved_question or question.history[-1]
        why = why_of(question.text, read) or why_of(question.text, question.history[-1])
        return dataclasses.replace(question, standalone=why, topic=None)
    if _EXAMPLE.match(question.text) and sentences and question.history:
        example = example_after(answer_of(question.history[-1], question.history[:-1]), sentences)
        return dataclasses.replace(question, topic=example, standalone=None) if example else question
    if _MORE.match(question.text) and sentences:
        # The previous answer continued: the sentence after its last quote becomes the topic, as an item does.
        # Each "more" before this one has taken a sentence already.
        before = [i for i, turn in enumerate(question.history) if not _MORE.match(turn)]
        if not before:
            return question
        i = before[-1]
        following = next_after(answer_of(question.history[i], question.history[:i]), sentences,
                               skip=len(question.history) - i - 1)
        return dataclasses.replace(question, topic=following, standalone=None) if following else question
    n = pointed_item(question.text)
    nth = _WHAT_IS_NTH.match(question.text)
    if n is None and nth is not None and question.history:
        i = len(question.history) - 1
        item = enumerated_item(answer_of(question.history[i], question.history[:i]), _ORDINALS[nth.group("ord").lower()],
                               sentences)
        return dataclasses.replace(question, topic=item, standalone=None) if item else question
    extreme = _EXTREME.match(question.text)
    about = _ABOUT.match(question.text)
    if n is None and extreme is None and about is None:
        # "why would that help?" after "which one is about timing?": "that" is the item pointed at, not the
        # pointer's own words ("one is about timing"), which the follow-up took for its topic.
        # "What were the main results of that one?" after "which one was the most recent?": the item it picked.
        j = len(question.history) - 1 if _THAT_ONE.search(question.text) and question.history \
            and points(question.history[-1]) else \
            next((j for j in range(len(question.history) - 1, -1, -1) if question.topic
                  and points(question.history[j]) and question.topic in question.history[j]), None)
        if j is not None:
            item = _item_pointed(Question(question.history[j], question.history[:j], question.docs), answer_of, sentences)
            if item:
                return dataclasses.replace(question, topic=item)
        return question
    # "what about the last one?" after "say more about the first one": both point into the same list.
    listed = [i for i, turn in enumerate(question.history)
              if pointed_item(turn) is None and not _EXTREME.match(turn) and not _ABOUT.match(turn)]
    if not listed:
        return question
    i = listed[-1]
    if about is not None and n is None and extreme is None:
        item = item_about(answer_of(question.history[i], question.history[:i]), about.group("what") or about.group("named"))
        return dataclasses.replace(question, topic=item, standalone=None) if item else question
    if n is None:
        # The list asked again, for its one extreme item; only a list answer has items to compare.
        if extreme is None or answer_of(question.history[i], question.history[:i]).intent != "list":
            return question
        # "how many case studies" listed them, but as a frame it would count: "what are the case studies" lists.
        listing = _HOW_MANY.sub("what are the", question.history[i].rstrip(" ?.!"), count=1)
        asked = f"{listing}: which one is the {extreme.group('word').lower()}?"
        return dataclasses.replace(question, standalone=asked, topic=None)
    previous = answer_of(question.history[i], question.history[:i])
    item = enumerated_item(previous, n, sentences) or item_of(previous, n)
    # Replaces a rewrite of "what about the last one?" as the previous question's frame (substitution.py).
    return dataclasses.replace(question, topic=item, standalone=None) if item else question
