"""Grounded answers: verified citations, abstention, follow-ups, filters, threads, CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from assistant import Answer, Assistant
from assistant.elaboration import RUN_LIMIT
from assistant.errors import InvalidQuestion
from eval.quality.gold import load_gold

ROOT = Path(__file__).resolve().parent.parent
GOLD = load_gold(ROOT / "eval" / "gold.jsonl")
EXTRA = [
    "What is a less-hardline approach?", "Why did détente end?", "reset", "RUSSIA", "sanctions???",
    "What did Brezhnev want?", "Who is Glennys Young?", "What happened in 1907 and 2009?",
    "Summarise the recommendations.", "What does the op-ed say about climate change?",
]


def _verify(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        doc = assistant.data.documents[c.doc]
        assert doc.text[c.start:c.end] == c.text
        assert c.doc_sha256 == doc.sha256
        assert f"[{c.n}]" in answer.text
    for p in answer.passages:
        assert assistant.data.documents[p.doc].text[p.start:p.end] == p.text


def test_citations_verify_across_many_questions(assistant: Assistant) -> None:
    questions = [(g.question, g.history) for g in GOLD] + [(q, ()) for q in EXTRA]
    answered = 0
    for question, history in questions:
        answer = assistant.ask(question, history=history)
        _verify(assistant, answer)
        if not answer.abstained:
            answered += 1
            # Factoid answers quote one to three sentences (a counted run "First, … Finally, …" up to
            # RUN_LIMIT); overview, list and comparison answers (assistant/overview.py) cite each of their
            # points, at most a list's cap.
            assert 1 <= len(answer.citations) <= (RUN_LIMIT if answer.intent == "factoid" else 12)
            # Each claim is a verbatim source sentence, so it can be found in the answer text
            # (catalog answers state a catalog value and cite the sentence that also states it).
            if not answer.text.startswith("According to the catalog"):
                for c in answer.citations:
                    assert " ".join(c.text.split()) in answer.text
    assert answered >= len(questions) // 2


@pytest.mark.parametrize("question", [
    "How do I make a creamy mushroom risotto?",
    "Who won the 2018 FIFA World Cup?",
    "What is the boiling point of water at sea level?",
    "How do I sort a Python dictionary by value?",
    "What is the best recipe for banana bread?",
])
def test_off_topic_questions_abstain(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations
    assert "do not answer" in answer.text


def test_follow_up_resolves_to_the_earlier_subject(assistant: Assistant) -> None:
    alone = assistant.ask("What were its long-term outcomes?")
    follow = assistant.ask("What were its long-term outcomes?", history=["Tell me about the U.S.-Russia reset."])
    assert "reset" in follow.resolved_question.lower()
    assert not follow.abstained
    assert any("Reset" in c.section for c in follow.citations)
    assert follow.text != alone.text


def test_document_filter(assistant: Assistant) -> None:
    question = "What do the documents say about sanctions?"
    for doc in ("oped-russia-incentives", "rand-russia-less-hardline"):
        answer = assistant.ask(question, docs=[doc])
        assert {p.doc for p in answer.passages} == {doc}
        assert {c.doc for c in answer.citations} <= {doc}


@pytest.mark.parametrize("question", [
    # Unnamed, RAND's sentence on states' incentives to misrepresent their resolve scores best.
    "What does the op-ed say about incentives?",
    "What does the Seattle Times piece say about incentives?",
])
def test_a_question_naming_one_document_is_answered_from_it(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert {c.doc for c in answer.citations} == {"oped-russia-incentives"}


def test_a_named_document_silent_on_the_point_abstains_and_shows_the_other(assistant: Assistant) -> None:
    # The RAND brief never mentions sanctions: the brief does not answer, and the op-ed's sentences are shown
    # as the closest passages, said to be the op-ed's.
    answer = assistant.ask("What does the RAND brief say about sanctions?")
    assert answer.abstained and answer.abstain_reason == "the named document is silent"
    assert {c.doc for c in answer.citations} == {"oped-russia-incentives"}
    assert answer.text.startswith("The RAND brief does not address this. The closest passages, from the op-ed: ")
    segments = answer.to_json()["segments"]
    assert segments[0]["kind"] == "text" and segments[1]["kind"] == "quote"
    # ... and an answer from the named document itself needs no such lead.
    assert not assistant.ask("What does the op-ed say about incentives?").text.startswith("The op-ed does not")


@pytest.mark.parametrize("docs", [["../../etc/passwd"], ["no-such-doc"], ["oped-russia-incentives", "nope"]])
def test_unknown_document_ids_are_rejected(assistant: Assistant, docs) -> None:
    with pytest.raises(InvalidQuestion, match="unknown document"):
        assistant.ask("What about sanctions?", docs=docs)


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 2500, None])
def test_bad_questions_are_rejected(assistant: Assistant, question) -> None:
    with pytest.raises(InvalidQuestion):
        assistant.ask(question)


def test_concurrent_asks_match_sequential(assistant: Assistant) -> None:
    items = [(g.question, g.history) for g in GOLD[:40]]
    sequential = [assistant.ask(q, history=h).to_json() for q, h in items]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda qh: assistant.ask(qh[0], history=qh[1]).to_json(), items * 2))
    strip = lambda d: {k: v for k, v in d.items() if k not in ("latency_ms", "timings")}  # noqa: E731
    assert [strip(d) for d in parallel] == [strip(d) for d in sequential * 2]


def test_answers_are_short(assistant: Assistant) -> None:
    import statistics

    lengths = [len(a.citations) for a in (assistant.ask(g.question, history=g.history) for g in GOLD) if not a.abstained]
    assert statistics.median(lengths) <= 3


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_cli_json_is_one_object(shipped_index: Path) -> None:
    out = _cli("ask", "What were the three core principles of the reset?", "--json", "--index", str(shipped_index))
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert {"question", "answer", "abstained", "citations", "passages", "latency_ms"} <= set(obj)
    assert obj["citations"] and "[1]" in obj["answer"]


def test_cli_plain_output_lists_sources(shipped_index: Path) -> None:
    out = _cli("ask", "What did Stalin want after the war?", "--index", str(shipped_index),
               "--history", "Tell me about the post-war negotiations")
    assert out.returncode == 0, out.stderr
    assert "Sources:" in out.stdout and "[1]" in out.stdout


@pytest.mark.parametrize("args, needle", [
    (["ask", "   "], "empty"),
    (["ask", "y" * 2100], "limit"),
    (["ask", "hello?", "--index", "/nonexistent/index"], "python -m ingest"),
    (["ask", "hello?", "--doc", "../../etc/passwd"], "unknown document"),
])
def test_cli_errors_are_messages_not_tracebacks(shipped_index: Path, args: list[str], needle: str) -> None:
    if "--index" not in args:
        args = [*args, "--index", str(shipped_index)]
    out = _cli(*args)
    assert out.returncode != 0
    assert needle in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("question", ["What is a less-hardline approach?", "Why not just sanctions?"])
def test_headings_and_rhetorical_questions_are_not_quoted_as_answers(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    for c in answer.citations:
        assert not c.text.rstrip().endswith("?")


def test_cli_survives_a_closed_pipe(shipped_index: Path) -> None:
    cmd = (f"{sys.executable} -m assistant ask 'What were the three core principles of the reset?' "
           f"--index {shipped_index} | head -c 10")
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in out.stderr


def test_document_filter_reaches_sentence_search(assistant: Assistant) -> None:
    found = assistant.retrieve("What does the op-ed propose instead of sanctions alone?", ["oped-russia-incentives"], 12)
    assert found.sentence_rows
    assert {assistant.data.sentences[r].doc for r in found.sentence_rows} == {"oped-russia-incentives"}


def test_a_question_is_parsed_once_into_a_question(assistant: Assistant, monkeypatch) -> None:
    """Issue 11: front ends parse raw input once (Assistant.parse); answerers take the Question and do
    not validate it again. The follow-up topic is a field, joined for retrieval in one place."""
    from assistant import Question, make_answerer
    from assistant import question as question_mod

    q = assistant.parse("What were its long-term outcomes?", ["Tell me about the U.S.-Russia reset."],
                        ["rand-russia-less-hardline"])
    assert isinstance(q, Question) and q.text == "What were its long-term outcomes?"
    assert q.topic and "reset" in q.topic and q.docs == ("rand-russia-less-hardline",)
    assert q.retrieval_text == f"{q.text} (about: {q.topic})"
    calls: list[tuple[Any, ...]] = []
    real = question_mod.clean_question

    def recording(*a: Any, **k: Any) -> str:
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(question_mod, "clean_question", recording)
    answerer = make_answerer(assistant.settings, assistant)
    answer = answerer.answer(q)
    assert calls == []  # answering does not clean or validate again
    assert answer.resolved_question == q.retrieval_text and answer.question == q.text
    assert answer.to_json() | {"timings": None, "latency_ms": None} == \
        assistant.ask(q.text, history=list(q.history), docs=list(q.docs)).to_json() | {"timings": None, "latency_ms": None}


def test_the_retrieval_of_an_answer_is_public(assistant: Assistant) -> None:
    """eval scores the ranking and the answer of one retrieval: Answer.retrieved and Assistant.passages."""
    q = assistant.parse("What is a less-hardline approach?")
    answer = assistant.answer(q)
    assert answer.retrieved is not None
    assert assistant.passages(answer.retrieved, assistant.settings.retrieval.top_k) == answer.passages
    deep = assistant.passages(answer.retrieved, 10)
    assert deep[:len(answer.passages)] == answer.passages
    assert [(p.doc, p.start, p.end) for p in deep] == \
        [(p.doc, p.start, p.end) for p in assistant.ask(q.text, top_k=10).passages]
    assert assistant.answer(q, found=assistant.retrieve(q, k=12)).to_json()["answer"] == answer.text
