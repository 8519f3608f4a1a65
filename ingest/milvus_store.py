"""The index in Milvus (`store = "milvus"`, issue 16): one shared store instead of a folder per process.

Everything a reader needs to answer is in the store, so a chat replica needs
only the URI (and, for a server, RAGQA_MILVUS_TOKEN):

  <name>__<build>__chunks     chunk records (JSON), dense vector (FLAT or HNSW, inner product), BM25 terms
                              and the sparse vector Milvus's built-in BM25 function derives from them
  <name>__<build>__sentences  sentence records (JSON) and their dense vectors
  <name>__<build>__docs       full document texts, in parts of at most TEXT_PART characters
  <name>__<build>__meta       the manifest (format, embedder, chunker, per-document hashes, document
                              records) and the BM25 document frequencies, as JSON in parts
  <name>                      an alias naming the meta collection of the published build

Why one alias and not one per collection: swapping three aliases is three
calls, and a reader between them would see new chunks with old sentences.
Readers resolve the alias once, read the build id from the meta collection and
open that build's collections by name, so swapping the single alias publishes
a build atomically; a build killed before the swap is invisible and is dropped
by the next ingest. The previous build is kept (one generation) so replicas
that loaded it keep answering until they restart.

BM25: the chunk's terms are analysed by our own tokenizer (ingest/lexical.py:
folding, stop words, Snowball stemming) and stored space-separated; Milvus's
`standard` analyzer then only splits them, so the Milvus BM25 index sees the
same terms as the bm25s index of the FAISS store (same k1 = 1.5, b = 0.75,
Lucene IDF), and the two stores rank alike. milvus-lite has no `english`
analyzer (only `standard` and `jieba`), which rules out Milvus's own stemming
there anyway.

Reading (this module): find the published build and load its records into
the same typed IndexData a folder index gives. Connecting, the collection
names and the layout's limits are ingest/milvus_client.py; writing a build is
ingest/milvus_write.py; the searches are assistant/retrieval_milvus.py.

The query encoder (ONNX) is not stored: it is exported from the installed
embedder package into a local cache named by the model fingerprint (the
manifest's fingerprint must match the installed model, so the export is the
same graph the FAISS store ships); a replica exports it on its first start.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import embedder
from .config import Settings
from .errors import IndexCorruptError, IndexMismatchError, IndexMissingError, IndexWriteError
from .index import schema
from .index.manifest import FORMAT_VERSION
from .index.reader import IndexData, records_from_rows
from .index.records import DocumentRecord
from .index.terms import TermStats
from .milvus_client import EXACT_LIMIT as EXACT_LIMIT
from .milvus_client import HNSW_EF_CONSTRUCTION as HNSW_EF_CONSTRUCTION
from .milvus_client import HNSW_EF_SEARCH as HNSW_EF_SEARCH
from .milvus_client import HNSW_M as HNSW_M
from .milvus_client import KINDS, LAYOUT_VERSION, Log, calls, collection_name, fix_hint, is_lite, published_build, where
from .milvus_client import builds_in as builds_in
from .milvus_client import connect as connect

CACHE_ENV = "RAGQA_CACHE_DIR"
READ_ROWS = 4_000


# -- reading ----------------------------------------------------------------------
def _read_rows(client: Any, name: str, count: int, fields: list[str]) -> list[dict[str, Any]]:
    """Rows 0..count-1 by primary key ranges (a query returns at most 16,384 rows)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, count, READ_ROWS):
        stop = min(count, start + READ_ROWS)
        got = client.query(name, filter=f"id >= {start} and id < {stop}", output_fields=fields,
                           limit=stop - start)
        rows.extend(sorted(got, key=lambda r: r["id"]))
    return rows


def _read_blob(client: Any, name: str, count: int) -> dict[str, str]:
    """key -> text joined from its parts, for the docs and meta collections."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for row in _read_rows(client, name, count, ["id", "key", "part", "data"]):
        parts.setdefault(row["key"], []).append((row["part"], row["data"]))
    return {k: "".join(text for _, text in sorted(v)) for k, v in parts.items()}


def _meta_count(client: Any, name: str) -> int:
    stats = client.get_collection_stats(name)
    return int(stats.get("row_count", 0))


def read_manifest(client: Any, settings: Settings) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The published build's manifest and meta entries, or None when nothing is published."""
    build = published_build(client, settings)
    if build is None:
        return None
    name = collection_name(settings, build, "meta")
    client.load_collection(name)
    meta = _read_blob(client, name, _meta_count(client, name))
    try:
        manifest = json.loads(meta["manifest"])
        schema.check(manifest, schema.MANIFEST, "manifest")
    except (KeyError, ValueError) as exc:
        raise IndexCorruptError(f"{where(settings)}: the manifest of build {build} is damaged ({str(exc)[:200]}). "
                                f"Rebuild it with: {fix_hint(settings)}") from exc
    if manifest.get("build_id") != build:
        raise IndexCorruptError(f"{where(settings)}: the manifest names build {manifest.get('build_id')!r}, the alias "
                                f"{build!r}. Rebuild it with: {fix_hint(settings)}")
    return manifest, meta


