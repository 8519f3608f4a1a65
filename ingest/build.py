"""Incremental, crash-safe index builds: scan -> plan -> write.

ingest/scan.py finds the documents and the state that decides whether
anything changed; ingest/plan.py chunks and embeds what changed and reuses
the rest; ingest/index/writer.py writes the folder and publishes it
atomically (ingest/milvus_write.py writes a Milvus store instead). An
unchanged corpus is detected from file hashes alone, without importing
torch, so a re-run returns in well under a second.

`chunker` and `encoder` replace the real chunker and the bundled embedding
model (the scale benchmark builds synthetic corpora through this code).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import embedder
from .config import Settings
from .errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from .index import atomic, layout
from .index.manifest import read_manifest
from .index.publish import build_lock, check_target, collect_garbage
from .index.reader import IndexData, load_index
from .index.writer import Assembled, write_folder
from .plan import BuildReport, Chunker, DocumentEncoder, Seams, Ticker, assemble
from .scan import corpus_state, mtimes, scan_corpus

Log = Callable[[str], None]
__all__ = ["Assembled", "BuildReport", "Ticker", "build_index", "corpus_state", "is_up_to_date", "scan_corpus"]


def _noop(_: str) -> None:
    return None


def seams_of(chunker: Chunker | None, encoder: DocumentEncoder | None) -> Seams:
    return Seams(encoder=encoder) if chunker is None else Seams(chunker, encoder)


def is_up_to_date(settings: Settings, warn: Log = _noop) -> bool:
    """True when the published index matches the corpus exactly."""
    if settings.index.store == "milvus":
        from . import milvus_write

        return milvus_write.is_up_to_date(settings, warn)
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


def _note_touched(index: Path, manifest: dict[str, Any], files: list[Path]) -> list[str]:
    """Files whose modification time changed while their bytes did not.

    Changes are found by SHA-256, so a `touch` re-embeds nothing; the report
    says so instead of staying silent, and the manifest remembers the new
    times (an atomic replace of manifest.json) so the note is shown once.
    """
    now = mtimes(files)
    before = manifest.get("mtimes", {})
    touched = sorted(name for name, t in now.items() if before.get(name) not in (None, t))
    if touched:
        try:
            atomic.write_json(index.resolve() / layout.MANIFEST, {**manifest, "mtimes": now})
        except OSError:
            pass  # only the note's memory is lost; the index itself is untouched
    return touched


def _up_to_date_report(report: BuildReport, index: Path, manifest: dict[str, Any], files: list[Path]) -> None:
    report.up_to_date = True
    report.unchanged = [d["id"] for d in manifest.get("documents", [])]
    counts = manifest.get("counts", {})
    report.documents, report.chunks = counts.get("documents", 0), counts.get("chunks", 0)
    report.sentences = counts.get("sentences", 0)
    report.touched = _note_touched(index, manifest, files)


def count(report: BuildReport, assembled: Assembled) -> None:
    report.documents, report.chunks = len(assembled.documents), len(assembled.chunks)
    report.sentences, report.characters = len(assembled.sentences), assembled.characters


def build_index(settings: Settings, rebuild: bool = False, log: Log = _noop, warn: Log = _noop,
                progress: bool | None = None, *, chunker: Chunker | None = None,
                encoder: DocumentEncoder | None = None) -> BuildReport:
    """Bring the index in line with the corpus; `chunker`/`encoder` replace the real ones (see the module doc)."""
    seams = seams_of(chunker, encoder)
    if settings.index.store == "milvus":
        from . import milvus_write

        return milvus_write.build_index(settings, rebuild=rebuild, log=log, warn=warn, progress=progress, seams=seams)
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
                    _up_to_date_report(report, index, manifest, files)
                    collect_garbage(index)  # builds left by a killed ingest (up to 100 MB each)
                    report.seconds = time.perf_counter() - started
                    return report
            except (IndexMissingError, IndexCorruptError):
                pass
        previous = None if rebuild else _previous(index, warn)
        onnx_prev = previous.path / layout.QUERY_ENCODER if previous is not None else None
        reuse_onnx = (previous is not None and onnx_prev is not None and onnx_prev.is_file()
                      and previous.manifest.get("embedder", {}).get("fingerprint") == embedder.model_fingerprint())
        assembled = assemble(settings, files, state, previous, report, log, warn, progress, seams,
                             need_encoder=not reuse_onnx)
        write_folder(index, assembled, settings.index.corpus_dir, onnx_prev if reuse_onnx else None, log)
        count(report, assembled)
    report.seconds = time.perf_counter() - started
    return report
