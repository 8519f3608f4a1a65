"""Turn corpus files into SourceDocuments with maintained parsers.

Each loader returns the text that chunk offsets refer to; structured formats
also return their explicit headings, so the chunker need not guess there.
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path

from .documents import Heading, Page, SourceDocument


class UnreadableDocument(Exception):
    """A single file cannot be used; the build skips it with this message."""


SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


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
        text = _utf16_without_bom(data)
        if text is None:
            raise UnreadableDocument(f"{name}: looks binary (contains NUL bytes), not text")
        return normalise_newlines(text)
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


def load_pdf(data: bytes, name: str) -> tuple[str, list[Page]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument(f"{name}: PDF is encrypted")
        texts = [normalise_newlines(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(f"{name}: not a readable PDF ({exc})") from exc
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


def load_docx(data: bytes, name: str) -> tuple[str, list[Heading]]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({exc})") from exc
    parts: list[str] = []
    headings: list[Heading] = []
    pos = 0
    for para in document.paragraphs:
        text = normalise_newlines(para.text).strip()
        if not text:
            continue
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


def load_file(path: Path) -> SourceDocument:
    """Read one corpus file; raises UnreadableDocument with a named reason."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise UnreadableDocument(f"{name}: file is empty")
    ext = path.suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    headings: list[Heading] | None = None
    pages: list[Page] = []
    if ext == ".txt":
        text, fmt = decode_text(data, name), "txt"
    elif ext in (".md", ".markdown"):
        (text, headings), fmt = load_markdown(data, name), "md"
    elif ext in (".html", ".htm"):
        (text, headings), fmt = load_html(data, name), "html"
    elif ext == ".pdf":
        (text, pages), fmt = load_pdf(data, name), "pdf"
    elif ext == ".docx":
        (text, headings), fmt = load_docx(data, name), "docx"
    else:
        raise UnreadableDocument(f"{name}: unsupported file type {ext or '(none)'}")
    if not text.strip():
        raise UnreadableDocument(f"{name}: no text could be extracted")
    return SourceDocument(
        doc_id=path.stem, path=path, format=fmt, text=text, sha256=sha,
        headings=headings, pages=pages,
    )
