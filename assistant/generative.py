"""Generative answers from an OpenAI-compatible endpoint, every sentence checked.

    stream_answer(assistant, settings, question: Question) -> Iterator[str | Answer]

used through `answerers.LLMAnswerer` (make_answerer with settings.answer.answerer == "llm").
`answer_with_llm`/`stream_with_llm` take raw input for older callers and parse it once.

Flow for one question:

1. Follow-ups: with history, the LLM rewrites the question as a standalone
   one (`Question.standalone`); if its reply is unusable the rule-based topic is
   kept, and if the endpoint itself fails the whole answer falls back (below).
2. `assistant.answer` retrieves the passages and makes the extractive answer.
   If it abstains, the answer abstains: the model is never asked to answer
   from passages the extractive check found wanting.
3. The model gets the passages numbered [1]..[k] and must cite every
   sentence. Its reply is streamed (text deltas are yielded as they come).
4. `grounding.check_answer` checks every sentence against the passages it
   cites (lexical, embedding and number checks), drops out-of-range citation
   numbers, flags unsupported sentences and has citations.Citer build the
   citations, passage bounds included, like the extractive answerer's.
5. Fallback: when the endpoint is unreachable, stalls past
   `settings.llm.timeout_s`, answers with an HTTP error or an unusable
   reply, or when no sentence of the reply is supported, the result is the
   extractive answer with a notice saying why (`Answer.notice`).

Streaming contract: the items before the last are provisional text deltas
of the model's raw reply; the last item is always the checked `Answer`,
whose `text` replaces whatever was streamed (out-of-range citations removed,
citations written after each supported sentence, unsupported sentences left
without one; or the extractive fallback). Call `llm_client.prepare(settings)`
at start-up to import llama-index before the first question.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterator, Sequence

from ingest.config import Settings

from .answer import Answer, Passage
from .compose import ABSTAIN_TEXT
from .core import Assistant
from .grounding import check_answer, strip_reasoning
from .llm_client import Endpoint, LLMError, endpoint, stream
from .question import Question
from .selection import confident

log = logging.getLogger(__name__)

ANSWER_SYSTEM = """You answer questions about a small set of documents, using ONLY the numbered passages the user gives you.
Rules:
1. End every sentence with the number of the passage that supports it, in square brackets, e.g. [2] or [1][3].
2. Cite only passage numbers that appear in the list. Never invent a citation.
3. Stay close to the wording of the passages. Do not add facts, names, dates or numbers that are not in them.
4. If the passages do not answer the question, reply exactly: The documents do not answer this question.
5. Be concise: at most five sentences of plain text, no headings, no preamble."""

CONDENSE_SYSTEM = """You rewrite the user's latest question so that it can be understood without the conversation.
Resolve pronouns and references ("it", "they", "that agreement") using the earlier questions.
Keep the meaning and the wording where possible. Do not answer the question.
Reply with the rewritten question only, on a single line."""

MAX_HISTORY_IN_PROMPT = 6
_CONDENSE_PREFIX = re.compile(r"^\s*(?:standalone|rewritten|reformulated)?\s*(?:question|query)\s*:\s*", re.I)

NOTICE = {
    "config": "The LLM answerer is not configured ({detail}); this is the extractive answer.",
    "unreachable": "The language model could not be reached, so this is the extractive answer.",
    "timeout": "The language model did not reply within {timeout:g} s, so this is the extractive answer.",
    "http": "The language model returned an error{status}, so this is the extractive answer.",
    "malformed": "The language model's reply could not be used, so this is the extractive answer.",
    "unsupported": ("No sentence of the generated answer was supported by the passages it cites, "
                    "so this is the extractive answer."),
    "declined": "The language model found no answer in the passages, so this is the extractive answer.",
}
_DECLINED = re.compile(
    r"^\W*(?:(?:the |these |provided )*(?:documents|passages|sources|context) (?:do not|don't|does not|doesn't) "
    r"(?:answer|contain|say|mention|provide|include|state)|i (?:cannot|can't|am unable to|could not) (?:answer|find))",
    re.I)


def answer_with_llm(assistant: Assistant, settings: Settings, question: object, history: object = (),
                    docs: object = None) -> Answer:
    """The checked generative answer to raw input (or the extractive fallback with a notice)."""
    from .answerers import LLMAnswerer

    return LLMAnswerer(assistant, settings).answer(assistant.parse(question, () if history is None else history, docs))


def stream_with_llm(assistant: Assistant, settings: Settings, question: object, history: object = (),
                    docs: object = None) -> Iterator[str | Answer]:
    """`stream_answer` for raw input, parsed once here."""
    yield from stream_answer(assistant, settings, assistant.parse(question, () if history is None else history, docs))


def stream_answer(assistant: Assistant, settings: Settings, question: Question) -> Iterator[str | Answer]:
    """Yield the model's text deltas as they arrive, then the checked Answer."""
    t0 = time.perf_counter()
    limit = assistant.settings.answer.max_question_chars
    timings: dict[str, float] = {}
    failure: LLMError | None = None
    ep: Endpoint | None = None
    try:
        ep = endpoint(settings)
    except LLMError as exc:
        failure = exc

    # 1. Follow-ups: LLM condensing, rule-based when the LLM's rewrite is unusable.
    if question.history and ep is not None:
        tc = time.perf_counter()
        try:
            question = question.rewritten(condense_with_llm(ep, question.text, question.history, limit), limit)
        except LLMError as exc:
            if exc.kind == "malformed":
                log.info("LLM condensing unusable (%s); using the rule-based condenser", exc)
            else:
                failure = exc  # the endpoint itself failed: do not wait for it a second time
        timings["condense_ms"] = (time.perf_counter() - tc) * 1e3

    # 2. Retrieval and the extractive answer (the fallback, and the abstention decision).
    base = assistant.answer(question)
    base.timings = {**base.timings, **timings}
    if base.abstained:
        yield _finish(base, t0)
        return
    if failure is not None:
        yield _fallback(base, failure, ep, t0)
        return
    assert ep is not None

    # 3. Generation, streamed.
    tg = time.perf_counter()
    pieces: list[str] = []
    think = _ThinkFilter()
    try:
        for delta in stream(ep, answer_messages(question.retrieval_text, base.passages)):
            pieces.append(delta)
            visible = think.feed(delta)
            if visible:
                yield visible
        rest = think.flush()
        if rest:
            yield rest
    except LLMError as exc:
        base.timings["llm_ms"] = (time.perf_counter() - tg) * 1e3
        yield _fallback(base, exc, ep, t0)
        return
    base.timings["llm_ms"] = (time.perf_counter() - tg) * 1e3
    raw = strip_reasoning("".join(pieces))
    if not re.search(r"\w", raw):
        yield _fallback(base, LLMError("malformed", "the reply is empty"), ep, t0)
        return

    # 4. The sentence-by-sentence check.
    tk = time.perf_counter()
    checked = check_answer(assistant.evidence, raw, base.passages)
    base.timings["check_ms"] = (time.perf_counter() - tk) * 1e3
    for s in checked.sentences:
        if not s.supported and s.content:
            log.info("unsupported sentence (%s): %s", s.reason, s.text[:200])
    if checked.supported_count == 0 or not checked.citations:
        declined = bool(_DECLINED.match(raw))
        if declined and not confident(base.confidence):
            # The model says the passages hold no answer and the selector is not sure they do:
            # both doubt it, so abstain rather than quote a merely related sentence.
            yield _finish(dataclasses.replace(base, text=ABSTAIN_TEXT, abstained=True, citations=[],
                                              answerer="llm", abstain_reason="the model declined and the "
                                              "selector is not confident"), t0)
            return
        kind = "declined" if declined else "unsupported"
        yield _fallback(base, LLMError(kind, "no sentence of the reply is supported"), ep, t0)
        return
    notes = []
    if checked.unsupported:
        n, total = len(checked.unsupported), checked.claim_count
        notes.append(f"{n} of {total} sentences could not be verified against the passages they cite "
                     "and are marked as unsupported.")
    if checked.dropped:
        notes.append("Citations to passages that do not exist (" + ", ".join(f"[{n}]" for n in checked.dropped)
                     + ") were removed.")
    answer = dataclasses.replace(
        base, text=checked.text, abstained=False, citations=checked.citations, answerer="llm",
        notice=" ".join(notes), unsupported_sentences=list(checked.unsupported),
    )
    yield _finish(answer, t0)


