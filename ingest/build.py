"""Incremental, crash-safe index builds.

A document is re-chunked and re-embedded only when its bytes (SHA-256), its
catalog title or the chunker settings change; everything else is copied from
the previous build. An unchanged corpus is detected from file hashes alone,
without importing torch, so a re-run returns in well under a second.
"""
from __future__ import annotations

import errno
import hashlib
import os
import platform
import sys
import unicodedata

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from . import atomic, embedder, lexical, vectors
from .catalog import CATALOG_FILE, load_catalog
from .chunker import ChunkerSettings, chunk_document
from .config import Settings
from .errors import CorpusError, IndexCorruptError, IndexMismatchError, IndexMissingError, IndexWriteError
from .loaders import SUPPORTED, Limits, UnreadableDocument, load_file
from .store import (FORMAT_VERSION, MANIFEST, IndexData, build_lock, check_target, collect_garbage, file_sha256,
                    load_index, new_build_dir, publish, read_manifest)
from .structure import SEP

Log = Callable[[str], None]
LIBRARIES = ("faiss-cpu", "sentence-transformers", "torch", "onnxruntime", "tokenizers", "bm25s",
             "numpy", "pysbd", "pypdf", "python-docx", "beautifulsoup4")


@dataclass
class BuildReport:
    index: Path
    up_to_date: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    embedded_documents: list[str] = field(default_factory=list)
    embedded_texts: int = 0
    touched: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    sentences: int = 0
    characters: int = 0
    seconds: float = 0.0


@dataclass
class Assembled:
    """One build's records and vectors, before they are written: handed to another store (ingest/milvus_store.py)."""

    documents: list[dict[str, Any]]
    chunk_rows: list[dict[str, Any]]
    sentence_rows: list[dict[str, Any]]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    titles: dict[str, str]
    state: dict[str, Any]
    chunker: dict[str, Any]
    skipped: list[dict[str, str]]
    mtimes: dict[str, int]
    encoder: Any  # the DocumentEncoder when it was loaded (to export the query encoder), else None


def _noop(_: str) -> None:
    return None


def _link_problem(path: Path, root: Path, linked: dict[Path, str]) -> str | None:
    """Why a symbolic link in the corpus must not be followed, or None when it may be.

    A link is resolved once, to its final target (os.path.realpath gives up on
    loops instead of hanging). A target outside the corpus folder is never
    read: a link to /etc/passwd would otherwise be indexed and quoted in
    answers. A target inside is indexed under the link's name, unless that
    file is already indexed under another name. A dangling link is left to the
    loader, which reports it as unreadable.
    """
    target = Path(os.path.realpath(path))
    if not target.exists():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop"
        return None
    if target != root and root not in target.parents:
        return "symbolic link to a file outside the corpus folder"
    if target in linked:
        return f"same file as {linked[target]}"
    return None