def check_compatible(settings: Settings, manifest: dict[str, Any], name: str, dimension: int) -> None:
    version = manifest.get("format_version")
    layout = manifest.get("store", {}).get("layout") if isinstance(manifest.get("store"), dict) else None
    if version != FORMAT_VERSION or layout != LAYOUT_VERSION:
        raise IndexMismatchError(
            f"{where(settings)} has index format {version} (store layout {layout}), this version reads format "
            f"{FORMAT_VERSION} (layout {LAYOUT_VERSION}). Rebuild it with: {fix_hint(settings, manifest)}")
    emb = manifest.get("embedder", {})
    if emb.get("name") != name or emb.get("dimension") != dimension:
        raise IndexMismatchError(
            f"{where(settings)} was built with embedder {emb.get('name')} ({emb.get('dimension')} dims), "
            f"but this assistant uses {name} ({dimension} dims). Rebuild it with: {fix_hint(settings, manifest)}")


@dataclass
class Opened:
    """A published build, read into the assistant's in-memory records, and the client to search it with."""

    client: Any
    settings: Settings
    data: IndexData
    terms: TermStats  # BM25 document frequencies saved by the build
    chunks: str  # collection names of this build
    sentences: str


def load(client: Any, settings: Settings, name: str | None = None, dimension: int | None = None) -> Opened:
    """Read the published build into IndexData: the same records and vectors `load_index` gives.
    `name`/`dimension`: the embedder this process queries with (default: the installed one)."""
    name = name or embedder.MODEL_NAME
    dimension = dimension or embedder.DIMENSION
    with calls(settings, "reading the index"):
        found = read_manifest(client, settings)
        if found is None:
            raise IndexMissingError(f"no index in {where(settings)}. Build it with: "
                                    f"{fix_hint(settings).replace(' --rebuild', '')}")
        manifest, meta = found
        check_compatible(settings, manifest, name, dimension)
        build = manifest["build_id"]
        names = {kind: collection_name(settings, build, kind) for kind in KINDS}
        counts = manifest["counts"]
        for kind in ("chunks", "sentences", "docs"):
            client.load_collection(names[kind])
        texts = _read_blob(client, names["docs"], int(manifest["store"]["doc_parts"]))
        chunk_rows = _read_rows(client, names["chunks"], counts["chunks"], ["id", "record", "vec"])
        sentence_rows = _read_rows(client, names["sentences"], counts["sentences"], ["id", "record", "vec"])
    hint = f"Rebuild it with: {fix_hint(settings, manifest)}"
    try:
        docs: dict[str, DocumentRecord] = {}
        for i, rec in enumerate(manifest["records"]):
            row = {**rec, "text": texts[rec["id"]]}
            schema.check(row, schema.DOCUMENT, f"documents record {i}")
            docs[rec["id"]] = DocumentRecord.from_json(row)
        raw_chunks = [_restore(json.loads(r["record"]), docs) for r in chunk_rows]
        raw_sentences = [_restore(json.loads(r["record"]), docs) for r in sentence_rows]
        if len(raw_chunks) != counts["chunks"] or len(raw_sentences) != counts["sentences"]:
            raise ValueError(f"{len(raw_chunks)} chunks and {len(raw_sentences)} sentences stored, the manifest says "
                             f"{counts['chunks']} and {counts['sentences']}")
        chunks, sentences = records_from_rows(docs, raw_chunks, raw_sentences)
        cvec = _matrix([r["vec"] for r in chunk_rows], dimension)
        svec = _matrix([r["vec"] for r in sentence_rows], dimension)
        df = {str(k): int(v) for k, v in json.loads(meta["df"]).items()}
    except (KeyError, ValueError, TypeError) as exc:
        raise IndexCorruptError(f"{where(settings)} is damaged ({str(exc)[:300]}). {hint}") from exc
    for c in chunks[:: max(1, len(chunks) // 50)]:  # the same spot check of offsets as load_index
        if docs[c.doc].text[c.start:c.end] != c.text:
            raise IndexCorruptError(f"{where(settings)}: chunk offsets do not match the stored documents. {hint}")
    path = Path(settings.index.milvus_uri) if is_lite(settings.index.milvus_uri) else Path(settings.index.milvus_collection)
    data = IndexData(path, manifest, docs, chunks, sentences, cvec, svec)
    return Opened(client, settings, data, TermStats(df, len(chunks)), names["chunks"], names["sentences"])


def _restore(rec: dict[str, Any], docs: dict[str, DocumentRecord]) -> dict[str, Any]:
    if rec.get("text") is None and rec.get("doc") in docs:
        rec["text"] = docs[rec["doc"]].text[rec["start"]:rec["end"]]
    return rec


def _matrix(rows: list[Any], dimension: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.ascontiguousarray(np.asarray(rows, dtype=np.float32))


# -- query encoder ----------------------------------------------------------------
def query_encoder_path() -> Path:
    """Where the ONNX query encoder for the installed model is cached (by model fingerprint)."""
    root = os.environ.get(CACHE_ENV) or os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                     os.path.expanduser("~/.cache"), "groundwork-qa")
    return Path(root) / f"query_encoder-{embedder.model_fingerprint()}.onnx"


def ensure_query_encoder(encoder: Any = None, log: Log = lambda _: None) -> Path:
    """The cached ONNX export, made now (torch, ~5 s once per machine) when missing."""
    target = query_encoder_path()
    if target.is_file():
        return target
    log(f"exporting the query encoder to {target} ...")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        (encoder or embedder.DocumentEncoder()).export_onnx(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise IndexWriteError(f"cannot write the query encoder to {target}: {exc.strerror or exc} "
                              f"(set {CACHE_ENV} to a writable folder)") from exc
    return target
