"""The Gradio Blocks app: chat with citations, side panel, feedback, export and the /ask API.

Conversation state lives in one `gr.State` list of turns per browser
session; the Chatbot value (messages format, role/content dicts) is rebuilt
from it, so a turn's assistant message is always at index 2*i+1, which is
how a like/dislike event finds its turn.

Only `/ask` is a public API endpoint; every UI event listener is
`api_visibility="private"`, so gradio_client cannot call them.
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


def warn(message: str) -> None:
    """A toast for the user; Gradio renders these messages as HTML, so escape them."""
    gr.Warning(html.escape(message, quote=False))


def api_error(message: str) -> gr.Error:
    return gr.Error(html.escape(message, quote=False), print_exception=False)


def make_answer_fn(assistant: Assistant, settings: Settings | None = None) -> AnswerFn:
    """The configured answerer: extractive by default, the LLM backend when settings.answerer == "llm"."""
    settings = settings or assistant.settings
    if settings.answerer == "llm":
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
    if answer_fn is None and settings.answerer == "llm":
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
    feedback_path = Path(feedback_path or settings.feedback_path)
    stream_fn = make_stream_fn(assistant, settings, answer_fn)
    answer_fn = answer_fn or make_answer_fn(assistant, settings)
    corpus = render.Corpus(assistant.data)
    documents = list(assistant.data.documents.values())
    all_ids = [d.id for d in documents]
    titles = {d.id: d.title for d in documents}
    manifest = assistant.data.manifest
    index_created = str(manifest.get("created_at", ""))
    examples = list(examples) if examples is not None else _examples_for(all_ids)

    # -- helpers ---------------------------------------------------------
    def messages(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for t in turns:
            out.append({"role": "user", "content": t["question_html"]})
            out.append({"role": "assistant", "content": t["html"]})
        return out

    def export_update(turns: list[dict[str, Any]]) -> Any:
        answered = [t for t in turns if t.get("answer") is not None]
        if not answered:
            return gr.update(value=None, interactive=False)
        try:
            md = export_mod.conversation_markdown(answered, manifest, titles)
            path = export_mod.write_export(md)
        except OSError as exc:
            log.warning("export failed: %s", exc)
            return gr.update(value=None, interactive=False)
        return gr.update(value=str(path), interactive=True)

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
            clean = clean_question(question, settings.max_question_chars)
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
            answer = answer_obj.to_json()
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
            mark = {"up": "thumbs up", "down": "thumbs down"}.get(turn["rating"], render.esc(turn["rating"]))
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
        return [], [], "", gr.update(visible=False), None, gr.update(value=None, interactive=False)

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
               if settings.answerer == "llm" else "is quoted from an indexed document and cited")
        gr.HTML(f"<h1>Ask the documents</h1><p>Every sentence of an answer {how} <b>[n]</b>. Open a source to "
                "check it in context, and rate each answer with the thumbs under it.</p>",
                elem_id="gw-header", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=560):
                chatbot = gr.Chatbot(
                    elem_id="gw-chat", show_label=False, height="68vh", min_height=460, latex_delimiters=[], buttons=[],
                    feedback_options=("Like", "Dislike"), placeholder=PLACEHOLDER, layout="panel",
                    group_consecutive_messages=False, sanitize_html=True, autoscroll=True,
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(placeholder="Ask a question about the documents…", show_label=False,
                                          lines=1, max_lines=5, scale=8, elem_id="gw-question", autofocus=True,
                                          max_length=settings.max_question_chars)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="gw-ask")
                with gr.Group(visible=False, elem_id="gw-feedback") as fb_group:
                    fb_note = gr.HTML(elem_id="gw-fb-note", js_on_load=None)
                    with gr.Row(equal_height=True):
                        fb_comment = gr.Textbox(placeholder="Optional comment", show_label=False, scale=6,
                                                lines=1, max_lines=4, elem_id="gw-comment", max_length=4000)
                        fb_send = gr.Button("Save comment", scale=1, min_width=150, size="md", elem_id="gw-comment-send")
                with gr.Row():
                    export_btn = gr.DownloadButton("Export conversation (Markdown)", value=None, interactive=False,
                                                   size="sm", elem_id="gw-export", scale=0, min_width=260)
            with gr.Column(scale=1, min_width=300, elem_id="gw-side"):
                gr.HTML("<h3>Documents</h3>" + render.documents_html(documents, manifest), elem_id="gw-docs",
                        js_on_load=None)
                doc_filter = gr.CheckboxGroup(render.filter_choices(documents), value=all_ids, label="Search in",
                                              elem_id="gw-filter")
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
        chatbot.clear(clear, None, clear_outputs, api_visibility="private", queue=False)
        gr.api(ask, api_name="ask", concurrency_limit=4)
    demo.gw_css = CSS  # type: ignore[attr-defined]  # launch(css=...) in Gradio 6
    demo.gw_answer_json = answer_json  # type: ignore[attr-defined]  # served as POST /api/ask (api.py)
    return demo
