"""PDF: text per page, so a citation can name the page it quotes."""
from __future__ import annotations

import io

from ..documents import Page
from .limits import DEFAULT_LIMITS, Limits, UnreadableDocument, reason, too_long
from .text_file import normalise_newlines


def load_pdf(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, list[Page]]:
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
                raise too_long(name, total, limits)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(f"{name}: not a readable PDF ({reason(exc)})") from exc
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
