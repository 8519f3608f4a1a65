"""Schemas of manifest.json and the record files, checked when an index is loaded.

A hand-edited or damaged index folder whose checksums were updated to match
(`"files": []`, `"embedder": null`, a sentence without its `chunk`) would
otherwise load and fail later with a traceback, or answer from wrong
offsets. Loading checks every field the code reads and refuses the index
with the fix command instead (IndexCorruptError, raised by the caller).

The checks are plain Python on purpose: pydantic validates the same 300k
sentence records (the 100k-chunk scale test) in ~1.5 s, these loops in
~0.15 s, and `python -m assistant ask` does not import pydantic at all.

Schema notation: a type (bool is never an int), a tuple of alternatives,
`{key: schema}` for an object with these keys (Opt(...) marks an optional
key, other keys are allowed), `MapOf(schema)` for an object of any keys and
`[schema]` for a list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ExitCode, GroundworkError


@dataclass(frozen=True)
class Opt:
    schema: Any


@dataclass(frozen=True)
class MapOf:
    schema: Any


class SchemaError(GroundworkError, ValueError):
    """Where (a JSON path) and what: 'manifest.embedder: expected an object, found null'.

    Still a ValueError, so a reader catching malformed records catches it too; it is a damaged index.
    """

    exit_code = ExitCode.INDEX_CORRUPT


_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number", bool: "true/false",
          type(None): "null"}


def _name(value: Any) -> str:
    return _NAMES.get(type(value), type(value).__name__)


def _expected(schema: Any) -> str:
    if isinstance(schema, tuple):
        return " or ".join(_expected(s) for s in schema)
    if isinstance(schema, (dict, MapOf)):
        return "an object"
    if isinstance(schema, list):
        return "a list"
    return _NAMES.get(schema, getattr(schema, "__name__", str(schema)))


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return type(value) is int
    if kind is float:
        return type(value) in (int, float)
    return isinstance(value, kind)


def check(value: Any, schema: Any, where: str) -> None:
    """Raise SchemaError naming the first field of `value` that does not fit `schema`."""
    if isinstance(schema, tuple):
        for option in schema:
            try:
                check(value, option, where)
                return
            except SchemaError:
                continue
        raise SchemaError(f"{where}: expected {_expected(schema)}, found {_name(value)}")
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise SchemaError(f"{where}: expected an object, found {_name(value)}")
        for key, sub in schema.items():
            optional = isinstance(sub, Opt)
            if key not in value:
                if optional:
                    continue
                raise SchemaError(f"{where}: the field {key!r} is missing")
            check(value[key], sub.schema if optional else sub, f"{where}.{key}")
        return
    if isinstance(schema, MapOf):
        if not isinstance(value, dict):
            raise SchemaError(f"{where}: expected an object, found {_name(value)}")
        for key, item in value.items():
            check(item, schema.schema, f"{where}[{key[:80]!r}]")
        return
    if isinstance(schema, list):
        if not isinstance(value, list):
            raise SchemaError(f"{where}: expected a list, found {_name(value)}")
        for i, item in enumerate(value):
            check(item, schema[0], f"{where}[{i}]")
        return
    if not _is(value, schema):
        raise SchemaError(f"{where}: expected {_expected(schema)}, found {_name(value)}")


NULL = type(None)

# Every manifest field that loading, the up-to-date check, the chat and eval read.
MANIFEST = {
    "kind": str,
    "format_version": int,
    "build_id": str,
    "created_at": Opt(str),
    "embedder": {"name": str, "dimension": int, "fingerprint": Opt(str), "max_tokens": Opt(int)},
    "chunker": dict,
    "vector_index": Opt({"kind": Opt(str), "count": Opt(int)}),
    "state": Opt({"files": MapOf(str), "catalog_sha256": Opt((str, NULL)), "chunker": Opt(dict),
                  "embedder": Opt(dict), "format_version": Opt(int)}),
    "corpus_dir": Opt(str),
    "mtimes": Opt(MapOf(int)),
    "documents": [{"id": str, "file": str, "sha256": str, "title": Opt(str)}],
    "skipped": Opt([dict]),
    "counts": {"documents": int, "chunks": int, "sentences": int, "characters": Opt(int)},
    "files": MapOf({"bytes": int, "sha256": Opt(str)}),
}

DOCUMENT = {"id": str, "file": str, "format": str, "sha256": str, "title": str, "text": str, "meta": Opt(dict),
            "chunks": Opt(int), "sentences": Opt(int)}
