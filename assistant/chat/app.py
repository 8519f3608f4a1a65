"""The Gradio Blocks app: chat with citations, side panel, feedback, export and the /ask API.

Conversation state lives in one `gr.State` list of turns per browser
session; the Chatbot value (messages format, role/content dicts) is rebuilt
from it, so a turn's assistant message is always at index 2*i+1, which is
how a like/dislike event finds its turn.

`/ask` is the documented API endpoint. Every UI event listener is
`api_visibility="private"`, which only hides it from gradio_client's listing:
anyone who can load the page can still call it over HTTP, so each event
validates what it receives.
"""
from __future__ import annotations

import html
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.config import Settings

from ..core import Assistant, clean_question
from ..errors import AssistantError, InvalidQuestion
from ..language import language_note
from . import export as export_mod
from . import feedback as feedback_mod
from . import render

log = logging.getLogger("assistant.chat")

TITLE = "Groundwork · Ask the documents"
STREAM_DELAY_S = 0.06

# Example questions for the shipped corpus, shown when their document is indexed.
EXAMPLES: dict[str, list[str]] = {
    "rand-russia-less-hardline": [
        "Summarize the RAND brief.",
        "What does the RAND brief recommend?",
        "What is a less-hardline approach?",
        "What are the potential benefits of a less-hardline approach?",
        "What happened during the U.S.-Soviet détente?",
    ],
    "oped-russia-incentives": [
        "Summarize the op-ed.",
        "What did Russia do when the U.S. expelled 10 diplomats?",
        "Do the op-ed and the RAND brief agree on offering Russia incentives?",
    ],
    "": ["Who won the 2018 FIFA World Cup?"],  # shows what an abstention looks like
}

