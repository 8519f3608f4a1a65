"""The Gradio Blocks app: chat with citations, side panel, feedback, export and the /ask API.

This module is the page: its components and which handler each event
calls. What the handlers do (and the validation every event needs, since
any page visitor can call a private event over HTTP) is in handlers.py.

`/ask` is the documented API endpoint; every UI event listener is
`api_visibility="private"`.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.config import Settings

from ..answerers import Answerer
from . import render
from .handlers import STREAM_DELAY_S, ChatHandlers, clear
from .page import CLICK_DOWNLOAD_JS, CSS, PAGE_JS, PLACEHOLDER, SHOW_ANSWER_START_JS, _examples_for, theme

__all__ = ["CSS", "build_app", "theme"]

TITLE = "Groundwork · Ask the documents"


def build_app(answerer: Answerer, settings: Settings | None = None, *, feedback_path: Path | None = None,
              stream_delay: float = STREAM_DELAY_S, examples: Sequence[str] | None = None) -> gr.Blocks:
    """The Blocks app over one answerer (answerers.make_answerer). `settings` (default: the Assistant's)
    gives the feedback log and the limits."""
    h = ChatHandlers(answerer, settings, feedback_path=feedback_path, stream_delay=stream_delay)
    documents, all_ids, manifest = h.documents, h.all_ids, h.manifest
    examples = list(examples) if examples is not None else _examples_for(all_ids)
    limit = int(h.settings.answer.max_question_chars)

    # -- layout ----------------------------------------------------------
    # delete_cache: Gradio's copies of the export files are removed after a day.
    with gr.Blocks(title=TITLE, fill_width=True, delete_cache=(3600, 86400)) as demo:
        turns_state = gr.State([])
        pending_state = gr.State(None)
        how = ("is written from the indexed documents and checked against the passage it cites"
               if answerer.name == "llm" else "is quoted from an indexed document and cited")
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
        gr.on([question.submit, ask_btn.click], h.respond, [question, turns_state, doc_filter], chat_outputs,
              api_visibility="private", concurrency_limit=4, trigger_mode="once", show_progress="hidden").then(
            None, None, None, js=SHOW_ANSWER_START_JS, api_visibility="private", queue=False)
        if examples:
            example_set.click(lambda sample: sample[0], example_set, question, api_visibility="private",
                              queue=False).then(
                h.respond, [question, turns_state, doc_filter], chat_outputs, api_visibility="private",
                concurrency_limit=4, show_progress="hidden").then(None, None, None, js=SHOW_ANSWER_START_JS, api_visibility="private",
                                          queue=False)
        chatbot.like(h.on_like, [turns_state], [turns_state, fb_group, fb_note, pending_state, export_btn],
                     api_visibility="private")
        gr.on([fb_send.click, fb_comment.submit], h.on_comment, [fb_comment, pending_state, turns_state],
              [turns_state, fb_comment, fb_note, export_btn], api_visibility="private")
        clear_outputs = [chatbot, turns_state, question, fb_group, pending_state, export_btn]
        clear_btn.click(clear, None, clear_outputs, api_visibility="private", queue=False)
        export_btn.click(h.on_export, [turns_state], [export_file], api_visibility="private").then(
            None, None, None, js=CLICK_DOWNLOAD_JS, api_visibility="private", queue=False)
        demo.load(None, None, None, js=PAGE_JS, api_visibility="private", queue=False)
        chatbot.clear(clear, None, clear_outputs, api_visibility="private", queue=False)
        gr.api(h.ask, api_name="ask", concurrency_limit=4)
    # Read back by server.launch_kwargs: launch(css=...) in Gradio 6, and POST /api/ask (api.py).
    served: Any = demo
    served.gw_css = CSS
    served.gw_answer_json = h.answer_json
    return demo
