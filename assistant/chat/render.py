"""HTML for the chat: answers, sources, context views and the side panel.

Every string that comes from a document, the catalog, the index or a user
goes through `esc` (html.escape) before it is placed in markup; nothing here
ever inserts raw document text. The result is always a single line without
newline characters: the Chatbot treats a message as Markdown, and a one-line
HTML block is passed through as HTML without any Markdown processing, so
characters such as `*`, `_` or `#` in a document stay literal.

The functions take the JSON shape of `Answer.to_json()`, so answers from the
extractive answerer, the LLM backend and the API render the same way.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MARKER = re.compile(r"\[(\d+)\]")
_MARKER_RUN = re.compile(r"\[\d+\](?:\s*\[\d+\])*")
_PARA_SPLIT = re.compile(r"\n[ \t\u00a0]*\n")

# Context view: paragraphs shown on each side of the cited span.
CONTEXT_PARAS = 2
CONTEXT_MIN_CHARS = 450
PARA_CAP = 1100
RELATED_SHOWN = 3
SNIPPET_CHARS = 280


_TEMPLATE_CHARS = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})


def esc(value: object) -> str:
    """Escape text for HTML element content and attribute values.

    Besides & < > " ', the characters of JS/Handlebars templates ($ { } `)
    become entities too, so text can never be read as a template by a
    front-end component; browsers display the entities as the characters.
    """
    return html.escape("" if value is None else str(value), quote=True).translate(_TEMPLATE_CHARS)


def one_line(markup: str) -> str:
    """Guarantee the single-line form the Chatbot passes through untouched."""
    return markup.replace("\r", " ").replace("\n", " ")


def _text_html(text: str) -> str:
    return esc(text).replace("\n", "<br>")


# -- document geometry -----------------------------------------------------
@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Corpus:
    """Read-only views of the indexed documents: paragraphs and chunks by offset."""

    def __init__(self, data: Any) -> None:
        self.documents = data.documents
        self._chunks: dict[str, list[tuple[int, int, str]]] = {}
        for c in data.chunks:
            self._chunks.setdefault(c.doc, []).append((c.start, c.end, " › ".join(c.section)))
        for rows in self._chunks.values():
            rows.sort()
        self._paras: dict[str, list[Span]] = {}

    def text(self, doc: str) -> str:
        return self.documents[doc].text

    def title(self, doc: str) -> str:
        d = self.documents.get(doc)
        return str(d.title) if d is not None else doc

    def short_title(self, doc: str) -> str:
        """The catalog's `short_title` (cards repeat it; the full title is on hover and in export)."""
        d = self.documents.get(doc)
        short = (d.meta or {}).get("short_title") if d is not None else None
        return str(short) if isinstance(short, str) and short.strip() else _short(self.title(doc), 60)

    def paragraphs(self, doc: str) -> list[Span]:
        spans = self._paras.get(doc)
        if spans is None:
            text = self.text(doc)
            spans, pos = [], 0
            for m in _PARA_SPLIT.finditer(text):
                spans.append(Span(pos, m.start()))
                pos = m.end()
            spans.append(Span(pos, len(text)))
            spans = [s for s in spans if text[s.start:s.end].strip()] or [Span(0, len(text))]
            self._paras[doc] = spans
        return spans

    def chunk_around(self, doc: str, start: int, end: int) -> tuple[int, int, str] | None:
        """The indexed chunk that contains [start, end), if any."""
        rows = self._chunks.get(doc, [])
        i = bisect.bisect_right(rows, (start, float("inf"), "")) - 1
        while i >= 0:
            s, e, section = rows[i]
            if s <= start and end <= e:
                return s, e, section
            if e < start:
                break
            i -= 1
        return None

    def context_spans(self, doc: str, start: int, end: int) -> tuple[list[Span], int, int]:
        """Paragraphs around a span: (spans, first paragraph number, paragraph count)."""
        paras = self.paragraphs(doc)
        starts = [p.start for p in paras]
        i = max(0, bisect.bisect_right(starts, start) - 1)
        j = max(i, bisect.bisect_right(starts, max(start, end - 1)) - 1)
        lo, got = i, 0
        while lo > 0 and i - lo < CONTEXT_PARAS and got < CONTEXT_MIN_CHARS:
            lo -= 1
            got += paras[lo].end - paras[lo].start
        hi, got = j, 0
        while hi < len(paras) - 1 and hi - j < CONTEXT_PARAS and got < CONTEXT_MIN_CHARS:
            hi += 1
            got += paras[hi].end - paras[hi].start
        return paras[lo:hi + 1], lo + 1, len(paras)


