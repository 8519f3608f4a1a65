"""Resolve a follow-up question against the conversation without an LLM.

A question that leans on earlier turns ("What were its long-term outcomes?")
gets the topic of the previous question attached, so retrieval and sentence
scoring see "... its long-term outcomes? (about: the U.S.-Russia reset)".
History is resolved turn by turn, so a chain of follow-ups keeps its topic.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.lexical import stopwords, words

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|this|these|those|he|him|his|she|her|hers|the same|such|"
    r"the agreement|the approach|the case|the author|the brief|the article|the op-ed|the policy|the period)\b",
    re.I,
)
_LEADING = re.compile(
    r"^\s*(?:(?:and|but|so|also|ok|okay|then)\b[\s,]*)?(?:(?:tell me more about|tell me about|tell me|what about|how about|more about|"
    r"what|which|who|when|where|why|how|did|does|do|is|are|was|were|can|could|would|should)\b\s*)*",
    re.I,
)


def needs_context(question: str) -> bool:
    q = question.strip().lower()
    return bool(_ANAPHORA.search(question)) or q.startswith(("and ", "what about", "how about", "also ", "but "))


def topic_of(question: str) -> str:
    """The subject phrase of a question: the question minus its interrogative frame."""
    return _LEADING.sub("", question.strip()).strip(" ?.!")


def condense(question: str, history: Sequence[str]) -> str:
    topic: str | None = None
    for turn in history:
        turn = (turn or "").strip()
        if turn:
            topic = topic if (topic and needs_context(turn)) else topic_of(turn)
    question = question.strip()
    if not topic or not needs_context(question) or topic.lower() in question.lower():
        return question
    return f"{question} (about: {topic})"
