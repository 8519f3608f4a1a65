"""One typed place for settings.

Lookup order, highest first: explicit argument (CLI flag) > environment
variable (RAGQA_*) > TOML file (ragqa.toml, or the file named by
RAGQA_CONFIG) > the dataclass default.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

ENV_PREFIX = "RAGQA_"
CONFIG_FILE = "ragqa.toml"
SELECTORS = ("learned", "heuristic")
STORES = ("faiss", "milvus")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # Token budget per chunk (MiniLM word pieces of the source text, without
    # the title/section prefix). Chosen by the sweep in eval/chunk_sweep.py.
    chunk_tokens: int = 128
    # How many chunks dense and BM25 each return before fusion.
    retrieve_k: int = 12
    # How many fused passages an answer reports.
    top_k: int = 6
    # Cap on a question's length in characters.
    max_question_chars: int = 2000
    # Caps per corpus file (issue 14): a document whose extracted text is
    # longer, or a file that is larger, is skipped with a warning, so one
    # hostile file (a decompression bomb, a 50 MB log) cannot exhaust memory.
    max_document_chars: int = 20_000_000
    max_file_bytes: int = 100_000_000
    host: str = "127.0.0.1"
    port: int = 7860
    # Largest HTTP request body the chat server reads (assistant/chat/limits.py).
    max_request_bytes: int = 1_000_000
    feedback_path: Path = Path("feedback/feedback.jsonl")
    # "user:password" pairs separated by commas; empty means no login.
    auth: str = ""
    answerer: str = "extractive"
    # How an answer sentence is chosen: "learned" (the shipped cross-encoder,
    # assistant/models/) or "heuristic" (the hand-weighted score it replaced,
    # kept as the eval baseline).
    selector: str = "learned"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key_env: str = "RAGQA_LLM_API_KEY"
    llm_timeout_s: float = 20.0
    # Where the index lives (issue 16): "faiss" is the folder at index_dir, loaded
    # whole by each process; "milvus" is a Milvus store shared by many replicas.
    # milvus_uri: a path ending in .db is an embedded milvus-lite file, http(s)://host:port
    # a server; its token is read from RAGQA_MILVUS_TOKEN only, never from a flag or file.
    store: str = "faiss"
    milvus_uri: str = "groundwork.db"
    # Name of the alias readers open; versioned collections are named after it.
    milvus_collection: str = "groundwork"
    extra: dict[str, Any] = field(default_factory=dict)


def _coerce(name: str, kind: Any, value: Any) -> Any:
    try:
        if kind is Path:
            return Path(value)
        if kind is int:
            return int(value)
        if kind is float:
            return float(value)
        if kind is str:
            return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {value!r} ({exc})") from exc
    return value


def _file_values(path: Path | None) -> dict[str, Any]:
    candidate = path or Path(os.environ.get(ENV_PREFIX + "CONFIG", CONFIG_FILE))
    if not candidate.is_file():
        if path is not None:
            raise ConfigError(f"config file not found: {candidate}")
        return {}
    try:
        with candidate.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {candidate}: {exc}") from exc
    return data.get("ragqa", data)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Resolve every setting through flag > env > file > default."""
    hints = get_type_hints(Settings)
    known = {f.name for f in fields(Settings) if f.name != "extra"}
    from_file = _file_values(config_file)
    unknown = set(from_file) - known
    if unknown:
        raise ConfigError(f"unknown settings in config file: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name in known:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if overrides.get(name) is not None:
            values[name] = _coerce(name, hints[name], overrides[name])
        elif env is not None and env != "":
            values[name] = _coerce(name, hints[name], env)
        elif name in from_file:
            values[name] = _coerce(name, hints[name], from_file[name])
    settings = dataclasses.replace(Settings(), **values)
    if settings.selector not in SELECTORS:
        raise ConfigError(f"setting 'selector': {settings.selector!r} is not one of {', '.join(SELECTORS)}")
    for name in ("max_document_chars", "max_file_bytes", "max_question_chars", "max_request_bytes"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"setting {name!r}: must be a positive number, not {getattr(settings, name)}")
    if settings.store not in STORES:
        raise ConfigError(f"setting 'store': {settings.store!r} is not one of {', '.join(STORES)}")
    if settings.store == "milvus":
        _check_milvus(settings)
    if not 1 <= settings.port <= 65535:
        raise ConfigError(f"setting 'port': {settings.port} is not a TCP port (1-65535)")
    return settings


_COLLECTION = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
_SERVER = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})/?")


def _check_milvus(settings: Settings) -> None:
    """The URI names milvus-lite (a .db file) or a server (http(s)://host:port); nothing else is guessed at.

    Collection names are kept to single underscores because the store names its
    versioned collections `<name>__<build>__<kind>`.
    """
    uri = settings.milvus_uri.strip()
    if uri.startswith(("http://", "https://")):
        match = _SERVER.fullmatch(uri)
        if not match or not 1 <= int(match.group(2)) <= 65535:
            raise ConfigError(f"setting 'milvus_uri': {uri[:200]!r} is not http(s)://host:port "
                              "(a token goes in RAGQA_MILVUS_TOKEN, not in the URI)")
        if "@" in uri:
            raise ConfigError("setting 'milvus_uri': put credentials in RAGQA_MILVUS_TOKEN, not in the URI")
    elif not uri.endswith(".db"):
        raise ConfigError(f"setting 'milvus_uri': {uri[:200]!r} is neither a milvus-lite file (a path ending in .db) "
                          "nor a server (http://host:19530)")
    if len(settings.milvus_collection) > 64 or not _COLLECTION.fullmatch(settings.milvus_collection):
        raise ConfigError(f"setting 'milvus_collection': {settings.milvus_collection[:80]!r} must start with a letter "
                          "and hold only letters, digits and single underscores (at most 64 characters)")
