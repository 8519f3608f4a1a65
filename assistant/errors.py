"""Exceptions of the assistant package; the CLI and the chat map them to messages."""
from __future__ import annotations


class AssistantError(Exception):
    exit_code = 1


class InvalidQuestion(AssistantError):
    """Empty, too long, or otherwise unusable question or filter."""

    exit_code = 2


class CitationError(AssistantError):
    """A citation failed verification against the document text: always a bug."""

    exit_code = 70