# -- marked-up text --------------------------------------------------------
def _marked(text: str, base: int, marks: Sequence[tuple[int, int, str]]) -> str:
    """Escape text[...] (which starts at document offset `base`) with <mark> around each mark span."""
    out: list[str] = []
    pos = 0
    for s, e, label in sorted(marks):
        s, e = max(s - base, pos), min(e - base, len(text))
        if e <= s:
            continue
        out.append(_text_html(text[pos:s]))
        out.append(f'<mark class="gw-hl" title="{esc(label)}">{_text_html(text[s:e])}</mark>')
        pos = e
    out.append(_text_html(text[pos:]))
    return "".join(out)


def _paragraphs_html(doc_text: str, spans: Iterable[Span], marks: Sequence[tuple[int, int, str]],
                     focus: tuple[int, int] | None = None) -> str:
    parts: list[str] = []
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
        inner = _marked(doc_text[s:e], s, [m for m in marks if m[0] < e and m[1] > s])
        hit = any(m[0] < e and m[1] > s for m in marks)
        cls = ' class="gw-hit"' if hit else ""
        parts.append(f"<p{cls}>{esc(prefix)}{inner}{esc(suffix)}</p>")
    return "".join(parts)


def passage_html(doc_text: str, start: int, end: int, marks: Sequence[tuple[int, int, str]]) -> str:
    """A passage (e.g. a chunk) with the given document spans highlighted."""
    spans = []
    pos = start
    for m in _PARA_SPLIT.finditer(doc_text, start, end):
        spans.append(Span(pos, m.start()))
        pos = m.end()
    spans.append(Span(pos, end))
    spans = [s for s in spans if doc_text[s.start:s.end].strip()]
    return _paragraphs_html(doc_text, spans, marks)


def context_html(corpus: Corpus, doc: str, start: int, end: int,
                 marks: Sequence[tuple[int, int, str]] | None = None, summary: str = "Show in document") -> str:
    """A closed <details> with the surrounding paragraphs and the span highlighted."""
    text = corpus.text(doc)
    spans, first, total = corpus.context_spans(doc, start, end)
    marks = list(marks) if marks else [(start, end, "")]
    last = first + len(spans) - 1
    where = f"paragraph{'s' if last > first else ''} {first}{'–' + str(last) if last > first else ''} of {total}"
    body = _paragraphs_html(text, spans, marks, focus=(start, end))
    return (f'<details class="gw-ctx"><summary>{esc(summary)} <span class="gw-dim">· {esc(where)}</span></summary>'
            f'<div class="gw-ctx-body">{body}</div></details>')


# -- answers ---------------------------------------------------------------
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


def answer_text_html(text: str, titles: dict[int, str] | None = None) -> str:
    """Answer sentences, escaped, with each [n] as a marker span."""
    titles = titles or {}
    out: list[str] = []
    pos = 0
    for m in MARKER.finditer(text):
        out.append(_text_html(text[pos:m.start()]))
        n = int(m.group(1))
        tip = f' title="{esc(titles[n])}"' if n in titles else ""
        out.append(f'<span class="gw-ref"{tip}>[{n}]</span>')
        pos = m.end()
    out.append(_text_html(text[pos:]))
    return "".join(out)


def segments_html(segments: Sequence[dict[str, Any]], titles: dict[int, str] | None = None) -> str:
    """An answer from its segments: verbatim quotes and the assistant's connective text look different
    (.gw-quote, .gw-conn), so a reader sees which words are the document's. Markers stay [n] refs."""
    out: list[str] = []
    for seg in segments:
        text = str(seg.get("text") or "")
        if seg.get("kind") == "quote":
            n = seg.get("citation")
            tip = f' title="{esc((titles or {}).get(n, ""))}"' if n in (titles or {}) else ""
            out.append(f'<span class="gw-quote"{tip}>{_text_html(text)}</span>')
        elif text:
            out.append(f'<span class="gw-conn">{answer_text_html(text, titles)}</span>')
    return "".join(out)


