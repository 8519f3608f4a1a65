"""Chat rendering and Markdown export: escaping, highlights, context views (no server, no index)."""
from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

from assistant.chat import export, render

HOSTILE = (
    "Field notes\n\n"
    "An ordinary opening paragraph about the harbour and the weather in spring.\n\n"
    "The launch code is <script>alert(1)</script> and the badge reads <img src=x onerror=alert(1)> today. "
    "Templates like ${alert(2)} and {{constructor}} stay text, as do *stars* and _underscores_ and `ticks`.\n\n"
    "A closing paragraph that mentions nothing dangerous at all."
)


def _data(text: str = HOSTILE, doc: str = "hostile", title: str = "Notes <img src=x onerror=alert(3)>"):
    paras = [m for m in re.finditer(r"[^\n]+", text)]
    chunks = [SimpleNamespace(doc=doc, start=m.start(), end=m.end(), section=("Field notes",), text=m.group(0))
              for m in paras]
    rec = SimpleNamespace(id=doc, title=title, text=text, sha256="ab" * 32, format="txt", chunks=len(chunks),
                          meta={"authors": ["<b>Eve</b>"], "published": "2024-01-01", "publisher": "X & Y"})
    return SimpleNamespace(documents={doc: rec}, chunks=chunks)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _answer(text: str = HOSTILE, abstained: bool = False) -> dict[str, Any]:
    s, e = _span(text, "The launch code is <script>alert(1)</script> and the badge reads <img src=x onerror=alert(1)> today.")
    cite: dict[str, Any] = {"n": 1, "doc": "hostile", "title": "Notes <img src=x onerror=alert(3)>",
                            "section": "Field <i>notes</i>", "start": s, "end": e, "text": text[s:e],
                            "doc_sha256": "ab" * 32}
    p_start = text.rindex("\n\n", 0, s) + 2
    p_end = text.index("\n\n", e)
    passage = {"doc": "hostile", "title": cite["title"], "section": "Field notes", "start": p_start, "end": p_end,
               "score": 0.5, "text": text[p_start:p_end], "chunk": 2}
    return {"question": "What is the launch code?", "answer": "The documents do not answer this question." if abstained
            else f"{' '.join(cite['text'].split())} [1]", "abstained": abstained,
            "citations": [] if abstained else [cite], "passages": [passage], "latency_ms": 12.3,
            "resolved_question": "What is the launch code?", "answerer": "extractive", "notice": "",
            "unsupported_sentences": [], "timings": {}, "index_build": "b1"}


def _no_live_markup(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert "<img" not in markup.lower()
    assert "onerror=" not in markup.replace("onerror=alert", "")  # only inside escaped text
    assert "\n" not in markup, "chat HTML must be one line so Markdown leaves it alone"
    for ch in "${}`":
        assert ch not in re.sub(r"<[^>]*>", "", markup), f"template character {ch!r} left unescaped"


def test_answer_html_escapes_document_text_and_highlights_the_cited_sentence():
    corpus = render.Corpus(_data())
    ans = _answer()
    out = render.answer_html(ans, corpus)
    _no_live_markup(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "Notes &lt;img src=x onerror=alert(3)&gt;" in out  # the title, too
    assert '<span class="gw-ref"' in out and ">[1]</span>" in out
    marks = re.findall(r'<mark class="gw-hl"[^>]*>(.*?)</mark>', out)
    assert marks, "the cited sentence is highlighted"
    assert html.unescape(marks[0]) == ans["citations"][0]["text"]
    # the context view is a closed <details> with the span highlighted and the neighbours around it
    ctx = out[out.index('<details class="gw-ctx">'):]
    assert "ordinary opening paragraph" in ctx and "closing paragraph" in ctx
    assert '<p class="gw-hit">' in ctx


def test_abstention_looks_different_and_lists_related_passages():
    corpus = render.Corpus(_data())
    out = render.answer_html(_answer(abstained=True), corpus)
    _no_live_markup(out)
    assert "gw-abstained" in out and "No answer found in the documents" in out
    assert "Closest related passages" in out and "gw-src-related" in out
    assert "&lt;script&gt;" in out


def test_streaming_segments_end_at_citation_markers():
    text = "First claim here. [1] Second claim. [2] [3] Trailing words"
    segs = render.answer_segments(text)
    assert segs == ["First claim here. [1]", " Second claim. [2] [3]", " Trailing words"]
    assert "".join(segs) == text
    partial = render.partial_answer_html(_answer(), 1)
    _no_live_markup(partial)
    assert "gw-cursor" in partial


def test_side_panel_and_question_are_escaped():
    data = _data()
    panel = render.documents_html(data.documents.values(), {"created_at": "2024-01-01T00:00:00+00:00",
                                                             "build_id": "b<1>", "counts": {"chunks": 4}})
    _no_live_markup(panel)
    assert "&lt;b&gt;Eve&lt;/b&gt;" in panel and "X &amp; Y" in panel and "b&lt;1&gt;" in panel
    q = render.question_html("<img src=x onerror=alert(9)> *bold*\nnext", ["hostile"], {"hostile": "T<i>"})
    _no_live_markup(q)
    assert "&lt;img" in q and "*bold*" in q and "T&lt;i&gt;" in q


def test_context_of_a_long_paragraph_is_windowed():
    long_para = " ".join(f"Sentence number {i} of a very long paragraph." for i in range(200))
    text = "Intro.\n\n" + long_para + "\n\nOutro."
    corpus = render.Corpus(_data(text))
    s, e = _span(text, "Sentence number 100 of a very long paragraph.")
    out = render.context_html(corpus, "hostile", s, e)
    assert "Sentence number 100 of a very long paragraph." in out
    assert "Sentence number 0 " not in out and "…" in out
    assert len(out) < 4000


def test_export_quotes_are_verbatim_and_safe():
    ans = _answer()
    turn = {"question": "What is the <b>launch</b> code?", "docs": None, "answer": ans, "rating": "down",
            "comment": "wrong <i>doc</i>"}
    md = export.conversation_markdown([turn], {"build_id": "b1", "created_at": "t"}, {"hostile": "Notes <img>"})
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    quotes = [line[2:] for line in md.splitlines() if line.startswith("> ")]
    assert len(quotes) == 1
    assert export.unescape_quote(quotes[0]) == ans["citations"][0]["text"]
    assert f"characters {ans['citations'][0]['start']}–{ans['citations'][0]['end']}" in md
    assert "document `hostile`" in md and "section “Field &lt;i&gt;notes&lt;/i&gt;”" in md
    assert "thumbs down" in md


def test_markdown_escaping_round_trips():
    for text in ["# not a heading", "1. not a list", "a [1] b [link](x) *s* _u_ `c` | ~ \\ & < >",
                 "multi\n- line\n> quote", "\\[1\\] escaped marker"]:
        assert export.unescape_quote(export.md_text(text)) == text


def test_export_shows_a_follow_up_as_a_plain_question():
    ans = dict(_answer(), resolved_question="What were its long-term outcomes? (about: the U.S.-Russia reset)")
    turn = {"question": "What were its long-term outcomes?", "docs": None, "answer": ans, "rating": None,
            "comment": ""}
    md = export.conversation_markdown([turn], {"build_id": "b1", "created_at": "t"}, {"hostile": "Notes"})
    assert "(about:" not in md
    assert "*Read as:* What were the long-term outcomes of the U.S.-Russia reset?" in md