CSS = """
.gradio-container { max-width: 1360px !important; }
#gw-header { padding: 4px 2px 0 2px; }
#gw-header h1 { font-size: 1.35rem; font-weight: 650; margin: 0 0 2px 0; color: var(--body-text-color); }
#gw-header p { margin: 0; color: var(--body-text-color-subdued); font-size: .92rem; }
#gw-chat .message-content { font-size: .95rem; line-height: 1.55; }
.gw-q { white-space: normal; }
.gw-scope { margin-top: 4px; font-size: .78rem; opacity: .75; }
.gw-answer { color: #1f2937; }
.gw-text { margin: 0 0 6px 0; }
.gw-quote { color: #111827; background: #f1f5f9; border-radius: 3px; padding: 0 2px; }
.gw-conn { color: #64748b; font-style: italic; }
.gw-readas { color: #475569; font-weight: 600; }
.gw-ref { color: #1d4ed8; font-weight: 600; font-size: .8em; vertical-align: super; margin: 0 1px; cursor: help; }
.gw-cursor { color: #6b7280; animation: gw-blink 1s steps(2) infinite; }
@keyframes gw-blink { 50% { opacity: 0; } }
.gw-pending { color: #4b5563; font-style: italic; }
.gw-draft .gw-text { color: #4b5563; }
.gw-spinner { display: inline-block; width: 10px; height: 10px; margin-right: 8px; border: 2px solid #93c5fd;
  border-top-color: #1d4ed8; border-radius: 50%; animation: gw-spin .8s linear infinite; }
@keyframes gw-spin { to { transform: rotate(360deg); } }
.gw-sources { margin-top: 10px; border-top: 1px solid #e5e7eb; padding-top: 8px; }
.gw-sources-h { font-size: .72rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: #6b7280; margin-bottom: 6px; }
.gw-src { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px 10px; margin: 6px 0; color: #1f2937; }
.gw-src-head { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; }
.gw-badge { background: #1d4ed8; color: #fff; border-radius: 4px; padding: 0 5px; font-size: .75rem; font-weight: 700; }
.gw-src-title { font-weight: 600; font-size: .9rem; }
.gw-src-meta { font-size: .78rem; color: #64748b; margin: 2px 0 4px 0; }
.gw-src-meta code, .gw-doc-meta code, .gw-index code { font-size: .74rem; background: #eef2f7; padding: 0 3px; border-radius: 3px; color: #334155; }
.gw-sec { font-style: italic; }
blockquote.gw-passage { margin: 4px 0 2px 0 !important; padding: 2px 0 2px 10px !important; border-left: 3px solid #cbd5e1 !important;
  font-size: .88rem; color: #374151; background: transparent !important; }
blockquote.gw-passage p, .gw-ctx-body p { margin: 3px 0 !important; }
mark.gw-hl { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px; box-shadow: 0 0 0 1px #f59e0b55; }
details.gw-ctx { margin-top: 4px; font-size: .86rem; }
details.gw-ctx > summary { cursor: pointer; color: #1d4ed8; font-size: .8rem; font-weight: 600; list-style-position: inside; }
.gw-ctx-body { margin-top: 6px; padding: 8px 10px; background: #fff; border: 1px solid #e5e7eb; border-radius: 6px;
  max-height: 340px; overflow-y: auto; color: #374151; }
.gw-ctx-body p { color: #6b7280; }
.gw-ctx-body p.gw-hit { color: #111827; }
.gw-dim { color: #94a3b8; font-weight: 400; }
.gw-foot { margin-top: 8px; font-size: .72rem; color: #94a3b8; }
.gw-abstained { border-left: 4px solid #d97706; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.gw-abstain-label { font-size: .72rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: #b45309; margin-bottom: 4px; }
.gw-abstained .gw-text { color: #78350f; font-weight: 500; }
.gw-abstained .gw-src { background: #fff; }
.gw-error { border-left: 4px solid #dc2626; background: #fef2f2; padding: 8px 12px; border-radius: 6px; }
.gw-error .gw-abstain-label { color: #b91c1c; }
.gw-notice { font-size: .8rem; color: #92400e; background: #fef3c7; border-radius: 4px; padding: 4px 8px; margin: 6px 0; }
#gw-side .gw-doc { padding: 8px 0; border-bottom: 1px solid var(--border-color-primary); }
#gw-side .gw-doc:last-child { border-bottom: none; }
.gw-doc-title { font-weight: 600; font-size: .86rem; line-height: 1.3; color: var(--body-text-color); }
.gw-doc-meta { font-size: .76rem; color: var(--body-text-color-subdued); margin-top: 2px; }
.gw-index { font-size: .74rem; color: var(--body-text-color-subdued); margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--border-color-primary); }
#gw-side h3 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--body-text-color-subdued); margin: 6px 0 2px 0; }
#gw-feedback { padding: 6px 10px; }
#gw-fb-note { font-size: .86rem; padding: 2px 2px 6px 2px; color: var(--body-text-color); }
.gw-readas { font-size: .9rem; margin: 0 0 6px 0; }
#gw-chat .bubble-wrap, #gw-chat [role="log"] { padding-bottom: 28px !important; }
#gw-filter-bar { border: 1px solid var(--border-color-primary); border-radius: 8px; }
#gw-filter-bar > button { padding: 6px 10px; font-weight: 600; }
#gw-count-box { margin-top: -10px; }
details.gw-tech > summary { cursor: pointer; color: #94a3b8; font-size: .72rem; }
details.gw-tech div { margin: 2px 0 0 0; }
details.gw-tech code { font-size: .7rem; background: #eef2f7; padding: 0 3px; border-radius: 3px; color: #334155; }
#gw-count-box { padding: 0 4px; }
#gw-count { font-size: .74rem; color: #64748b; text-align: right; }
#gw-count.gw-over { color: #b91c1c; font-weight: 600; }
#gw-export-file { position: absolute !important; width: 1px !important; height: 1px !important; min-width: 0 !important;
  overflow: hidden; clip-path: inset(50%); opacity: 0; pointer-events: none; }
#gw-filter-bar { padding: 0; }
.toast-wrap { top: auto !important; bottom: 16px !important; }
@media (max-width: 700px) {
  .gradio-container { padding: 6px !important; }
  #gw-header p { display: none; }
  #gw-chat { height: 62vh !important; min-height: 320px !important; }
}
"""