# -- prompts -------------------------------------------------------------------
def format_passages(passages: Sequence[Passage]) -> str:
    blocks = []
    for n, p in enumerate(passages, start=1):
        where = " › ".join(x for x in (p.title, p.section) if x)
        blocks.append(f"[{n}] ({where})\n{p.text.strip()}")
    return "\n\n".join(blocks)


def answer_messages(question: str, passages: Sequence[Passage]) -> list[tuple[str, str]]:
    user = (f"Passages:\n\n{format_passages(passages)}\n\n"
            f"Question: {question}\n\n"
            f"Answer using only passages [1] to [{len(passages)}], citing every sentence.")
    return [("system", ANSWER_SYSTEM), ("user", user)]


def condense_messages(question: str, history: Sequence[str]) -> list[tuple[str, str]]:
    turns = list(history)[-MAX_HISTORY_IN_PROMPT:]
    convo = "\n".join(f"{i}. {t}" for i, t in enumerate(turns, start=1))
    user = (f"Earlier questions in this conversation:\n{convo}\n\n"
            f"Latest question: {question}\n\nStandalone question:")
    return [("system", CONDENSE_SYSTEM), ("user", user)]


def condense_with_llm(ep: Endpoint, question: str, history: Sequence[str], limit: int) -> str:
    """The LLM's standalone version of a follow-up; LLMError("malformed") when unusable."""
    from .llm_client import complete

    reply = strip_reasoning(complete(ep, condense_messages(question, history)))
    line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
    line = _CONDENSE_PREFIX.sub("", line).strip().strip("\"'“”‘’`").strip()
    line = " ".join(line.split())
    budget = min(limit, 2 * (len(question) + sum(len(h) for h in history[-MAX_HISTORY_IN_PROMPT:])) + 200)
    if not re.search(r"\w{2,}", line) or len(line) > budget:
        raise LLMError("malformed", f"unusable rewrite of the question ({len(line)} characters)")
    return line


