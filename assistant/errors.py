"""Exceptions of the assistant package; the CLI and the chat map them to messages.

They sit under the project's one root, `ingest.errors.GroundworkError`, and take
their exit codes from its one table, `ExitCode`. SelectorError (selector.py),
LLMError (llm_client.py) and FeedbackError (chat/feedback.py) live beside the
code that raises them and derive from AssistantError.
"""
from __future__ import annotations

from ingest.errors import ExitCode, GroundworkError


class AssistantError(GroundworkError):
    """Base class: every expected failure while answering or serving."""


class InvalidQuestion(AssistantError):
    """Empty, too long, or otherwise unusable question or filter."""

    exit_code = ExitCode.INVALID_QUESTION


class CitationError(AssistantError):
    """A citation failed verification against the document text: always a bug."""

    exit_code = ExitCode.BUG
