"""Turn corpus files into SourceDocuments with maintained parsers.

Each loader returns the text that chunk offsets refer to; structured formats
also return their explicit headings, so the chunker need not guess there.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .documents import Heading, Page, SourceDocument
from .errors import IngestError


class UnreadableDocument(IngestError):
    """A single file cannot be used; the build skips it with this message (it never reaches a CLI)."""


SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
TEXT_FORMATS = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class Limits:
    """Caps that keep one hostile file from exhausting time or memory (issue 14).

    `max_chars` caps the extracted text of a document; `max_bytes` caps the
    file itself, checked before it is read. A text file cannot decode to
    fewer than one character per 4 bytes, so a text file larger than
    4 x `max_chars` is refused before it is decoded at all.
    """

    max_chars: int = 20_000_000
    max_bytes: int = 100_000_000


# DOCX (a zip of XML parts): python-docx parses the XML parts into lxml trees
# that take ~10x their size for ordinary text (20 MB of document.xml: 258 MB
# peak RSS) and up to ~25x for element-dense bombs (a 0.9 MB file holding
# 300 MB of XML took 6.4 GB). These caps, checked on the zip's own directory
# before anything is decompressed, keep the loader under 1 GB. zipfile never
# inflates a member past its declared size (it stops and fails the CRC), so
# the declared sizes can be trusted as upper bounds.
DOCX_MAX_XML_BYTES = 32_000_000  # all .xml/.rels parts together, uncompressed (~12M characters of text)
DOCX_MAX_TOTAL_BYTES = 200_000_000  # every part, images included, uncompressed
DOCX_MAX_RATIO = 100  # ordinary XML deflates 5-20x; bombs 300x and more
DOCX_RATIO_MIN_BYTES = 1_000_000  # tiny parts may compress well without being bombs


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A well-formed UTF-8 multi-byte sequence (no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid bytes (a bad copy, a cut download) stays UTF-8.

    The invalid bytes become U+FFFD. Re-reading such a file in a guessed
    legacy code page would garble every accented letter in it instead
    ("Café" -> "CafÃ©"). Legacy-encoded text almost never contains valid
    multi-byte UTF-8 sequences, so they must outnumber the invalid bytes.
    """
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if not valid:
        return None
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    return text if invalid <= valid else None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: NUL bytes all on one side of each code unit, and clean text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul, odd_nul = data[0::2].count(0), data[1::2].count(0)
    if even_nul and odd_nul:
        return None
    try:
        text = data.decode("utf-16-le" if odd_nul else "utf-16-be")
    except UnicodeDecodeError:
        return None
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cn", "Co", "Cs") or (cat == "Cc" and ch not in _TEXT_CONTROLS):
            return None
    return text


def _legacy_decode(data: bytes, name: str) -> str:
    """Text that is not UTF-8: the code page charset-normalizer finds most plausible.

    Among code pages that decode the bytes equally well, Windows-1252 (which
    covers Latin-1) is preferred: on short Western European text
    charset-normalizer often ranks cp1250 or a Mac code page first, which
    turns "Naïve" into "Naďve" and "à" into "ŕ". Cyrillic, Greek, CJK and
    Central European files keep their own code page because cp1252 decodes
    them less plausibly (or not at all).
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableDocument(f"{name}: cannot determine the text encoding")
    if best.encoding != "cp1252":
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
        if (western is not None and western.chaos <= best.chaos + 0.02
                and western.coherence >= best.coherence - 0.1):
            best = western
    return str(best)


def decode_text(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (BOM or not) first, then detected encodings.

    UTF-16/32 need a BOM, or (UTF-16) NUL bytes consistently in one half of
    each code unit; any other NUL byte means the file is binary, whatever
    its extension says.
    """
    if not data.strip():
        raise UnreadableDocument(f"{name}: file is empty")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return normalise_newlines(data.decode("utf-32"))
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{name}: bad UTF-32 ({exc})") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{name}: bad UTF-16 ({exc})") from exc
        return normalise_newlines(text)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise UnreadableDocument(f"{name}: looks binary (contains NUL bytes), not text")
        return normalise_newlines(utf16)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _damaged_utf8(data.removeprefix(b"\xef\xbb\xbf")) or _legacy_decode(data, name)
    return normalise_newlines(text)


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def load_markdown(data: bytes, name: str) -> tuple[str, list[Heading]]:
    text = decode_text(data, name)
    headings = [Heading(m.start(2), m.end(2), len(m.group(1))) for m in _MD_HEADING.finditer(text)]
    return text, headings


