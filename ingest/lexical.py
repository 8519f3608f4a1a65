"""The lexical side: one tokenizer for BM25 at ingest and at query time."""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .invisible import visible

# The prepositions, which bm25s's stop list leaves in ("over", "about", "during"). A term list keeps them, since
# "talks during the war" and "talks after the war" differ; the checks that ask what a question is *about*
# (assistant/scope.py, assistant/denied.py) set them aside.
PREPOSITIONS = frozenset("""about above across after against along among around before behind below beneath beside
besides between beyond during except inside into onto outside over since through throughout toward towards under
until upon within without""".split())
_TOKEN = re.compile(r"[^\W_]{2,}|\d+", re.U)
_lock = threading.Lock()


def fold(text: str) -> str:
    """Lower-case, strip accents and drop format characters, so "Détente" and "detente" meet, and so
    do "Krem\u200blin" and "Kremlin" (ingest/invisible.py). Documents at ingest and questions at
    query time both pass through here, so their terms agree."""
    if text.isascii():  # nothing to strip: the per-character pass below costs seconds at 100k chunks
        return text.lower()
    text = unicodedata.normalize("NFKD", visible(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    question_words = "what which who whom whose when where why how does did do was were is are has have had its it according tell say says said".split()
    return frozenset(STOPWORDS_EN) | frozenset(question_words)


def words(text: str) -> list[str]:
    """Folded word tokens, stop words kept (used for overlap measures)."""
    return _TOKEN.findall(fold(text))


def terms(text: str) -> list[str]:
    """Stemmed content terms: what BM25 indexes."""
    stop = stopwords()
    toks = [w for w in words(text) if w not in stop]
    with _lock:  # PyStemmer objects are not thread-safe
        return _stemmer().stemWords(toks)


def build_bm25(texts: Sequence[str]) -> Any:
    import bm25s

    model = bm25s.BM25()
    corpus = [terms(t) or ["\u2205"] for t in texts]
    model.index(corpus, show_progress=False)
    return model


def save_bm25(model: Any, folder: Path) -> None:
    model.save(str(folder))


def load_bm25(folder: Path) -> Any:
    import bm25s

    return bm25s.BM25.load(str(folder), mmap=False)