def _bad_name(name: str) -> bool:
    """Names with control characters (a newline splits the Sources lines of an answer) or invalid Unicode."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)


def scan_corpus(corpus: Path, warn: Log) -> list[Path]:
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist (set --corpus or RAGQA_CORPUS_DIR)")
    files: list[Path] = []
    unsupported: list[str] = []
    stems: dict[str, str] = {}
    root = Path(os.path.realpath(corpus))
    entries = sorted(corpus.iterdir())
    # Real files first claim their own targets, so a link to one of them is the duplicate, not the file.
    linked = {Path(os.path.realpath(p)): p.name for p in entries
              if not p.is_symlink() and p.suffix.lower() in SUPPORTED and not p.name.startswith(".")}
    for path in entries:
        if path.name == CATALOG_FILE:
            continue
        if _bad_name(path.name):
            warn(f"{path.name!r}: skipped, the file name contains control characters; rename the file")
            continue
        if path.name.startswith("."):
            if path.suffix.lower() in SUPPORTED:
                warn(f"{path.name}: skipped, names starting with '.' are hidden files and are not indexed; "
                     "rename the file to index it")
            continue
        if path.is_symlink():
            problem = _link_problem(path, root, linked)
            if problem:
                warn(f"{path.name}: skipped, {problem}")
                continue
            linked.setdefault(Path(os.path.realpath(path)), path.name)
        if path.is_dir():
            warn(f"{path.name}/: subfolders are not indexed; put documents directly in {corpus}")
            continue
        if path.suffix.lower() not in SUPPORTED:
            unsupported.append(path.name)
            continue
        if path.stem in stems:
            warn(f"{path.name}: skipped, document id {path.stem!r} is already taken by {stems[path.stem]}")
            continue
        stems[path.stem] = path.name
        files.append(path)
    if unsupported:
        warn(f"skipped {len(unsupported)} file(s) with unsupported extensions: {', '.join(unsupported)} "
             f"(supported: {', '.join(SUPPORTED)})")
    if not files:
        raise CorpusError(f"corpus folder {corpus} has no documents to index (supported: {', '.join(SUPPORTED)})")
    return files


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"
    return h.hexdigest()


def corpus_state(corpus: Path, files: list[Path], settings: Settings) -> dict[str, Any]:
    catalog = corpus / CATALOG_FILE
    return {
        "files": {p.name: _sha256_file(p) for p in files},
        "catalog_sha256": _sha256_file(catalog) if catalog.is_file() else None,
        "chunker": ChunkerSettings(settings.index.chunk_tokens).as_dict(),
        "embedder": {"name": embedder.MODEL_NAME, "fingerprint": embedder.model_fingerprint()},
        "format_version": FORMAT_VERSION,
    }


def is_up_to_date(settings: Settings, warn: Log = _noop) -> bool:
    """True when the published index matches the corpus exactly."""
    if settings.index.store == "milvus":
        from . import milvus_store

        return milvus_store.is_up_to_date(settings, warn)
    files = scan_corpus(settings.index.corpus_dir, warn)
    try:
        manifest = read_manifest(settings.index.index_dir)
    except (IndexMissingError, IndexCorruptError):
        return False
    return manifest.get("state") == corpus_state(settings.index.corpus_dir, files, settings)


def _previous(index: Path, warn: Log) -> IndexData | None:
    if not index.exists():
        return None
    try:
        return load_index(index, embedder.MODEL_NAME, embedder.DIMENSION)
    except (IndexCorruptError, IndexMismatchError) as exc:
        warn(f"previous index not reused, everything is re-embedded: {exc}")
        return None


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _first_heading(doc_sentences: list[Any]) -> str | None:
    for s in doc_sentences:
        if s.is_heading:
            return " ".join(s.text.split())[:200]
    return None


def _chunk_embed_text(title: str, section: list[str], text: str) -> str:
    return "\n".join(p for p in (title, SEP.join(section), text) if p)


def _sentence_embed_text(section: list[str], text: str) -> str:
    """A sentence is embedded with its top-level section ("Case Study 4: U.S.-Russia Reset"):
    the topic it is about, which generic sub-headings ("Key Components ...") would dilute."""
    return f"{section[0]}: {text}" if section and section[0] != text else text


def _mtimes(files: list[Path]) -> dict[str, int]:
    out = {}
    for p in files:
        try:
            out[p.name] = p.stat().st_mtime_ns
        except OSError:
            continue
    return out


def _note_touched(index: Path, manifest: dict[str, Any], files: list[Path]) -> list[str]:
    """Files whose modification time changed while their bytes did not.

    Changes are found by SHA-256, so a `touch` re-embeds nothing; the report
    says so instead of staying silent, and the manifest remembers the new
    times (an atomic replace of manifest.json) so the note is shown once.
    """
    now = _mtimes(files)
    before = manifest.get("mtimes", {})
    touched = sorted(name for name, t in now.items() if before.get(name) not in (None, t))
    if touched:
        try:
            atomic.write_json(index.resolve() / MANIFEST, {**manifest, "mtimes": now})
        except OSError:
            pass  # only the note's memory is lost; the index itself is untouched
    return touched


def _step(name: str) -> None:
    """Test hook: RAGQA_INGEST_STEP_DELAY slows each write so a test can kill mid-build."""
    delay = os.environ.get("RAGQA_INGEST_STEP_DELAY")
    if delay:
        time.sleep(float(delay))


def build_index(settings: Settings, rebuild: bool = False, log: Log = _noop, warn: Log = _noop,
                progress: bool | None = None) -> BuildReport:
    if settings.index.store == "milvus":
        from . import milvus_store

        return milvus_store.build_index(settings, rebuild=rebuild, log=log, warn=warn, progress=progress)
    started = time.perf_counter()
    corpus, index = settings.index.corpus_dir, settings.index.index_dir
    files = scan_corpus(corpus, warn)
    check_target(index)  # a foreign folder at the index path: say so now, not after embedding everything
    state = corpus_state(corpus, files, settings)
    report = BuildReport(index=index)
    with build_lock(index):
        if not rebuild:
            try:
                manifest = read_manifest(index)
                if manifest.get("state") == state:
                    report.up_to_date = True
                    report.unchanged = [d["id"] for d in manifest.get("documents", [])]
                    counts = manifest.get("counts", {})
                    report.documents, report.chunks = counts.get("documents", 0), counts.get("chunks", 0)
                    report.sentences = counts.get("sentences", 0)
                    report.touched = _note_touched(index, manifest, files)
                    collect_garbage(index)  # builds left by a killed ingest (up to 100 MB each)
                    report.seconds = time.perf_counter() - started
                    return report
            except (IndexMissingError, IndexCorruptError):
                pass
        previous = None if rebuild else _previous(index, warn)
        _build(settings, files, state, previous, report, log, warn, progress)
    report.seconds = time.perf_counter() - started
    return report


LARGE_DOCUMENT_CHARS = 1_000_000  # about 5 s of sentence splitting: say what is happening
PROGRESS_EVERY_S = 10.0


class Ticker:
    """Progress as log lines, at most one per PROGRESS_EVERY_S, when stderr is no terminal.

    On a terminal the embedder draws its own bar; in a log (make, CI, a service) a 5 MB document used to
    run for minutes with no output at all (issue 14). `progress` True/False forces the choice.
    """

    def __init__(self, log: Log, progress: bool | None) -> None:
        self.log = log
        self.active = not (sys.stderr.isatty() if progress is None else progress)
        self.last = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.active and time.monotonic() - self.last >= PROGRESS_EVERY_S:
            self.last = time.monotonic()
            self.log(message)


def _build(settings: Settings, files: list[Path], state: dict[str, Any], previous: IndexData | None,
           report: BuildReport, log: Log, warn: Log, progress: bool | None,
           sink: Callable[[Assembled], None] | None = None, encoder_ready: bool = False) -> None:
    """Chunk and embed what changed, reuse the rest, then write the index folder, or hand everything to
    `sink` (another store; `encoder_ready`: it already has the query encoder, so torch is loaded only to embed)."""
    index = settings.index.index_dir
    catalog = load_catalog(settings.index.corpus_dir, warn)
    chunker = ChunkerSettings(settings.index.chunk_tokens)
    same_chunker = previous is not None and previous.manifest.get("state", {}).get("chunker") == chunker.as_dict()
    prev_rows: dict[str, tuple[list[dict], list[dict], np.ndarray, np.ndarray]] = {}
    if previous is not None:
        # One pass over the records (not one per document: documents x chunks at scale).
        chunk_ids: dict[str, list[int]] = {d: [] for d in previous.documents}
        sentence_ids: dict[str, list[int]] = {d: [] for d in previous.documents}
        for i, c in enumerate(previous.chunks):
            chunk_ids.setdefault(c["doc"], []).append(i)
        for i, s in enumerate(previous.sentences):
            sentence_ids.setdefault(s["doc"], []).append(i)
        for doc_id in previous.documents:
            ci, si = chunk_ids[doc_id], sentence_ids[doc_id]
            prev_rows[doc_id] = ([previous.chunks[i] for i in ci], [previous.sentences[i] for i in si],
                                 previous.chunk_vectors[ci], previous.sentence_vectors[si])

    documents: list[dict[str, Any]] = []
    per_doc: list[tuple[list[dict], list[dict], np.ndarray | None, np.ndarray | None]] = []
    to_embed: list[str] = []
    skipped: list[dict[str, str]] = []
    for path in files:
        doc_id = path.stem
        sha = state["files"][path.name]
        meta = dict(catalog.get(doc_id, {}))
        prev_doc = previous.documents.get(doc_id) if previous else None
        if (prev_doc and same_chunker and prev_doc.sha256 == sha and prev_doc.meta == meta
                and doc_id in prev_rows):
            rec = prev_doc.__dict__.copy()
            documents.append(rec)
            c_rows, s_rows, cv, sv = prev_rows[doc_id]
            per_doc.append((c_rows, s_rows, cv, sv))
            report.unchanged.append(doc_id)
            continue
        try:
            doc = load_file(path, Limits(settings.index.max_document_chars, settings.index.max_file_bytes))
        except UnreadableDocument as exc:
            warn(f"skipped {exc}")
            report.skipped.append(str(exc))
            skipped.append({"file": path.name, "reason": str(exc)})
            continue
        ticker = Ticker(log, progress)
        if len(doc.text) >= LARGE_DOCUMENT_CHARS:
            log(f"splitting {path.name} ({len(doc.text):,} characters) into sentences ...")
        chunks, sentences = chunk_document(
            doc, chunker, embedder.count_tokens,
            lambda at, n=len(doc.text), name=path.name: ticker(f"  {name}: {at / n:.0%} split"))
        if not chunks:
            msg = f"{path.name}: no sentences found"
            warn(f"skipped {msg}")
            report.skipped.append(msg)
            skipped.append({"file": path.name, "reason": msg})
            continue
        title = str(meta.get("title") or _first_heading(sentences) or doc_id)
        c_rows = [{"doc": doc_id, "start": c.start, "end": c.end, "section": list(c.section),
                   "sentences": list(c.sentences), "page": c.page, "text": c.text} for c in chunks]
        s_rows = [{"doc": doc_id, "start": s.start, "end": s.end, "section": list(s.section),
                   "heading": s.is_heading, "role": s.role, "chunk": s.chunk, "text": s.text} for s in sentences]
        to_embed.extend(_chunk_embed_text(title, r["section"], r["text"]) for r in c_rows)
        to_embed.extend(_sentence_embed_text(r["section"], r["text"]) for r in s_rows)
        documents.append({"id": doc_id, "file": path.name, "format": doc.format, "sha256": sha, "title": title,
                          "text": doc.text, "meta": meta, "chunks": len(c_rows), "sentences": len(s_rows)})
        per_doc.append((c_rows, s_rows, None, None))
        (report.changed if prev_doc else report.added).append(doc_id)
        report.embedded_documents.append(doc_id)
    if not documents:
        raise CorpusError("no document in the corpus could be indexed (see the warnings above); "
                          "the previous index, if any, is unchanged")
    if previous is not None:
        report.removed = sorted(set(previous.documents) - {d["id"] for d in documents})

    encoder = None
    new_vectors = np.zeros((0, embedder.DIMENSION), dtype=np.float32)
    onnx_prev = previous.path / embedder.ONNX_FILE if previous is not None else None
    reuse_onnx = (onnx_prev is not None and onnx_prev.is_file()
                  and previous.manifest.get("embedder", {}).get("fingerprint") == embedder.model_fingerprint())
    if sink is not None:
        reuse_onnx = encoder_ready
    if to_embed or not reuse_onnx:
        log(f"loading {embedder.MODEL_NAME} ...")
        encoder = embedder.DocumentEncoder()
    if to_embed:
        log(f"embedding {len(to_embed)} chunks and sentences from {len(report.embedded_documents)} document(s)")
        ticker = Ticker(log, progress)
        new_vectors = encoder.encode(
            to_embed, progress=progress, log=lambda done, total: ticker(f"  embedded {done:,} of {total:,} ({done / total:.0%})"))
    report.embedded_texts = len(to_embed)

    chunk_rows: list[dict] = []
    sentence_rows: list[dict] = []
    cvecs: list[np.ndarray] = []
    svecs: list[np.ndarray] = []
    cursor = 0
    for c_rows, s_rows, cv, sv in per_doc:
        if cv is None:
            cv = new_vectors[cursor:cursor + len(c_rows)]
            cursor += len(c_rows)
            sv = new_vectors[cursor:cursor + len(s_rows)]
            cursor += len(s_rows)
        c_base, s_base = len(chunk_rows), len(sentence_rows)
        c_off = min(r["sentences"][0] for r in c_rows) if c_rows else 0
        s_chunk_off = min(r["chunk"] for r in s_rows if r["chunk"] >= 0) if s_rows else 0
        for r in c_rows:
            chunk_rows.append({**r, "sentences": [r["sentences"][0] - c_off + s_base, r["sentences"][1] - c_off + s_base]})
        for r in s_rows:
            sentence_rows.append({**r, "chunk": r["chunk"] - s_chunk_off + c_base if r["chunk"] >= 0 else -1})
        cvecs.append(cv)
        svecs.append(sv)
    for i, r in enumerate(chunk_rows):
        r["id"] = i
    chunk_vectors = np.ascontiguousarray(np.vstack(cvecs), dtype=np.float32)
    sentence_vectors = np.ascontiguousarray(np.vstack(svecs), dtype=np.float32)
    titles = {d["id"]: d["title"] for d in documents}
    if sink is not None:
        sink(Assembled(documents, chunk_rows, sentence_rows, chunk_vectors, sentence_vectors, titles, state,
                       chunker.as_dict(), skipped, _mtimes(files), encoder))
        report.documents, report.chunks, report.sentences = len(documents), len(chunk_rows), len(sentence_rows)
        report.characters = sum(len(d["text"]) for d in documents)
        return

    build = new_build_dir(index)
    try:
        _step("documents")
        atomic.write_jsonl(build / "documents.jsonl", documents)
        _step("chunks")
        atomic.write_jsonl(build / "chunks.jsonl", chunk_rows)
        atomic.write_jsonl(build / "sentences.jsonl", sentence_rows)
        _step("vectors")
        for name, arr in (("chunk_vectors.npy", chunk_vectors), ("sentence_vectors.npy", sentence_vectors)):
            tmp = build / f".{name}.tmp"
            with open(tmp, "wb") as fh:
                np.save(fh, arr, allow_pickle=False)
            os.replace(tmp, build / name)
        faiss_index = vectors.build_faiss(chunk_vectors)
        vectors.save_faiss(faiss_index, build / ".chunks.faiss.tmp")
        os.replace(build / ".chunks.faiss.tmp", build / "chunks.faiss")
        vectors.save_faiss(vectors.build_faiss(sentence_vectors), build / ".sentences.faiss.tmp")
        os.replace(build / ".sentences.faiss.tmp", build / "sentences.faiss")
        _step("bm25")
        bm25 = lexical.build_bm25([_chunk_embed_text(titles[r["doc"]], r["section"], r["text"]) for r in chunk_rows])
        tmp_dir = build / ".bm25.tmp"
        tmp_dir.mkdir()
        lexical.save_bm25(bm25, tmp_dir)
        os.replace(tmp_dir, build / lexical.BM25_DIR)
        _step("onnx")
        target = build / embedder.ONNX_FILE
        if reuse_onnx and onnx_prev is not None:
            try:
                os.link(onnx_prev, target)
            except OSError:
                import shutil

                shutil.copyfile(onnx_prev, build / ".onnx.tmp")
                os.replace(build / ".onnx.tmp", target)
        else:
            log("exporting the query encoder to ONNX ...")
            assert encoder is not None
            encoder.export_onnx(build / ".onnx.tmp")
            os.replace(build / ".onnx.tmp", target)
        _step("manifest")
        files_meta = {}
        for p in sorted(build.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                files_meta[str(p.relative_to(build))] = {"bytes": p.stat().st_size, "sha256": file_sha256(p)}
        manifest = {
            "kind": "groundwork-qa-index",
            "format_version": FORMAT_VERSION,
            "build_id": build.name.removesuffix(".partial"),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "embedder": {"name": embedder.MODEL_NAME, "dimension": embedder.DIMENSION,
                         "fingerprint": embedder.model_fingerprint(), "max_tokens": embedder.MAX_TOKENS,
                         "ingest_runtime": "sentence-transformers", "query_runtime": "onnxruntime"},
            "chunker": chunker.as_dict(),
            "vector_index": {"library": "faiss", "kind": vectors.kind_of(faiss_index), "count": len(chunk_rows)},
            "lexical_index": {"library": "bm25s", "stemmer": "snowball english", "fields": "title, section, text"},
            "state": state,
            "corpus_dir": str(settings.index.corpus_dir),
            "mtimes": _mtimes(files),
            "documents": [{k: d[k] for k in ("id", "file", "sha256", "title", "chunks", "sentences")} for d in documents],
            "skipped": skipped,
            "counts": {"documents": len(documents), "chunks": len(chunk_rows), "sentences": len(sentence_rows),
                       "characters": sum(len(d["text"]) for d in documents)},
            "libraries": _versions(),
            "files": files_meta,
        }
        atomic.write_json(build / MANIFEST, manifest)
        atomic.fsync_dir(build)
        publish(build, index)
    except OSError as exc:
        import shutil

        shutil.rmtree(build, ignore_errors=True)
        raise IndexWriteError(f"writing the index failed ({exc.strerror or exc}); the previous index is unchanged") from exc
    except BaseException:
        import shutil

        shutil.rmtree(build, ignore_errors=True)
        raise
    report.documents, report.chunks, report.sentences = len(documents), len(chunk_rows), len(sentence_rows)
    report.characters = sum(len(d["text"]) for d in documents)

