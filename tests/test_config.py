"""Settings (ingest/config.py) and the error root's exit codes (ingest/errors.py), table-driven.

A bad value must be refused naming the setting, where it came from, the value and what is allowed
(`answerer = "LLM"` used to give extractive answers silently); the lookup order is flag > env > file >
default; every exit code means one thing.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ingest.config import FLAT_NAMES, SECTIONS, Settings, env_name, load_settings
from ingest.errors import ConfigError, ExitCode, GroundworkError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RAGQA_* variable or ragqa.toml of the machine running the tests leaks in."""
    for name in FLAT_NAMES:
        monkeypatch.delenv(env_name(name), raising=False)
    monkeypatch.setenv("RAGQA_CONFIG", str(tmp_path / "absent.toml"))


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ragqa.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- each bad value: refused, naming setting, value and what is allowed ------------------------------------------------
BAD = [
    # flat name, value from the environment, setting named, allowed values named
    ("answerer", "LLM", "answer.answerer", "extractive, llm"),
    ("answerer", "generative", "answer.answerer", "extractive, llm"),
    ("selector", "LEARNED", "answer.selector", "learned, heuristic"),
    ("store", "qdrant", "index.store", "faiss, milvus"),
    ("chunk_tokens", "8", "index.chunk_tokens", "an integer 16 to 2000"),
    ("chunk_tokens", "4000", "index.chunk_tokens", "an integer 16 to 2000"),
    ("chunk_tokens", "many", "index.chunk_tokens", "an integer 16 to 2000"),
    ("max_document_chars", "0", "index.max_document_chars", "an integer 1 or more"),
    ("max_file_bytes", "-5", "index.max_file_bytes", "an integer 1 or more"),
    ("retrieve_k", "0", "retrieval.retrieve_k", "an integer 1 to 10000"),
    ("top_k", "1.5", "retrieval.top_k", "an integer 1 to 1000"),
    ("max_question_chars", "0", "answer.max_question_chars", "an integer 1 or more"),
    ("port", "70000", "chat.port", "an integer 1 to 65535"),
    ("port", "0", "chat.port", "an integer 1 to 65535"),
    ("max_request_bytes", "0", "chat.max_request_bytes", "an integer 1 or more"),
    ("llm_timeout_s", "0", "llm.timeout_s", "a number 0.001 to 3600"),
    ("llm_timeout_s", "soon", "llm.timeout_s", "a number 0.001 to 3600"),
]


