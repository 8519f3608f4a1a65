"""Every ingest error case of issue 2 gets a clear message, never a traceback, and never costs the old index.

Cases: an empty or missing corpus folder; unreadable, binary and empty files (skipped with a warning naming
them while the rest still index); unsupported extensions (listed); a corrupt or foreign index folder; an index
built with another embedder or format version (the message gives the fix command); a failed write (read-only
index folder, full disk) that leaves the previous index intact.

Indexes are copies of the session's `shipped_index` (tests/reliability_helpers.py), so no test here pays
for a full build.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest

from assistant import Assistant
from ingest.build import build_index
from ingest.errors import CorpusError, IndexCorruptError, IndexMismatchError, IndexMissingError, IndexWriteError

from reliability_helpers import ROOT, Workspace, clone_workspace, fix_command, run_module, verify_citations

QUESTION = "What is a less-hardline approach toward Russia?"


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


# -- corpus folder -----------------------------------------------------------------------------------------
def test_empty_corpus_folder(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalog.toml").write_text("", encoding="utf-8")  # a catalog alone is not a document
    (corpus / ".DS_Store").write_bytes(b"\x00\x01")
    from ingest.config import load_settings

    with pytest.raises(CorpusError, match="has no documents to index"):
        build_index(load_settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    proc = run_module("-m", "ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert proc.returncode == CorpusError.exit_code == 3
    assert f"corpus folder {corpus} has no documents to index" in proc.stderr
    assert ".txt" in proc.stderr  # says what would have been accepted
    _no_traceback(proc)
    assert not (tmp_path / "index").exists() and not (tmp_path / "index.d").exists()


def test_missing_corpus_folder(tmp_path: Path):
    proc = run_module("-m", "ingest", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert proc.returncode == 3
    assert f"corpus folder {tmp_path / 'nope'} does not exist" in proc.stderr
    _no_traceback(proc)


def test_only_unsupported_files_are_listed(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("budget.xlsx", "photo.png", "notes.csv", "README"):
        (corpus / name).write_bytes(b"something")
    proc = run_module("-m", "ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert proc.returncode == 3
    assert "skipped 4 file(s) with unsupported extensions: README, budget.xlsx, notes.csv, photo.png" in proc.stderr
    assert "supported: .txt, .md" in proc.stderr
    _no_traceback(proc)


# -- bad files among good ones --------------------------------------------------------------------------------
GOOD_TXT = ("Lighthouse Survey\n\nThe keeper of the Cape Wrath lighthouse logged forty-two storms in 1911. "
            "The lamp was converted to paraffin vapour in 1913.\n")
GOOD_MD = "# Harbour Ledger\n\nThe harbour ledger records that the ferry *Morag* carried 317 passengers in June.\n"
BAD_FILES: dict[str, tuple[bytes | None, str]] = {
    # name: (content or None for a special file, the reason the warning must give)
    "empty.txt": (b"", "file is empty"),
    "blank.md": (b"  \n\n\t \r\n", "file is empty"),
    "binary.txt": (bytes(range(256)) * 8, "looks binary"),
    "firmware.html": (b"<p>\x00\x01\x02\x03\x00 blob</p>", "looks binary"),
    "scan.pdf": (b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
    "letter.docx": (b"PK\x03\x04 not a zip archive at all", "not a readable DOCX"),
    "gone.txt": (None, "cannot read"),  # a dangling symlink: the file vanished
}
UNSUPPORTED = ("budget.xlsx", "photo.png", "slides.pptx")


@pytest.fixture(scope="module")
def mixed(shipped_index: Path, tmp_path_factory: pytest.TempPathFactory):
    ws = clone_workspace(shipped_index, tmp_path_factory.mktemp("mixed"))
    (ws.corpus / "lighthouse.txt").write_text(GOOD_TXT, encoding="utf-8")
    (ws.corpus / "ledger.md").write_text(GOOD_MD, encoding="utf-8")
    for name, (data, _) in BAD_FILES.items():
        if data is None:
            os.symlink(ws.root / "no-such-file.txt", ws.corpus / name)
        else:
            (ws.corpus / name).write_bytes(data)
    for name in UNSUPPORTED:
        (ws.corpus / name).write_bytes(b"\x89PNG not indexable")
    warnings: list[str] = []
    report = build_index(ws.settings(), warn=warnings.append)
    return ws, report, warnings


def test_bad_files_are_skipped_with_a_warning_naming_each(mixed):
    ws, report, warnings = mixed
    for name, (_, reason) in BAD_FILES.items():
        hits = [w for w in warnings if name in w]
        assert hits, f"no warning names {name}: {warnings}"
        assert any(reason in w for w in hits), (name, hits)
    assert sorted(s.split(":")[0] for s in report.skipped) == sorted(BAD_FILES)
    manifest = json.loads((ws.index / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(s["file"] for s in manifest["skipped"]) == sorted(BAD_FILES)


def test_unsupported_extensions_are_listed_in_one_warning(mixed):
    _, _, warnings = mixed
    listed = [w for w in warnings if "unsupported extensions" in w]
    assert len(listed) == 1
    assert f"skipped {len(UNSUPPORTED)} file(s) with unsupported extensions: {', '.join(sorted(UNSUPPORTED))}" \
        in listed[0]


def test_the_other_files_still_index_and_answer(mixed):
    ws, report, _ = mixed
    assert sorted(report.added) == ["ledger", "lighthouse"]
    assert sorted(report.unchanged) == ["oped-russia-incentives", "rand-russia-less-hardline"]
    assert sorted(report.embedded_documents) == ["ledger", "lighthouse"]  # the old ones were not re-embedded
    assistant = Assistant(ws.index)
    assert sorted(assistant.data.documents) == ["ledger", "lighthouse", "oped-russia-incentives",
                                                 "rand-russia-less-hardline"]
    answer = assistant.ask("How many storms did the keeper of the Cape Wrath lighthouse log?")
    verify_citations(assistant, answer)
    assert not answer.abstained and answer.citations[0].doc == "lighthouse"
    assert "forty-two storms" in answer.citations[0].text


def test_a_corpus_of_only_bad_files_fails_with_a_message_and_keeps_the_old_index(shipped_index, tmp_path):
    ws = clone_workspace(shipped_index, tmp_path / "ws")
    before = ws.index.resolve()
    for p in ws.corpus.glob("*.txt"):
        p.write_bytes(b"\x00\x00binary now")
    proc = run_module("-m", "ingest", "--corpus", str(ws.corpus), "--index", str(ws.index))
    assert proc.returncode == 3
    assert "no document in the corpus could be indexed" in proc.stderr
    assert "oped-russia-incentives.txt: looks binary" in proc.stderr
    _no_traceback(proc)
    assert ws.index.resolve() == before
    Assistant(ws.index).ask(QUESTION)


# -- corrupt, foreign, missing index folders --------------------------------------------------------------------
def _foreign(tmp_path: Path, kind: str) -> Path:
    index = tmp_path / f"index-{kind}"
    index.mkdir()
    if kind == "random-files":
        (index / "photo.jpg").write_bytes(os.urandom(2048))
        (index / "notes.txt").write_text("my own notes, not an index\n", encoding="utf-8")
    elif kind == "other-manifest":
        (index / "manifest.json").write_text(json.dumps({"kind": "some-other-tool", "version": 3}), encoding="utf-8")
    elif kind == "manifest-not-an-object":
        (index / "manifest.json").write_text("[1, 2, 3]\n", encoding="utf-8")
    elif kind == "garbage-manifest":
        (index / "manifest.json").write_bytes(os.urandom(512))
    elif kind == "empty":
        pass
    return index


@pytest.mark.parametrize("kind", ["random-files", "other-manifest", "manifest-not-an-object", "garbage-manifest",
                                  "empty"])
def test_corrupt_or_foreign_index_folder(tmp_path: Path, kind: str):
    index = _foreign(tmp_path, kind)
    with pytest.raises(IndexCorruptError) as info:
        Assistant(index)
    assert f"Rebuild it with: {fix_command(index)}" in str(info.value)


def test_corrupt_index_via_the_cli(tmp_path: Path):
    index = _foreign(tmp_path, "other-manifest")
    proc = run_module("-m", "assistant", "ask", QUESTION, "--index", str(index))
    assert proc.returncode == IndexCorruptError.exit_code == 6
    assert "foreign or damaged manifest" in proc.stderr and fix_command(index) in proc.stderr
    _no_traceback(proc)


def test_missing_index_names_the_build_command(tmp_path: Path):
    with pytest.raises(IndexMissingError, match="no index at"):
        Assistant(tmp_path / "nothing-here")
    proc = run_module("-m", "assistant", "ask", QUESTION, "--index", str(tmp_path / "nothing-here"))
    assert proc.returncode == IndexMissingError.exit_code == 4
    assert fix_command(tmp_path / "nothing-here") in proc.stderr
    _no_traceback(proc)


def test_ingest_refuses_to_overwrite_a_foreign_folder_before_any_work(shipped_index: Path, tmp_path: Path):
    """Someone's own folder at the index path is never replaced, and ingest says so before embedding anything."""
    index = _foreign(tmp_path, "random-files")
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    proc = run_module("-m", "ingest", "--corpus", str(shipped_index.parent / "corpus"), "--index", str(index))
    assert proc.returncode == IndexWriteError.exit_code == 7, proc.stderr
    assert "is a folder that is not an index; refusing to replace it" in proc.stderr
    assert "loading sentence-transformers" not in proc.stderr  # refused up front, not after a full build
    _no_traceback(proc)
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before
    leftovers = index.with_name(index.name + ".d")
    assert not leftovers.exists() or not any(leftovers.iterdir()), list(leftovers.iterdir())


