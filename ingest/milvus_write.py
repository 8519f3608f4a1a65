"""Writing a build to Milvus (`store = "milvus"`, issue 16): collections, meta last, then the alias swap.

The collections and the publish-by-alias scheme are described in
ingest/milvus_store.py, which reads them back. The build itself (what to
chunk and embed again) is ingest/plan.py's, shared with the folder store.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import embedder
from .config import Settings
from .errors import IndexCorruptError, IndexMismatchError, IndexWriteError
from .index.manifest import FORMAT_VERSION, KIND, now
from .index.publish import build_lock
from .index.reader import IndexData
from .index.records import chunk_embed_text
from .index.writer import Assembled, versions
from .milvus_client import (
    BM25_B,
    BM25_K1,
    DOC_ID_MAX,
    EXACT_LIMIT,
    INSERT_ROWS,
    KINDS,
    LAYOUT_VERSION,
    Log,
    builds_in,
    calls,
    collection_name,
    connect,
    is_lite,
    new_build_id,
    published_build,
    where,
)
from .milvus_schema import blob_rows, bm25_terms, record_json, schemas
from .milvus_store import ensure_query_encoder, load, query_encoder_path, read_manifest
from .plan import BuildReport, Seams


# -- writing ----------------------------------------------------------------------
def _insert(client: Any, name: str, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_ROWS):
        client.insert(name, rows[start:start + INSERT_ROWS])


def _step(name: str) -> None:
    """Test hook shared with the folder store: RAGQA_INGEST_STEP_DELAY slows each write step."""
    delay = os.environ.get("RAGQA_INGEST_STEP_DELAY")
    if delay:
        time.sleep(float(delay))


def _create(client: Any, name: str, kind: str, count: int) -> None:
    schema_, index = schemas(client, kind, count)
    client.create_collection(name, schema=schema_, index_params=index)



def write_build(client: Any, settings: Settings, assembled: Assembled, previous_build: str | None,
                log: Log) -> str:
    """Write one build's collections, the meta collection last, then swap the alias to it. Returns the build id."""
    build = new_build_id()
    names = {kind: collection_name(settings, build, kind) for kind in KINDS}
    a = assembled
    for d in a.documents:
        if len(d.id.encode("utf-8")) > DOC_ID_MAX:
            raise IndexWriteError(f"document id {d.id[:60]!r}… is longer than {DOC_ID_MAX} bytes; rename the file")
    doc_rows = blob_rows([(d.id, d.text) for d in a.documents])
    df: dict[str, int] = {}
    chunk_rows = []
    for i, (r, vec) in enumerate(zip(a.chunks, a.chunk_vectors)):
        terms = bm25_terms(chunk_embed_text(a.titles[r.doc], r.section, r.text))
        for t in set(terms.split()):
            df[t] = df.get(t, 0) + 1
        chunk_rows.append({"id": i, "doc": r.doc, "record": record_json(r), "vec": vec.tolist(), "terms": terms})
    sentence_rows = [{"id": i, "doc": s.doc, "record": record_json(s), "vec": vec.tolist()}
                     for i, (s, vec) in enumerate(zip(a.sentences, a.sentence_vectors))]
    log(f"writing build {build} to {where(settings)} ...")
    _step("documents")
    _create(client, names["docs"], "docs", len(doc_rows))
    _insert(client, names["docs"], doc_rows)
    _step("chunks")
    _create(client, names["chunks"], "chunks", len(chunk_rows))
    _insert(client, names["chunks"], chunk_rows)
    _step("sentences")
    _create(client, names["sentences"], "sentences", len(sentence_rows))
    _insert(client, names["sentences"], sentence_rows)
    for kind in ("docs", "chunks", "sentences"):
        client.flush(names[kind])
    _step("manifest")
    n_chunks = len(a.chunks)
    manifest = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "build_id": build,
        "created_at": now(),
        "embedder": {"name": embedder.MODEL_NAME, "dimension": embedder.DIMENSION,
                     "fingerprint": embedder.model_fingerprint(), "max_tokens": embedder.MAX_TOKENS,
                     "ingest_runtime": "sentence-transformers", "query_runtime": "onnxruntime"},
        "chunker": a.chunker,
        "vector_index": {"library": "milvus", "kind": "flat" if n_chunks < EXACT_LIMIT else "hnsw",
                         "count": n_chunks},
        "lexical_index": {"library": "milvus bm25", "stemmer": "snowball english (terms analysed before Milvus)",
                          "fields": "title, section, text", "k1": BM25_K1, "b": BM25_B},
        "store": {"kind": "milvus", "layout": LAYOUT_VERSION, "doc_parts": len(doc_rows),
                  "previous_build": previous_build},
        "state": a.state,
        "corpus_dir": str(settings.index.corpus_dir),
        "mtimes": a.mtimes,
        "documents": [{"id": d.id, "file": d.file, "sha256": d.sha256, "title": d.title, "chunks": d.chunks,
                       "sentences": d.sentences} for d in a.documents],
        "records": [d.public() for d in a.documents],
        "skipped": a.skipped,
        "counts": {"documents": len(a.documents), "chunks": n_chunks, "sentences": len(a.sentences),
                   "characters": a.characters},
        "libraries": versions(),
        "files": {},
    }
    meta_rows = blob_rows([("manifest", json.dumps(manifest, ensure_ascii=False)),
                            ("df", json.dumps(df, ensure_ascii=False, separators=(",", ":")))])
    _create(client, names["meta"], "meta", len(meta_rows))
    _insert(client, names["meta"], meta_rows)
    client.flush(names["meta"])
    for kind in KINDS:  # loaded before publishing: the first reader after the swap does not wait
        client.load_collection(names[kind])
    _step("publish")
    alias = settings.index.milvus_collection
    if previous_build is None and alias not in (client.list_aliases().get("aliases", []) or []):
        client.create_alias(names["meta"], alias)
    else:
        client.alter_alias(names["meta"], alias)
    return build