def _answer_body(answer: dict[str, Any], titles: dict[int, str]) -> str:
    segments = answer.get("segments") or []
    if any(s.get("kind") == "quote" for s in segments) and answer.get("intent", "factoid") != "factoid":
        return segments_html(segments, titles)
    return answer_text_html(answer.get("answer", ""), titles)


def _meta_html(section: str) -> str:
    """The card's reader-facing line: the section only (ids and offsets are under Details)."""
    return f'<div class="gw-src-meta"><span class="gw-sec">{esc(section)}</span></div>' if section else ""


def _label(title: str, section: str) -> str:
    return f"{title} — {section}" if section else title


def sources_html(answer: dict[str, Any], corpus: Corpus) -> str:
    """One card per cited passage: title, section, passage with the cited sentences marked, context."""
    groups: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for c in answer.get("citations", []):
        if c.get("doc") not in corpus.documents:
            continue
        chunk = corpus.chunk_around(c["doc"], c["start"], c["end"])
        key = (c["doc"], chunk[0], chunk[1]) if chunk else (c["doc"], c["start"], c["end"])
        groups.setdefault(key, []).append(c)
    if not groups:
        return ""
    cards: list[str] = []
    for (doc, start, end), cites in groups.items():
        first = cites[0]
        text = corpus.text(doc)
        marks = [(c["start"], c["end"], f"[{c['n']}]") for c in cites]
        badges = "".join(f'<span class="gw-badge">[{int(c["n"])}]</span>' for c in cites)
        section = first.get("section") or ""
        full = first.get("title") or corpus.title(doc)
        cards.append(
            '<div class="gw-src">'
            f'<div class="gw-src-head">{badges}<span class="gw-src-title" title="{esc(full)}">'
            f'{esc(corpus.short_title(doc))}</span></div>'
            f'{_meta_html(section)}'
            f'<blockquote class="gw-passage">{passage_html(text, start, end, marks)}</blockquote>'
            f'{context_html(corpus, doc, min(m[0] for m in marks), max(m[1] for m in marks), marks)}'
            "</div>"
        )
    n = len(answer.get("citations", []))
    return (f'<div class="gw-sources"><div class="gw-sources-h">Sources · {_count(n, "citation")}'
            f"</div>{''.join(cards)}</div>")


def _shown_related(answer: dict[str, Any], corpus: Corpus, limit: int = RELATED_SHOWN) -> list[dict[str, Any]]:
    return [p for p in answer.get("passages", [])[:limit] if p.get("doc") in corpus.documents]


def related_html(answer: dict[str, Any], corpus: Corpus, limit: int = RELATED_SHOWN) -> str:
    """The closest passages of an abstention, each openable in context."""
    cards = []
    for p in _shown_related(answer, corpus, limit):
        text = corpus.text(p["doc"])
        section = p.get("section") or ""
        full = p.get("title") or corpus.title(p["doc"])
        cards.append(
            '<div class="gw-src gw-src-related">'
            f'<div class="gw-src-head"><span class="gw-src-title" title="{esc(full)}">'
            f'{esc(corpus.short_title(p["doc"]))}</span></div>'
            f'{_meta_html(section)}'
            f'<blockquote class="gw-passage">{_text_html(snippet(p.get("text") or text[p["start"]:p["end"]]))}'
            "</blockquote>"
            f'{context_html(corpus, p["doc"], p["start"], p["end"], [(p["start"], p["end"], "")], "Show in document")}'
            "</div>"
        )
    if not cards:
        return ""
    return ('<div class="gw-sources gw-related"><div class="gw-sources-h">Closest related passages '
            f'<span class="gw-dim">(not an answer)</span></div>{"".join(cards)}</div>')


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a passage on one line, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def _footer(answer: dict[str, Any], related: Sequence[dict[str, Any]] = ()) -> str:
    """Developer detail behind a closed Details toggle: answerer, time, index build, and each cited or
    related span's document id and character offsets (all of it is in the export and the JSON too)."""
    bits = [f"{esc(answer.get('answerer') or 'extractive')} answerer"]
    if answer.get("latency_ms") is not None:
        bits.append(f"{float(answer['latency_ms']):.0f} ms")
    if answer.get("index_build"):
        bits.append(f"index <code>{esc(answer['index_build'])}</code>")
    rows = [" · ".join(bits)]
    for c in answer.get("citations", []):
        rows.append(f"[{int(c['n'])}] <code class=\"gw-docid\">{esc(c['doc'])}</code> characters {int(c['start'])}–{int(c['end'])}")
    for p in related:
        rows.append(f"related <code class=\"gw-docid\">{esc(p['doc'])}</code> characters {int(p['start'])}–{int(p['end'])}")
    body = "".join(f"<div>{r}</div>" for r in rows)
    return f'<div class="gw-foot"><details class="gw-tech"><summary>Details</summary>{body}</details></div>'