# After an answer is complete, scroll the chat so that its question is at the top (or to the end when
# the answer is short). The Chatbot's autoscroll would leave the end of the sources in view, and stops
# following once the user has scrolled up.
SHOW_ANSWER_START_JS = """() => { setTimeout(() => {  // after the Chatbot's own autoscroll has run
  const rows = document.querySelectorAll('#gw-chat .message-row');
  if (rows.length < 2) return;
  const q = rows[rows.length - 2];
  let box = q.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 4 && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  if (!box) return;
  const top = q.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 6;
  box.scrollTo({top: Math.max(0, Math.min(top, box.scrollHeight - box.clientHeight)), behavior: 'smooth'});
}, 450); }"""

# Runs once when the page loads (no server round trip):
# * the question counter under the box: characters typed against the limit, red past it;
# * each chat message's aria-label as plain text. Gradio labels a message with its raw content,
#   which for our answers is escaped HTML, so a screen reader read the markup aloud (issue 15).
PAGE_JS = """() => {
  const fmt = (n) => n.toLocaleString('en-US');
  const count = () => {
    const box = document.querySelector('#gw-question textarea'), out = document.getElementById('gw-count');
    if (!box || !out) return;
    const n = Array.from(box.value.trim()).length, lim = Number(out.dataset.limit);
    const text = n > lim ? `${fmt(n)} / ${fmt(lim)} characters: too long, shorten the question to ${fmt(lim)}`
                         : `${fmt(n)} / ${fmt(lim)} characters`;
    if (out.textContent !== text) out.textContent = text;
    out.classList.toggle('gw-over', n > lim);
  };
  const plain = () => {
    document.querySelectorAll('#gw-chat [data-testid="user"][aria-label], #gw-chat [data-testid="bot"][aria-label]')
      .forEach((el) => {
        const parts = Array.from(el.querySelectorAll('.gw-q, .gw-abstain-label, .gw-readas, .gw-text'));
        const raw = parts.length ? parts.map((p) => p.innerText || p.textContent || '').join('. ')
                                 : (el.innerText || el.textContent || '');
        const text = raw.replace(/\\s+/g, ' ').replace(/\\.\\s*\\./g, '.').trim().slice(0, 2000);
        if (!text) return;  // not rendered yet; the next mutation comes back here
        const clean = `${el.dataset.testid === 'user' ? 'Question' : 'Answer'}: ${text}`;
        if (el.getAttribute('aria-label') !== clean) el.setAttribute('aria-label', clean);
      });
  };
  document.addEventListener('input', count, true);
  setInterval(count, 400);
  new MutationObserver(plain).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      attributeFilter: ['aria-label']});
  count(); plain();
}"""

# After Export is clicked and the file is written: click the hidden download button, which holds it now.
CLICK_DOWNLOAD_JS = """() => { setTimeout(() => {
  const el = document.getElementById('gw-export-file');
  const button = el && (el.tagName === 'BUTTON' ? el : el.querySelector('button'));
  if (button) button.click();
}, 150); }"""

PLACEHOLDER = (
    "<div style='text-align:center;max-width:460px;margin:auto;color:#64748b'>"
    "<div style='font-size:1.05rem;font-weight:600;color:#334155;margin-bottom:6px'>Ask a question about the documents</div>"
    "Answers are quoted sentence by sentence from the indexed documents, each with a citation "
    "<b style='color:#1d4ed8'>[n]</b>. Open a source to read it in context. "
    "When the documents do not answer, the assistant says so and shows the closest passages."
    "</div>"
)

