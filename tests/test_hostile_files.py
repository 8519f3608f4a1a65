"""Hostile corpus files (issue 14): parser failures, symbolic links, decompression bombs, odd names.

Every file here is tiny or streamed, and the corpus is built from scratch in a
temporary folder. Each case failed before the fix: a malformed file aborted the
whole ingest with a traceback, a link to a file outside the corpus was indexed,
a 0.9 MB .docx holding 300 MB of XML took minutes and gigabytes, and odd names
were dropped silently or broke the Sources lines.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from ingest.build import build_index, scan_corpus
from ingest.config import load_settings
from ingest.errors import ConfigError
from ingest.loaders import Limits, UnreadableDocument, check_zip_sizes, load_file

from formats import pdf_from_objects, write_docx
from reliability_helpers import ROOT

GOOD = ("Lighthouse Survey\n\nThe keeper of the Cape Wrath lighthouse logged forty-two storms in 1911. "
        "The lamp was converted to paraffin vapour in 1913.\n")
SECRET = "root:x:0:0:the-outside-secret-line:/root:/bin/bash\n"


def _pdf(stream: bytes, extra: str = "") -> bytes:
    """A one-page PDF whose content stream is `stream`, with `extra` entries in the stream dictionary."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               f"<< /Length {len(stream)} {extra}>>\nstream\n".encode() + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf_from_objects(objects)


def _good_docx(tmp: Path) -> bytes:
    path = tmp / "source.docx"
    write_docx(path)
    return path.read_bytes()