_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre",
    "blockquote", "figure", "figcaption", "caption", "br", "hr", "body", "h1",
    "h2", "h3", "h4", "h5", "h6", "title",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "head")


def load_html(data: bytes, name: str) -> tuple[str, list[Heading]]:
    """Extract visible text with paragraph breaks between block elements.

    Script and style bodies are dropped; everything else is kept as plain
    text, so markup inside a document can never reach a browser as HTML.
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(decode_text(data, name), "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    parts: list[str] = []
    headings: list[Heading] = []
    length = 0

    def emit(s: str) -> None:
        nonlocal length
        parts.append(s)
        length += len(s)

    def brk() -> None:
        if parts and not "".join(parts[-2:]).endswith("\n\n"):
            emit("\n\n" if not parts[-1].endswith("\n") else "\n")

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    continue
                s = re.sub(r"\s+", " ", str(child))
                if s.strip():
                    if not parts or parts[-1].endswith("\n"):
                        s = s.lstrip()
                    emit(s)
            elif isinstance(child, Tag):
                block = child.name in _BLOCK_TAGS
                if block:
                    brk()
                if child.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    title = re.sub(r"\s+", " ", child.get_text()).strip()
                    if title:
                        headings.append(Heading(length, length + len(title), int(child.name[1])))
                        emit(title)
                else:
                    walk(child)
                if block:
                    brk()

    walk(soup)
    return "".join(parts), headings


def _too_long(name: str, chars: int, limits: Limits) -> UnreadableDocument:
    return UnreadableDocument(
        f"{name}: refused, its text is longer than the cap of {limits.max_chars:,} characters "
        f"({'more than ' if chars > limits.max_chars else ''}{chars:,}); raise max_document_chars "
        "(RAGQA_MAX_DOCUMENT_CHARS) to index it")


def load_pdf(data: bytes, name: str, limits: Limits = Limits()) -> tuple[str, list[Page]]:
    """Text per page. pypdf caps each decompressed stream itself (LimitReachedError);
    the character cap stops a document of many such pages early."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An empty user password is how "protected" PDFs that any viewer opens are made.
            try:
                opened = reader.decrypt("")
            except (FileNotDecryptedError, NotImplementedError, PyPdfError) as exc:
                raise UnreadableDocument(f"{name}: PDF is encrypted ({exc})") from exc
            if not opened:
                raise UnreadableDocument(f"{name}: PDF is encrypted with a password")
        texts = []
        total = 0
        for page in reader.pages:
            texts.append(normalise_newlines(page.extract_text() or ""))
            total += len(texts[-1]) + 2
            if total > limits.max_chars:
                raise _too_long(name, total, limits)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(f"{name}: not a readable PDF ({_reason(exc)})") from exc
    parts: list[str] = []
    pages: list[Page] = []
    pos = 0
    for number, page_text in enumerate(texts, start=1):
        if parts:
            parts.append("\n\n")
            pos += 2
        pages.append(Page(pos, pos + len(page_text), number))
        parts.append(page_text)
        pos += len(page_text)
    return "".join(parts), pages


