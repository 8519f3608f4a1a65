"""A question that takes for granted what the documents deny.

"Why did Britain and Russia end up fighting a war over Afghanistan after 1907?" against "Russia and
Britain did not fight a war over Central Asia"; "Why does RAND conclude that the reset emboldened
Russia?" against "There is no evidence that the reset emboldened Russia". The best sentence is about
the same thing, so the quote looked like an answer, but the question's premise is what the passage
negates. When a question that asserts something (not a yes/no question, not one that negates, not
"whether") has two or more of its content terms inside the scope of a negation in the best sentence,
its neighbours or a close runner-up, the documents say the opposite: the answer abstains and shows
that sentence as the closest passage.

The scope of a negation is the few words after it, up to a clause boundary ("did not fight a war over
Central Asia"; "no evidence that the reset emboldened Russia"). Two terms, one of them a word the
question writes in lower case, keep a name listed beside a negation ("not Russia or Britain") from
counting as a denied predicate.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.lexical import PREPOSITIONS, terms

from .name_variants import names_a_place
from .negation import NEGATION

_NEGATOR = re.compile(r"\b(?:not|never|no|neither|nor)\b|n[’']t\b", re.I)
# "not only … but also" affirms; "no longer" and "not least" do not deny the words after them; "a decision
# not to tie cooperation …" describes a choice, it does not deny that ties exist.
_NOT_A_DENIAL = re.compile(r"\s*(?:only|just|least|less|longer|matter|doubt|surprise|exception|sooner|more than|to)\b", re.I)
# Punctuation ends a scope; a full stop does, but not those of "U.S." inside it.
_STOP = r"[,;:!?()\[\]—–]|(?<![A-Z])\.(?:\s|$)"
_BOUNDARY = re.compile(_STOP + r"|\b(?:but|and yet|although|though|while|whereas|because)\b", re.I)
# Words a question and a denial use for one act: "Why does the op-ed want the U.S. to drop all sanctions?"
# against "This does not mean the U.S. should jettison sanctions"; "Why did Britain cut its defense spending?"
# against "Britain did not subsequently reduce its expenditures on the defense of India".
_SAME_ACT = ("drop lift jettison scrap abandon remove eliminate abolish", "cut reduce lower decrease slash curb trim",
             "spending expenditure expenditures")
_CANONICAL = {t: group.split()[0] for group in _SAME_ACT for w in group.split() for t in terms(w)}


def _canon(ts: Iterable[str]) -> set[str]:
    return {_CANONICAL.get(t, t) for t in ts}


# "In the author's view, can sanctions be relied on …?": a yes/no question after an opening phrase.
# "So does she think …?": a discourse word first.
# A lead-in before it: "According to RAND, did …", "Short answer: does …", "Bottom line — is …".
_YES_NO = re.compile(r"^\s*(?:[^\s,?:—–][^,?:—–]*(?:,|:|—|–|\s-\s)\s*)?(?:(?:so|and|but|then|well|also|now|ok|okay)\s+)?"
                     r"(?:is|are|was|were|do|does|did|has|have|had|can|could|would|should|will|may|might|"
                     r"must|shall|isn|aren|wasn|weren|don|doesn|didn)\b", re.I)
# "What does RAND say about the reset emboldening Russia?" asks what is said, not why it happened.
_ASKS_WHETHER = re.compile(r"\b(?:whether|if|any|ever|about|regarding)\b", re.I)
# Beyond a negation word (negation.NEGATION), a question that fails, lacks or avoids something negates too.
_QUESTION_DENIES = re.compile(r"\b(?:fail\w*|lack\w*|refus\w*|avoid\w*|refrain\w*|except|other than|instead)\b", re.I)
SCOPE_WORDS = 7
MIN_DENIED = 2
# Prepositions the term list keeps ("over", "after"): shared with a denial, they say nothing of what is denied.
# "Which places were Britain and Russia fighting over for influence?" shares only "fight" with "Russia and
# Britain did not fight a war over Central Asia", which denies a war, not their rivalry.
_RELATIONAL = frozenset(terms(" ".join(PREPOSITIONS)))


def asserts(question: str) -> bool:
    """A wh-question that takes its content as given: not yes/no, not negated, not asking whether."""
    return not (_YES_NO.match(question) or _ASKS_WHETHER.search(question) or NEGATION.search(question)
                or _QUESTION_DENIES.search(question))


def asks_yes_no(question: str) -> bool:
    """"Did London cut its spending on India after 1907?": answered by a sentence that denies it as much as by
    one that affirms it."""
    return bool(_YES_NO.match(question)) and not NEGATION.search(question)


def _predicate_terms(question: str) -> set[str]:
    """The question's terms from words it writes in lower case (past the first word): its predicate."""
    tokens = question.split()[1:]
    # A place is no predicate, in lower case or not: "St. Petersburg" searches "russia" too, and "Russia did not
    # become more demanding" denies nothing of "What did St. Petersburg get out of the 1907 arrangement?".
    return set(terms(" ".join(t for t in tokens if t[:1].islower() and not names_a_place(t.strip("?.,!")))))


