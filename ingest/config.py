"""One typed place for settings.

Lookup order, highest first: explicit argument (CLI flag) > environment
variable (RAGQA_*) > TOML file (ragqa.toml, or the file named by
RAGQA_CONFIG) > the dataclass default.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

ENV_PREFIX = "RAGQA_"
CONFIG_FILE = "ragqa.toml"
SELECTORS = ("learned", "heuristic")


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
    if not 1 <= settings.port <= 65535:
        raise ConfigError(f"setting 'port': {settings.port} is not a TCP port (1-65535)")
    return settings
