"""Zero-width and other format characters (Unicode category Cf) in document text.

Text pasted from the web or extracted from PDF and DOCX carries characters
that render as nothing: zero-width space and (non-)joiners (U+200B-U+200D),
the word joiner (U+2060), a stray byte-order mark (U+FEFF), soft hyphens
(U+00AD), direction marks. They split words for every regex tokenizer
("Krem\\u200blin" no longer matched "Kremlin") and hide the space a sentence
splitter looks for ("in 1934.\\u200b\\u200bThe next" was one sentence). Issue 14.

Records keep the raw characters, so every offset points into the document as
loaded and `text[start:end] == record.text` holds. The two views here differ
in what they keep:

  visible(text)  drops them: what is compared as words (BM25 terms at ingest
                 and query time, section titles). "Krem\\u200blin" -> "Kremlin".
  spaced(text)   puts a space in place of each: the same length, so every
                 offset into it is an offset into the raw text; what blocks,
                 headings, sentences and roles are decided on.

Questions get the same treatment in assistant/core.py (clean_question drops
format characters). The embedder's tokenizer drops them on its own (BERT's
clean-text step removes every "C*" character); tests/test_invisible.py checks that.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _format_chars() -> re.Pattern[str]:
    """Every Cf character of this Python's Unicode database, as one character class.

    Built on first use from non-ASCII text (about 0.15 s), so it follows the
    Unicode version of the interpreter instead of a hand-kept list.
    """
    chars = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def has_format_chars(text: str) -> bool:
    return not text.isascii() and _format_chars().search(text) is not None


def visible(text: str) -> str:
    """`text` without its format characters (offsets shift: for comparing words, never for spans)."""
    if text.isascii():  # no Cf character is ASCII, and this is most text: skip the regex
        return text
    return _format_chars().sub("", text)


def spaced(text: str) -> str:
    """`text` with a space in place of each format character: same length, so offsets carry over."""
    if text.isascii():
        return text
    return _format_chars().sub(" ", text)
