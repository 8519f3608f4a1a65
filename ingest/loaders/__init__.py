"""Turn corpus files into SourceDocuments with maintained parsers.

Each loader returns the text that chunk offsets refer to; structured formats
also return their explicit headings, so the chunker need not guess there.
`load_file` (here) reads a file under the size caps and hands it to the
loader for its format: `text_file` (plain text, Markdown, and the decoding
every text format shares), `html_file`, `pdf_file` and `docx_file` (with its
decompression-bomb checks). `limits` holds the caps and the one error a
loader raises.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..documents import Heading, Page, SourceDocument
from .docx_file import check_zip_sizes, load_docx
from .html_file import load_html
from .limits import DEFAULT_LIMITS, Limits, UnreadableDocument, reason, too_long
from .pdf_file import load_pdf
from .text_file import decode_text, load_markdown, normalise_newlines

__all__ = ["SUPPORTED", "TEXT_FORMATS", "Limits", "UnreadableDocument", "check_zip_sizes", "decode_text",
           "load_docx", "load_file", "load_html", "load_markdown", "load_pdf", "normalise_newlines"]

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
TEXT_FORMATS = (".txt", ".md", ".markdown", ".html", ".htm")


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


def load_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
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
        raise UnreadableDocument(f"{name}: not a readable {kind} ({reason(exc)})") from exc
    if len(text) > limits.max_chars:
        raise too_long(name, len(text), limits)
    if not text.strip():
        raise UnreadableDocument(f"{name}: no text could be extracted")
    return SourceDocument(
        doc_id=path.stem, path=path, format=fmt, text=text, sha256=sha,
        headings=headings, pages=pages,
    )
