"""The chat app on real servers: gradio_client calls to /ask, file-serving limits, and headless-Chromium
end-to-end tests (answer with markers, sources in context, feedback, export, escaping, login).

Two servers run on free loopback ports for the whole module: one over the shipped corpus (no login),
one over a small corpus whose document and catalog are full of HTML and script (login required).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant import Assistant
from assistant.chat.server import Running, start
from eval.perf.measure import free_port
from ingest.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/shots")  # desktop and phone screenshots, to look at after a run
QUESTION = "What does a state do when it adopts a hardline approach?"
USER, PASSWORD = "staff", "correct-horse-7"
ABSTAIN_CANDIDATES = ["Who won the 2018 FIFA World Cup?", "How tall is the Eiffel Tower?",
                      "What is the boiling point of water on Mars?"]

HOSTILE_TEXT = """Harbour Field Notes

The harbour master keeps the launch code for the night ferry in a sealed envelope.

The launch code is <script>alert(1)</script> and the badge reads <img src=x onerror=alert(1)> on the gate.

Visitors sign the ledger at the gate before boarding the night ferry.
"""
HOSTILE_CATALOG = """[[document]]
id = "hostile-notes"
title = "Harbour notes <img src=x onerror=alert(2)> ${alert(3)}"
authors = ["<script>alert(4)</script>"]
published = "2024-02-02"
"""


@dataclass
class ServedApp(Running):
    """A running chat server and the settings it was started with: tests read its feedback log and folders."""

    settings: Settings


def _serve(settings: Settings, assistant: Assistant | None = None) -> ServedApp:
    running = start(settings, assistant=assistant)
    return ServedApp(running.demo, running.url, running.assistant, settings)


@pytest.fixture(scope="module")
def shipped_app(shipped_index: Path, assistant: Assistant,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    base = tmp_path_factory.mktemp("chat")
    settings = load_settings(index_dir=shipped_index, corpus_dir=shipped_index.parent / "corpus", host="127.0.0.1",
                             port=free_port(), auth="", feedback_path=base / "feedback" / "feedback.jsonl")
    running = _serve(settings, assistant)
    yield running
    running.close()


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    from ingest.build import build_index

    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "hostile-notes.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (corpus / "catalog.toml").write_text(HOSTILE_CATALOG, encoding="utf-8")
    settings = load_settings(index_dir=base / "index", corpus_dir=corpus, host="127.0.0.1", port=free_port(),
                             auth=f"{USER}:{PASSWORD}", feedback_path=base / "feedback.jsonl")
    build_index(settings)
    running = _serve(settings)
    yield running
    running.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs /usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _screenshot(pg, tmp_path: Path, name: str) -> Path:
    """Full page, with the chat scrolled to the start of the last answer; also kept in reports/screenshots/."""
    pg.evaluate("""() => { const m = document.querySelectorAll('#gw-chat .message-row');
                           if (m.length) m[m.length - 1].scrollIntoView({block: 'start'}); }""")
    pg.wait_for_timeout(150)
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=True)
    for keep in (ROOT / "reports" / "screenshots", SHOTS):
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, keep / name)
    return path


def _open(pg, url: str, login: bool = False) -> None:
    pg.goto(url)
    if login:
        pg.get_by_label("username").fill(USER)
        pg.get_by_label("password").fill(PASSWORD)
        with pg.expect_navigation():  # the login page reloads into the app
            pg.get_by_role("button", name="Login").click()
    pg.locator("#gw-question textarea").wait_for()
    pg.locator("#gw-docs .gw-doc").first.wait_for()


def _ask(pg, question: str) -> None:
    before = pg.locator("#gw-chat .gw-answer").count()
    pg.evaluate("""() => { window.__gwStreamed = false;
        new MutationObserver(() => { if (document.querySelector('#gw-chat .gw-cursor')) window.__gwStreamed = true; })
            .observe(document.querySelector('#gw-chat'), {childList: true, subtree: true}); }""")
    box = pg.locator("#gw-question textarea")
    box.fill(question)
    box.press("Enter")
    # streaming is over when the new message is final: no spinner, no cursor
    pg.wait_for_function(
        """(n) => { const m = document.querySelectorAll('#gw-chat .gw-answer');
                    const last = m[m.length - 1];
                    return m.length > n && !last.classList.contains('gw-pending') && !last.querySelector('.gw-cursor'); }""",
        arg=before)


def _last_answer(pg):
    return pg.locator("#gw-chat .gw-answer").last


def _wait_for_lines(path: Path, n: int, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            if len(lines) >= n:
                return lines
        time.sleep(0.1)
    raise AssertionError(f"{path} did not get {n} feedback line(s)")


# -- gradio_client -------------------------------------------------------------
def test_ask_endpoint_returns_the_cli_json(shipped_app, assistant):
    from gradio_client import Client

    client = Client(shipped_app.url, verbose=False)
    assert list(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == ["/ask"]
    got = client.predict(QUESTION, [], None, api_name="/ask")
    want = assistant.ask(QUESTION).to_json()
    assert isinstance(got, dict) and set(got) == set(want)
    for key in ("question", "answer", "abstained", "citations", "passages", "resolved_question", "index_build"):
        assert got[key] == want[key], key
    assert "[1]" in got["answer"] and got["citations"][0]["doc_sha256"]

    follow = client.predict("What were its long-term outcomes?", ["What happened during the U.S.-Soviet détente?"],
                            ["rand-russia-less-hardline"], api_name="/ask")
    assert "about:" in follow["resolved_question"]
    assert all(p["doc"] == "rand-russia-less-hardline" for p in follow["passages"])


def test_ask_endpoint_rejects_bad_input_and_keeps_serving(shipped_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(shipped_app.url, verbose=False)
    for args, message in [(("   ", [], None), "question is empty"),
                          (("Anything?", [], ["../../etc/passwd"]), "unknown document id"),
                          (("Anything?", [3], None), "history must be a list"),
                          (("x" * 5000, [], None), "limit is")]:
        with pytest.raises(AppError, match=message):
            client.predict(*args, api_name="/ask")
    assert client.predict("What is a less-hardline approach?", api_name="/ask")["question"]


def test_no_endpoint_serves_files_outside_the_app(shipped_app):
    index_file = shipped_app.settings.index.index_dir / "documents.jsonl"
    corpus_file = shipped_app.settings.index.corpus_dir / "oped-russia-incentives.txt"
    base = shipped_app.url.rstrip("/")
    probes = [f"/gradio_api/file={p}" for p in ("/etc/passwd", index_file.resolve(), corpus_file.resolve(),
                                                 ROOT / "pyproject.toml", "../../../../etc/passwd")]
    probes += ["/file=/etc/passwd", "/gradio_api/file=pyproject.toml", "/static/../../../../etc/passwd",
               "/assets/../../../pyproject.toml", "/monitoring"]
    with httpx.Client(timeout=10) as http:
        for probe in probes:
            r = http.get(base + probe)
            assert r.status_code in (400, 401, 403, 404, 405), (probe, r.status_code)
            assert "root:" not in r.text and "groundwork-qa" not in r.text and "sanctions" not in r.text


# -- browser -----------------------------------------------------------------------
@pytest.mark.browser
def test_answer_streams_with_markers_and_sources_open_in_context(shipped_app, assistant, page, tmp_path):
    _open(page, shipped_app.url)
    assert page.locator("#gw-docs .gw-doc").count() == 2
    assert "Index built" in page.locator("#gw-docs").inner_text()
    _ask(page, QUESTION)
    answer = _last_answer(page)
    expected = assistant.ask(QUESTION)
    assert "[1]" in answer.locator(".gw-text").inner_text()
    if len(expected.citations) > 1:  # more than one sentence: it arrived in pieces
        assert page.evaluate("window.__gwStreamed") is True
    card = answer.locator(".gw-src").first
    title = card.locator(".gw-src-title")
    assert title.get_attribute("title") == expected.citations[0].title  # the full title on hover
    assert title.inner_text().strip() == assistant.data.documents[expected.citations[0].doc].meta["short_title"]
    # developer detail (ids, offsets, timings) only behind the closed Details toggle
    assert "characters" not in card.inner_text() and " ms" not in answer.locator(".gw-foot").inner_text()
    tech = answer.locator("details.gw-tech")
    tech.locator("summary").click()
    c1 = expected.citations[0]
    assert f"{c1.start}–{c1.end}" in tech.inner_text() and "answerer" in tech.inner_text()
    # a screen reader hears the answer as text, never markup
    labels = page.locator("#gw-chat [data-testid='bot']").first.get_attribute("aria-label") or ""
    assert labels.startswith("Answer: ") and "<" not in labels and "&lt;" not in labels, labels
    # the thumbs under the answer are inside the visible chat panel once it has scrolled
    page.wait_for_timeout(900)
    page.evaluate("""() => { const log = document.querySelector('#gw-chat [role="log"]');
                             log.scrollTop = log.scrollHeight; }""")  # as far down as the reader can go
    page.wait_for_timeout(200)
    like = page.locator("#gw-chat button[aria-label='Like']").last.bounding_box()
    panel = page.locator("#gw-chat").bounding_box()
    assert like and panel and like["y"] + like["height"] <= panel["y"] + panel["height"] - 2, (like, panel)
    hl = card.locator("blockquote.gw-passage mark.gw-hl").first
    assert hl.is_visible()
    assert " ".join(hl.inner_text().split()) == " ".join(expected.citations[0].text.split())

    ctx = card.locator("details.gw-ctx")
    assert not ctx.locator(".gw-ctx-body").is_visible()
    ctx.locator("summary").click()
    body = ctx.locator(".gw-ctx-body")
    body.wait_for(state="visible")
    assert body.locator("mark.gw-hl").first.is_visible()
    assert body.locator("p").count() >= 2  # surrounding paragraphs, not just the sentence
    shot = _screenshot(page, tmp_path, "chat-answer-in-context.png")
    assert shot.stat().st_size > 10_000

    unanswerable = [q for q in ABSTAIN_CANDIDATES if assistant.ask(q, history=[QUESTION]).abstained]
    if not unanswerable:
        pytest.fail(f"the answerer answered all of {ABSTAIN_CANDIDATES}; none can show the abstention view")
    _ask(page, unanswerable[0])
    last = _last_answer(page)
    assert "gw-abstained" in (last.get_attribute("class") or "")
    assert "no answer found" in last.inner_text().lower() and last.locator(".gw-src-related").count() >= 1
    _screenshot(page, tmp_path, "chat-abstention.png")
    assert page.dialogs == []


@pytest.mark.browser
def test_thumbs_down_and_comment_write_feedback_and_export(shipped_app, page, tmp_path):
    log = Path(shipped_app.settings.chat.feedback_path)
    before = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    _open(page, shipped_app.url)
    _ask(page, QUESTION)
    page.locator("#gw-chat button[aria-label='Dislike']").last.click()
    lines = _wait_for_lines(log, before + 1)
    rec = lines[-1]
    assert rec["rating"] == "down" and rec["question"] == QUESTION and rec["history"] == []
    assert rec["citations"] and all(len(c["doc_sha256"]) == 64 for c in rec["citations"])
    assert rec["index_build"] == shipped_app.assistant.data.build_id and rec["timestamp"]

    page.locator("#gw-comment textarea").fill("The third sentence is off-topic")
    page.locator("#gw-comment-send").click()
    lines = _wait_for_lines(log, before + 2)
    assert lines[-1]["feedback_id"] == rec["feedback_id"] and lines[-1]["comment"] == "The third sentence is off-topic"
    page.get_by_text("Comment saved", exact=False).wait_for()  # arrives with the refreshed export file

    with page.expect_download() as download:
        page.locator("#gw-export").click()
    target = tmp_path / "export.md"
    download.value.save_as(target)
    md = target.read_text(encoding="utf-8")
    assert f"## 1. {QUESTION}" in md and "**Citations**" in md and "characters " in md
    assert "thumbs down" in md and "The third sentence is off-topic" in md


@pytest.mark.browser
def test_example_filter_warning_and_clear(shipped_app, assistant, page, tmp_path):
    export_root = Path(tempfile.gettempdir()) / "groundwork-chat-exports"

    def exports() -> int:
        return sum(1 for _ in export_root.rglob("*.md")) if export_root.exists() else 0

    exported_before = exports()
    _open(page, shipped_app.url)
    page.locator("#gw-filter-bar").get_by_text("Search in", exact=False).first.click()  # open the bar
    page.locator("#gw-filter label", has_text="RAND brief").click()  # untick the RAND brief
    before = page.locator("#gw-chat .gw-answer").count()
    page.locator("#gw-examples button").first.click()  # an example asks at once
    page.wait_for_function("(n) => document.querySelectorAll('#gw-chat .gw-foot').length > n", arg=before)
    assert "Only in:" in page.locator("#gw-chat .gw-q").last.inner_text()
    last = page.locator("#gw-chat .gw-answer").last
    docs = {(c.text_content() or "").strip() for c in last.locator("details.gw-tech code.gw-docid").all()}
    assert docs == {"oped-russia-incentives"}

    # an abstention under the filter names the selection, not "the documents"
    oped = ["oped-russia-incentives"]
    outside = [q for q in ABSTAIN_CANDIDATES if assistant.ask(q, docs=oped).abstained]
    assert outside, "no candidate question is abstained on within the op-ed"
    _ask(page, outside[0])
    said = _last_answer(page).locator(".gw-text").inner_text()
    assert said.startswith("The selected document (“Op-ed: offer Russia incentives, too”)"), said
    _screenshot(page, tmp_path, "desk-abstention-filtered.png")

    # a question in Russian is told that the documents are in English
    _ask(page, "Каковы основные выводы доклада?")
    assert "documents are in English" in _last_answer(page).inner_text()
    _screenshot(page, tmp_path, "desk-russian.png")

    # an over-long question: the counter says so, the server refuses it with a message, nothing is cut
    long_question = ("What did the op-ed say about incentives for Russia and sanctions? " * 40)[:2500]
    box = page.locator("#gw-question textarea")
    box.fill(long_question)
    page.wait_for_function("() => document.getElementById('gw-count').classList.contains('gw-over')")
    assert "2,500 / 2,000 characters: too long" in page.locator("#gw-count").inner_text()
    box.press("Enter")
    page.get_by_text("the limit is 2000", exact=False).first.wait_for()
    assert box.input_value() == long_question  # kept whole for the user to shorten
    page.screenshot(path=str(tmp_path / "desk-too-long.png"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "desk-too-long.png", SHOTS / "desk-too-long.png")
    assert exports() == exported_before  # answers alone never write an export file

    page.locator("#gw-question textarea").fill("   ")
    page.locator("#gw-question textarea").press("Enter")
    page.get_by_text("question is empty", exact=False).wait_for()
    assert page.locator("#gw-chat .gw-answer").count() == 3  # the conversation is still there

    page.locator("#gw-clear").click()
    page.wait_for_function("() => document.querySelectorAll('#gw-chat .message-row').length === 0")
    assert page.locator("#gw-export").is_disabled()


@pytest.mark.browser
def test_phone_width_filter_bar_and_plain_follow_up(shipped_app, browser, tmp_path):
    """At 390 px the document filter is a collapsed bar above the chat, and a follow-up shows how it was
    read as a plain question."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        _open(pg, shipped_app.url)
        bar, chat = pg.locator("#gw-filter-bar").bounding_box(), pg.locator("#gw-chat").bounding_box()
        assert bar and chat and bar["y"] < chat["y"] and bar["y"] + bar["height"] < 844
        assert not pg.locator("#gw-filter").is_visible()  # collapsed until opened
        _screenshot(pg, tmp_path, "phone-start.png")
        _ask(pg, "What happened during the U.S.-Soviet détente?")
        _ask(pg, "What were its long-term outcomes?")
        read_as = _last_answer(pg).locator(".gw-readas").first.inner_text()
        assert read_as == "Read as: What were the long-term outcomes of the U.S.-Soviet détente?", read_as
        _screenshot(pg, tmp_path, "phone-follow-up.png")
        pg.locator("#gw-filter-bar").get_by_text("Search in", exact=False).first.click()
        pg.locator("#gw-filter").wait_for(state="visible")
        pg.screenshot(path=str(SHOTS / "phone-filter-open.png"))
    finally:
        context.close()


