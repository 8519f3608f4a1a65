"""One question of the HTML report, prepared for its template: gold and system answers, the citations and
retrieved passages shown in their document with the cited span and the gold evidence highlighted.

Only plain text leaves this module; the template escapes all of it (the corpus may hold markup such as
<script>, and the report must show it, not run it).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import metrics as M
from .content import short

Mark = tuple[int, int, str]  # (start, end, css class) in document offsets
CHIP_METRICS = ("hit@1", "hit@5", "recall@5", "mrr", "citation_support", "citation_precision", "answer_coverage",
                "token_f1", "semantic_similarity")


@dataclass
class Segment:
    text: str
    classes: str = ""  # space-separated css classes; "" = plain text


@dataclass
class Excerpt:
    """A stretch of a document: optional lead-in and tail text around highlighted segments."""

    segments: list[Segment]
    pre: str = ""
    post: str = ""
    note: str = ""  # e.g. "(1234 characters)" after a cut-off long passage, shown in italics


def highlight(text: str, lo: int, hi: int, marks: Sequence[Mark]) -> list[Segment]:
    """text[lo:hi] cut where a mark starts or ends; each piece carries the classes of the marks covering it."""
    lo, hi = max(0, lo), min(len(text), hi)
    cuts = {lo, hi}
    for s, e, _ in marks:
        if e > lo and s < hi:
            cuts.update((max(lo, s), min(hi, e)))
    pts = sorted(cuts)
    parts = []
    for a, b in zip(pts, pts[1:]):
        if b <= a:
            continue
        classes = sorted({cls for s, e, cls in marks if s <= a and b <= e})
        parts.append(Segment(text[a:b], " ".join(classes)))
    return parts


def window(text: str, start: int, end: int, pad: int = 220) -> tuple[int, int]:
    """A context window around [start, end), widened to word boundaries."""
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    while lo > 0 and not text[lo - 1].isspace() and start - lo < pad + 30:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < pad + 30:
        hi += 1
    return lo, hi


def _gold_marks(doc: str, evidence: Sequence[Mapping[str, Any]]) -> list[Mark]:
    return [(e["start"], e["end"], "gold") for e in evidence if e["doc"] == doc]


@dataclass
class EvidenceView:
    doc: str
    start: int
    end: int
    quote: str
    rank: int | None


@dataclass
class CitationView:
    n: Any
    doc: str
    section: str
    start: int
    end: int
    verified: bool
    excerpt: Excerpt


@dataclass
class PassageView:
    doc: str
    section: str
    start: int
    end: int
    score: float
    contains_gold: bool
    part_of_gold: bool
    cited: list[Any]
    excerpt: Excerpt


@dataclass
class OtherView:
    """A baseline's result on the same item."""

    name: str
    label: str
    hit5: str
    coverage: str
    f1: str
    answer: str


@dataclass
class ItemView:
    row: Mapping[str, Any]
    answer: Mapping[str, Any]
    evidence: list[EvidenceView]
    chips: list[str]
    citations: list[CitationView] = field(default_factory=list)
    passages: list[PassageView] = field(default_factory=list)
    others: list[OtherView] = field(default_factory=list)


def _citation(c: Mapping[str, Any], text: str, ev: Sequence[Mapping[str, Any]]) -> CitationView:
    ok = 0 <= c["start"] < c["end"] <= len(text) and text[c["start"]:c["end"]] == c["text"]
    if ok and len(text):
        lo, hi = window(text, c["start"], c["end"])
        if c["end"] - c["start"] > 1500:
            lo, hi = c["start"], c["end"]
        marks = [(c["start"], c["end"], "cite"), *_gold_marks(c["doc"], ev)]
        excerpt = Excerpt(highlight(text, lo, hi, marks), "… " if lo > 0 else "", " …" if hi < len(text) else "")
    else:
        excerpt = Excerpt([Segment(str(c.get("text", "")))])
    return CitationView(c["n"], c["doc"], c.get("section") or "", c["start"], c["end"], ok, excerpt)


def _passage(p: Mapping[str, Any], text: str, ev: Sequence[Mapping[str, Any]], cites: Sequence[Mapping[str, Any]],
             scored: bool) -> PassageView:
    span = (p["doc"], p["start"], p["end"])
    has = [e for e in ev if M.is_inside((e["doc"], e["start"], e["end"]), [span])]
    part = [e for e in ev if M.overlaps(span, (e["doc"], e["start"], e["end"])) and e not in has]
    cited_here = [c["n"] for c in cites if scored and M.overlaps(span, (c["doc"], c["start"], c["end"]))]
    if p["start"] >= 0 and text[p["start"]:p["end"]] == p["text"]:
        marks = _gold_marks(p["doc"], ev) + [(c["start"], c["end"], "cite") for c in cites
                                             if scored and c["doc"] == p["doc"]]
        if p["end"] - p["start"] <= 900:
            excerpt = Excerpt(highlight(text, p["start"], p["end"], marks))
        else:  # a long (e.g. 1024-token) node: show its head and the evidence
            focus = has + part
            if focus:
                lo, hi = window(text, max(p["start"], focus[0]["start"]), min(p["end"], focus[0]["end"]), 300)
                lo, hi = max(lo, p["start"]), min(hi, p["end"])
            else:
                lo, hi = p["start"], p["start"] + 600
            excerpt = Excerpt(highlight(text, lo, hi, marks), "… " if lo > p["start"] else "",
                              " … " if hi < p["end"] else "",
                              f"({p['end'] - p['start']} characters)" if hi < p["end"] else "")
    else:
        excerpt = Excerpt([Segment(str(p.get("text", "")))])
    return PassageView(p["doc"], p.get("section") or "", p["start"], p["end"], float(p.get("score", 0)),
                       bool(has), bool(part), cited_here, excerpt)


def _other(name: str, o: Mapping[str, Any]) -> OtherView:
    om = o["metrics"]
    text = (o.get("answer") or {}).get("answer", "") if o["status"] != "error" else o.get("error", "")
    text = " ".join(str(text).split())
    if len(text) > 300:
        text = text[:300] + "…"
    return OtherView(name, o["label"], short(om.get("hit@5")), short(om.get("answer_coverage")),
                     short(om.get("token_f1")), text)


def item_view(r: Mapping[str, Any], doc_texts: Mapping[str, str],
              others: Sequence[tuple[str, Mapping[str, Any]]]) -> ItemView:
    """Everything the item template shows for one result row (and the baselines' rows for the same item)."""
    ev = r["gold"]["evidence"]
    ans = r.get("answer") or {}
    ranks = r.get("evidence_rank", {})
    evidence = [EvidenceView(e["doc"], e["start"], e["end"], e["quote"],
                             ranks.get(f"{e['doc']}:{e['start']}-{e['end']}")) for e in ev]
    chips = [f"{k} {'–' if v is None else f'{v:.2f}' if k != 'answer_chars' else int(v)}"
             for k, v in r["metrics"].items() if k in CHIP_METRICS and v is not None]
    if r.get("latency_ms") is not None:
        chips.append(f"latency {r['latency_ms']:.1f} ms")
    scored = r["status"] == "scored"
    cites = ans.get("citations") or []
    view = ItemView(r, ans, evidence, chips)
    if cites and scored:
        view.citations = [_citation(c, doc_texts.get(c["doc"], ""), ev) for c in cites]
    view.passages = [_passage(p, doc_texts.get(p["doc"], ""), ev, cites, scored) for p in ans.get("passages") or []]
    view.others = [_other(name, o) for name, o in others]
    return view
