"""Answer or abstain: the learned selector's say over the heuristic choice.

The heuristic (extractive.decide) chooses the sentences and applies its
cheap checks: a question naming something the corpus never mentions, one
asking for a date, number or name that no candidate states, and a weak
combined score. The learned selector (selector.py) then scores the head of
the candidate list; when even its best candidate is unlikely to answer
(probability below the dev-fitted threshold), the answer becomes an
abstention. Its probability is the answer's `confidence`.

Why the heuristic still chooses the sentence: measured on the dev split,
ranking by the learned probability cited the gold evidence less often
(citation support .784 against .811) while the learned abstention veto
added abstentions at almost no cost (docs/answers.md, "The learned
selector"). Each part does what it measures best at.

A false premise ("What did Iran do on Yom Kippur?" against a sentence about
Syria and Egypt): when the decision is to abstain but the best candidate
matches the question closely, it is kept as `closest`, so the answer can
show what the documents do say.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ingest.index import SentenceRecord

from .asked_type import expected_type, satisfies
from .extractive import UNKNOWN_REASON, Decision, Scored, quotable
from .passing import PASSING_THRESHOLD
from .premises import SHOWN_AS_EVIDENCE
from .selector import LearnedSelector
from .selector_text import pair_text

# "Matches the question closely": the IDF-weighted share of question terms the
# sentence holds, or its embedding similarity to the question.
CLOSE_LEXICAL = 0.5
CLOSE_DENSE = 0.55
# When an LLM declines to answer, the extractive quote stands in only if the selector is at
# least this sure of it; below, the decline and the selector's doubt together make an abstention.
CONFIDENT = 0.5
# A runner-up answers in place of a doubted first choice (runner_up): among the next RESCUE_DEPTH candidates
# scoring at least RESCUE_RATIO of the first, one the selector gives RESCUE_P or more.
RESCUE_DEPTH = 3
RESCUE_RATIO = 0.85
RESCUE_P = 0.3
# A keyword query ("New START", "anglo russian convention 1907") names a topic and asks nothing of it: up to four
# words, none of them a question word, an auxiliary or a request. The selector learned questions; to it the
# sentence naming the topic "does not answer" a question that was never asked.
_ASKING = re.compile(r"\b(?:what|whats|who|whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|can|could|"
                     r"should|would|will|has|have|had|tell|explain|describe|summari[sz]e|give|list|show|define)\b", re.I)


def confident(p: float | None) -> bool:
    """The heuristic alone gives no probability; it is never "confident" in this sense."""
    return p is not None and p >= CONFIDENT


def answerability(question: str, scored: Sequence[Scored], sentences: Sequence[SentenceRecord], titles: dict[str, str],
                  selector: LearnedSelector) -> float:
    """The probability that the best of the first candidates answers the question."""
    usable = [s for s in scored if quotable(sentences[s.row], question)] or list(scored)
    head = usable[:selector.config.candidates]
    if not head:
        return 0.0
    texts = [pair_text(titles[sentences[s.row].doc], sentences[s.row].section, sentences[s.row].text)
             for s in head]
    return float(selector.probabilities(question, texts, [s.dense for s in head], [s.lexical for s in head]).max())


def runner_up(question: str, scored: Sequence[Scored], sentences: Sequence[SentenceRecord], titles: dict[str, str],
              selector: LearnedSelector) -> tuple[Scored, float] | None:
    """When the selector doubts the heuristic's first choice: a close runner-up it is sure of, with its
    probability. "how did rand choose its case studies" ranks "… they can choose either a hardline or a
    less-hardline approach" first on the rare word "choose" (probability 0.12); "Although all the selected
    cases involve either Russia or the Soviet Union, this choice was based on …" scores 0.40. Only runners-up
    scoring near the first (RESCUE_RATIO) and stating what the question asks for (a date, a number) are read,
    and only here, so an answer the selector accepts costs no extra pair."""
    usable = [s for s in scored if quotable(sentences[s.row], question)]
    if len(usable) < 2:
        return None
    kind = expected_type(question)
    near = [s for s in usable[1:1 + RESCUE_DEPTH] if s.score >= RESCUE_RATIO * usable[0].score
            and satisfies(kind, question, sentences[s.row].text)]
    if not near:
        return None
    texts = [pair_text(titles[sentences[s.row].doc], sentences[s.row].section, sentences[s.row].text) for s in near]
    probs = selector.probabilities(question, texts, [s.dense for s in near], [s.lexical for s in near])
    i = int(probs.argmax())
    return (near[i], float(probs[i])) if probs[i] >= max(RESCUE_P, selector.config.threshold) else None


def with_learned_abstention(decision: Decision, question: str, scored: Sequence[Scored],
                            sentences: Sequence[SentenceRecord], titles: dict[str, str],
                            selector: LearnedSelector, passing: str = "") -> Decision:
    """`passing`: a name the question asks a detail of that the documents write only once (passing.py),
    which holds the answer to the higher PASSING_THRESHOLD."""
    if decision.abstain and decision.reason.startswith(UNKNOWN_REASON):
        return dataclasses.replace(decision, confidence=0.0)  # certain: no selector call needed
    p = answerability(question, scored, sentences, titles, selector)
    if not decision.abstain and p < selector.config.threshold and not _looked_up(question, decision):
        rescued = runner_up(question, scored, sentences, titles, selector)
        if rescued is not None:
            decision, p = dataclasses.replace(decision, sentences=[rescued[0]]), rescued[1]
        else:
            decision = dataclasses.replace(decision, abstain=True, reason="no candidate answers the question "
                                           "(learned selector)")
    elif not decision.abstain and passing and p < PASSING_THRESHOLD:
        named = f"the {passing}" if " " in passing else passing   # "the Quadripartite Agreement", "Tibet"
        decision = dataclasses.replace(decision, abstain=True, reason=f"the documents name {named} only in passing "
                                       "(learned selector)")
    closest = None
    if decision.abstain and decision.sentences:
        evidence = decision.reason in SHOWN_AS_EVIDENCE
        closest = decision.sentences[0] if evidence else _close(decision.sentences[0])
    return dataclasses.replace(decision, confidence=p, closest=closest)


def _looked_up(question: str, decision: Decision) -> bool:
    """A keyword query whose every term the chosen sentence writes: what the documents say of the topic."""
    return (len(question.split()) <= 4 and not _ASKING.search(question) and bool(decision.sentences)
            and decision.sentences[0].lexical >= 0.999)


def _close(s: Scored) -> Scored | None:
    return s if s.lexical >= CLOSE_LEXICAL or s.dense >= CLOSE_DENSE else None