# -- another embedder or format version ---------------------------------------------------------------------------
def _edit_manifest(index: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = index / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    os.unlink(path)  # break any hard link before writing
    path.write_text(json.dumps(manifest), encoding="utf-8")


MISMATCHES = {
    "format": (lambda m: m.update(format_version=m["format_version"] + 1), "index format"),
    "old-format": (lambda m: m.update(format_version=0), "index format 0"),
    "embedder": (lambda m: m["embedder"].update(name="intfloat/e5-large-v2", dimension=1024),
                 "was built with embedder intfloat/e5-large-v2 (1024 dims)"),
}


@pytest.mark.parametrize("case", sorted(MISMATCHES))
def test_other_embedder_or_format_gives_the_fix_command(shipped_index: Path, tmp_path: Path, case: str):
    edit, needle = MISMATCHES[case]
    ws = clone_workspace(shipped_index, tmp_path / "ws", corpus=False)
    _edit_manifest(ws.index, edit)
    with pytest.raises(IndexMismatchError) as info:
        Assistant(ws.index)
    assert needle in str(info.value)
    # A mismatch is read from a whole manifest, so the command also names the corpus it was built from.
    corpus = json.loads((ws.index / "manifest.json").read_text(encoding="utf-8")).get("corpus_dir")
    assert str(info.value).endswith(f"Rebuild it with: {fix_command(ws.index, corpus)}")
    if case == "embedder":
        proc = run_module("-m", "assistant", "ask", QUESTION, "--index", str(ws.index))
        assert proc.returncode == IndexMismatchError.exit_code == 5
        assert needle in proc.stderr and fix_command(ws.index) in proc.stderr
        _no_traceback(proc)


@pytest.mark.slow
def test_the_printed_fix_command_really_fixes_the_index(shipped_index: Path, tmp_path: Path):
    """Run the command from the message, word for word, from the project folder."""
    ws = clone_workspace(shipped_index, tmp_path / "ws", corpus=False)
    _edit_manifest(ws.index, MISMATCHES["embedder"][0])
    with pytest.raises(IndexMismatchError) as info:
        Assistant(ws.index)
    command = str(info.value).split("Rebuild it with: ", 1)[1].split()
    assert command[:2] == ["python", "-m"]
    proc = run_module(*command[1:], timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    fixed = Assistant(ws.index)
    verify_citations(fixed, fixed.ask(QUESTION))


# -- failed writes ----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def read_only(path: Path):
    """Make a folder unwritable, even for root (chattr +i), or skip."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here: cannot make a folder read-only as root")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def _assert_old_index_intact(ws: Workspace, before: Path, builds: list[str]) -> None:
    assert ws.index.resolve() == before
    assert ws.builds() == builds, "a failed build left files behind"
    assistant = Assistant(ws.index)
    assert sorted(assistant.data.documents) == ["oped-russia-incentives", "rand-russia-less-hardline"]
    verify_citations(assistant, assistant.ask(QUESTION))


def test_read_only_index_parent_folder_keeps_the_old_index(shipped_index: Path, tmp_path: Path):
    ws = clone_workspace(shipped_index, tmp_path / "ws")
    ws.index.with_name("index.lock").touch()  # as after any earlier build
    before, builds = ws.index.resolve(), ws.builds()
    (ws.corpus / "oped-russia-incentives.txt").unlink()  # a removal re-embeds nothing: no model load
    with read_only(ws.root):
        proc = run_module("-m", "ingest", "--corpus", str(ws.corpus), "--index", str(ws.index))
    assert proc.returncode == IndexWriteError.exit_code == 7, proc.stderr
    assert "the previous index is unchanged" in proc.stderr
    _no_traceback(proc)
    shutil.copy2(shipped_index.parent / "corpus" / "oped-russia-incentives.txt", ws.corpus)
    _assert_old_index_intact(ws, before, builds)


def test_read_only_build_folder_keeps_the_old_index(shipped_index: Path, tmp_path: Path):
    ws = clone_workspace(shipped_index, tmp_path / "ws")
    before, builds = ws.index.resolve(), ws.builds()
    (ws.corpus / "oped-russia-incentives.txt").unlink()
    with read_only(ws.index.with_name("index.d")), pytest.raises(IndexWriteError, match="cannot create"):
        build_index(ws.settings())
    shutil.copy2(shipped_index.parent / "corpus" / "oped-russia-incentives.txt", ws.corpus)
    _assert_old_index_intact(ws, before, builds)


@pytest.mark.parametrize("fail_at", ["chunks.jsonl", "chunk_vectors.npy", "manifest.json"])
def test_disk_full_mid_build_keeps_the_old_index(shipped_index: Path, tmp_path: Path, monkeypatch, fail_at: str):
    """ENOSPC in the middle of writing the new build: typed error, old index served, no half build left."""
    import numpy as np

    from ingest.index import atomic

    ws = clone_workspace(shipped_index, tmp_path / "ws")
    before, builds = ws.index.resolve(), ws.builds()
    real_write, real_save = atomic.write_bytes, np.save

    def full(path: object) -> NoReturn:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    def write_bytes(path: Path, data: bytes) -> None:
        if path.name == fail_at:
            full(path)
        real_write(path, data)

    def save(fh: Any, arr: Any, **kw: Any) -> None:  # np.save's own parameters
        if getattr(fh, "name", "").endswith(fail_at + ".tmp"):
            full(fh.name)
        return real_save(fh, arr, **kw)

    monkeypatch.setattr(atomic, "write_bytes", write_bytes)
    monkeypatch.setattr(np, "save", save)
    (ws.corpus / "oped-russia-incentives.txt").unlink()
    with pytest.raises(IndexWriteError, match="No space left on device.*previous index is unchanged"):
        build_index(ws.settings())
    monkeypatch.undo()
    shutil.copy2(shipped_index.parent / "corpus" / "oped-russia-incentives.txt", ws.corpus)
    _assert_old_index_intact(ws, before, builds)
