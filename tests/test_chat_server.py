"""`python -m assistant chat` start-up decisions, without starting a web server."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.chat import server
from ingest.config import load_settings
from ingest.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_auth_parsing():
    assert server.parse_auth("") is None
    assert server.parse_auth("ann:pw1, bob:p:w:2") == [("ann", "pw1"), ("bob", "p:w:2")]
    for bad in ("ann", "ann:", ":pw", "ann:pw,,"):
        with pytest.raises(ConfigError):
            server.parse_auth(bad)


def test_loopback_detection_and_exposure_warning(tmp_path: Path):
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert server.is_loopback(host)
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        assert not server.is_loopback(host)
    assert server.exposure_warning(load_settings(host="127.0.0.1", auth="")) is None
    warning = server.exposure_warning(load_settings(host="0.0.0.0", auth=""))
    assert warning is not None and "RAGQA_AUTH" in warning
    assert server.exposure_warning(load_settings(host="0.0.0.0", auth="a:b")) is None


def test_no_build_prints_the_exact_command_and_fails(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx", auth="", host="127.0.0.1")
    assert server.serve(settings, build_if_needed=False) == 4
    err = capsys.readouterr().err
    assert "does not exist yet" in err
    assert f"python -m ingest --index {tmp_path / 'idx'} --corpus {corpus}" in err
    assert not (tmp_path / "idx").exists()


def test_stale_index_is_reported(shipped_index: Path, tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(shipped_index.parent / "corpus", corpus)
    (corpus / "extra.txt").write_text("A new document that the index has not seen.\n", encoding="utf-8")
    settings = load_settings(corpus_dir=corpus, index_dir=shipped_index, auth="")
    assert server.ensure_index(settings, build_if_needed=False) is False
    assert "is out of date" in capsys.readouterr().err


def test_malformed_auth_fails_before_any_work(tmp_path: Path):
    settings = load_settings(corpus_dir=tmp_path / "nothing", index_dir=tmp_path / "idx", auth="justauser")
    with pytest.raises(ConfigError, match="RAGQA_AUTH"):
        server.serve(settings, build_if_needed=False)


def test_the_chat_hands_its_answerer_a_parsed_question(assistant):
    """Issue 11: /ask and POST /api/ask parse the request once and pass the Question down."""
    from assistant import Answer, Question
    from assistant.answerers import ExtractiveAnswerer
    from assistant.chat.app import build_app

    seen = []

    class Recording(ExtractiveAnswerer):
        def answer(self, question: Question) -> Answer:
            seen.append(question)
            return super().answer(question)

    # build_app hangs answer_json on the Blocks as gw_answer_json (server.launch_kwargs reads it back the same way)
    served: Any = build_app(Recording(assistant), assistant.settings)
    out = served.gw_answer_json("What is  a less-hardline approach?", ["Tell me about détente."], None)
    (question,) = seen
    assert isinstance(question, Question) and question.text == "What is a less-hardline approach?"
    assert question.history == ("Tell me about détente.",) and question.docs == ()
    assert out == assistant.answer(question).to_json() | {"timings": out["timings"], "latency_ms": out["latency_ms"]}
