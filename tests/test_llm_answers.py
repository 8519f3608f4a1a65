"""Generative answers against a scripted OpenAI-compatible server on loopback.

Each test starts its own tests/fake_openai.py server on a free port; replies
cite passages by looking up which number holds a phrase in the prompt, so
they stay correct whatever order retrieval returns.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from assistant import Answer, Assistant
from assistant.generative import answer_with_llm, stream_with_llm
from assistant.grounding import remove_markers
from ingest.config import Settings

from fake_openai import FakeOpenAI, Reply, cite

KEY_ENV = "RAGQA_TEST_LLM_KEY"
SECRET = "sk-test-0123456789-secret"
RESET = "When did the U.S.-Russia reset begin?"
GOOD = ("The U.S.-Russia reset began when President Barack Obama took office in January 2009 [{n}]. "
        "It produced a wide array of agreements, including the New START arms agreement of 2011 [{m}].")


def good_reply(request: dict) -> Reply:
    n, m = cite(request, "January 2009"), cite(request, "New START arms agreement of 2011")
    return Reply(GOOD.format(n=n, m=m))


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=good_reply) as s:
        yield s


@pytest.fixture
def settings(server: FakeOpenAI, shipped_index: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(KEY_ENV, SECRET)
    return Settings().replace(index_dir=shipped_index, answerer="llm", llm_base_url=server.url, llm_model="fake-model",
                              llm_api_key_env=KEY_ENV, llm_timeout_s=10.0)


def check_citations(assistant: Assistant, answer: Answer) -> None:
    k = len(answer.passages)
    for c in answer.citations:
        assert 1 <= c.n <= k
        p = answer.passages[c.n - 1]
        assert c.text == assistant.document_text(c.doc)[c.start:c.end]
        assert c.doc == p.doc and p.start <= c.start < c.end <= p.end
        assert f"[{c.n}]" in answer.text


def deltas_and_final(items: Iterable[str | Answer]) -> tuple[list[str], Answer]:
    """A stream split into its text deltas and the final Answer it ends with, each typed as such."""
    *head, final = items
    deltas = [d for d in head if isinstance(d, str)]
    assert len(deltas) == len(head) and isinstance(final, Answer), (head, final)
    return deltas, final


def fallback(answer: Answer, *words: str) -> None:
    assert answer.answerer == "extractive" and not answer.abstained
    assert answer.citations and answer.unsupported_sentences == []
    for w in words:
        assert w in answer.notice, answer.notice


def test_good_grounded_reply(assistant: Assistant, server: FakeOpenAI, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer = answer_with_llm(assistant, settings, RESET)
    assert answer.answerer == "llm" and not answer.abstained
    assert answer.notice == "" and answer.unsupported_sentences == []
    assert answer.text.startswith("The U.S.-Russia reset began when President Barack Obama took office")
    assert len(answer.citations) == 2 and {"January 2009" in c.text or "New START" in c.text
                                           for c in answer.citations} == {True}
    check_citations(assistant, answer)
    assert {"llm_ms", "check_ms", "total_ms"} <= set(answer.timings)
    # One request, to the configured model, with the key from the named env var and the numbered passages.
    (req,) = server.requests
    assert req.path == "/v1/chat/completions" and req.json["model"] == "fake-model"
    assert req.headers["Authorization"] == f"Bearer {SECRET}"
    prompt = req.json["messages"][-1]["content"]
    assert "[1] (" in prompt and f"[{len(answer.passages)}] (" in prompt and RESET in prompt
    # The key never reaches logs or the answer.
    assert SECRET not in caplog.text and SECRET not in json.dumps(answer.to_json())


def test_streaming_yields_deltas_as_they_arrive(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.default = lambda req: dataclasses.replace(good_reply(req), chunk_delay=0.03)
    t0 = time.monotonic()
    items: list[str | Answer] = []
    arrivals: list[float] = []
    for item in stream_with_llm(assistant, settings, RESET):
        items.append(item)
        arrivals.append(time.monotonic() - t0)
    deltas, final = deltas_and_final(items)
    assert isinstance(final, Answer) and final.answerer == "llm"
    assert len(deltas) > 10 and all(isinstance(d, str) for d in deltas)
    assert server.requests[0].json["stream"] is True
    streamed = "".join(deltas)
    assert "January 2009 [" in streamed and streamed.split()[0] == "The"
    # Deltas came one by one while the server was still writing, not all at the end.
    assert arrivals[-2] - arrivals[0] > 0.2
    # The final text is the checked version of what was streamed (citations written after the full stop).
    assert remove_markers(final.text) == remove_markers(streamed)


def test_reasoning_block_is_not_streamed(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.default = lambda req: Reply("<think>The user wants a date; passage says 2009.</think>\n"
                                       + GOOD.format(n=cite(req, "January 2009"),
                                                     m=cite(req, "New START arms agreement of 2011")))
    deltas, final = deltas_and_final(stream_with_llm(assistant, settings, RESET))
    assert "think" not in "".join(deltas) and "passage says" not in "".join(deltas)
    assert final.answerer == "llm" and "think" not in final.text


@pytest.mark.parametrize("reply", [
    Reply(body=b"<html>502 Bad Gateway</html>", content_type="text/html"),
    Reply(body=b'data: {"id": "x", "choices": [{"delta": {"content": "The res', content_type="text/event-stream"),
    Reply(body=b'data: {"unexpected": true}\n\ndata: [DONE]\n\n', content_type="text/event-stream"),
    Reply(""),
], ids=["html", "truncated-sse", "no-choices", "empty"])
def test_malformed_output_falls_back(assistant: Assistant, server: FakeOpenAI, settings: Settings, reply: Reply) -> None:
    server.default = reply
    answer = answer_with_llm(assistant, settings, RESET)
    fallback(answer, "could not be used")
    assert answer.text == assistant.ask(RESET).text


@pytest.mark.parametrize(("text", "notice"), [
    ("Sure! Here is what I know: the reset was a 1990s initiative of Germany. Hope this helps!",
     "No sentence of the generated answer was supported"),
    ("The documents do not answer this question.", "found no answer in the passages"),
])
def test_reply_without_supported_sentences_falls_back(assistant: Assistant, server: FakeOpenAI, settings: Settings, text: str, notice: str) -> None:
    server.default = Reply(text)
    fallback(answer_with_llm(assistant, settings, RESET), notice)


def test_hallucinated_citation_numbers_are_dropped(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    k = settings.retrieval.top_k
    assert k == 6
    server.default = lambda req: Reply(
        f"The reset began when President Barack Obama took office in January 2009 [{cite(req, 'January 2009')}][9]. "
        "It was one of the most successful policies in history [9].")
    answer = answer_with_llm(assistant, settings, RESET)
    assert answer.answerer == "llm" and len(answer.passages) == k
    assert "[9]" not in answer.text and "[9]" in answer.notice
    assert answer.unsupported_sentences == ["It was one of the most successful policies in history."]
    assert all(1 <= c.n <= k for c in answer.citations) and len(answer.citations) == 1
    check_citations(assistant, answer)


def test_only_hallucinated_citations_fall_back(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.default = Reply("The reset began when President Barack Obama took office in January 2009 [9].")
    fallback(answer_with_llm(assistant, settings, RESET), "No sentence")


def test_unsupported_sentence_is_flagged(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    bad = "The reset was negotiated by Angela Merkel at a summit in Berlin."
    server.default = lambda req: Reply(
        GOOD.format(n=cite(req, "January 2009"), m=cite(req, "New START arms agreement of 2011"))
        + f" {bad[:-1]} [{cite(req, 'January 2009')}].")
    answer = answer_with_llm(assistant, settings, RESET)
    assert answer.answerer == "llm"
    assert answer.unsupported_sentences == [bad]
    assert bad in answer.text and f"{bad} [" not in answer.text  # shown, but without a citation
    assert "1 of 3 sentences could not be verified" in answer.notice
    check_citations(assistant, answer)


def test_timeout_falls_back_with_notice(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.default = lambda req: dataclasses.replace(good_reply(req), delay=3.0)
    quick = settings.replace(llm_timeout_s=0.6)
    t0 = time.monotonic()
    answer = answer_with_llm(assistant, quick, RESET)
    assert time.monotonic() - t0 < 2.5
    fallback(answer, "did not reply within 0.6 s")
    assert len(server.requests) == 1  # no retries


def test_stall_mid_stream_falls_back(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.default = lambda req: dataclasses.replace(good_reply(req), chunk_delay=2.0)
    quick = settings.replace(llm_timeout_s=0.6)
    t0 = time.monotonic()
    deltas, final = deltas_and_final(stream_with_llm(assistant, quick, RESET))
    assert time.monotonic() - t0 < 2.5
    assert deltas == ["The"]  # what arrived before the stall was streamed, the final answer replaces it
    fallback(final, "did not reply within 0.6 s")


@pytest.mark.parametrize("status", [500, 503, 401])
def test_http_errors_fall_back(assistant: Assistant, server: FakeOpenAI, settings: Settings, status: int) -> None:
    server.default = Reply(status=status)
    answer = answer_with_llm(assistant, settings, RESET)
    fallback(answer, f"HTTP {status}")
    assert len(server.requests) == 1  # no retries, no backoff


def test_stopped_server_falls_back(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    assert answer_with_llm(assistant, settings, RESET).answerer == "llm"
    server.stop()
    t0 = time.monotonic()
    answer = answer_with_llm(assistant, settings, RESET)
    assert time.monotonic() - t0 < 5
    fallback(answer, "could not be reached")
    deltas, final = deltas_and_final(stream_with_llm(assistant, settings, RESET))
    assert deltas == [] and final.notice == answer.notice


def test_missing_configuration_falls_back(assistant: Assistant, settings: Settings) -> None:
    answer = answer_with_llm(assistant, settings.replace(llm_base_url=""), RESET)
    fallback(answer, "not configured", "RAGQA_LLM_BASE_URL")


def test_extractive_abstention_is_kept(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    answer = answer_with_llm(assistant, settings, "How do I make a creamy mushroom risotto?")
    assert answer.abstained and answer.citations == [] and answer.answerer == "extractive"
    assert server.requests == []  # the model is not asked to answer from nothing


FOLLOW_UP = "What institution did it create to manage bilateral relations?"
STANDALONE = "What institution did the U.S.-Russia reset create to manage bilateral relations?"


def commission_reply(request: dict) -> Reply:
    return Reply("The reset created an institutionalized framework for bilateral relations, "
                 f"the Bilateral Presidential Commission [{cite(request, 'Bilateral Presidential Commission')}].")


def test_follow_up_is_condensed_by_the_llm(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.queue(Reply(f"Standalone question: {STANDALONE}"), commission_reply)
    answer = answer_with_llm(assistant, settings, FOLLOW_UP, history=[RESET])
    assert answer.question == FOLLOW_UP and answer.resolved_question == STANDALONE
    assert answer.answerer == "llm" and "Bilateral Presidential Commission" in answer.text
    condense, generate = server.requests
    assert RESET in condense.json["messages"][-1]["content"] and FOLLOW_UP in condense.json["messages"][-1]["content"]
    assert f"Question: {STANDALONE}" in generate.json["messages"][-1]["content"]
    assert "condense_ms" in answer.timings


def test_unusable_condensing_uses_the_rule_based_condenser(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.queue(Reply("   "), commission_reply)
    answer = answer_with_llm(assistant, settings, FOLLOW_UP, history=[RESET])
    assert answer.resolved_question == assistant.ask(FOLLOW_UP, history=[RESET]).resolved_question
    assert "(about:" in answer.resolved_question and answer.answerer == "llm"


def test_failing_endpoint_during_condensing_is_not_asked_again(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    server.queue(Reply(status=500))
    answer = answer_with_llm(assistant, settings, FOLLOW_UP, history=[RESET])
    fallback(answer, "HTTP 500")
    assert "(about:" in answer.resolved_question and len(server.requests) == 1


def test_llm_citations_carry_their_passage_bounds(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    """Issue 11: LLM citations are built by the same function as extractive ones, passage bounds included
    (they used to be left at 0): the passage is the cited chunk, and it contains the quoted sentence."""
    answer = answer_with_llm(assistant, settings, RESET)
    assert answer.answerer == "llm" and answer.citations
    for c in answer.citations:
        p = answer.passages[c.n - 1]
        assert c.passage_end > 0 and (c.passage_start, c.passage_end) == (p.start, p.end)
        assert c.passage_start <= c.start < c.end <= c.passage_end
        doc = assistant.document_text(c.doc)
        assert c.text in doc[c.passage_start:c.passage_end]


def test_the_llm_answerer_takes_a_parsed_question(assistant: Assistant, server: FakeOpenAI, settings: Settings) -> None:
    """make_answerer is the one factory; its answerer answers a Question parsed once, and its answer equals
    answer_with_llm's on raw input."""
    from assistant import Question, make_answerer

    answerer = make_answerer(settings, assistant)
    assert answerer.name == "llm"
    question = answerer.parse(RESET)
    assert isinstance(question, Question) and question.text == RESET
    assert answerer.answer(question).text == answer_with_llm(assistant, settings, RESET).text