@pytest.mark.browser
def test_login_rejects_a_wrong_password_and_accepts_the_right_one(hostile_app, page):
    page.goto(hostile_app.url)
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill("wrong-password")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect", exact=False).wait_for()
    assert page.locator("#gw-question").count() == 0
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.locator("#gw-question textarea").wait_for()


@pytest.mark.browser
def test_document_markup_is_shown_as_text_and_never_runs(hostile_app, page, tmp_path):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError):
        Client(hostile_app.url, verbose=False).predict("What is the launch code?", api_name="/ask")  # no login
    api = Client(hostile_app.url, auth=(USER, PASSWORD), verbose=False).predict("What is the launch code?",
                                                                              api_name="/ask")
    assert "<script>" in json.dumps(api)  # the API returns the text as data

    _open(page, hostile_app.url, login=True)
    side = page.locator("#gw-docs").inner_text()
    assert "<img src=x onerror=alert(2)>" in side and "${alert(3)}" in side and "<script>alert(4)</script>" in side

    _ask(page, "What is the launch code?")
    answer = _last_answer(page)
    for details in answer.locator("details.gw-ctx").all():
        details.locator("summary").click()
    text = answer.inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert page.locator("#gw-chat script, #gw-docs script").count() == 0
    assert page.locator("#gw-chat img, #gw-docs img").count() == 0
    page.wait_for_timeout(500)  # give any injected handler time to fire
    _screenshot(page, tmp_path, "chat-hostile-escaped.png")
    assert page.dialogs == []