def read_as_html(answer: dict[str, Any]) -> str:
    """How the question was understood, as plain sentences at the top of the answer: the resolved
    follow-up ("Read as: What were the long-term outcomes of the U.S.-Russia reset?") and, for
    overview/list/comparison answers, the intent ("Read as: a summary of the op-ed")."""
    from ..followup import plain_reading

    lines: list[str] = []
    resolved = answer.get("resolved_question") or ""
    if resolved and resolved != answer.get("question"):
        lines.append(plain_reading(resolved))
    if answer.get("intent", "factoid") != "factoid" and answer.get("read_as"):
        lines.append(str(answer["read_as"]))
    return "".join(f'<div class="gw-readas">Read as: {esc(line)}</div>' for line in lines)


def _notices(answer: dict[str, Any]) -> str:
    out = ""
    if answer.get("notice"):
        out += f'<div class="gw-notice">{_text_html(answer["notice"])}</div>'
    unsupported = answer.get("unsupported_sentences") or []
    if unsupported:
        items = "".join(f"<li>{_text_html(s)}</li>" for s in unsupported)
        out += f'<div class="gw-notice">Removed because no document sentence supports them:<ul>{items}</ul></div>'
    return out


def pending_html(filters: Sequence[str] | None = None) -> str:
    scope = f" in {len(filters)} selected document{'s' if len(filters) != 1 else ''}" if filters else ""
    return f'<div class="gw-answer gw-pending"><span class="gw-spinner"></span>Searching the documents{esc(scope)}…</div>'


def partial_answer_html(answer: dict[str, Any], upto: int) -> str:
    """The first `upto` segments of an answer while it streams in."""
    segs = answer_segments(answer.get("answer", ""))
    titles = {c["n"]: _label(c.get("title", ""), c.get("section", "")) for c in answer.get("citations", [])}
    text = "".join(segs[:upto])
    return one_line(f'<div class="gw-answer"><div class="gw-text">{answer_text_html(text, titles)}'
                    f'<span class="gw-cursor">▍</span></div></div>')


def draft_html(text: str) -> str:
    """Generated text while it streams, before its sentences are checked against the sources."""
    return one_line(f'<div class="gw-answer gw-draft"><div class="gw-text">{answer_text_html(text)}'
                    '<span class="gw-cursor">▍</span></div><div class="gw-foot">Checking each sentence against '
                    "its sources when the reply is complete…</div></div>")


def answer_html(answer: dict[str, Any], corpus: Corpus) -> str:
    """The complete message: answer (or abstention), sources, notices and footer."""
    titles = {c["n"]: _label(c.get("title", ""), c.get("section", "")) for c in answer.get("citations", [])}
    if answer.get("abstained") and answer.get("citations"):
        # A false premise: an abstention that shows, cited, the closest thing the documents do say.
        body = (
            '<div class="gw-answer gw-abstained">'
            '<div class="gw-abstain-label">No answer found in the documents</div>'
            f'{read_as_html(answer)}<div class="gw-text">{_answer_body(answer, titles)}</div>'
            f"{_notices(answer)}{sources_html(answer, corpus)}{_footer(answer)}</div>"
        )
        return one_line(body)
    if answer.get("abstained"):
        body = (
            '<div class="gw-answer gw-abstained">'
            '<div class="gw-abstain-label">No answer found in the documents</div>'
            f'{read_as_html(answer)}<div class="gw-text">{_text_html(answer.get("answer", ""))}</div>'
            f"{_notices(answer)}{related_html(answer, corpus)}"
            f"{_footer(answer, _shown_related(answer, corpus))}</div>"
        )
        return one_line(body)
    body = (
        '<div class="gw-answer">'
        f'{read_as_html(answer)}<div class="gw-text">{_answer_body(answer, titles)}</div>'
        f"{_notices(answer)}{sources_html(answer, corpus)}{_footer(answer)}</div>"
    )
    return one_line(body)