@pytest.mark.parametrize("name, value, setting, allowed", BAD)
def test_a_bad_value_is_refused_naming_setting_source_value_and_allowed(monkeypatch, name, value, setting, allowed):
    monkeypatch.setenv(env_name(name), value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    err = info.value
    assert (err.setting, err.value, err.allowed) == (setting, value, allowed)
    assert str(err) == f"setting {setting!r} = {value!r} (from {env_name(name)}) is not allowed; allowed: {allowed}"
    assert err.exit_code == ExitCode.CONFIG


@pytest.mark.parametrize("name, value, setting, allowed", BAD)
def test_a_bad_value_is_refused_from_a_flag_a_file_and_a_direct_build(tmp_path, name, value, setting, allowed):
    with pytest.raises(ConfigError, match=re.escape(f"(from a flag) is not allowed; allowed: {allowed}")):
        load_settings(**{name: value})
    section, key = setting.split(".")
    path = _toml(tmp_path, f'[{section}]\n{key} = "{value}"\n')
    with pytest.raises(ConfigError, match=re.escape(f"(from {path}) is not allowed")):
        load_settings(path)
    with pytest.raises(ConfigError, match=re.escape(setting)):
        Settings().replace(**{name: value})  # tests and eval build Settings directly: checked the same way


@pytest.mark.parametrize("uri, shown", [
    ("groundwork", "'groundwork'"), ("http://milvus", "'http://milvus'"), ("ftp://milvus:19530", "'ftp://milvus:19530'"),
    ("http://milvus:99999", "'http://milvus:99999'"),
    ("http://root:secret@milvus:19530", "'<a URI with credentials, not shown>'"),
])
def test_a_bad_milvus_uri_is_refused_without_repeating_credentials(uri, shown):
    with pytest.raises(ConfigError) as info:
        load_settings(store="milvus", milvus_uri=uri)
    assert f"setting 'index.milvus_uri' = {shown}" in str(info.value) and "RAGQA_MILVUS_TOKEN" in str(info.value)
    assert "secret" not in str(info.value)
    assert load_settings(milvus_uri=uri).index.store == "faiss"  # only checked when the store is used


def test_a_bad_milvus_collection_is_refused():
    with pytest.raises(ConfigError, match="index.milvus_collection"):
        load_settings(store="milvus", milvus_collection="a__b")


@pytest.mark.parametrize("text, message", [
    ("[answer]\nanswerer = 1\n", "setting 'answer.answerer' = 1"),
    ("[chat]\nport = true\n", "setting 'chat.port' = True"),
    ("[chat]\nport = 7860.5\n", "setting 'chat.port' = 7860.5"),
    ("[chat]\nhost = 127\n", "allowed: a string"),
    ("[index]\nindex_dir = \"\"\n", "allowed: a path"),
])
def test_a_value_of_the_wrong_type_in_the_file_is_refused(tmp_path, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(_toml(tmp_path, text))


# -- lookup order: flag > environment > file > default -----------------------------------------------------------------
ORDER = [
    # flat name, flag, env, file section and TOML value, default, the typed values of each
    ("top_k", 3, "4", ("retrieval", "5"), 6),
    ("port", 7001, "7002", ("chat", "7003"), 7860),
    ("selector", "heuristic", "learned", ("answer", '"heuristic"'), "learned"),
    ("index_dir", Path("f"), "e", ("index", '"t"'), Path("index")),
    ("llm_model", "flag-model", "env-model", ("llm", '"file-model"'), ""),
    ("llm_timeout_s", 1.0, "2", ("llm", "3"), 20.0),
]


def _value(settings: Settings, flat: str) -> Any:
    section, key = FLAT_NAMES[flat]
    return getattr(getattr(settings, section), key)


@pytest.mark.parametrize("name, flag, env, file, default", ORDER)
def test_lookup_order_flag_env_file_default(monkeypatch, tmp_path, name, flag, env, file, default):
    section, key = FLAT_NAMES[name]
    assert file[0] == section
    path = _toml(tmp_path, f"[{section}]\n{key} = {file[1]}\n")
    monkeypatch.setenv(env_name(name), env)
    assert _value(load_settings(path, **{name: flag}), name) == flag
    assert _value(load_settings(path, **{name: None}), name) == type(default)(env)  # None: the flag was not given
    monkeypatch.setenv(env_name(name), "")  # an empty variable counts as unset
    from_file = _value(load_settings(path), name)
    assert from_file == type(default)(file[1].strip('"'))
    monkeypatch.setenv("RAGQA_CONFIG", str(path))  # the file named by RAGQA_CONFIG is read without --config
    assert _value(load_settings(), name) == from_file
    monkeypatch.setenv("RAGQA_CONFIG", str(tmp_path / "absent.toml"))
    assert _value(load_settings(), name) == default


def test_every_documented_environment_variable_is_a_setting_or_a_known_extra():
    documented = set()
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        documented |= set(re.findall(r"RAGQA_[A-Z0-9_]+", page.read_text(encoding="utf-8")))
    not_settings = {"RAGQA_CONFIG", "RAGQA_MILVUS_TOKEN", "RAGQA_CACHE_DIR", "RAGQA_LLM_API_KEY"}
    settings = {env_name(name) for name in FLAT_NAMES}
    assert documented - not_settings <= settings, documented - not_settings - settings
    for kept in ("RAGQA_SELECTOR", "RAGQA_ANSWERER", "RAGQA_AUTH", "RAGQA_INDEX_DIR", "RAGQA_LLM_BASE_URL",
                 "RAGQA_MILVUS_URI", "RAGQA_LLM_API_KEY_ENV", "RAGQA_MAX_REQUEST_BYTES", "RAGQA_FEEDBACK_PATH"):
        assert kept in settings


def test_every_field_of_every_section_has_one_flat_name():
    fields = {(section, f) for section, cls in SECTIONS.items() for f in cls.__dataclass_fields__}
    assert sorted(FLAT_NAMES.values()) == sorted(fields)


# -- the file: sections, the old flat [ragqa] table, unknown keys ------------------------------------------------------
def test_the_file_takes_sections_and_the_old_flat_table(tmp_path):
    settings = load_settings(_toml(tmp_path, '[chat]\nport = 7861\n[answer]\nanswerer = "llm"\n'
                                             '[llm]\nbase_url = "http://127.0.0.1:8000/v1"\n'))
    assert (settings.chat.port, settings.answer.answerer) == (7861, "llm")
    assert settings.llm.base_url == "http://127.0.0.1:8000/v1"
    old = load_settings(_toml(tmp_path, '[ragqa]\nport = 7861\ntop_k = 4\nllm_model = "m"\n'))
    assert (old.chat.port, old.retrieval.top_k, old.llm.model) == (7861, 4, "m")
    top_level = load_settings(_toml(tmp_path, 'selector = "heuristic"\n'))
    assert top_level.answer.selector == "heuristic"


@pytest.mark.parametrize("text, message", [
    ("[chat]\nprot = 7861\n", "unknown setting 'prot' in [chat]"),
    ("[llm]\nllm_model = \"m\"\n", "unknown setting 'llm_model' in [llm]"),
    ("[ragqa]\nanswer = \"llm\"\n", "unknown setting 'answer' in [ragqa]"),
    ("colour = \"blue\"\n", "unknown setting 'colour'"),
    ("[retreival]\ntop_k = 3\n", "unknown setting 'retreival'"),
    ("chat = 3\n", "[chat] must be a table"),
    ("[ragqa]\nport = 7861\n[chat]\nport = 7862\n", "setting chat.port is given twice"),
    ("[chat\n", "cannot read config file"),
])
def test_a_bad_file_is_refused_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(_toml(tmp_path, text))


def test_a_named_file_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


def test_an_unknown_keyword_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown setting 'topk'"):
        load_settings(topk=3)
    with pytest.raises(TypeError, match="unknown setting 'topk'"):
        Settings().replace(topk=3)


def test_replace_changes_one_setting_and_keeps_the_rest():
    base = load_settings(port=7001)
    changed = base.replace(selector="heuristic", llm_timeout_s="2.5")
    assert changed.answer.selector == "heuristic" and changed.llm.timeout_s == 2.5
    assert changed.chat == base.chat and base.answer.selector == "learned"


# -- one error root, one exit code per kind ----------------------------------------------------------------------------
def _all_errors() -> list[type[GroundworkError]]:
    import assistant.chat.feedback  # noqa: F401  (the classes register by being imported)
    import assistant.llm_client  # noqa: F401
    import assistant.selector  # noqa: F401
    import ingest.index.schema  # noqa: F401
    import ingest.loaders  # noqa: F401

    found, todo = [], [GroundworkError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_derives_from_the_root_and_takes_its_code_from_the_table():
    from assistant.chat.feedback import FeedbackError
    from assistant.errors import AssistantError, CitationError, InvalidQuestion
    from assistant.llm_client import LLMError
    from assistant.selector import SelectorError
    from ingest.errors import (
        CorpusError,
        IndexCorruptError,
        IndexMismatchError,
        IndexMissingError,
        IndexWriteError,
        IngestError,
        StoreUnavailableError,
    )
    from ingest.index.schema import SchemaError
    from ingest.loaders import UnreadableDocument

    expected = {
        ConfigError: ExitCode.CONFIG, CorpusError: ExitCode.CORPUS, IndexMissingError: ExitCode.INDEX_MISSING,
        IndexMismatchError: ExitCode.INDEX_MISMATCH, IndexCorruptError: ExitCode.INDEX_CORRUPT,
        SchemaError: ExitCode.INDEX_CORRUPT, IndexWriteError: ExitCode.INDEX_WRITE,
        StoreUnavailableError: ExitCode.STORE_UNAVAILABLE, InvalidQuestion: ExitCode.INVALID_QUESTION,
        SelectorError: ExitCode.SELECTOR, LLMError: ExitCode.LLM, FeedbackError: ExitCode.FEEDBACK,
        CitationError: ExitCode.BUG, GroundworkError: ExitCode.FAILED, IngestError: ExitCode.FAILED,
        AssistantError: ExitCode.FAILED, UnreadableDocument: ExitCode.FAILED,
    }
    errors = _all_errors()
    for cls in errors:
        assert isinstance(cls.exit_code, ExitCode), cls
        assert cls.exit_code != ExitCode.USAGE, f"{cls.__name__}: 2 is argparse's usage error only"
    assert {cls: cls.exit_code for cls in errors if cls in expected} == expected
    assert issubclass(SchemaError, ValueError)  # readers catching malformed records still catch it


def test_the_exit_code_table_is_documented():
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| `(\w+)` \|", page, re.MULTILINE))
    assert rows == {str(int(code)): code.name for code in ExitCode}


@pytest.mark.parametrize("args, code, message", [
    (["--no-such-flag"], ExitCode.USAGE, "usage:"),
    (["--chunk-tokens", "4"], ExitCode.CONFIG, "error: setting 'index.chunk_tokens' = 4 (from a flag)"),
    (["--corpus", "/nonexistent/corpus", "--index", "/nonexistent/index"], ExitCode.CORPUS, "error: corpus folder"),
])
def test_the_ingest_cli_exits_with_the_code_of_the_error(args, code, message):
    proc = subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_the_assistant_cli_refuses_a_bad_setting_from_the_environment(tmp_path):
    import os

    env = {**os.environ, "RAGQA_ANSWERER": "LLM", "RAGQA_CONFIG": str(tmp_path / "absent.toml")}
    proc = subprocess.run([sys.executable, "-m", "assistant", "ask", "What is détente?"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == ExitCode.CONFIG, proc.stderr
    assert proc.stderr.strip() == ("error: setting 'answer.answerer' = 'LLM' (from RAGQA_ANSWERER) is not allowed; "
                                   "allowed: extractive, llm")
