"""Reading a generated reply: citation markers, sentences and the claims they make.

Pure text functions (no index needed) that assistant/grounding/ checks
sentence by sentence: markers such as [1], [1, 2] or [Passage 3] are parsed
and removed, the reply is split into sentences (pysbd, plus line breaks for
lists), and each sentence's content terms and numbers are what must be found
in the passages it cites.
"""
from __future__ import annotations

import re

from ingest.lexical import fold, terms
from ingest.sentences import sentence_spans

# Answer words that make no checkable claim on their own ("Yes.", "Partly:").
DISCOURSE = frozenset(terms(
    "yes no not possibly partly largely mostly probably perhaps maybe indeed correct incorrect true false "
    "exactly generally likely unlikely sure certainly however"))
# [1], [1, 2], [1; 2], [1-3], [1 and 2], [Passage 1], [source 2]
_MARKER = re.compile(
    r"\s*\[\s*(?:(?:passage|source|doc(?:ument)?)\s*)?"
    r"(\d{1,3}(?:\s*(?:,|;|and|-|–|—)\s*(?:(?:passage|source)\s*)?\d{1,3})*)\s*\]",
    re.I,
)
_RANGE = re.compile(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.I)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)])")

def strip_reasoning(text: str) -> str:
    """Drop <think>…</think> blocks that reasoning models put in the content."""
    return _THINK.sub("", text or "").strip()


def parse_markers(raw: str) -> list[int]:
    out: list[int] = []
    for m in _MARKER.finditer(raw):
        body = m.group(1)
        for a, b in _RANGE.findall(body):
            lo, hi = int(a), int(b)
            if 0 < hi - lo <= 10:
                out.extend(range(lo, hi + 1))
        body = _RANGE.sub(" ", body)
        out.extend(int(x) for x in re.findall(r"\d{1,3}", body))
    return list(dict.fromkeys(out))


def remove_markers(raw: str) -> str:
    text = _MARKER.sub("", raw)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return " ".join(text.split())


def split_answer(text: str) -> list[tuple[int, str, list[int]]]:
    """(line, sentence without markers, cited numbers) for each sentence.

    Markers written after the full stop ("... 2009. [1] Next ...") land at the
    start of the next pysbd sentence; they are moved back to the sentence they
    follow.
    """
    out: list[tuple[int, str, list[int]]] = []
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for li, line in enumerate(lines):
        for s, e in sentence_spans(line, 0, len(line)):
            raw = line[s:e]
            lead = re.match(r"^(?:\s*\[[^\]]{1,40}\])+", raw)
            if lead and parse_markers(lead.group(0)):
                nums = parse_markers(lead.group(0))
                if out and out[-1][0] == li:
                    out[-1][2].extend(n for n in nums if n not in out[-1][2])
                    raw = raw[lead.end():]
                elif out:  # a line that starts with markers: they belong to the line before
                    out[-1][2].extend(n for n in nums if n not in out[-1][2])
                    raw = raw[lead.end():]
            clean = remove_markers(raw)
            if not re.search(r"\w", clean):
                if out and parse_markers(raw):
                    out[-1][2].extend(n for n in parse_markers(raw) if n not in out[-1][2])
                continue
            out.append((li, clean, parse_markers(raw)))
    return out


def check_text(text: str) -> str:
    """The part of a displayed sentence that is checked: no markers, bullet or markdown emphasis."""
    return _BULLET.sub("", remove_markers(text)).replace("**", "").replace("__", "")


def claim_terms(text: str) -> list[str]:
    """Content terms of a displayed sentence, minus answer words such as "yes" or "partly"."""
    return [t for t in terms(check_text(text)) if t not in DISCOURSE]


def has_claim(text: str) -> bool:
    """Does the sentence say anything checkable?"""
    return bool(claim_terms(text)) or bool(numbers_in(check_text(text)))


def numbers_in(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(fold(text))}


