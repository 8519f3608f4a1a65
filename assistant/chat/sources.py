"""The sources under an answer: cited passages with the cited sentences marked, and their context.

One card per cited passage (the indexed chunk that holds the citation):
title, section, the passage with each cited sentence highlighted, and a
closed "Show in document" view of the paragraphs around it. An abstention
shows the closest passages instead, marked as not an answer.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .corpus import Corpus, Span, paragraph_spans
from .templating import render_template, text_html

PARA_CAP = 1100
RELATED_SHOWN = 3
SNIPPET_CHARS = 280

Mark = tuple[int, int, str]  # document span and the hover label of its highlight


@dataclass(frozen=True)
class Paragraph:
    inner: Markup
    hit: bool
    prefix: str = ""  # "… " where a long paragraph is cut
    suffix: str = ""


@dataclass(frozen=True)
class Card:
    full_title: str
    short_title: str
    section: str
    passage: Markup
    context: Markup
    badges: list[int] = field(default_factory=list)  # the citation numbers the passage holds


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _marked(text: str, base: int, marks: Sequence[Mark]) -> Markup:
    """Escape text[...] (which starts at document offset `base`) with <mark> around each mark span."""
    out = Markup()
    pos = 0
    for s, e, label in sorted(marks):
        s, e = max(s - base, pos), min(e - base, len(text))
        if e <= s:
            continue
        out += text_html(text[pos:s])
        out += Markup('<mark class="gw-hl" title="{}">{}</mark>').format(label, text_html(text[s:e]))
        pos = e
    return out + text_html(text[pos:])


def _paragraphs_html(doc_text: str, spans: Sequence[Span], marks: Sequence[Mark],
                     focus: tuple[int, int] | None = None) -> Markup:
    paras: list[Paragraph] = []
    for sp in spans:
        s, e = sp.start, sp.end
        prefix = suffix = ""
        if e - s > PARA_CAP:
            if focus and s <= focus[0] < e:  # the cited paragraph: a window around the span
                s2 = max(s, focus[0] - PARA_CAP // 2)
                e2 = min(e, max(focus[1], s2) + PARA_CAP // 2)
                prefix, suffix = ("… " if s2 > s else ""), (" …" if e2 < e else "")
                s, e = s2, e2
            elif focus and e <= focus[0]:  # before the span: keep its end
                s, prefix = e - PARA_CAP, "… "
            else:  # after the span: keep its beginning
                e, suffix = s + PARA_CAP, " …"
        inside = [m for m in marks if m[0] < e and m[1] > s]
        paras.append(Paragraph(_marked(doc_text[s:e], s, inside), bool(inside), prefix, suffix))
    return render_template("paragraphs.html", paras=paras)


def passage_html(doc_text: str, start: int, end: int, marks: Sequence[Mark]) -> Markup:
    """A passage (e.g. a chunk) with the given document spans highlighted."""
    return _paragraphs_html(doc_text, paragraph_spans(doc_text, start, end), marks)


def context_html(corpus: Corpus, doc: str, start: int, end: int,
                 marks: Sequence[Mark] | None = None, summary: str = "Show in document") -> Markup:
    """A closed <details> with the surrounding paragraphs and the span highlighted."""
    spans, first, total = corpus.context_spans(doc, start, end)
    marks = list(marks) if marks else [(start, end, "")]
    last = first + len(spans) - 1
    where = f"paragraph{'s' if last > first else ''} {first}{'–' + str(last) if last > first else ''} of {total}"
    body = _paragraphs_html(corpus.text(doc), spans, marks, focus=(start, end))
    return render_template("context.html", summary=summary, where=where, body=body)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a passage on one line, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def sources_html(answer: dict[str, Any], corpus: Corpus) -> Markup:
    """One card per cited passage: title, section, passage with the cited sentences marked, context."""
    groups: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for c in answer.get("citations", []):
        if c.get("doc") not in corpus.documents:
            continue
        chunk = corpus.chunk_around(c["doc"], c["start"], c["end"])
        key = (c["doc"], chunk[0], chunk[1]) if chunk else (c["doc"], c["start"], c["end"])
        groups.setdefault(key, []).append(c)
    if not groups:
        return Markup()
    cards: list[Card] = []
    for (doc, start, end), cites in groups.items():
        first = cites[0]
        marks = [(c["start"], c["end"], f"[{c['n']}]") for c in cites]
        cards.append(Card(
            full_title=first.get("title") or corpus.title(doc), short_title=corpus.short_title(doc),
            section=first.get("section") or "", badges=[int(c["n"]) for c in cites],
            passage=passage_html(corpus.text(doc), start, end, marks),
            context=context_html(corpus, doc, min(m[0] for m in marks), max(m[1] for m in marks), marks)))
    return render_template("sources.html", related=False, cards=cards,
                           heading=count(len(answer.get("citations", [])), "citation"))


def shown_related(answer: dict[str, Any], corpus: Corpus, limit: int = RELATED_SHOWN) -> list[dict[str, Any]]:
    return [p for p in answer.get("passages", [])[:limit] if p.get("doc") in corpus.documents]


def related_html(answer: dict[str, Any], corpus: Corpus, limit: int = RELATED_SHOWN) -> Markup:
    """The closest passages of an abstention, each openable in context."""
    cards = [Card(full_title=p.get("title") or corpus.title(p["doc"]), short_title=corpus.short_title(p["doc"]),
                  section=p.get("section") or "",
                  passage=text_html(snippet(p.get("text") or corpus.text(p["doc"])[p["start"]:p["end"]])),
                  context=context_html(corpus, p["doc"], p["start"], p["end"], [(p["start"], p["end"], "")]))
             for p in shown_related(answer, corpus, limit)]
    return render_template("sources.html", related=True, cards=cards) if cards else Markup()