def _rezip(docx: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def malformed_xml_docx(tmp: Path) -> bytes:
    return _rezip(_good_docx(tmp), lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d)


def truncated_deflate_docx(tmp: Path) -> bytes:
    """document.xml's deflate stream damaged in place: zlib.error while python-docx reads the part."""
    data = bytearray(_good_docx(tmp))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x55
    return bytes(data)


def bomb_docx(path: Path, tmp: Path, xml_mb: int = 64) -> None:
    """A small .docx whose document.xml inflates to `xml_mb` MB of paragraphs, written without holding it in memory."""
    src = zipfile.ZipFile(io.BytesIO(_good_docx(tmp)))
    doc = src.read("word/document.xml")
    head, tail = doc[: doc.rindex(b"<w:sectPr")], doc[doc.rindex(b"<w:sectPr"):]
    para = b"<w:p><w:r><w:t>boom boom boom boom boom boom boom boom boom boom boom boom</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            with dst.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head)
                for _ in range(xml_mb * 1_000_000 // len(para)):
                    fh.write(para)
                fh.write(tail)


LIMIT_PDF = _pdf(zlib.compress(b"BT (a) Tj ET " * 7_000_000, 9), "/Filter /FlateDecode ")  # inflates past pypdf's 75 MB
UNSUPPORTED_FILTER_PDF = _pdf(b"abc", "/Filter /Foo ")  # pypdf: NotImplementedError


# -- 1. any loader failure skips that file, named, with the reason ----------------------------------------------------
@pytest.mark.parametrize("name,make,reason", [
    ("broken-xml.docx", malformed_xml_docx, "lxml.XMLSyntaxError"),
    ("bad-deflate.docx", truncated_deflate_docx, "zlib.error"),
    ("limit.pdf", lambda tmp: LIMIT_PDF, "LimitReachedError"),
    ("filter.pdf", lambda tmp: UNSUPPORTED_FILTER_PDF, "NotImplementedError"),
])
def test_a_parser_failure_is_an_unreadable_document_naming_file_and_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith(f"{name}: not a readable"), message
    assert reason in message, message
    assert len(message) < 400  # the reason is one short line


def test_a_pdf_raising_zlib_error_is_skipped(tmp_path, monkeypatch):
    """pypdf lets zlib.error out of some damaged object streams; whatever escapes the parser is caught."""
    import pypdf

    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise zlib.error("Error -3 while decompressing data: incorrect header check")

    monkeypatch.setattr(pypdf, "PdfReader", broken)
    path = tmp_path / "damaged.pdf"
    path.write_bytes(_pdf(b"BT (x) Tj ET"))
    with pytest.raises(UnreadableDocument, match=r"damaged.pdf: not a readable PDF \(zlib.error: Error -3"):
        load_file(path)


def test_an_exception_message_is_echoed_only_as_a_short_prefix(tmp_path, monkeypatch):
    import pypdf

    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise ValueError("x" * 1_000_000)

    monkeypatch.setattr(pypdf, "PdfReader", broken)
    path = tmp_path / "huge-error.pdf"
    path.write_bytes(_pdf(b"BT (x) Tj ET"))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert len(str(info.value)) < 300


# -- 3. decompression bombs and size caps -----------------------------------------------------------------------------
def test_a_docx_bomb_is_refused_from_the_zip_directory_with_flat_memory(tmp_path):
    """Checked in a child process so its peak RSS is the loader's alone (torch is never imported)."""
    bomb = tmp_path / "bomb.docx"
    bomb_docx(bomb, tmp_path, xml_mb=64)
    assert bomb.stat().st_size < 2_000_000
    code = ("import resource, sys; from pathlib import Path\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))\n"
            "from ingest.loaders import load_file, UnreadableDocument\n"
            "try:\n    load_file(Path(sys.argv[1])); print('LOADED')\n"
            "except UnreadableDocument as exc:\n    print('SKIPPED', exc)\n"
            # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork+exec, so it would report
            # the pytest parent's peak (1.8 GB late in a full run), not the loader's.
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
            "print('PEAK_MB', int(hwm.split()[1]) // 1024)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(bomb)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "SKIPPED bomb.docx: refused" in proc.stdout, proc.stdout
    assert "decompression bomb" in proc.stdout
    peak = int(proc.stdout.split("PEAK_MB")[1])
    assert peak < 1000, peak


def test_zip_sizes_are_checked_against_the_xml_cap_even_at_a_low_ratio(tmp_path, monkeypatch):
    import ingest.loaders.docx_file as docx_loader

    data = _good_docx(tmp_path)
    check_zip_sizes(data, "fine.docx")  # an ordinary document passes
    monkeypatch.setattr(docx_loader, "DOCX_MAX_XML_BYTES", 1000)
    with pytest.raises(UnreadableDocument, match=r"fine.docx: refused, it would unpack to .* bytes of XML"):
        check_zip_sizes(data, "fine.docx")


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_a_document_over_the_character_cap_is_refused(tmp_path, suffix):
    from formats import WRITERS

    path = tmp_path / f"report{suffix}"
    WRITERS[suffix](path)
    assert load_file(path, Limits(max_chars=10_000)).text
    with pytest.raises(UnreadableDocument, match=r"report\.\w+: refused, its text is longer than the cap of 50 "):
        load_file(path, Limits(max_chars=50))


def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.pdf"
    path.write_bytes(_pdf(b"BT (x) Tj ET" + b" " * 5000))
    with pytest.raises(UnreadableDocument, match=r"big.pdf: refused, the file is [\d,]+ bytes; the cap .* is 1,000"):
        load_file(path, Limits(max_bytes=1000))
    # text formats cannot hold fewer characters than bytes / 4, so they are refused by size too
    text = tmp_path / "log.txt"
    text.write_bytes(b"a" * 1000)
    with pytest.raises(UnreadableDocument, match="log.txt: refused, the file is 1,000 bytes"):
        load_file(text, Limits(max_chars=100))


def test_the_caps_are_settings_with_sensible_defaults(monkeypatch):
    settings = load_settings()
    assert settings.index.max_document_chars == 20_000_000
    assert settings.index.max_file_bytes == 100_000_000
    monkeypatch.setenv("RAGQA_MAX_DOCUMENT_CHARS", "1000")
    assert load_settings().index.max_document_chars == 1000
    monkeypatch.setenv("RAGQA_MAX_DOCUMENT_CHARS", "0")
    with pytest.raises(ConfigError, match="max_document_chars"):
        load_settings()


# -- 2. symbolic links, and 3. (weak spot) odd file names ---------------------------------------------------------------
def _link_corpus(tmp: Path) -> tuple[Path, Path]:
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.txt").write_text("The inner vault holds nine ledgers from 1850.\n", encoding="utf-8")
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "passwd.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(outside / "passwd.txt", corpus / "passwd.txt")  # absolute link out
    os.symlink("../outside/passwd.txt", corpus / "relative.txt")  # relative link out
    os.symlink(outside, corpus / "outdir")  # a folder outside
    os.symlink("sub/inner.txt", corpus / "inner-link.txt")  # inside: followed
    os.symlink("good.txt", corpus / "again.txt")  # inside, but good.txt is indexed already
    os.symlink("loop-b.txt", corpus / "loop-a.txt")
    os.symlink("loop-a.txt", corpus / "loop-b.txt")
    os.symlink("self.txt", corpus / "self.txt")
    os.symlink("hop1.txt", corpus / "hop2.txt")  # a chain inside is resolved to its end
    os.symlink("sub/inner.txt", corpus / "hop1.txt")
    return corpus, outside


def test_links_out_of_the_corpus_are_skipped_loops_do_not_hang(tmp_path):
    corpus, _ = _link_corpus(tmp_path)
    warnings: list[str] = []
    files = [p.name for p in scan_corpus(corpus, warnings.append)]
    # Three links reach sub/inner.txt (one through a chain); it is indexed once, under the first name.
    assert [f for f in files if f in ("hop1.txt", "hop2.txt", "inner-link.txt")] == ["hop1.txt"]
    assert "good.txt" in files
    for name in ("hop2.txt", "inner-link.txt"):
        assert f"{name}: skipped, same file as hop1.txt" in warnings
    for name in ("passwd.txt", "relative.txt"):
        assert name not in files
        assert any(w.startswith(f"{name}: skipped, symbolic link to a file outside the corpus folder") for w in warnings)
    assert any(w.startswith("outdir: skipped, symbolic link to a file outside") for w in warnings), warnings
    assert "again.txt" not in files and any(w == "again.txt: skipped, same file as good.txt" for w in warnings)
    for name in ("loop-a.txt", "loop-b.txt", "self.txt"):
        assert name not in files
        assert any(w == f"{name}: skipped, symbolic link loop" for w in warnings), warnings


def test_odd_file_names_are_skipped_with_a_warning(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "two\nlines.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "..dotdot.txt").write_text(GOOD, encoding="utf-8")
    (corpus / ".hidden.md").write_text(GOOD, encoding="utf-8")
    (corpus / ".DS_Store").write_bytes(b"\x00\x01")
    warnings: list[str] = []
    assert [p.name for p in scan_corpus(corpus, warnings.append)] == ["good.txt"]
    assert "'two\\nlines.txt': skipped, the file name contains control characters; rename the file" in warnings
    assert any(w.startswith("..dotdot.txt: skipped, names starting with '.' are hidden") for w in warnings)
    assert any(w.startswith(".hidden.md: skipped") for w in warnings)
    assert not any(".DS_Store" in w for w in warnings)  # system clutter stays silent
    assert all("\n" not in w for w in warnings)


# -- the whole build: one corpus with every hostile file --------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("hostile-files")
    corpus, _ = _link_corpus(tmp)
    (corpus / "broken-xml.docx").write_bytes(malformed_xml_docx(tmp))
    (corpus / "bad-deflate.docx").write_bytes(truncated_deflate_docx(tmp))
    (corpus / "limit.pdf").write_bytes(LIMIT_PDF)
    (corpus / "filter.pdf").write_bytes(UNSUPPORTED_FILTER_PDF)
    bomb_docx(corpus / "bomb.docx", tmp, xml_mb=64)
    warnings: list[str] = []
    settings = load_settings(corpus_dir=corpus, index_dir=tmp / "index")
    report = build_index(settings, warn=warnings.append)
    return tmp, report, warnings


def test_the_build_skips_each_hostile_file_by_name_and_indexes_the_rest(hostile_build):
    from assistant import Assistant

    tmp, report, warnings = hostile_build
    for name in ("broken-xml.docx", "bad-deflate.docx", "limit.pdf", "filter.pdf", "bomb.docx"):
        assert any(w.startswith(f"skipped {name}: ") for w in warnings), (name, warnings)
    assistant = Assistant(tmp / "index")
    assert sorted(assistant.data.documents) == ["good", "hop1"]
    answer = assistant.ask("How many storms did the keeper of the Cape Wrath lighthouse log?")
    assert not answer.abstained and answer.citations[0].doc == "good"


def test_a_link_to_a_file_outside_the_corpus_is_never_indexed_or_quoted(hostile_build):
    from assistant import Assistant

    tmp, _, _ = hostile_build
    assistant = Assistant(tmp / "index")
    assert all("the-outside-secret-line" not in d.text for d in assistant.data.documents.values())
    answer = assistant.ask("What is the root entry in passwd?")
    assert "the-outside-secret-line" not in answer.text
    index_files = "".join(p.read_text(errors="replace") for p in (tmp / "index").iterdir() if p.suffix == ".jsonl")
    assert "the-outside-secret-line" not in index_files


def test_the_cli_build_of_the_hostile_corpus_exits_0_without_a_traceback(hostile_build):
    tmp, _, _ = hostile_build
    proc = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(tmp / "corpus"), "--index",
                           str(tmp / "index2")], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "warning: skipped bomb.docx: refused" in proc.stderr
    assert "warning: passwd.txt: skipped, symbolic link to a file outside the corpus folder" in proc.stderr


# -- weak spot 4: a PDF "encrypted" with an empty user password opens in any viewer, so it is indexed -----------------
def _encrypted(tmp: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    from formats import write_pdf

    plain = tmp / "plain.pdf"
    write_pdf(plain)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    path = tmp / f"locked-{len(user_password)}.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_pdf_with_an_empty_user_password_is_decrypted_and_indexed(tmp_path):
    doc = load_file(_encrypted(tmp_path, ""))
    assert "The treaty was signed in 1907." in doc.text


def test_a_pdf_with_a_real_password_is_skipped_with_the_reason(tmp_path):
    with pytest.raises(UnreadableDocument, match=r"locked-6.pdf: PDF is encrypted with a password"):
        load_file(_encrypted(tmp_path, "s3cret"))
