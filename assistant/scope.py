"""Names a question asks one document about that this document never writes.

"Does the op-ed think sanctions on China work better?" names the op-ed, and the op-ed never mentions
China; the RAND brief does. The corpus-wide unknown-name check (extractive.unknown_names) passes it, and
the answer then came from the op-ed's sentences on sanctions, quoted as if they spoke of China. When the
one document a question names never writes one of its names or years, that document's sentences are no
candidates (core._named_first): the answer is an abstention, "The op-ed does not address this. The closest
passage, from the RAND brief: …" (core._named_silence), or a plain one. The same holds for
"What does the op-ed say about Russia's 2022 invasion?": a year the op-ed (April 2021) never writes.

A name counts as written when the document has it, a derivation of it ("American" for "America"), one of its
variants ("USSR" for "Soviet Union") or, for a seat of government, its country; names of the documents'
sources ("RAND", "Seattle Times") are never asked about.
"""
from __future__ import annotations

import threading
from collections.abc import Collection

from ingest.index import IndexData
from ingest.lexical import PREPOSITIONS, stopwords, words

from .extractive import unknown_names
from .intent import FRAME_WORDS
from .name_variants import government_of, variants
from .retrieval import NOT_SAID, derives

# A word shorter than this ("war", "deal") is too common to mark a document's silence.
MIN_WORD = 5
# Function words the stop list leaves in; a document's silence is about what it speaks of.
_FUNCTION = PREPOSITIONS | frozenset("""again because whether while would could should might there their these those
where which actually really exactly specifically anything something according""".split())


class DocumentWords:
    """The words each document writes, built per document on first use."""

    def __init__(self, data: IndexData, sources: Collection[str]) -> None:
        """`sources`: lower-case words naming the documents, their publishers and authors."""
        self._data = data
        self._sources = frozenset(w for phrase in sources for w in phrase.split())
        self._words: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def _of(self, doc: str) -> frozenset[str]:
        with self._lock:
            if doc not in self._words:
                self._words[doc] = frozenset(w for s in self._data.sentences if s.doc == doc and s.role not in NOT_SAID
                                             for w in words(s.text))
            return self._words[doc]

    def writes(self, doc: str, word: str) -> bool:
        vocab = self._of(doc)

        def has(w: str) -> bool:
            return w in vocab or derives(w, vocab)

        parts = [p for p in word.split("-") if p]
        if len(parts) > 1:
            # "US-Russia" is written where "U.S.-Russia" is: each part, with its own variants.
            return all(self.writes(doc, p) for p in parts)
        forms = [word, *variants(word)]
        country = government_of(word)
        if country is not None:
            forms.append(country)
        return any(all(has(w) for w in words(f)) and words(f) for f in forms)

    def unsaid(self, question: str, doc: str, lead: str = "") -> list[str]:
        """The question's names and years that `doc` never writes, and, when another document's sentence leads
        the candidates (`lead`), the question's words it writes and `doc` never does ("Why does the RAND brief
        single out climate change …?" is led by the op-ed's "… urgent issues such as climate change")."""
        names = unknown_names(question, lambda w: w.lower() in self._sources or self.writes(doc, w))
        said = set(words(lead))
        # An adverb ("ultimately", "really") says how, not what about: no sign of the document's silence.
        elsewhere = [w for w in dict.fromkeys(words(question)) if len(w) >= MIN_WORD and w in said and not w.endswith("ly")
                     and w not in self._sources and w not in stopwords() and w not in _FUNCTION and w not in FRAME_WORDS
                     and not self.writes(doc, w)]
        return names + [w for w in elsewhere if w not in {n.lower() for n in names}]