def check_zip_sizes(data: bytes, name: str) -> None:
    """Refuse a zip bomb from the zip directory alone, before any part is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({_reason(exc)})") from exc
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    total = sum(m.file_size for m in members)
    if xml > DOCX_MAX_XML_BYTES or total > DOCX_MAX_TOTAL_BYTES:
        raise UnreadableDocument(
            f"{name}: refused, it would unpack to {max(xml, total):,} bytes ({xml:,} of XML); the caps are "
            f"{DOCX_MAX_XML_BYTES:,} bytes of XML and {DOCX_MAX_TOTAL_BYTES:,} in all (a decompression bomb?)")
    for m in members:
        if m.file_size > DOCX_RATIO_MIN_BYTES and m.file_size > DOCX_MAX_RATIO * max(m.compress_size, 1):
            raise UnreadableDocument(
                f"{name}: refused, part {m.filename[:80]} compresses {m.file_size // max(m.compress_size, 1)}:1 "
                f"(more than {DOCX_MAX_RATIO}:1 is a decompression bomb)")


def load_docx(data: bytes, name: str, limits: Limits = Limits()) -> tuple[str, list[Heading]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip_sizes(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({_reason(exc)})") from exc
    parts: list[str] = []
    headings: list[Heading] = []
    pos = 0
    for para in document.paragraphs:
        text = normalise_newlines(para.text).strip()
        if not text:
            continue
        if pos + len(text) > limits.max_chars:
            raise _too_long(name, pos + len(text), limits)
        if parts:
            parts.append("\n\n")
            pos += 2
        style = (para.style.name if para.style is not None else "") or ""
        level = None
        if style == "Title":
            level = 1
        elif style.startswith("Heading"):
            digits = style.removeprefix("Heading").strip()
            level = int(digits) if digits.isdigit() else 1
        if level is not None:
            headings.append(Heading(pos, pos + len(text), level))
        parts.append(text)
        pos += len(text)
    return "".join(parts), headings


def _reason(exc: BaseException) -> str:
    """The exception's type and the first 200 characters of its first line: enough to act on, never a flood."""
    first = (str(exc).strip().splitlines() or [""])[0]
    first = first if len(first) <= 200 else first[:200] + "…"
    cls = type(exc)
    kind = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__.split('.')[0]}.{cls.__name__}"
    return f"{kind}: {first}" if first else kind


def _read_capped(path: Path, name: str, cap: int) -> bytes:
    """The file's bytes, refusing a file over `cap` before reading it (and one that grows past it while read)."""
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > cap:
                raise UnreadableDocument(f"{name}: refused, the file is {size:,} bytes; the cap for this format is "
                                         f"{cap:,} (max_file_bytes / max_document_chars)")
            data = fh.read(cap + 1)
    except OSError as exc:
        raise UnreadableDocument(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > cap:
        raise UnreadableDocument(f"{name}: refused, the file grew past the cap of {cap:,} bytes while it was read")
    return data


def load_file(path: Path, limits: Limits = Limits()) -> SourceDocument:
    """Read one corpus file; raises UnreadableDocument with a named reason.

    Third-party parsers raise undocumented exceptions on hostile files
    (lxml's XMLSyntaxError for broken XML, zlib.error for a damaged deflate
    stream, pypdf's LimitReachedError or NotImplementedError, RecursionError
    on deeply nested objects). Whatever a loader raises, the file is skipped
    with the reason, so one bad file never stops the other files from being
    indexed. Interrupts (KeyboardInterrupt, SystemExit) are not Exceptions
    and still stop the build.
    """
    name = path.name
    ext = path.suffix.lower()
    cap = limits.max_bytes
    if ext in TEXT_FORMATS:
        cap = min(cap, 4 * limits.max_chars + 4)  # fewer characters than bytes / 4 is impossible
    data = _read_capped(path, name, cap)
    if not data.strip():
        raise UnreadableDocument(f"{name}: file is empty")
    sha = hashlib.sha256(data).hexdigest()
    headings: list[Heading] | None = None
    pages: list[Page] = []
    try:
        if ext == ".txt":
            text, fmt = decode_text(data, name), "txt"
        elif ext in (".md", ".markdown"):
            (text, headings), fmt = load_markdown(data, name), "md"
        elif ext in (".html", ".htm"):
            (text, headings), fmt = load_html(data, name), "html"
        elif ext == ".pdf":
            (text, pages), fmt = load_pdf(data, name, limits), "pdf"
        elif ext == ".docx":
            (text, headings), fmt = load_docx(data, name, limits), "docx"
        else:
            raise UnreadableDocument(f"{name}: unsupported file type {ext or '(none)'}")
    except UnreadableDocument:
        raise
    except Exception as exc:  # any parser failure on this file: skip it, named, with the reason
        kind = {".pdf": "PDF", ".docx": "DOCX file"}.get(ext, f"{ext.lstrip('.').upper()} file")
        raise UnreadableDocument(f"{name}: not a readable {kind} ({_reason(exc)})") from exc
    if len(text) > limits.max_chars:
        raise _too_long(name, len(text), limits)
    if not text.strip():
        raise UnreadableDocument(f"{name}: no text could be extracted")
    return SourceDocument(
        doc_id=path.stem, path=path, format=fmt, text=text, sha256=sha,
        headings=headings, pages=pages,
    )
