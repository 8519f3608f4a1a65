"""HTML for the chat's messages: the question, the answer (or abstention) and its states while it streams.

Every string that comes from a document, the catalog, the index or a user is
escaped before it is placed in markup (Jinja2 autoescape, or markupsafe's
`Markup.format` for inline fragments; templating.py); nothing here ever
inserts raw document text. A finished message is a single line without
template characters (templating.py says why).

The functions take the JSON shape of `Answer.to_json()`, so answers from the
extractive answerer, the LLM backend and the API render the same way. The
sources under an answer are sources.py, the side panel panel.py, and the
abstention wording under a document filter wording.py; this module re-exports
what chat/handlers.py and chat/app.py use, so the chat imports one module.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..followup import plain_reading
from .corpus import Corpus
from .panel import documents_html, filter_choices
from .sources import context_html, related_html, shown_related, sources_html
from .templating import one_line, render_template, text_html
from .wording import scoped_abstention

__all__ = ["Corpus", "answer_html", "answer_segments", "context_html", "documents_html", "draft_html", "error_html",
           "filter_choices", "partial_answer_html", "pending_html", "question_html", "scoped_abstention"]

MARKER = re.compile(r"\[(\d+)\]")
_MARKER_RUN = re.compile(r"\[\d+\](?:\s*\[\d+\])*")
_CURSOR = Markup('<span class="gw-cursor">▍</span>')


@dataclass(frozen=True)
class SpanRow:
    """A cited or related span in the Details footer: where it is, for a developer to check."""

    label: str  # "[1]" or "related"
    doc: str
    start: int
    end: int


def answer_segments(text: str) -> list[str]:
    """The answer cut after each citation marker run: the units that stream in."""
    out: list[str] = []
    pos = 0
    for m in _MARKER_RUN.finditer(text):
        out.append(text[pos:m.end()])
        pos = m.end()
    if text[pos:].strip():
        out.append(text[pos:])
    return [s for s in out if s.strip()] or [text]


def _tip(titles: dict[int, str], n: Any) -> Markup:
    return Markup(' title="{}"').format(titles[n]) if n in titles else Markup()


def answer_text_html(text: str, titles: dict[int, str] | None = None) -> Markup:
    """Answer sentences, escaped, with each [n] as a marker span."""
    titles = titles or {}
    out = Markup()
    pos = 0
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        out += text_html(text[pos:m.start()])
        out += Markup('<span class="gw-ref"{}>[{}]</span>').format(_tip(titles, n), n)
        pos = m.end()
    return out + text_html(text[pos:])


def segments_html(segments: Sequence[dict[str, Any]], titles: dict[int, str] | None = None) -> Markup:
    """An answer from its segments: verbatim quotes and the assistant's connective text look different
    (.gw-quote, .gw-conn), so a reader sees which words are the document's. Markers stay [n] refs."""
    out = Markup()
    for seg in segments:
        text = str(seg.get("text") or "")
        if seg.get("kind") == "quote":
            out += Markup('<span class="gw-quote"{}>{}</span>').format(_tip(titles or {}, seg.get("citation")),
                                                                      text_html(text))
        elif text:
            out += Markup('<span class="gw-conn">{}</span>').format(answer_text_html(text, titles))
    return out


def _answer_body(answer: dict[str, Any], titles: dict[int, str]) -> Markup:
    segments = answer.get("segments") or []
    if any(s.get("kind") == "quote" for s in segments) and answer.get("intent", "factoid") != "factoid":
        return segments_html(segments, titles)
    return answer_text_html(answer.get("answer", ""), titles)


def _titles(answer: dict[str, Any]) -> dict[int, str]:
    """Each citation's hover label: "title — section"."""
    return {c["n"]: f"{c.get('title', '')} — {c['section']}" if c.get("section") else c.get("title", "")
            for c in answer.get("citations", [])}


def read_as_lines(answer: dict[str, Any]) -> list[str]:
    """How the question was understood, as plain sentences at the top of the answer: the resolved
    follow-up ("Read as: What were the long-term outcomes of the U.S.-Russia reset?") and, for
    overview/list/comparison answers, the intent ("Read as: a summary of the op-ed")."""
    lines: list[str] = []
    resolved = answer.get("resolved_question") or ""
    if resolved and resolved != answer.get("question"):
        lines.append(plain_reading(resolved))
    if answer.get("intent", "factoid") != "factoid" and answer.get("read_as"):
        lines.append(str(answer["read_as"]))
    return lines


def answer_html(answer: dict[str, Any], corpus: Corpus) -> str:
    """The complete message: answer (or abstention), sources, notices, and a closed Details footer with
    the answerer, time, index build, and each cited or related span's document id and character offsets
    (all of it is in the export and the JSON too)."""
    titles = _titles(answer)
    abstained = bool(answer.get("abstained"))
    related: list[dict[str, Any]] = []
    if abstained and not answer.get("citations"):
        body = text_html(answer.get("answer", ""))
        sources = related_html(answer, corpus)
        related = shown_related(answer, corpus)
    else:  # an answer, or a false premise: an abstention that shows, cited, what the documents do say
        body = _answer_body(answer, titles)
        sources = sources_html(answer, corpus)
    spans = [SpanRow(f"[{int(c['n'])}]", c["doc"], int(c["start"]), int(c["end"]))
             for c in answer.get("citations", [])]
    spans += [SpanRow("related", p["doc"], int(p["start"]), int(p["end"])) for p in related]
    latency = answer.get("latency_ms")
    return one_line(render_template(
        "message.html", abstained=abstained, read_as=read_as_lines(answer), body=body,
        notice=answer.get("notice"), unsupported=answer.get("unsupported_sentences") or [], sources=sources,
        answerer=answer.get("answerer") or "extractive", index_build=answer.get("index_build"),
        latency=None if latency is None else f"{float(latency):.0f}", spans=spans))


def pending_html(filters: Sequence[str] | None = None) -> str:
    scope = f" in {len(filters)} selected document{'s' if len(filters) != 1 else ''}" if filters else ""
    return one_line(Markup('<div class="gw-answer gw-pending"><span class="gw-spinner"></span>'
                           "Searching the documents{}…</div>").format(scope))


def partial_answer_html(answer: dict[str, Any], upto: int) -> str:
    """The first `upto` segments of an answer while it streams in."""
    text = "".join(answer_segments(answer.get("answer", ""))[:upto])
    return one_line(Markup('<div class="gw-answer"><div class="gw-text">{}{}</div></div>')
                    .format(answer_text_html(text, _titles(answer)), _CURSOR))


def draft_html(text: str) -> str:
    """Generated text while it streams, before its sentences are checked against the sources."""
    return one_line(Markup('<div class="gw-answer gw-draft"><div class="gw-text">{}{}</div><div class="gw-foot">'
                           "Checking each sentence against its sources when the reply is complete…</div></div>")
                    .format(answer_text_html(text), _CURSOR))


def question_html(question: str, docs: Sequence[str] | None = None, titles: dict[str, str] | None = None) -> str:
    scope = Markup()
    if docs:
        names = ", ".join((titles or {}).get(d, d) for d in docs)
        scope = Markup('<div class="gw-scope">Only in: {}</div>').format(names)
    return one_line(Markup('<div class="gw-q">{}{}</div>').format(text_html(question), scope))


def error_html(message: str) -> str:
    return one_line(Markup('<div class="gw-answer gw-error"><div class="gw-abstain-label">Could not answer</div>'
                           '<div class="gw-text">{}</div></div>').format(text_html(message)))