def question_html(question: str, docs: Sequence[str] | None = None, titles: dict[str, str] | None = None) -> str:
    scope = ""
    if docs:
        names = ", ".join(esc((titles or {}).get(d, d)) for d in docs)
        scope = f'<div class="gw-scope">Only in: {names}</div>'
    return one_line(f'<div class="gw-q">{_text_html(question)}{scope}</div>')


def error_html(message: str) -> str:
    return one_line(f'<div class="gw-answer gw-error"><div class="gw-abstain-label">Could not answer</div>'
                    f'<div class="gw-text">{_text_html(message)}</div></div>')


# -- side panel ------------------------------------------------------------
def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def documents_html(documents: Iterable[Any], manifest: dict[str, Any]) -> str:
    rows = []
    for d in documents:
        meta = d.meta or {}
        authors = meta.get("authors") or []
        if isinstance(authors, str):
            authors = [authors]
        shown = ", ".join(str(a) for a in authors[:3]) + (f" + {len(authors) - 3} more" if len(authors) > 3 else "")
        date = meta.get("published") or ""
        publisher = meta.get("publisher") or ""
        kind = meta.get("kind") or d.format
        tip = ", ".join(str(a) for a in authors)
        rows.append(
            '<div class="gw-doc">'
            f'<div class="gw-doc-title" title="{esc(d.title)}">{esc(d.title)}</div>'
            f'<div class="gw-doc-meta"><span title="{esc(tip)}">{esc(shown or "Unknown author")}</span></div>'
            f'<div class="gw-doc-meta">{esc(" · ".join(x for x in (str(publisher), str(date), str(kind)) if x))}</div>'
            f'<div class="gw-doc-meta"><code>{esc(d.id)}</code> · {_count(int(d.chunks), "chunk")}</div>'
            "</div>"
        )
    counts = manifest.get("counts", {})
    built = manifest.get("created_at", "unknown")
    built_text = str(built).replace("T", " ").replace("+00:00", " UTC")
    return one_line(
        f'<div class="gw-docs">{"".join(rows)}</div>'
        f'<div class="gw-index">Index built {esc(built_text)}<br>'
        f'build <code>{esc(manifest.get("build_id", "?"))}</code> · {_count(int(counts.get("documents", 0)), "document")}, '
        f'{_count(int(counts.get("chunks", 0)), "chunk")}</div>'
    )


def filter_choices(documents: Iterable[Any]) -> list[tuple[str, str]]:
    out = []
    for d in documents:
        short = (d.meta or {}).get("short_title")
        out.append((str(short) if isinstance(short, str) and short.strip() else _short(d.title), d.id))
    return out


_ABSTAIN_OPENERS = (
    (re.compile(r"^The documents do not answer"), "{subject} {do_not} answer"),
    (re.compile(r"^The documents don['’]t say that"), "{subject} {dont} say that"),
    (re.compile(r"^The documents do not say"), "{subject} {do_not} say"),
)


def scoped_abstention(text: str, names: Sequence[str]) -> str:
    """An abstention under a document filter names the selection instead of "the documents":
    "The selected document (“the op-ed”) does not answer this question." (issue 15). Text that
    does not open with a known abstention phrase is returned unchanged."""
    if not names:
        return text
    one = len(names) == 1
    listed = "“" + (names[0] if one else "”, “".join(names[:-1]) + "” and “" + names[-1]) + "”"
    subject = f"The selected document{'' if one else 's'} ({listed})"
    for pattern, template in _ABSTAIN_OPENERS:
        if pattern.match(text):
            lead = template.format(subject=subject, do_not="does not" if one else "do not",
                                   dont="doesn't" if one else "don't")
            return pattern.sub(lead, text, count=1)
    return text
