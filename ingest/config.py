"""Every setting of the project, typed and checked, in one place that every package imports.

Settings come in sections: `index` (what is indexed and where), `retrieval`,
`answer`, `chat` and `llm`. Each value is resolved, highest first, from a
keyword override (a CLI flag) > the environment variable RAGQA_<NAME> >
the TOML file (ragqa.toml, or the file named by RAGQA_CONFIG) > the default.

<NAME> is the setting's flat name, the same one a flag override and the old
flat `[ragqa]` table use (`selector`, `index_dir`, `llm_base_url`); `FLAT_NAMES`
maps each to its section. A value that is not allowed is refused with a
ConfigError naming the setting, where it came from, the value and the allowed
values or range, never silently replaced: `answerer = "LLM"` used to give
extractive answers without a word.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from .config_check import Between, check_milvus, check_section
from .errors import ConfigError

ENV_PREFIX = "RAGQA_"
CONFIG_FILE = "ragqa.toml"

Answerer = Literal["extractive", "llm"]
Selector = Literal["learned", "heuristic"]
Store = Literal["faiss", "milvus"]
# The same choices as tuples, for argparse `choices=` (flags and settings never disagree).
ANSWERERS: tuple[str, ...] = get_args(Answerer)
SELECTORS: tuple[str, ...] = get_args(Selector)
STORES: tuple[str, ...] = get_args(Store)


@dataclass(frozen=True)
class IndexSettings:
    """What is indexed, how it is cut, and where the index lives (ingest writes it, the assistant reads it)."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # Token budget per chunk (MiniLM word pieces of the source text, without the
    # title/section prefix). Chosen by the sweep in eval/chunk_sweep.py.
    chunk_tokens: Annotated[int, Between(16, 2000)] = 128
    # Caps per corpus file (issue 14): a document whose extracted text is longer, or a
    # file that is larger, is skipped with a warning, so one hostile file (a
    # decompression bomb, a 50 MB log) cannot exhaust memory.
    max_document_chars: Annotated[int, Between(1)] = 20_000_000
    max_file_bytes: Annotated[int, Between(1)] = 100_000_000
    # Where the index lives (issue 16): "faiss" is the folder at index_dir, loaded whole
    # by each process; "milvus" is a Milvus store shared by many replicas. milvus_uri:
    # a path ending in .db is an embedded milvus-lite file, http(s)://host:port a
    # server; its token is read from RAGQA_MILVUS_TOKEN only, never from a flag or file.
    store: Store = "faiss"
    milvus_uri: str = "groundwork.db"
    # Name of the alias readers open; versioned collections are named after it.
    milvus_collection: str = "groundwork"

    def __post_init__(self) -> None:
        check_section(self, "index")
        if self.store == "milvus":
            check_milvus(self.milvus_uri, self.milvus_collection)


@dataclass(frozen=True)
class RetrievalSettings:
    # How many chunks dense and BM25 each return before fusion.
    retrieve_k: Annotated[int, Between(1, 10_000)] = 12
    # How many fused passages an answer reports.
    top_k: Annotated[int, Between(1, 1_000)] = 6

    def __post_init__(self) -> None:
        check_section(self, "retrieval")


@dataclass(frozen=True)
class AnswerSettings:
    # "extractive" quotes indexed sentences; "llm" writes with the model in [llm] (docs/llm.md).
    answerer: Answerer = "extractive"
    # How an answer sentence is chosen: "learned" (the shipped cross-encoder,
    # assistant/models/) or "heuristic" (the hand-weighted score it replaced, kept as
    # the eval baseline).
    selector: Selector = "learned"
    # Cap on a question's length in characters.
    max_question_chars: Annotated[int, Between(1)] = 2000

    def __post_init__(self) -> None:
        check_section(self, "answer")


@dataclass(frozen=True)
class ChatSettings:
    host: str = "127.0.0.1"
    port: Annotated[int, Between(1, 65535)] = 7860
    # Largest HTTP request body the chat server reads (assistant/chat/limits.py).
    max_request_bytes: Annotated[int, Between(1)] = 1_000_000
    feedback_path: Path = Path("feedback/feedback.jsonl")
    # "user:password" pairs separated by commas; empty means no login (parsed by chat/server.py).
    auth: str = ""

    def __post_init__(self) -> None:
        check_section(self, "chat")


@dataclass(frozen=True)
class LLMSettings:
    """The optional LLM answerer's endpoint; the API key itself is read from the variable api_key_env names."""

    base_url: str = ""
    model: str = ""
    api_key_env: str = "RAGQA_LLM_API_KEY"
    # Longest wait for the first token and between tokens, in seconds.
    timeout_s: Annotated[float, Between(0.001, 3600.0)] = 20.0

    def __post_init__(self) -> None:
        check_section(self, "llm")


