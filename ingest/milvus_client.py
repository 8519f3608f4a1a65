"""Connecting to the Milvus store and naming its collections (`store = "milvus"`, issue 16).

The layout these names and limits describe (one collection per kind and build,
one alias publishing the build's meta collection) is explained in
ingest/milvus_store.py, which reads a build; ingest/milvus_write.py writes one.
Both go through here so that a failed call or an unreachable server is always
reported the same way: StoreUnavailableError naming the store and what was
being done, never a pymilvus traceback.
"""
from __future__ import annotations

import logging
import os
import shlex
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, IndexCorruptError, StoreUnavailableError
from .index.manifest import fix_hint as folder_fix_hint

Log = Callable[[str], None]

LAYOUT_VERSION = 1
TOKEN_ENV = "RAGQA_MILVUS_TOKEN"
# VARCHAR limits are bytes on a server: 16,000 characters are at most 64,000 bytes in UTF-8.
TEXT_PART = 16_000
VARCHAR_MAX = 65_535
DOC_ID_MAX = 1_024
INSERT_ROWS = 1_000
CONNECT_TIMEOUT_S = 10.0
# Same choice as ingest/vectors.py: exact below 25k vectors, HNSW (M=32, efConstruction=200) above.
EXACT_LIMIT = 25_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 1024
BM25_K1 = 1.5  # bm25s's default, so both stores score alike
BM25_B = 0.75
KINDS = ("chunks", "sentences", "docs", "meta")


# -- connecting -------------------------------------------------------------------
def is_lite(uri: str) -> bool:
    return uri.endswith(".db")


def where(settings: Settings) -> str:
    """How messages name the store: 'groundwork.db (milvus-lite, collection groundwork)'."""
    kind = "milvus-lite" if is_lite(settings.index.milvus_uri) else "Milvus server"
    return f"{settings.index.milvus_uri} ({kind}, collection {settings.index.milvus_collection})"


def fix_hint(settings: Settings, manifest: dict[str, Any] | None = None) -> str:
    """The rebuild command for this store, runnable as printed."""
    args = ["--store", "milvus", "--milvus-uri", settings.index.milvus_uri]
    corpus = (manifest or {}).get("corpus_dir")
    if isinstance(corpus, str) and corpus and Path(corpus) != Path("corpus"):
        args += ["--corpus", corpus]
    # The folder store's hint for the default index is "<python> -m ingest --rebuild", in the form
    # every message uses (the interpreter as it can be typed); the store's options follow it.
    command = " ".join([folder_fix_hint(Path("index")), *(shlex.quote(a) for a in args)])
    if settings.index.milvus_collection != "groundwork":
        command = f"RAGQA_MILVUS_COLLECTION={settings.index.milvus_collection} {command}"
    return command


def _milvus() -> Any:
    try:
        import pymilvus
    except ImportError as exc:
        raise ConfigError("store = milvus needs the Milvus client: .venv/bin/pip install -c constraints.txt "
                          "-e '.[milvus]'") from exc
    # pymilvus logs every failed call with its traceback at ERROR; failures are reported here as messages.
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    return pymilvus


def connect(settings: Settings) -> Any:
    """A MilvusClient, or StoreUnavailableError saying why not (no traceback reaches the user)."""
    pymilvus = _milvus()
    uri = settings.index.milvus_uri
    if is_lite(uri):
        path = Path(uri)
        try:
            path.absolute().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(f"cannot create the folder of {uri}: {exc.strerror or exc}") from exc
        uri = str(path.absolute())
    token = os.environ.get(TOKEN_ENV, "")
    try:
        return pymilvus.MilvusClient(uri=uri, token=token, timeout=CONNECT_TIMEOUT_S)
    except pymilvus.exceptions.MilvusException as exc:
        if is_lite(settings.index.milvus_uri):
            raise StoreUnavailableError(
                f"cannot open the milvus-lite file {settings.index.milvus_uri}: {_reason(exc)}. milvus-lite allows one "
                "process per file: stop the chat or ingest that has it open, or use a Milvus server "
                "(RAGQA_MILVUS_URI=http://host:19530)") from exc
        raise StoreUnavailableError(
            f"cannot reach the Milvus server at {settings.index.milvus_uri}: {_reason(exc)}. Check that it is "
            f"running and reachable, and that {TOKEN_ENV} holds a valid token if it needs one") from exc


def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]


@contextmanager
def calls(settings: Settings, doing: str) -> Iterator[None]:
    """Turn a failed Milvus call into StoreUnavailableError naming what was being done."""
    pymilvus = _milvus()
    try:
        yield
    except pymilvus.exceptions.MilvusException as exc:
        raise StoreUnavailableError(f"Milvus at {settings.index.milvus_uri} failed while {doing}: {_reason(exc)}") from exc


# -- names ------------------------------------------------------------------------
def collection_name(settings: Settings, build: str, kind: str) -> str:
    return f"{settings.index.milvus_collection}__{build}__{kind}"


def builds_in(client: Any, settings: Settings) -> dict[str, set[str]]:
    """Build id -> kinds present, for every collection this store name owns."""
    out: dict[str, set[str]] = {}
    prefix = settings.index.milvus_collection + "__"
    for name in client.list_collections():
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix):].split("__")
        if len(parts) == 2 and parts[1] in KINDS:
            out.setdefault(parts[0], set()).add(parts[1])
    return out


def published_build(client: Any, settings: Settings) -> str | None:
    """The build the alias names, or None when nothing was published under this name yet."""
    aliases = client.list_aliases()
    names = aliases.get("aliases", []) if isinstance(aliases, dict) else list(aliases or [])
    if settings.index.milvus_collection not in names:
        return None
    target = client.describe_alias(settings.index.milvus_collection).get("collection_name", "")
    prefix = settings.index.milvus_collection + "__"
    if not target.startswith(prefix) or not target.endswith("__meta"):
        raise IndexCorruptError(f"alias {settings.index.milvus_collection} names {target!r}, which is not a build's meta "
                                f"collection. Rebuild it with: {fix_hint(settings)}")
    return target[len(prefix):-len("__meta")]


def new_build_id() -> str:
    stamp = time.strftime("%Y%m%dt%H%M%S", time.gmtime())
    return f"b{stamp}_{os.getpid()}_{time.monotonic_ns() % 100000:05d}"