def collect_garbage(client: Any, settings: Settings, keep: set[str]) -> list[str]:
    """Drop this name's builds other than `keep` (the published one and its predecessor): killed,
    unpublished builds and older generations. Assumes one ingest at a time per store name."""
    dropped = []
    for build, kinds in sorted(builds_in(client, settings).items()):
        if build in keep:
            continue
        for kind in kinds:
            client.drop_collection(collection_name(settings, build, kind))
        dropped.append(build)
    return dropped


# -- ingest entry points ------------------------------------------------------------
@contextmanager
def _lock(settings: Settings) -> Iterator[None]:
    """milvus-lite: the same lock file scheme as the folder store. A server has no local file to lock:
    run one ingest job at a time per collection name (docs/milvus.md)."""
    if is_lite(settings.index.milvus_uri):
        with build_lock(Path(settings.index.milvus_uri)):
            yield
    else:
        yield


def is_up_to_date(settings: Settings, warn: Log = lambda _: None) -> bool:
    """Whether the published build matches the corpus folder. A chat replica has no corpus folder (ingest
    runs as a job elsewhere): then whatever is published is served as it is."""
    from .scan import corpus_state, scan_corpus

    client = connect(settings)
    try:
        with calls(settings, "reading the manifest"):
            found = read_manifest(client, settings)
    except IndexCorruptError:
        return False
    finally:
        client.close()
    if found is not None and not Path(settings.index.corpus_dir).exists():
        return True
    files = scan_corpus(settings.index.corpus_dir, warn)
    return found is not None and found[0].get("state") == corpus_state(settings.index.corpus_dir, files, settings)


def build_index(settings: Settings, rebuild: bool = False, log: Log = lambda _: None,
                warn: Log = lambda _: None, progress: bool | None = None, seams: Seams | None = None) -> BuildReport:
    """`python -m ingest` for store = milvus: the same incremental build as the folder store, written to Milvus."""
    from .scan import corpus_state, scan_corpus

    started = time.perf_counter()
    files = scan_corpus(settings.index.corpus_dir, warn)
    state = corpus_state(settings.index.corpus_dir, files, settings)
    report = BuildReport(index=Path(settings.index.milvus_uri))
    with _lock(settings):
        client = connect(settings)
        try:
            with calls(settings, "building the index"):
                _build_into(client, settings, files, state, rebuild, report, log, warn, progress, seams or Seams())
        finally:
            client.close()
    report.seconds = time.perf_counter() - started
    return report


def _build_into(client: Any, settings: Settings, files: list[Path], state: dict[str, Any], rebuild: bool,
                report: BuildReport, log: Log, warn: Log, progress: bool | None, seams: Seams) -> None:
    from .plan import assemble

    try:
        found = read_manifest(client, settings)
    except IndexCorruptError as exc:
        warn(f"previous index not reused, everything is re-embedded: {exc}")
        found = None
    current = published_build(client, settings)
    if found is not None and not rebuild and found[0].get("state") == state:
        manifest = found[0]
        report.up_to_date = True
        report.unchanged = [d["id"] for d in manifest.get("documents", [])]
        counts = manifest.get("counts", {})
        report.documents, report.chunks = counts.get("documents", 0), counts.get("chunks", 0)
        report.sentences = counts.get("sentences", 0)
        keep = {current, manifest.get("store", {}).get("previous_build")} - {None}
        collect_garbage(client, settings, keep)  # builds left by a killed ingest
        ensure_query_encoder(log=log)
        return
    previous: IndexData | None = None
    if found is not None and not rebuild:
        try:
            previous = load(client, settings).data
        except (IndexCorruptError, IndexMismatchError) as exc:
            warn(f"previous index not reused, everything is re-embedded: {exc}")
    # The query encoder is cached per machine: torch is loaded only to embed, or to export it once.
    assembled = assemble(settings, files, state, previous, report, log, warn, progress, seams,
                         need_encoder=not query_encoder_path().is_file())
    if assembled.encoder is not None or not query_encoder_path().is_file():
        ensure_query_encoder(assembled.encoder, log)
    published = write_build(client, settings, assembled, current, log)
    report.documents, report.chunks = len(assembled.documents), len(assembled.chunks)
    report.sentences, report.characters = len(assembled.sentences), assembled.characters
    collect_garbage(client, settings, {published} | ({current} if current else set()))