@dataclass(frozen=True)
class Settings:
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    chat: ChatSettings = field(default_factory=ChatSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)

    def replace(self, **flat: Any) -> Settings:
        """A copy with some settings changed, by flat name: `settings.replace(selector="heuristic")`."""
        by_section: dict[str, dict[str, Any]] = {}
        for name, value in flat.items():
            section, key = _section_of(name)
            by_section.setdefault(section, {})[key] = value
        return dataclasses.replace(self, **{section: dataclasses.replace(getattr(self, section), **values)
                                            for section, values in by_section.items()})


SECTIONS: dict[str, type[Any]] = {"index": IndexSettings, "retrieval": RetrievalSettings, "answer": AnswerSettings,
                                  "chat": ChatSettings, "llm": LLMSettings}

# Flat name (flag keyword, RAGQA_<NAME>, [ragqa] key) -> (section, field). Only the LLM's
# fields carry a prefix, so their environment variables keep their names.
FLAT_NAMES: dict[str, tuple[str, str]] = {
    **{f.name: (section, f.name) for section, cls in SECTIONS.items() if section != "llm"
       for f in dataclasses.fields(cls)},
    **{"llm_" + f.name: ("llm", f.name) for f in dataclasses.fields(LLMSettings)},
}


def _section_of(name: str) -> tuple[str, str]:
    if name not in FLAT_NAMES:
        raise TypeError(f"unknown setting {name!r}; known: {', '.join(sorted(FLAT_NAMES))}")
    return FLAT_NAMES[name]


def env_name(flat: str) -> str:
    return ENV_PREFIX + flat.upper()


def _read_file(path: Path | None) -> tuple[dict[tuple[str, str], Any], str]:
    """The file's values keyed by (section, field), and the file's name for messages."""
    candidate = path or Path(os.environ.get(ENV_PREFIX + "CONFIG", CONFIG_FILE))
    if not candidate.is_file():
        if path is not None:
            raise ConfigError(f"config file not found: {candidate}")
        return {}, str(candidate)
    try:
        with candidate.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {candidate}: {exc}") from exc
    return file_values(data, str(candidate)), str(candidate)


def file_values(data: Mapping[str, Any], where: str = CONFIG_FILE) -> dict[tuple[str, str], Any]:
    """Sections ([index], [retrieval], [answer], [chat], [llm]) and, for files written before them, flat
    names in a [ragqa] table or at the top level. Unknown keys and a setting given twice are errors."""
    values: dict[tuple[str, str], Any] = {}

    def put(key: tuple[str, str], value: Any, spelled: str) -> None:
        if key in values:
            raise ConfigError(f"{where}: setting {key[0]}.{key[1]} is given twice (again as {spelled})")
        values[key] = value

    for name, value in data.items():
        if name in SECTIONS:
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: [{name}] must be a table, not {value!r}")
            known = {f.name for f in dataclasses.fields(SECTIONS[name])}
            for key, item in value.items():
                if key not in known:
                    raise ConfigError(f"{where}: unknown setting {key!r} in [{name}]; known: {', '.join(sorted(known))}")
                put((name, key), item, f"[{name}] {key}")
        elif name == "ragqa" and isinstance(value, Mapping):
            for key, item in value.items():
                if key not in FLAT_NAMES:
                    raise ConfigError(f"{where}: unknown setting {key!r} in [ragqa]; known: {', '.join(sorted(FLAT_NAMES))}")
                put(FLAT_NAMES[key], item, f"[ragqa] {key}")
        elif name in FLAT_NAMES:
            put(FLAT_NAMES[name], value, name)
        else:
            raise ConfigError(f"{where}: unknown setting {name!r}; use the sections "
                              f"{', '.join('[' + s + ']' for s in SECTIONS)}")
    return values


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Resolve every setting through flag > env > file > default.

    `overrides` are flat names (`index_dir=`, `selector=`, `llm_model=`); None means "not given", so
    argparse results can be passed as they are.
    """
    for name in overrides:
        _section_of(name)
    from_file, where = _read_file(config_file)
    sections: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    source: dict[tuple[str, str], str] = {}
    for flat, (section, key) in FLAT_NAMES.items():
        env = os.environ.get(env_name(flat))
        if overrides.get(flat) is not None:
            value, source[section, key] = overrides[flat], "a flag"
        elif env:
            value, source[section, key] = env, env_name(flat)
        elif (section, key) in from_file:
            value, source[section, key] = from_file[section, key], where
        else:
            continue
        sections[section][key] = value
    built: dict[str, Any] = {}
    for section, values in sections.items():
        try:
            built[section] = SECTIONS[section](**values)
        except ConfigError as exc:
            if not exc.setting:
                raise
            origin = source.get((section, exc.setting.partition(".")[2]), "the default")
            raise ConfigError.bad_value(exc.setting, exc.value, exc.allowed, origin) from None
    return Settings(**built)
