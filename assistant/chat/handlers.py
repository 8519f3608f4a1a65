"""What the chat app does on each event: ask, rate, comment, export, clear, and the /ask API.

The Blocks layout (app.py) wires these to its components. Conversation state
lives in one `gr.State` list of turns per browser session; the Chatbot value
(messages format, role/content dicts) is rebuilt from it, so a turn's
assistant message is always at index 2*i+1, which is how a like/dislike
event finds its turn.

Every UI event listener is `api_visibility="private"`, which only hides it
from gradio_client's listing: anyone who can load the page can still call it
over HTTP, so each handler validates what it receives.
"""
from __future__ import annotations

import html
import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.config import Settings

from ..answerers import Answerer
from ..errors import AssistantError, InvalidQuestion
from ..language import language_note
from ..question import Question
from . import export as export_mod
from . import feedback as feedback_mod
from . import render
from .corpus import shorten
from .templating import escape_text

log = logging.getLogger("assistant.chat")

STREAM_DELAY_S = 0.06


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


def clear() -> tuple:
    """The empty conversation: chat, turns, question, hidden feedback box, no pending rating, export off."""
    return [], [], "", gr.update(visible=False), None, gr.update(interactive=False)


class ChatHandlers:
    """The event handlers of one app, over one answerer and the index it answers from.

    `settings` (default: the Assistant's) gives the feedback log and the limits.
    """

    def __init__(self, answerer: Answerer, settings: Settings | None = None, *, feedback_path: Path | None = None,
                 stream_delay: float = STREAM_DELAY_S) -> None:
        self.answerer = answerer
        self.assistant = answerer.assistant
        self.settings = settings or self.assistant.settings
        self.feedback_path = Path(feedback_path or self.settings.chat.feedback_path)
        self.stream_delay = stream_delay
        self.corpus = render.Corpus(self.assistant.data)
        self.documents = list(self.assistant.data.documents.values())
        self.all_ids = [d.id for d in self.documents]
        self.titles = {d.id: d.title for d in self.documents}
        self.manifest = self.assistant.data.manifest
        self.index_created = str(self.manifest.get("created_at", ""))

    def on_export(self, turns: list[dict[str, Any]] | None) -> Any:
        """Write the export file now and hand it to the hidden download button, which the page clicks."""
        answered = [t for t in (turns or []) if isinstance(t, dict) and t.get("answer") is not None]
        if not answered:
            warn("There is nothing to export yet.")
            return gr.update(value=None)
        try:
            path = export_mod.write_export(export_mod.conversation_markdown(answered, self.manifest, self.titles))
        except OSError as exc:
            log.warning("export failed: %s", exc)
            warn("The export file could not be written; the server log has the reason.")
            return gr.update(value=None)
        return gr.update(value=str(path))

    def display_answer(self, answer: dict[str, Any], question: str, doc_filter: list[str] | None) -> dict[str, Any]:
        """The answer as the chat shows and exports it: an abstention under a document filter names the
        selection, and a question in another language is told that the documents are in English."""
        shown = dict(answer)
        if shown.get("abstained") and doc_filter:
            shown["answer"] = render.scoped_abstention(str(shown.get("answer", "")),
                                                       [self.corpus.short_title(d) for d in doc_filter])
        note = language_note(question)
        if note:
            shown["notice"] = f"{note} {shown['notice']}" if shown.get("notice") else note
        return shown

    def parse(self, question: object, history: list[str], docs: Sequence[str] | None) -> Question:
        """The question, its history and the ticked documents, validated once (all ticked searches all)."""
        chosen = [d for d in (docs or []) if isinstance(d, str)]
        if not chosen:
            raise InvalidQuestion("Tick at least one document under “Search in” (all ticked searches everything)")
        chosen = self.assistant.check_docs(chosen)
        return self.answerer.parse(question, history, None if set(chosen) == set(self.all_ids) else chosen)

    # -- chat ------------------------------------------------------------
    def respond(self, question: str, turns: list[dict[str, Any]] | None, docs: list[str] | None) -> Iterator[tuple]:
        turns = list(turns or [])
        history = [t["question"] for t in turns if t.get("answer") is not None]
        try:
            asked = self.parse(question, history, docs)
        except InvalidQuestion as exc:
            # A toast, not gr.Error: an error status would cover the whole conversation.
            warn(_sentence(_user_message(exc)))
            yield gr.update(), gr.update(), gr.update(), gr.update()
            return
        clean, doc_filter = asked.text, asked.doc_filter
        turn: dict[str, Any] = {
            "id": uuid.uuid4().hex, "question": clean, "history": history, "docs": doc_filter,
            "question_html": render.question_html(clean, doc_filter, self.titles),
            "html": render.pending_html(doc_filter), "answer": None, "rating": None, "comment": "",
        }
        chat = messages(turns) + messages([turn])
        yield chat, turns, "", gr.update()
        draft, streamed, last_push = "", False, 0.0
        answer_obj = None
        try:
            for item in self.answerer.stream(asked):
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
            answer = self.display_answer(answer_obj.to_json(), clean, doc_filter)
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
                time.sleep(self.stream_delay)
        turn["html"] = render.answer_html(answer, self.corpus)
        turns.append(turn)
        yield messages(turns), turns, gr.update(), export_update(turns)

    # -- feedback --------------------------------------------------------
    def record(self, turn: dict[str, Any], request: gr.Request | None) -> bool:
        user = getattr(request, "username", None) if request is not None else None
        try:
            rec = feedback_mod.make_record(
                feedback_id=turn["id"], rating=turn["rating"], comment=turn.get("comment", ""),
                question=turn["question"], history=turn["history"], docs=turn["docs"], answer=turn["answer"],
                index_build=self.assistant.data.build_id, index_created_at=self.index_created, user=user,
            )
            feedback_mod.append(self.feedback_path, rec)
        except feedback_mod.FeedbackError as exc:
            log.error("%s", exc)
            warn(f"Feedback could not be saved: {exc}")
            return False
        return True

    def on_like(self, turns: list[dict[str, Any]] | None, data: gr.LikeData, request: gr.Request) -> tuple:
        # Any page visitor can send this event through /gradio_api/queue/join with a LikeData of their own
        # (issue 14: a rating "injected-rating <b>x</b>" was logged), so every field is checked: the index
        # must name an assistant message (odd) of a turn this session answered, and the rating must be a
        # thumb. The turns themselves are server-side session state; the client cannot send them.
        turns = list(turns or [])
        index: object = data.index[0] if isinstance(data.index, (list, tuple)) and len(data.index) == 1 else data.index
        i = index // 2 if isinstance(index, int) and not isinstance(index, bool) and index % 2 == 1 else -1
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
        if not self.record(turn, request):
            return turns, gr.update(), gr.update(), None, gr.update()
        turns[i] = turn
        quoted = escape_text(shorten(turn["question"], 70))
        if turn["rating"] == "withdrawn":
            note = f"Rating of answer {i + 1} (“{quoted}”) withdrawn."
        else:
            mark = {"up": "thumbs up", "down": "thumbs down"}[turn["rating"]]
            note = (f"Recorded <b>{mark}</b> for answer {i + 1} (“{quoted}”). "
                    "Add a comment if you like: what was wrong, missing or useful?")
        return turns, gr.update(visible=True), gr.update(value=note), turn["id"], export_update(turns)

    def on_comment(self, comment: str, pending: str | None, turns: list[dict[str, Any]] | None,
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
        if not self.record(turn, request):
            return turns, gr.update(), gr.update(), gr.update()
        turns[k] = turn
        return turns, "", gr.update(value=f"Comment saved with your rating of answer {k + 1}. Thank you."), \
            export_update(turns)

    # -- API ---------------------------------------------------------------
    def answer_json(self, question: Any, history: Any = None, docs: Any = None) -> dict:
        """The checks and the answer behind both `/ask` and `POST /api/ask` (assistant/chat/api.py).

        Raises InvalidQuestion for a bad request, AssistantError when answering fails.
        """
        if history is not None and (not isinstance(history, list) or not all(isinstance(h, str) for h in history)):
            raise InvalidQuestion("history must be a list of earlier questions (strings)")
        if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
            raise InvalidQuestion("docs must be a list of document ids (strings) or null")
        return self.answerer.answer(self.answerer.parse(question, history or [], docs)).to_json()

    def ask(self, question: str, history: list[str] | None = None, docs: list[str] | None = None) -> dict:
        """Answer one question from the documents.

        question: the question. history: earlier user questions of the conversation, oldest first.
        docs: document ids to search (None or [] searches all). Returns the JSON of
        `python -m assistant ask --json`.
        """
        try:
            return self.answer_json(question, history, docs)
        except InvalidQuestion as exc:
            raise api_error(f"Invalid request: {_user_message(exc)}") from None
        except AssistantError as exc:
            log.exception("API answer failed")
            raise api_error(f"The assistant could not answer: {_user_message(exc)}") from None
        except Exception:
            log.exception("unexpected API error for %r", question)
            raise api_error("Internal error while answering; the server log has the details.") from None
