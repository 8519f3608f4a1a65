"""Type-confused and hand-edited index folders (issue 14): refused with the fix command, never a traceback.

Each case edits one file of a copy of the session index and, where the edit
would otherwise be caught by the checksums, updates the manifest's size and
SHA-256 to match, as a careful operator (or attacker) would. Before the fix
these gave AttributeError / KeyError / TypeError tracebacks, or a FAISS
search crash at the first question.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from ingest.errors import IndexCorruptError
from ingest.index import file_sha256

from reliability_helpers import clone_workspace, fix_command, run_module, unshare

QUESTION = "What is a less-hardline approach toward Russia?"


def _manifest(index: Path) -> dict[str, Any]:
    return json.loads((index / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(index: Path, manifest: dict[str, Any]) -> None:
    (index / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _resign(index: Path, name: str) -> None:
    """Update the manifest's size and checksum of `name` so that only the new checks can catch the edit."""
    manifest = _manifest(index)
    path = index / name
    manifest["files"][name] = {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
    _write_manifest(index, manifest)


def _edit_jsonl(index: Path, name: str, change: Callable[[list[dict]], None]) -> None:
    path = index / name
    unshare(path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    change(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    _resign(index, name)


def _manifest_field(key: str, value: Any) -> Callable[[Path], None]:
    def edit(index: Path) -> None:
        manifest = _manifest(index)
        manifest[key] = value
        _write_manifest(index, manifest)
    return edit


def _nested_field(outer: str, key: str, value: Any) -> Callable[[Path], None]:
    def edit(index: Path) -> None:
        manifest = _manifest(index)
        manifest[outer][key] = value
        _write_manifest(index, manifest)
    return edit


def _record(name: str, i: int, change: Callable[[dict], None]) -> Callable[[Path], None]:
    return lambda index: _edit_jsonl(index, name, lambda rows: change(rows[i]))


def _faiss(name: str, dimension: int, extra: int = 0) -> Callable[[Path], None]:
    """Replace a FAISS file with one of another dimension (or count), checksums updated."""
    def edit(index: Path) -> None:
        import faiss
        import numpy as np

        count = faiss.read_index(str(index / name)).ntotal + extra
        other = faiss.IndexFlatIP(dimension)
        other.add(np.random.default_rng(0).random((count, dimension), dtype=np.float32))
        unshare(index / name)
        faiss.write_index(other, str(index / name))
        _resign(index, name)
    return edit


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    # name: (the edit, what the message must say)
    "files-is-a-list": (_manifest_field("files", []), "manifest.files: expected an object, found a list"),
    "embedder-is-null": (_manifest_field("embedder", None), "manifest.embedder: expected an object, found null"),
    "dimension-is-a-string": (_nested_field("embedder", "dimension", "384"),
                              "manifest.embedder.dimension: expected an integer, found a string"),
    "counts-missing": (_manifest_field("counts", None), "manifest.counts: expected an object"),
    "documents-is-a-string": (_manifest_field("documents", "all"), "manifest.documents: expected a list"),
    "file-entry-is-a-number": (_nested_field("files", "chunks.jsonl", 7),
                               "manifest.files['chunks.jsonl']: expected an object, found an integer"),
    "format-version-is-a-string": (_manifest_field("format_version", "3"),
                                   "manifest.format_version: expected an integer, found a string"),
    "sentence-without-chunk": (_record("sentences.jsonl", 3, lambda r: r.pop("chunk")),
                               "sentences.jsonl record 3: the field 'chunk' is missing"),
    "sentence-chunk-out-of-range": (_record("sentences.jsonl", 0, lambda r: r.update(chunk=10**6)),
                                    "sentences.jsonl record 0: chunk 1000000 is outside"),
    "sentence-section-of-numbers": (_record("sentences.jsonl", 1, lambda r: r.update(section=[1, 2])),
                                    "sentences.jsonl record 1.section[0]: expected a string"),
    "chunk-start-is-a-string": (_record("chunks.jsonl", 2, lambda r: r.update(start="0")),
                                "chunks.jsonl record 2.start: expected an integer, found a string"),
    "chunk-of-unknown-document": (_record("chunks.jsonl", 0, lambda r: r.update(doc="ghost")),
                                  "chunks.jsonl record 0: document 'ghost' is not in documents.jsonl"),
    "chunk-offsets-past-the-text": (_record("chunks.jsonl", 1, lambda r: r.update(end=10**9)),
                                    "chunks.jsonl record 1: offsets"),
    "document-text-is-null": (_record("documents.jsonl", 0, lambda r: r.update(text=None)),
                              "documents.jsonl record 0.text: expected a string, found null"),
    "chunks-faiss-of-another-dimension": (_faiss("chunks.faiss", 128),
                                          "chunks.faiss holds {n} vectors of 128 dimensions; the index needs {n} of 384"),
    "sentences-faiss-of-another-dimension": (_faiss("sentences.faiss", 768), "sentences.faiss holds"),
    "sentences-faiss-with-extra-vectors": (_faiss("sentences.faiss", 384, extra=5), "sentences.faiss holds"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_type_confused_index_is_refused_with_the_fix_command(shipped_index: Path, tmp_path: Path, case: str):
    ws = clone_workspace(shipped_index, tmp_path, corpus=False)
    index = ws.index.resolve()
    edit, expected = CASES[case]
    edit(index)
    with pytest.raises(IndexCorruptError) as info:
        Assistant(ws.index)
    message = str(info.value)
    n = sum(1 for line in (index / "chunks.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    assert expected.format(n=n) in message, message
    assert message.endswith(f"Rebuild it with: {fix_command(ws.index)}"), message


@pytest.mark.parametrize("case", ["files-is-a-list", "embedder-is-null", "sentence-without-chunk",
                                  "chunks-faiss-of-another-dimension"])
def test_the_cli_and_the_chat_refuse_it_without_a_traceback(shipped_index: Path, tmp_path: Path, case: str):
    ws = clone_workspace(shipped_index, tmp_path, corpus=False)
    CASES[case][0](ws.index.resolve())
    proc = run_module("-m", "assistant", "ask", QUESTION, "--index", str(ws.index))
    assert proc.returncode == IndexCorruptError.exit_code == 6, proc.stderr
    assert "Traceback" not in proc.stderr and fix_command(ws.index) in proc.stderr, proc.stderr
    chat = run_module("-m", "assistant", "chat", "--no-build", "--port", "7861", "--index", str(ws.index))
    assert "Traceback" not in chat.stderr, chat.stderr[-2000:]
    assert chat.returncode != 0


def test_ingest_treats_a_type_confused_manifest_as_no_previous_index(shipped_index: Path, tmp_path: Path):
    """`python -m ingest` rebuilds over it instead of crashing in the up-to-date check."""
    from ingest.build import is_up_to_date

    ws = clone_workspace(shipped_index, tmp_path)
    _manifest_field("embedder", None)(ws.index.resolve())
    assert is_up_to_date(ws.settings()) is False