def denied(question: str, text: str) -> frozenset[str]:
    """The question's terms that `text` puts inside a negation's scope, when enough of them to deny it,
    and the word negated is one of them ("did not fight", not "was not under the ice")."""
    asked = _canon(terms(question))
    lower = _canon(_predicate_terms(question))
    for m in _NEGATOR.finditer(text):
        rest = text[m.end():]
        if _NOT_A_DENIAL.match(rest) or _RELATIVE.search(text[:m.start()]):
            continue
        stop = _BOUNDARY.search(rest)
        scope = (rest[:stop.start()] if stop else rest).split()[:SCOPE_WORDS]
        negated = _negated_word(scope)
        if not negated or not _canon(terms(negated)) & lower:
            continue
        hit = asked & _canon(terms(" ".join(scope)))
        if len(hit - _RELATIONAL) >= MIN_DENIED:
            return frozenset(hit)
    return _no_evidence(asked, lower, text)


# "did not find compelling evidence that U.S. offers … emboldened the Soviet Union to increase its demands",
# "There Appears to Be Little Evidence That … Limited Concessions Will Embolden It": what is denied is the
# whole clause after "that", which can run past the few words a negation's scope takes, and its predicate
# need not be its first word. "little" and "scant" deny only in this form.
_NO_EVIDENCE = re.compile(r"\b(?:not|never|no|little|scant|hardly any)\s+(?:[\w-]+\s+){0,2}?"
                          r"(?:evidence|signs?|indications?|proof)\s+(?:that|of)\s+", re.I)
CLAUSE_WORDS = 16
# A clause ends at punctuation, but not at the full stops of "U.S." inside it, and before a condition: in
# "no evidence that these states became more demanding when a stronger state adopted a less-hardline
# approach", what is denied is that they became more demanding, not the approach.
_CLAUSE_END = re.compile(_STOP + r"|\b(?:but|although|though|while|whereas|because|"
                         r"when|whenever|if|unless|once|after|before|since|until|as)\b", re.I)


def _no_evidence(asked: set[str], lower: set[str], text: str) -> frozenset[str]:
    for m in _NO_EVIDENCE.finditer(text):
        if _RELATIVE.search(text[:m.start()]):
            continue
        rest = text[m.end():]
        stop = _CLAUSE_END.search(rest)
        clause = _canon(terms(" ".join((rest[:stop.start()] if stop else rest).split()[:CLAUSE_WORDS])))
        hit = asked & clause
        if len(hit - _RELATIONAL) >= MIN_DENIED and hit & lower:
            return frozenset(hit)
    return frozenset()


# Words between a negation and what it negates: "did not become more demanding", "was not
# necessarily …"; and "no evidence that the reset emboldened", where what is denied follows "that".
_SKIP = frozenset("be been being have has had become becomes became the a an more much necessarily always "
                  "actually really directly yet".split())
_EVIDENCE = re.compile(r"^(?:evidence|sign|signs|indication|proof|reason)$", re.I)
_MEANS = frozenset("mean means imply implies suggest suggests".split())
_MODALS = frozenset("should would will must can could need needs ought".split())
# "Scholars who do not believe …": a relative clause negates for some, not the sentence's claim.
_RELATIVE = re.compile(r"\b(?:who|which|that|whom)\s+(?:\w+\s+)?$", re.I)


def _negated_word(scope: list[str]) -> str:
    words = [w.strip("\"'“”‘’").lower() for w in scope]
    i = 0
    if words and words[0] in _MEANS:
        # "does not mean the U.S. should jettison sanctions": what is denied is the verb after the modal.
        modal = next((j for j in range(1, min(len(words), 6)) if words[j] in _MODALS), None)
        if modal is None:
            return words[0]
        i = modal + 1
    if words and _EVIDENCE.match(words[0]) and len(words) > 1 and words[1] in ("that", "of"):
        i = 2
    while i < len(words) and (words[i] in _SKIP or (words[i].endswith("ly") and len(words[i]) > 4)):
        i += 1  # "did not subsequently reduce": an adverb between
    return words[i] if i < len(words) else ""