AnswerFn = Callable[[str, Sequence[str], Sequence[str] | None], Any]
StreamFn = Callable[[str, Sequence[str], Sequence[str] | None], Iterator[Any]]  # yields str deltas, then the Answer


def theme() -> gr.themes.Base:
    """Local fonts only (staff machines may be offline), calm blue/slate palette."""
    return gr.themes.Default(
        primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
        font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "monospace"],
    )


def _user_message(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")) if text else text


TOAST_SECONDS = 5  # long enough to read one sentence; a toast must not sit over the header for long


def warn(message: str) -> None:
    """A toast for the user; Gradio renders these messages as HTML, so escape them."""
    gr.Warning(html.escape(message, quote=False), duration=TOAST_SECONDS)


def api_error(message: str) -> gr.Error:
    return gr.Error(html.escape(message, quote=False), print_exception=False)


def make_answer_fn(assistant: Assistant, settings: Settings | None = None) -> AnswerFn:
    """The configured answerer: extractive by default, the LLM backend when settings.answer.answerer == "llm"."""
    settings = settings or assistant.settings
    if settings.answer.answerer == "llm":
        def llm(question: str, history: Sequence[str], docs: Sequence[str] | None) -> Any:
            from ..generative import answer_with_llm  # optional backend, imported on first use

            return answer_with_llm(assistant, settings, question, list(history), list(docs) if docs else None)
        return llm

    def extractive(question: str, history: Sequence[str], docs: Sequence[str] | None) -> Any:
        return assistant.ask(question, history=list(history), docs=list(docs) if docs else None)
    return extractive


def make_stream_fn(assistant: Assistant, settings: Settings | None = None,
                   answer_fn: AnswerFn | None = None) -> StreamFn:
    """What the chat streams: the LLM backend's text deltas then its checked Answer, or just the Answer."""
    settings = settings or assistant.settings
    if answer_fn is None and settings.answer.answerer == "llm":
        def llm(question: str, history: Sequence[str], docs: Sequence[str] | None) -> Iterator[Any]:
            from ..generative import stream_with_llm

            yield from stream_with_llm(assistant, settings, question, list(history), list(docs) if docs else None)
        return llm
    fn = answer_fn or make_answer_fn(assistant, settings)

    def single(question: str, history: Sequence[str], docs: Sequence[str] | None) -> Iterator[Any]:
        yield fn(question, history, docs)
    return single


def _examples_for(doc_ids: Sequence[str]) -> list[str]:
    out = [q for d in doc_ids for q in EXAMPLES.get(d, [])]
    return out + EXAMPLES[""] if out else []


def build_app(assistant: Assistant, settings: Settings | None = None, *, feedback_path: Path | None = None,
              stream_delay: float = STREAM_DELAY_S, answer_fn: AnswerFn | None = None,
              examples: Sequence[str] | None = None) -> gr.Blocks:
    """The Blocks app. `settings` (default: the Assistant's) picks the answerer and the feedback log."""
    settings = settings or assistant.settings
    feedback_path = Path(feedback_path or settings.chat.feedback_path)
    stream_fn = make_stream_fn(assistant, settings, answer_fn)
    answer_fn = answer_fn or make_answer_fn(assistant, settings)
    corpus = render.Corpus(assistant.data)
    documents = list(assistant.data.documents.values())
    all_ids = [d.id for d in documents]
    titles = {d.id: d.title for d in documents}
    manifest = assistant.data.manifest
    index_created = str(manifest.get("created_at", ""))
    examples = list(examples) if examples is not None else _examples_for(all_ids)
    limit = int(settings.answer.max_question_chars)

    # -- helpers ---------------------------------------------------------
    def messages(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for t in turns:
            out.append({"role": "user", "content": t["question_html"]})
            out.append({"role": "assistant", "content": t["html"]})
        return out

    def export_update(turns: list[dict[str, Any]]) -> Any:
        """Export is enabled once there is an answer; no file is written until it is clicked (issue 15:
        a full export per answer used to pile up under the temp folder)."""
        return gr.update(interactive=any(t.get("answer") is not None for t in turns))

    def on_export(turns: list[dict[str, Any]] | None) -> Any:
        """Write the export file now and hand it to the hidden download button, which the page clicks."""
        answered = [t for t in (turns or []) if isinstance(t, dict) and t.get("answer") is not None]
        if not answered:
            warn("There is nothing to export yet.")
            return gr.update(value=None)
        try:
            path = export_mod.write_export(export_mod.conversation_markdown(answered, manifest, titles))
        except OSError as exc:
            log.warning("export failed: %s", exc)
            warn("The export file could not be written; the server log has the reason.")
            return gr.update(value=None)
        return gr.update(value=str(path))

    def display_answer(answer: dict[str, Any], question: str, doc_filter: list[str] | None) -> dict[str, Any]:
        """The answer as the chat shows and exports it: an abstention under a document filter names the
        selection, and a question in another language is told that the documents are in English."""
        shown = dict(answer)
        if shown.get("abstained") and doc_filter:
            shown["answer"] = render.scoped_abstention(str(shown.get("answer", "")),
                                                       [corpus.short_title(d) for d in doc_filter])
        note = language_note(question)
        if note:
            shown["notice"] = f"{note} {shown['notice']}" if shown.get("notice") else note
        return shown

    def selected_docs(docs: Sequence[str] | None) -> list[str] | None:
        chosen = [d for d in (docs or []) if isinstance(d, str)]
        if not chosen:
            raise InvalidQuestion("Tick at least one document under “Search in” (all ticked searches everything)")
        chosen = assistant.check_docs(chosen)
        return None if set(chosen) == set(all_ids) else chosen

    # -- chat ------------------------------------------------------------
    def respond(question: str, turns: list[dict[str, Any]] | None, docs: list[str] | None) -> Iterator[tuple]:
        turns = list(turns or [])
        try:
            doc_filter = selected_docs(docs)
            clean = clean_question(question, settings.answer.max_question_chars)
        except InvalidQuestion as exc:
            # A toast, not gr.Error: an error status would cover the whole conversation.
            warn(_sentence(_user_message(exc)))
            yield gr.update(), gr.update(), gr.update(), gr.update()
            return
        history = [t["question"] for t in turns if t.get("answer") is not None]
        turn: dict[str, Any] = {
            "id": uuid.uuid4().hex, "question": clean, "history": history, "docs": doc_filter,
            "question_html": render.question_html(clean, doc_filter, titles),
            "html": render.pending_html(doc_filter), "answer": None, "rating": None, "comment": "",
        }
        chat = messages(turns) + messages([turn])
        yield chat, turns, "", gr.update()
        draft, streamed, last_push = "", False, 0.0
        answer_obj = None
        try:
            for item in stream_fn(clean, history, doc_filter):
                if isinstance(item, str):  # generated text as it arrives (LLM backend)
                    draft += item
                    streamed = True
                    if time.monotonic() - last_push > 0.1:
                        last_push = time.monotonic()
                        chat[-1] = {"role": "assistant", "content": render.draft_html(draft)}
                        yield chat, turns, gr.update(), gr.update()
                else:
                    answer_obj = item
            if answer_obj is None:
                raise AssistantError("the answerer returned no answer")
            answer = display_answer(answer_obj.to_json(), clean, doc_filter)
        except InvalidQuestion as exc:
            turn["html"] = render.error_html(_user_message(exc))
            turns.append(turn)
            yield messages(turns), turns, gr.update(), gr.update()
            return
        except AssistantError as exc:
            log.exception("answering failed")
            turn["html"] = render.error_html(f"The assistant could not answer: {_user_message(exc)}")
            turns.append(turn)
            yield messages(turns), turns, gr.update(), gr.update()
            return
        except Exception:  # never a traceback in the browser; the log has it
            log.exception("unexpected error while answering %r", clean)
            turn["html"] = render.error_html("Something went wrong while answering. The error was logged; "
                                             "please try again or rephrase the question.")
            turns.append(turn)
            yield messages(turns), turns, gr.update(), gr.update()
            return
        turn["answer"] = answer
        if not answer.get("abstained") and not streamed:  # the extractive answer arrives whole: show it unfold
            segments = render.answer_segments(answer.get("answer", ""))
            for k in range(1, len(segments)):
                chat[-1] = {"role": "assistant", "content": render.partial_answer_html(answer, k)}
                yield chat, turns, gr.update(), gr.update()
                time.sleep(stream_delay)
        turn["html"] = render.answer_html(answer, corpus)
        turns.append(turn)
        yield messages(turns), turns, gr.update(), export_update(turns)

    # -- feedback --------------------------------------------------------
    def record(turn: dict[str, Any], request: gr.Request | None) -> None:
        user = getattr(request, "username", None) if request is not None else None
        try:
            rec = feedback_mod.make_record(
                feedback_id=turn["id"], rating=turn["rating"], comment=turn.get("comment", ""),
                question=turn["question"], history=turn["history"], docs=turn["docs"], answer=turn["answer"],
                index_build=assistant.data.build_id, index_created_at=index_created, user=user,
            )
            feedback_mod.append(feedback_path, rec)
        except feedback_mod.FeedbackError as exc:
            log.error("%s", exc)
            warn(f"Feedback could not be saved: {exc}")
            return False
        return True

    def on_like(turns: list[dict[str, Any]] | None, data: gr.LikeData, request: gr.Request) -> tuple:
        # Any page visitor can send this event through /gradio_api/queue/join with a LikeData of their own
        # (issue 14: a rating "injected-rating <b>x</b>" was logged), so every field is checked: the index
        # must name an assistant message (odd) of a turn this session answered, and the rating must be a
        # thumb. The turns themselves are server-side session state; the client cannot send them.
        turns = list(turns or [])
        index = data.index[0] if isinstance(data.index, (list, tuple)) and len(data.index) == 1 else data.index
        ok_index = isinstance(index, int) and not isinstance(index, bool) and index % 2 == 1
        i = index // 2 if ok_index else -1
        if not (0 <= i < len(turns)) or turns[i].get("answer") is None:
            warn("That message has no answer to rate.")
            return turns, gr.update(), gr.update(), None, gr.update()
        liked = data.liked
        # True/False for the thumbs; clicking the same thumb again withdraws the rating ("" or None).
        rating = {True: "up", False: "down", None: "withdrawn", "": "withdrawn"}.get(liked) \
            if isinstance(liked, (bool, str, type(None))) else None
        if rating is None:
            warn("That is not a rating.")
            return turns, gr.update(), gr.update(), None, gr.update()
        turn = dict(turns[i])
        turn["rating"] = rating
        if not record(turn, request):
            return turns, gr.update(), gr.update(), None, gr.update()
        turns[i] = turn
        quoted = render.esc(render._short(turn["question"], 70))
        if turn["rating"] == "withdrawn":
            note = f"Rating of answer {i + 1} (“{quoted}”) withdrawn."
        else:
            mark = {"up": "thumbs up", "down": "thumbs down"}[turn["rating"]]
            note = (f"Recorded <b>{mark}</b> for answer {i + 1} (“{quoted}”). "
                    "Add a comment if you like: what was wrong, missing or useful?")
        return turns, gr.update(visible=True), gr.update(value=note), turn["id"], export_update(turns)

    def on_comment(comment: str, pending: str | None, turns: list[dict[str, Any]] | None,
                   request: gr.Request) -> tuple:
        turns = list(turns or [])
        # Callable over raw HTTP like every event: the comment may be any JSON value and any length.
        text = feedback_mod.clean_comment(comment) if isinstance(comment, str) else None
        match = [k for k, t in enumerate(turns) if isinstance(pending, str) and t["id"] == pending
                 and t.get("rating") is not None]
        problem = ("Rate an answer with the thumbs under it first, then add a comment." if not match
                   else "The comment must be text." if text is None
                   else "The comment is empty." if not text
                   else f"The comment is {len(text)} characters long; the limit is {feedback_mod.MAX_COMMENT_CHARS}."
                   if len(text) > feedback_mod.MAX_COMMENT_CHARS else "")
        if problem:
            warn(problem)
            return turns, gr.update(), gr.update(), gr.update()
        k = match[0]
        turn = dict(turns[k])
        turn["comment"] = text
        if not record(turn, request):
            return turns, gr.update(), gr.update(), gr.update()
        turns[k] = turn
        return turns, "", gr.update(value=f"Comment saved with your rating of answer {k + 1}. Thank you."), \
            export_update(turns)

    def clear() -> tuple:
        return [], [], "", gr.update(visible=False), None, gr.update(interactive=False)

    # -- API ---------------------------------------------------------------
    def answer_json(question: Any, history: Any = None, docs: Any = None) -> dict:
        """The checks and the answer behind both `/ask` and `POST /api/ask` (assistant/chat/api.py).

        Raises InvalidQuestion for a bad request, AssistantError when answering fails.
        """
        if history is not None and (not isinstance(history, list) or not all(isinstance(h, str) for h in history)):
            raise InvalidQuestion("history must be a list of earlier questions (strings)")
        if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
            raise InvalidQuestion("docs must be a list of document ids (strings) or null")
        doc_filter = assistant.check_docs(docs) or None
        return answer_fn(question, history or [], doc_filter).to_json()

    def ask(question: str, history: list[str] | None = None, docs: list[str] | None = None) -> dict:
        """Answer one question from the documents.

        question: the question. history: earlier user questions of the conversation, oldest first.
        docs: document ids to search (None or [] searches all). Returns the JSON of
        `python -m assistant ask --json`.
        """
        try:
            return answer_json(question, history, docs)
        except InvalidQuestion as exc:
            raise api_error(f"Invalid request: {_user_message(exc)}") from None
        except AssistantError as exc:
            log.exception("API answer failed")
            raise api_error(f"The assistant could not answer: {_user_message(exc)}") from None
        except Exception:
            log.exception("unexpected API error for %r", question)
            raise api_error("Internal error while answering; the server log has the details.") from None

    # -- layout ----------------------------------------------------------
    # delete_cache: Gradio's copies of the export files are removed after a day.
    with gr.Blocks(title=TITLE, fill_width=True, delete_cache=(3600, 86400)) as demo:
        turns_state = gr.State([])
        pending_state = gr.State(None)
        how = ("is written from the indexed documents and checked against the passage it cites"
               if settings.answer.answerer == "llm" else "is quoted from an indexed document and cited")
        gr.HTML(f"<h1>Ask the documents</h1><p>Every sentence of an answer {how} <b>[n]</b>. Open a source to "
                "check it in context, and rate each answer with the thumbs under it.</p>",
                elem_id="gw-header", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300, elem_id="gw-main"):
                # The filter sits in a collapsible bar above the chat, so on a phone it is not below the fold.
                with gr.Accordion("Search in: choose documents", open=False, elem_id="gw-filter-bar"):
                    doc_filter = gr.CheckboxGroup(render.filter_choices(documents), value=all_ids,
                                                  show_label=False, elem_id="gw-filter")
                chatbot = gr.Chatbot(
                    elem_id="gw-chat", show_label=False, height="68vh", min_height=460, latex_delimiters=[], buttons=[],
                    feedback_options=("Like", "Dislike"), placeholder=PLACEHOLDER, layout="panel",
                    group_consecutive_messages=False, sanitize_html=True, autoscroll=True,
                )
                with gr.Row(equal_height=True):
                    # No max_length: the browser would cut a pasted question silently, mid-word. The counter
                    # shows the limit and the server refuses a longer question with a message.
                    question = gr.Textbox(placeholder="Ask a question about the documents…", show_label=False,
                                          lines=1, max_lines=5, scale=8, elem_id="gw-question", autofocus=True)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="gw-ask")
                gr.HTML(f'<div id="gw-count" data-limit="{limit}">0 / {limit:,} characters</div>',
                        elem_id="gw-count-box", js_on_load=None)
                with gr.Group(visible=False, elem_id="gw-feedback") as fb_group:
                    fb_note = gr.HTML(elem_id="gw-fb-note", js_on_load=None)
                    with gr.Row(equal_height=True):
                        fb_comment = gr.Textbox(placeholder="Optional comment", show_label=False, scale=6,
                                                lines=1, max_lines=4, elem_id="gw-comment", max_length=4000)
                        fb_send = gr.Button("Save comment", scale=1, min_width=150, size="md", elem_id="gw-comment-send")
                with gr.Row():
                    export_btn = gr.Button("Export conversation (Markdown)", interactive=False, size="sm",
                                           elem_id="gw-export", scale=0, min_width=260)
                    # Filled on click only, then clicked by the page; hidden by CSS (it must stay in the DOM).
                    export_file = gr.DownloadButton("Download", value=None, size="sm", elem_id="gw-export-file",
                                                    scale=0, min_width=10)
            with gr.Column(scale=1, min_width=300, elem_id="gw-side"):
                gr.HTML("<h3>Documents</h3>" + render.documents_html(documents, manifest), elem_id="gw-docs",
                        js_on_load=None)
                if examples:
                    example_set = gr.Dataset(components=[question], samples=[[q] for q in examples],
                                             label="Example questions", elem_id="gw-examples", samples_per_page=10)
                clear_btn = gr.Button("Clear conversation", variant="secondary", size="sm", elem_id="gw-clear")

        chat_outputs = [chatbot, turns_state, question, export_btn]
        gr.on([question.submit, ask_btn.click], respond, [question, turns_state, doc_filter], chat_outputs,
              api_visibility="private", concurrency_limit=4, trigger_mode="once", show_progress="hidden").then(
            None, None, None, js=SHOW_ANSWER_START_JS, api_visibility="private", queue=False)
        if examples:
            example_set.click(lambda sample: sample[0], example_set, question, api_visibility="private",
                              queue=False).then(
                respond, [question, turns_state, doc_filter], chat_outputs, api_visibility="private",
                concurrency_limit=4, show_progress="hidden").then(None, None, None, js=SHOW_ANSWER_START_JS, api_visibility="private",
                                          queue=False)
        chatbot.like(on_like, [turns_state], [turns_state, fb_group, fb_note, pending_state, export_btn],
                     api_visibility="private")
        gr.on([fb_send.click, fb_comment.submit], on_comment, [fb_comment, pending_state, turns_state],
              [turns_state, fb_comment, fb_note, export_btn], api_visibility="private")
        clear_outputs = [chatbot, turns_state, question, fb_group, pending_state, export_btn]
        clear_btn.click(clear, None, clear_outputs, api_visibility="private", queue=False)
        export_btn.click(on_export, [turns_state], [export_file], api_visibility="private").then(
            None, None, None, js=CLICK_DOWNLOAD_JS, api_visibility="private", queue=False)
        demo.load(None, None, None, js=PAGE_JS, api_visibility="private", queue=False)
        chatbot.clear(clear, None, clear_outputs, api_visibility="private", queue=False)
        gr.api(ask, api_name="ask", concurrency_limit=4)
    demo.gw_css = CSS  # type: ignore[attr-defined]  # launch(css=...) in Gradio 6
    demo.gw_answer_json = answer_json  # type: ignore[attr-defined]  # served as POST /api/ask (api.py)
    return demo
