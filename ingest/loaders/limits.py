"""What a loader may refuse, and how the refusal is worded.

Shared by every format's loader and by the dispatcher (`load_file`), so a
refused file reads the same whatever its format.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import IngestError


class UnreadableDocument(IngestError):
    """A single file cannot be used; the build skips it with this message (it never reaches a CLI)."""


@dataclass(frozen=True)
class Limits:
    """Caps that keep one hostile file from exhausting time or memory (issue 14).

    `max_chars` caps the extracted text of a document; `max_bytes` caps the
    file itself, checked before it is read. A text file cannot decode to
    fewer than one character per 4 bytes, so a text file larger than
    4 x `max_chars` is refused before it is decoded at all.
    """

    max_chars: int = 20_000_000
    max_bytes: int = 100_000_000


DEFAULT_LIMITS = Limits()  # frozen, so one shared default is safe


def too_long(name: str, chars: int, limits: Limits) -> UnreadableDocument:
    return UnreadableDocument(
        f"{name}: refused, its text is longer than the cap of {limits.max_chars:,} characters "
        f"({'more than ' if chars > limits.max_chars else ''}{chars:,}); raise max_document_chars "
        "(RAGQA_MAX_DOCUMENT_CHARS) to index it")


def reason(exc: BaseException) -> str:
    """The exception's type and the first 200 characters of its first line: enough to act on, never a flood."""
    first = (str(exc).strip().splitlines() or [""])[0]
    first = first if len(first) <= 200 else first[:200] + "…"
    cls = type(exc)
    kind = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__.split('.')[0]}.{cls.__name__}"
    return f"{kind}: {first}" if first else kind
