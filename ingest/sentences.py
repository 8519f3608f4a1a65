"""Sentence spans with exact offsets.

pysbd decides where sentences end; offsets are then found by locating each
sentence in the source, so `text[start:end]` equals the sentence by
construction, whatever pysbd does to whitespace.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable

from .invisible import spaced

MAX_SENTENCE_CHARS = 1500
_local = threading.local()


def _segmenter():  # pysbd keeps per-call state, so one segmenter per thread
    seg = getattr(_local, "seg", None)
    if seg is None:
        import pysbd

        seg = _local.seg = pysbd.Segmenter(language="en", clean=False)
    return seg


def _hard_wrap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long run at whitespace; such runs are tables or dumps, not prose."""
    out = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


_WORD = re.compile(r"\w", re.U)


def sentence_spans(text: str, start: int, end: int,
                   on_progress: Callable[[int], None] | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute (start, end), whitespace trimmed.

    The split is decided on `spaced` text (ingest/invisible.py): a zero-width
    space reads as a space, so "in 1934.\u200b\u200bThe next" is two sentences
    and neither holds the invisible characters between them. The spaced text has
    the same length, so the offsets point into the raw text unchanged (issue 14).

    `on_progress(offset)` is called as a long run is worked through: a single 5 MB line takes pysbd
    about 25 s, and the build reports progress from it (issue 14).
    """
    view = spaced(text[start:end])
    report = None if on_progress is None else (lambda at: on_progress(start + at))
    return [(start + s, start + e) for s, e in _spans(view, 0, len(view), report)]


def _spans(text: str, start: int, end: int,
           on_progress: Callable[[int], None] | None = None) -> list[tuple[int, int]]:
    chunk = text[start:end] if start or end != len(text) else text
    if len(chunk) > 20000:
        pieces = _hard_wrap(text, start, end)
        if len(pieces) == 1:
            return pieces
        out: list[tuple[int, int]] = []
        for s, e in pieces:
            out.extend(_spans(text, s, e))
            if on_progress is not None:
                on_progress(e)
        return out
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sent in _segmenter().segment(chunk):
        stripped = sent.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # pysbd changed the text; fall back to its length
            found = cursor
            while found < len(chunk) and chunk[found].isspace():
                found += 1
            stripped = chunk[found:found + len(sent.rstrip())].rstrip()
        s, e = start + found, start + found + len(stripped)
        cursor = found + len(stripped)
        if _WORD.search(text, s, e):
            spans.extend(_hard_wrap(text, s, e))
        elif spans:  # stray punctuation: attach to the previous sentence
            spans[-1] = (spans[-1][0], e)
    return spans
