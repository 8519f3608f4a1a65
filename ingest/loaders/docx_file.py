"""DOCX: paragraphs and their Heading/Title styles, after the zip directory is checked for a decompression bomb."""
from __future__ import annotations

import io
import zipfile

from ..documents import Heading
from .limits import DEFAULT_LIMITS, Limits, UnreadableDocument, reason, too_long
from .text_file import normalise_newlines

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


def check_zip_sizes(data: bytes, name: str) -> None:
    """Refuse a zip bomb from the zip directory alone, before any part is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({reason(exc)})") from exc
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


def load_docx(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, list[Heading]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip_sizes(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({reason(exc)})") from exc
    parts: list[str] = []
    headings: list[Heading] = []
    pos = 0
    for para in document.paragraphs:
        text = normalise_newlines(para.text).strip()
        if not text:
            continue
        if pos + len(text) > limits.max_chars:
            raise too_long(name, pos + len(text), limits)
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