@pytest.mark.browser
def test_llm_backend_streams_its_text_then_shows_the_checked_answer(shipped_index, assistant, page, tmp_path,
                                                                     monkeypatch):
    """answerer = "llm": deltas appear as a draft, then the grounded answer replaces it (fake endpoint)."""
    from assistant.chat.server import start

    from fake_openai import FakeOpenAI, Reply, cite

    def reply(request: dict) -> Reply:
        n = cite(request, "outmaneuvering or coercing a rival")
        return Reply(f"A state adopts a hardline approach when it tries to outmaneuver or coerce a rival [{n}].",
                     chunk_delay=0.08)

    monkeypatch.setenv("RAGQA_TEST_CHAT_LLM_KEY", "sk-test")
    with FakeOpenAI(default=reply) as server:
        settings = load_settings(index_dir=shipped_index, corpus_dir=shipped_index.parent / "corpus",
                                 host="127.0.0.1", port=free_port(), auth="", answerer="llm",
                                 llm_base_url=server.url, llm_model="fake-model",
                                 llm_api_key_env="RAGQA_TEST_CHAT_LLM_KEY", feedback_path=tmp_path / "fb.jsonl")
        running = start(settings, assistant=assistant)
        try:
            _open(page, running.url)
            page.evaluate("""() => { window.__gwDraft = false;
                new MutationObserver(() => { if (document.querySelector('#gw-chat .gw-draft')) window.__gwDraft = true; })
                    .observe(document.querySelector('#gw-chat'), {childList: true, subtree: true}); }""")
            _ask(page, QUESTION)
            assert page.evaluate("window.__gwDraft") is True
            last = _last_answer(page)
            assert "outmaneuver or coerce a rival" in last.locator(".gw-text").inner_text()
            assert "[1]" in last.locator(".gw-text").inner_text()
            assert last.locator(".gw-src mark.gw-hl").count() >= 1
            assert "llm answerer" in last.locator(".gw-foot").text_content()
        finally:
            running.close()
