"""Where evidence is, by text position: quotes located in documents, span algebra, retrieval @k and
citation metrics (see the package docstring for the conventions).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Span = tuple[str, int, int]  # (document id, start, end), end exclusive
KS = (1, 3, 5, 10)
ROUND = 6


def rounded(x: float) -> float:
    """A metric value as results.json stores it: a plain float to ROUND decimals (byte-stable reruns)."""
    return round(float(x), ROUND)


# -- locating quotes ------------------------------------------------------------
_TYPO = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                       "\u00a0": " ", "\u2026": "."})


def normalise_with_map(text: str, casefold: bool = False) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and unify quotes/dashes.

    Returns the normalised text and, for each of its characters, the index of
    the original character it came from (so matches map back to offsets).
    """
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\u00a0":
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        c = ch.translate(_TYPO)
        if casefold:
            low = c.lower()
            c = low if len(low) == 1 else c
        out.append(c)
        where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def locate(doc_text: str, quote: str) -> tuple[int, int] | None:
    """[start, end) of ``quote`` in ``doc_text``: exact first, then normalised, then case-insensitive."""
    if not quote or not quote.strip():
        return None
    pos = doc_text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    for casefold in (False, True):
        norm_doc, where = normalise_with_map(doc_text, casefold)
        norm_quote, _ = normalise_with_map(quote, casefold)
        if not norm_quote:
            return None
        pos = norm_doc.find(norm_quote)
        if pos >= 0:
            return where[pos], where[pos + len(norm_quote) - 1] + 1
    return None


# -- span algebra ---------------------------------------------------------------
def merge(spans: Iterable[Span]) -> dict[str, list[tuple[int, int]]]:
    """Union of spans per document, as sorted disjoint intervals (touching ones merged)."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc, s, e in spans:
        if e > s:
            by_doc.setdefault(doc, []).append((int(s), int(e)))
    out: dict[str, list[tuple[int, int]]] = {}
    for doc, ivs in by_doc.items():
        ivs.sort()
        merged: list[list[int]] = []
        for s, e in ivs:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        out[doc] = [(s, e) for s, e in merged]
    return out


def covered_chars(target: Span, spans: Iterable[Span]) -> int:
    doc, s, e = target
    total = 0
    for a, b in merge(spans).get(doc, []):
        total += max(0, min(e, b) - max(s, a))
    return total


def is_inside(target: Span, spans: Iterable[Span]) -> bool:
    """True when the union of ``spans`` covers all of ``target`` (same document)."""
    doc, s, e = target
    if e <= s:
        return False
    return any(a <= s and e <= b for a, b in merge(spans).get(doc, []))


def overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and min(a[2], b[2]) > max(a[1], b[1])


# -- retrieval -------------------------------------------------------------------
def found_rank(ranked: Sequence[Span], target: Span) -> int | None:
    """1-based rank at which the top-r passages first cover ``target``; None if never."""
    for r in range(1, len(ranked) + 1):
        if is_inside(target, ranked[:r]):
            return r
    return None


def hit_at_k(ranked: Sequence[Span], evidence: Sequence[Span], k: int) -> float | None:
    """1.0 when some gold evidence is covered by the top-k passages; None without evidence."""
    if not evidence:
        return None
    top = list(ranked[:k])
    return 1.0 if any(is_inside(ev, top) for ev in evidence) else 0.0


def recall_at_k(ranked: Sequence[Span], evidence: Sequence[Span], k: int) -> float | None:
    """Share of gold evidence pieces covered by the top-k passages; None without evidence."""
    if not evidence:
        return None
    top = list(ranked[:k])
    return rounded(sum(is_inside(ev, top) for ev in evidence) / len(evidence))


def reciprocal_rank(ranked: Sequence[Span], evidence: Sequence[Span], max_rank: int | None = None) -> float | None:
    """1/r for the first rank r at which some gold evidence is covered (0.0 if none by max_rank)."""
    if not evidence:
        return None
    ranks = [r for r in (found_rank(ranked[:max_rank] if max_rank else ranked, ev) for ev in evidence) if r]
    return rounded(1.0 / min(ranks)) if ranks else 0.0


# -- citations -------------------------------------------------------------------
@dataclass(frozen=True)
class Cited:
    doc: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return (self.doc, self.start, self.end)


def citation_valid(c: Cited, doc_texts: Mapping[str, str]) -> bool:
    text = doc_texts.get(c.doc)
    return text is not None and 0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.text


def citation_validity(cited: Sequence[Cited], doc_texts: Mapping[str, str]) -> float | None:
    """1.0 when every citation's offsets reproduce its text exactly; None without citations."""
    if not cited:
        return None
    return 1.0 if all(citation_valid(c, doc_texts) for c in cited) else 0.0


def citation_support(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """1.0 when some gold evidence lies inside the cited spans; None without citations or evidence.

    Pass the cited passages for the issue's "evidence inside a cited passage", or the quoted
    sentences for the strict variant.
    """
    if not cited or not evidence:
        return None
    return 1.0 if any(is_inside(ev, cited) for ev in evidence) else 0.0


def citation_precision(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """Share of citations that overlap some gold evidence; None without citations or evidence."""
    if not cited or not evidence:
        return None
    return rounded(sum(any(overlaps(c, ev) for ev in evidence) for c in cited) / len(cited))


def evidence_coverage(cited: Sequence[Span], evidence: Sequence[Span]) -> float | None:
    """Share of gold evidence characters inside the cited spans; None without evidence."""
    total = sum(max(0, e - s) for _, s, e in evidence)
    if not evidence or total == 0:
        return None
    inside = sum(covered_chars(ev, cited) for ev in evidence)
    return rounded(min(1.0, inside / total))