# -- results ---------------------------------------------------------------------
def _finish(answer: Answer, t0: float) -> Answer:
    answer.timings = {**answer.timings, "total_ms": (time.perf_counter() - t0) * 1e3}
    return answer


def _fallback(base: Answer, exc: LLMError, ep: Endpoint | None, t0: float) -> Answer:
    log.warning("LLM answer unavailable (%s: %s); using the extractive answer", exc.kind, exc)
    template = NOTICE.get(exc.kind, NOTICE["malformed"])
    notice = template.format(detail=str(exc), timeout=ep.timeout_s if ep else 0.0,
                             status=f" (HTTP {exc.status})" if exc.status else "")
    return _finish(dataclasses.replace(base, answerer="extractive", notice=notice, unsupported_sentences=[]), t0)


class _ThinkFilter:
    """Hide a leading <think>…</think> block (reasoning models) from the streamed deltas."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self.state = "start"
        self.buf = ""

    def feed(self, delta: str) -> str:
        if self.state == "pass":
            return delta
        self.buf += delta
        if self.state == "start":
            head = self.buf.lstrip().lower()
            if not head or (len(head) < len(self.OPEN) and self.OPEN.startswith(head)):
                return ""
            if not head.startswith(self.OPEN):
                self.state, out, self.buf = "pass", self.buf, ""
                return out
            self.state = "think"
        i = self.buf.lower().find(self.CLOSE)
        if i < 0:
            return ""
        self.state, out, self.buf = "pass", self.buf[i + len(self.CLOSE):].lstrip(), ""
        return out

    def flush(self) -> str:
        """At the end of the reply: text held back while undecided (never an open think block)."""
        out = self.buf if self.state == "start" else ""
        self.buf = ""
        return out
