"""Plain text and Markdown: bytes to text, whatever encoding the file was saved in.

UTF-8 is tried first (with or without BOM, and a damaged UTF-8 file stays
UTF-8), then UTF-16/32 by BOM or NUL pattern, then the most plausible legacy
code page. The HTML loader decodes through here too.
"""
from __future__ import annotations

import re
import unicodedata

from ..documents import Heading
from .limits import UnreadableDocument


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
