"""Checking one settings section against its annotations: types, `Literal` choices, `Between` ranges.

A section dataclass (ingest/config.py) calls `check_section(self, name)` from
`__post_init__`, so a Settings built directly (tests, eval) is checked exactly
like one loaded from flags, environment and file. Strings from the environment
are converted here ("7861" -> 7861); nothing else is guessed at, so a value in
the wrong case ("LLM") is refused rather than mapped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from .errors import ConfigError


@dataclass(frozen=True)
class Between:
    """An inclusive range; None leaves that side open."""

    low: float | None = None
    high: float | None = None

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self) -> str:
        if self.high is None:
            return f"{self.low:g} or more"
        if self.low is None:
            return f"{self.high:g} or less"
        return f"{self.low:g} to {self.high:g}"


@dataclass(frozen=True)
class _Rule:
    kind: Any
    choices: tuple[str, ...] = ()
    between: Between | None = None

    def allowed(self) -> str:
        if self.choices:
            return ", ".join(self.choices)
        noun = {int: "an integer", float: "a number", Path: "a path", str: "a string"}.get(self.kind, str(self.kind))
        return f"{noun} {self.between.describe()}" if self.between else noun


_RULES: dict[type, dict[str, _Rule]] = {}


def _rules(cls: type) -> dict[str, _Rule]:
    """Field name -> what its annotation allows, read once per section class."""
    if cls in _RULES:
        return _RULES[cls]
    rules = {}
    for name, hint in get_type_hints(cls, include_extras=True).items():
        between = None
        if get_origin(hint) is Annotated:
            hint, *meta = get_args(hint)
            between = next((m for m in meta if isinstance(m, Between)), None)
        if get_origin(hint) is Literal:
            rules[name] = _Rule(str, tuple(get_args(hint)))
        else:
            rules[name] = _Rule(hint, (), between)
    _RULES[cls] = rules
    return rules


def _convert(rule: _Rule, value: Any) -> Any:
    """The value as the field's type; ValueError when it is not one (a bool is not a number)."""
    kind = rule.kind
    if isinstance(value, bool) and kind is not bool:
        raise ValueError
    if kind is int:
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            return int(value)
    elif kind is float:
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            return float(value)
    elif kind is Path:
        if isinstance(value, (str, Path)) and str(value):
            return Path(value)
    elif kind is str:
        if isinstance(value, str):
            return value
    raise ValueError


def check_section(section: Any, name: str) -> None:
    """Convert and check every field of a frozen section in place; ConfigError names the first bad one."""
    rules = _rules(type(section))
    for f in fields(section):
        rule = rules[f.name]
        value = getattr(section, f.name)
        try:
            converted = _convert(rule, value)
        except ValueError:
            raise ConfigError.bad_value(f"{name}.{f.name}", value, rule.allowed()) from None
        if rule.choices and converted not in rule.choices:
            raise ConfigError.bad_value(f"{name}.{f.name}", value, rule.allowed())
        if rule.between and not rule.between.holds(converted):
            raise ConfigError.bad_value(f"{name}.{f.name}", value, rule.allowed())
        object.__setattr__(section, f.name, converted)


_COLLECTION = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
_SERVER = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})/?")
MILVUS_URIS = ("a milvus-lite file (a path ending in .db) or a server (http(s)://host:port); "
               "a token goes in RAGQA_MILVUS_TOKEN, never in the URI")
COLLECTIONS = "a letter, then letters, digits and single underscores (at most 64 characters)"


def check_milvus(uri: str, collection: str) -> None:
    """The URI names milvus-lite (a .db file) or a server (http(s)://host:port); nothing else is guessed at.

    Collection names are kept to single underscores because the store names its
    versioned collections `<name>__<build>__<kind>`. A URI holding credentials is
    refused without repeating it, so the secret does not reach a log.
    """
    uri = uri.strip()
    if "@" in uri:
        raise ConfigError.bad_value("index.milvus_uri", "<a URI with credentials, not shown>", MILVUS_URIS)
    if uri.startswith(("http://", "https://")):
        match = _SERVER.fullmatch(uri)
        if not match or not 1 <= int(match.group(2)) <= 65535:
            raise ConfigError.bad_value("index.milvus_uri", uri, MILVUS_URIS)
    elif not uri.endswith(".db"):
        raise ConfigError.bad_value("index.milvus_uri", uri, MILVUS_URIS)
    if len(collection) > 64 or not _COLLECTION.fullmatch(collection):
        raise ConfigError.bad_value("index.milvus_collection", collection, COLLECTIONS)
