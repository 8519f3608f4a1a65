"""Whether the best sentence says what the question asks, or something beside it.

Each check compares the question with the best candidate and its neighbours, for one way a near miss
looks like an answer: a question about whether something happened against a sentence that only
supposes it (hypothetical.py), a negated question against sentences that negate nothing (negation.py),
the opposite of what they state (antonyms.py), a question taking for granted what they deny
(denied.py), a category where specific members are asked for (specifics.py), an end it does not state (outcomes.py), a year they do not give (years.py), a number they give differently or an ordinal past their count (quantities.py), a count of something
else (counted.py), a reaction of someone they never name (reactions.py), and a name swapped for another (swaps.py). A yes/no question whose denial is a close
runner-up gets that denial first, as its answer. Where a candidate
a little further down does say it, scoring near the best, that candidate answers instead; otherwise the
answer is an abstention whose best candidate is shown as the closest passage.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from ingest.index import SentenceRecord
from ingest.lexical import terms
from ingest.roles import answerable

from .antonyms import swapped_word
from .causes import asks_why, effect_only, states_cause
from .counted import counts_something_else
from .denied import asks_yes_no, asserts, denied
from .hypothetical import asks_what_happened, only_supposed
from .negation import negates, states_a_negation
from .outcomes import asks_outcome, states_outcome, subject_terms, uncertain_outcome
from .quantities import ordinal_beyond, other_number
from .reactions import asked_reactor, names_reactor, reacts_to_source
from .specifics import asked_category, mentions, names_members
from .swaps import names, swapped_name
from .years import other_years, unplaced_year

if TYPE_CHECKING:
    from .extractive import Scored

# Reasons whose first sentence is the evidence itself (what the documents deny, suppose or leave unknown):
# it is shown as the closest passage however loosely it matches the question's words.
DENIED = "the documents say otherwise"
OUTCOME_UNKNOWN = "the documents say the outcome was not known"
SUPPOSED = "the documents only suppose it, never say it happened"
SHOWN_AS_EVIDENCE = (DENIED, OUTCOME_UNKNOWN, SUPPOSED)
REPLACE_DEPTH = 8  # how far down a candidate that does say it is looked for (a negated question, a count, a name),
REPLACE_RATIO = 0.7  # ... scoring at least this share of the best
DENY_DEPTH = 3  # a runner-up that denies what the question asserts: among the first this many candidates,
DENY_RATIO = 0.8  # ... scoring at least this share of the best
_HEDGE = re.compile(r"\b(?:does|do|did|would|will) not (?:mean|imply|suggest)\b|\bnecessarily\b", re.I)


def beside(row: int, sentences: Sequence[SentenceRecord], before: int = 1) -> list[str]:
    """A sentence and its neighbours in the same document: `before` sentences before it, one after."""
    doc = sentences[row].doc
    return [sentences[r].text for r in range(row - before, row + 2) if 0 <= r < len(sentences) and sentences[r].doc == doc]


# A name of two or more capitalised words ("Intermediate Nuclear Forces", "Edict of Nantes") or a hyphened
# pair of them ("Sino-Soviet", "Russo-Japanese"), not the question's first.
_LONG_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b(?:[A-Z][\w'’-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]+)+|"
                        r"[A-Z][a-z]+-[A-Z][\w'’-]+)")


# The name a question ends on as what it is about: "… stipulate about Tibet?", "… policy toward China?".
_FOCUS = re.compile(r"\b(?:about|regarding|concerning|toward|towards|with respect to|in relation to)\s+(?:the\s+)?"
                    r"((?:[A-Z][\w'’.-]+)(?:\s+(?:of\s+)?[A-Z][\w'’.-]+)*?)\s*[?.!]*\s*$")


def _widespread(name: str, sentences: Sequence[SentenceRecord]) -> bool:
    """Whether the documents name it throughout (Russia, in briefs on Russia): their topic, which most sentences
    leave unsaid, so one that leaves it out may still be about it."""
    low = name.lower()
    return sum(low in s.text.lower() for s in sentences) >= WIDESPREAD * len(sentences)


WIDESPREAD = 0.05


# What places a person asked for in time: "during the reset", "under Obama", "at the time of détente".
# Rare enough to place it: "reset" (IDF 2.2 in our corpus), not "policies" (0.07).
PLACED_IDF = 1.5
_PLACED = re.compile(r"\b(?:during|under|amid|throughout|at the time of)\s+(?:the\s+)?([\w'’-]+)", re.I)


def dropped_name(question: str, best: str, texts: Sequence[str], kind: str | None = None,
                 idf: Callable[[str], float] = lambda t: 0.0) -> str:
    """A long name the question and `best` share that `texts` never write, or "". For a person or name asked
    for, also a rare word that places it ("during the reset", "under Obama"): "who was secretary of
    state during the reset" against "Secretary of State James Byrnes' willingness …" (1945), when the best
    sentence is about the reset."""
    said = " ".join(texts).lower().replace("-", " ")   # "sino soviet" is the name "Sino-Soviet"
    for m in _LONG_NAME.finditer(question.strip()):
        name = m.group(0).lower().replace("-", " ")
        if name in best.lower().replace("-", " ") and name not in said:
            return m.group(0)
    if kind in ("name", "person"):
        placed = {t for m in _PLACED.finditer(question) for t in terms(m.group(1)) if idf(t) >= PLACED_IDF}
        left = (placed & set(terms(best))) - set(terms(said))
        return next((w for w in question.split() if set(terms(w)) & left), "").strip("?.,!")
    return ""


def check(question: str, usable: list[Scored], sentences: Sequence[SentenceRecord], qterms: Sequence[str],
          near: float, sources: Collection[str] = ()) -> tuple[list[Scored], str]:
    """The candidates with the one that answers first, and "" or why none does. `usable[0]` is the best
    candidate; `near` is the share of its score a replacement must reach for a supposition; `sources`:
    words naming the documents' publishers and authors, which are never a swapped name."""
    best = usable[0]
    if asks_what_happened(question) and only_supposed(sentences[best.row].text, qterms):
        said = [s for s in usable if not only_supposed(sentences[s.row].text, qterms)]
        if not said or said[0].score < near * best.score:
            return usable, SUPPOSED
        usable, best = said, said[0]
    texts = beside(best.row, sentences)
    if negates(question) and not states_a_negation(*texts):
        denying = _replacements(usable, lambda s: states_a_negation(sentences[s.row].text))
        if not denying:
            return usable, "the question negates what the documents state"
        usable, best = denying + [s for s in usable if s not in denying], denying[0]
        texts = beside(best.row, sentences)
    if asserts(question):
        denial = _denying(question, best, usable, sentences)
        if denial is not None:
            return [denial] + [s for s in usable if s.row != denial.row], DENIED
    elif asks_yes_no(question):
        # The sentence that denies what a yes/no question asks is its answer ("No"), ahead of one about its
        # motives: "Did London cut its spending on India?" is answered by "Britain did not subsequently reduce
        # its expenditures on the defense of India", not by "Britain was motivated … to rein in … spending".
        # A neighbour denying what the best one does not ("Russia may remain an aggressive, revisionist state,
        # but so too were all the weaker states in our case studies. There is no evidence that these states
        # became more demanding or aggressive …") is the answer, and was left out for scoring lower. One that
        # hedges the best ("This does not mean that a future limited outreach would necessarily have this
        # effect") stays behind it, and so does the heading of the next section: only a runner-up moves up then.
        denial = _denying(question, best, usable, sentences)
        if denial is not None and denial.row != best.row and (abs(denial.row - best.row) > 1 or not (
                _HEDGE.search(sentences[denial.row].text) or sentences[denial.row].heading)):
            usable = [denial] + [s for s in usable if s.row != denial.row]
            best = usable[0]
            texts = beside(best.row, sentences)
    if asks_outcome(question) and not states_outcome(*texts):
        unknown = [s for s in [best, *_replacements(usable, lambda s: True)] if uncertain_outcome(sentences[s.row].text)]
        if unknown:
            return unknown + [s for s in usable if s not in unknown], OUTCOME_UNKNOWN
        # A replacement states an end of the same thing ("survived the end of the reset" is not the war's end).
        subject = subject_terms(question)
        ending = _replacements(usable, lambda s: states_outcome(sentences[s.row].text)
                               and subject <= set(terms(sentences[s.row].text)))
        if not ending:
            return usable, "the passage does not say how it turned out"
        usable, best = ending + [s for s in usable if s not in ending], ending[0]
        texts = beside(best.row, sentences)
    category = asked_category(question)
    if category and mentions(category, sentences[best.row].text) and not names_members(
            question, category, sentences[best.row].text):
        # Specific members asked for, and the best sentence writes only the category: a candidate near the
        # top that names members answers instead. (One that names them without writing the category word,
        # "first and foremost regarding Ukraine but also missile defense", cannot be told from one that is
        # about something else, so the best sentence decides.)
        naming = _replacements(usable, lambda s: names_members(question, category, sentences[s.row].text))
        if not naming:
            return usable, f"the documents speak of {category} but name none"
        usable, best = naming + [s for s in usable if s not in naming], naming[0]
        texts = beside(best.row, sentences)
    swapped = swapped_word(question, *texts)
    if swapped:
        return usable, f"the documents state the opposite of “{swapped}”"
    if other_years(question, texts, sentences[best.row].section):
        return usable, "the passage is about other years"
    year = unplaced_year(question, texts, sentences[best.row].section)
    if year:
        return usable, f"the passage does not place it in {year}"
    number = other_number(question, texts)
    if number:
        return usable, f"the passage gives another number than {number}"
    # The count may sit in a runner-up the answer quotes too ("Three core principles were at the heart of the reset").
    ordinal = ordinal_beyond(question, [*texts, *(sentences[s.row].text for s in usable[1:DENY_DEPTH])])
    if ordinal:
        return usable, f"the passage counts fewer than a {ordinal}"
    noun = counts_something_else(question, sentences[best.row].text, sentences[best.row].section)
    if noun:
        counting = _replacements(usable, lambda s: not counts_something_else(
            question, sentences[s.row].text, sentences[s.row].section))
        if not counting:
            return usable, f"the passage does not count {noun}"
        usable, best = counting + [s for s in usable if s not in counting], counting[0]
        texts = beside(best.row, sentences)
    if asks_why(question) and effect_only(*texts):
        # "Why did Putin return to the presidency in 2012?" against what his return did to the relationship.
        causing = _replacements(usable, lambda s: states_cause(sentences[s.row].text))
        if not causing:
            return usable, "the passage gives what it led to, not why"
        usable, best = causing + [s for s in usable if s not in causing], causing[0]
        texts = beside(best.row, sentences)
    focus = _FOCUS.search(question)
    if focus and not names(focus.group(1), [*texts, *sentences[best.row].section]) and not _widespread(focus.group(1), sentences):
        # "What exactly did the 1907 Convention stipulate about Tibet?": what it is about must be named where the
        # answer is. No runner-up stands in: one that names it is as a rule about something else ("Three
        # countries were central to the Anglo-Russian competition: Persia, Afghanistan, and Tibet").
        return usable, f"the passage says nothing about {focus.group(1)}"
    who = asked_reactor(question)
    # "How does Young view sanctions?": the view of a document's own author or publisher is what the document says.
    if who and {w.lower() for w in who.split()} <= set(sources):
        who = None
    if who and (reacts_to_source(question) or not names_reactor(who, [*texts, *sentences[best.row].section])):
        # No runner-up stands in: one that names them is as a rule about them in another matter ("if U.S.-China
        # relations were to become more constructive" for how Beijing reacted to the reset).
        return usable, f"the passage does not say how {who} reacted"
    swap = swapped_name(question, texts, sentences[best.row].text, sentences[best.row].section, sources)
    if swap:
        naming = _replacements(usable, lambda s: names(swap[0], beside(s.row, sentences)))
        if not naming:
            return usable, f"the passage speaks of {swap[1]}, not {swap[0]}"
        usable = naming + [s for s in usable if s not in naming]
    return usable, ""


def _denying(question: str, best: Scored, usable: list[Scored], sentences: Sequence[SentenceRecord]) -> Scored | None:
    """The best sentence, a neighbour of it, or a close runner-up that negates what the question asserts."""
    rows = [r for r in (best.row, best.row - 1, best.row + 1)
            if 0 <= r < len(sentences) and sentences[r].doc == sentences[best.row].doc and answerable(sentences[r])]
    rows += [s.row for s in usable[1:DENY_DEPTH] if s.score >= DENY_RATIO * best.score and s.row not in rows]
    for r in rows:
        if denied(question, sentences[r].text):
            return dataclasses.replace(best, row=r)
    return None


def _replacements(usable: list[Scored], says_it: Callable[[Scored], bool]) -> list[Scored]:
    """Candidates near the top, scoring near the best, that say what the best one does not."""
    best = usable[0]
    return [s for s in usable[1:REPLACE_DEPTH] if s.score >= REPLACE_RATIO * best.score and says_it(s)]
