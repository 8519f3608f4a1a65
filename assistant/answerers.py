"""The one answering interface every front end uses: the CLI, the chat, POST /api/ask and eval.

    answerer = make_answerer(settings)                 # or make_answerer(settings, assistant)
    question = answerer.parse(text, history, docs)     # validated once; InvalidQuestion otherwise
    answer = answerer.answer(question)                 # an Answer
    for item in answerer.stream(question): ...         # str deltas (LLM only), then the Answer

`settings.answer.answerer` picks the implementation here and nowhere else. Both
answerers retrieve and choose through the same Assistant, and their
citations come from the same builder (assistant/citations.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ingest.config import Settings

from .answer import Answer
from .core import Assistant
from .question import Question


class Answerer(Protocol):
    name: str
    assistant: Assistant

    def parse(self, question: object, history: object = (), docs: object = None) -> Question: ...

    def answer(self, question: Question) -> Answer: ...

    def stream(self, question: Question) -> Iterator[str | Answer]: ...


class _Base:
    name = ""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def parse(self, question: object, history: object = (), docs: object = None) -> Question:
        return self.assistant.parse(question, history, docs)


class ExtractiveAnswerer(_Base):
    """Quotes the sentences that answer, each cited (Assistant.answer)."""

    name = "extractive"

    def answer(self, question: Question) -> Answer:
        return self.assistant.answer(question)

    def stream(self, question: Question) -> Iterator[str | Answer]:
        yield self.answer(question)


class LLMAnswerer(_Base):
    """Writes the answer with a language model, checks every sentence, falls back to the extractive answer
    (assistant/generative.py)."""

    name = "llm"

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        super().__init__(assistant)
        self.settings = settings

    def answer(self, question: Question) -> Answer:
        final: Answer | None = None
        for item in self.stream(question):
            if isinstance(item, Answer):
                final = item
        if final is None:  # stream_answer always ends with an Answer
            raise RuntimeError("the LLM answerer returned no answer")
        return final

    def stream(self, question: Question) -> Iterator[str | Answer]:
        from .generative import stream_answer  # the optional backend, imported on first use

        yield from stream_answer(self.assistant, self.settings, question)


def make_answerer(settings: Settings, assistant: Assistant | None = None) -> Answerer:
    """The configured answerer over `assistant` (opened from `settings` when not given)."""
    assistant = assistant or Assistant.from_settings(settings)
    if settings.answer.answerer == "llm":
        return LLMAnswerer(assistant, settings)
    return ExtractiveAnswerer(assistant)
