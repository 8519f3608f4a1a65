"""Names restored in a question typed all in lower case.

The near-miss checks read names by their capital letter: the unknown-name check, the reaction, person and
office checks, swapped names. A new user types "how did
germany react to the anglo-russian convention", and every one of them reads no name. So a question (or an
earlier turn) with no capital letter at all gets the capitals the documents give its words:

- a word the documents write capitalised (past a sentence's first word) at least twice as often as in lower
  case takes its commonest written form: "stalin" → "Stalin", "nato" → "NATO", "anglo-russian" → "Anglo-Russian";
- a country, its people or its seat of government is capitalised ("germany", "persian", "kyiv");
- so is the word after a title: "president bush" names Bush.

A word neither English nor the documents' is left in lower case, though it may be a name ("khrushchev"):
as often it is slang the spelling corrector cannot place ("why did it fizzle out"), and taken for a name it
would make the question abstain as one about something the documents never mention.

A question with any capital letter is left as typed: its writer chose the capitals.
"""
from __future__ import annotations

import difflib
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable

from ingest.embedder import english_words
from ingest.index import IndexData
from ingest.lexical import fold, stopwords

from .name_variants import TYPO_CUTOFF, names_a_place

# A word, with inner dots ("U.S") and hyphens ("Anglo-Russian"); a possessive ending is matched apart.
_WORD = re.compile(r"[^\W\d_](?:[\w-]|\.(?=[^\W\d_]))*")
_POSSESSIVE = re.compile(r"^(.*?)((?:['’]s?)?)$")
# Pronouns and words that are also a country's short name in lower case: never taken for a name.
_NEVER = frozenset({"us", "un", "i"})
_TITLES = frozenset("president premier secretary minister chancellor general king queen tsar czar senator governor "
                    "ambassador".split())
_RULER = re.compile(r"\b([a-z][a-z-]{2,})(?:(?:['’]s)?\s+(?:administration|presidency)|['’]s\s+(?:government|"
                    r"policy|policies|cabinet|team|term|tenure|era|regime|white house))\b")
_SUBJECT = re.compile(r"^\s*(?:what|how|why|when|where|which)(?:\s+(?!did\b|does\b|do\b)[a-z]+)?\s+"
                      r"(?P<aux>did|does|do|has|have|had|would|will|could|can)\s+"
                      r"(?P<subject>[a-z]{4,})\b|\b(?P<owner>[a-z]{4,})(?=['’]s\b)")
_ROLE_OF = re.compile(r"^\s*what\s+(?:role|part)\s+(?:did|does|do|has|have|had|will|would|could)\s+((?:[a-z][a-z-]+\s+){1,2}?)"
                      r"(?:play|played|have)\b")
# "the minsk agreements", "the biden-putin geneva summit": the word before a meeting or accord names where it was.
_PLACE_OF = re.compile(r"\b([a-z]{4,})\s+(?:summit|summits|agreements?|accords?|protocols?|conference|declaration|"
                       r"memorandum|format|talks)\b")
# Words before an accord that say what kind it is, or fill a sentence ("is there like agreement on …"): no place.
_NOT_PLACES = frozenset("like such real actual formal informal final secret direct indirect private public joint "
                        "official serious proper possible any some every".split())
# Plurals without an "s", and words for anyone: a subject without an article that names no one.
_PLURALS = frozenset("people men women children folk everyone everybody anyone anybody someone somebody nobody "
                     "others".split())
# Words that pick an administration rather than name its head: "the previous administration".
_QUALIFIERS = frozenset("first second third last current former new then only next previous prior present same other "
                        "later earlier future incoming outgoing acting whole entire federal democratic republican "
                        "whose this that our their his her its".split())
_ACRONYMS = frozenset({"ussr", "usa", "uk", "eu", "nato", "prc", "wwi", "wwii", "ww1", "ww2"})


class Truecaser:
    def __init__(self, sentences: Iterable[str], names: Iterable[str]) -> None:
        """`sentences`: text in sentence case (no headings: they capitalise every word); `names`: catalog
        facts such as authors and publishers, whose every capitalised word is a name."""
        capital: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for text, first in [*((t, 1) for t in sentences), *((t, 0) for t in names)]:
            for i, m in enumerate(_WORD.finditer(text)):
                word = _POSSESSIVE.match(m.group(0)).group(1)  # type: ignore[union-attr]
                if i < first or not word:
                    continue  # a sentence's first word is capitalised whatever it is
                key = fold(word)
                if word[0].isupper():
                    capital[key] += 1
                    forms[key][word] += 1
                else:
                    lower[key] += 1
        # A title is capitalised before a name ("Secretary of State James Byrnes") but names no one itself; as a
        # capital it would hide "foreign secretary", an office the documents never write, from the role check.
        self._forms = {k: forms[k].most_common(1)[0][0] for k in capital
                       if capital[k] >= 2 * lower[k] and k not in _TITLES}
        # The parts of capitalised compounds: "Anglo" of "Anglo-Russian", for "anglo-french".
        self._parts = {fold(p): p for form in self._forms.values() if "-" in form
                       for p in form.split("-") if p[:1].isupper()}
        # A part the documents never write in lower case is a name typed alone too: "sino soviet split".
        self._solo = {k: p for k, p in self._parts.items() if not lower[k] and k not in stopwords()}
        self._lower = frozenset(k for k in lower if lower[k])
        self._said = frozenset(capital) | self._lower

    def __call__(self, text: str) -> str:
        """`text` with its names capitalised, when it has no capital letter."""
        if any(ch.isupper() for ch in text):
            return text

        out, last, previous = [], 0, ""
        # "trump's presidency", "the trump administration": whoever heads an administration is named, unless
        # the documents write the word in lower case ("the previous administration").
        ruler = {m.start(1) for m in _RULER.finditer(text)
                 if fold(m.group(1)) not in self._lower | _QUALIFIERS and fold(m.group(1)) not in stopwords()}
        # "what did khrushchev want", "kissinger's view": a word neither English nor the documents', as the subject
        # of a wh-question or an owner, is a name (slang is neither: "why did it fizzle out").
        for m in _SUBJECT.finditer(text):
            group = "subject" if m.group("subject") else "owner"
            word = fold(m.group(group))
            # "what sanctions did trump put on russia": a singular subject with no article before it is a name,
            # English word or not, when the documents never use it (a plural, "what did sanctions do", is none).
            # Only after "did/does/do", which need a subject; after "has" or "could" the word may be the verb of a
            # question whose subject is "what" ("what has happened", "what could push washington …").
            bare = group == "subject" and m.group("aux") in ("did", "does", "do") and not word.endswith(("ing", "ed")) \
                and (not word.endswith("s") or word.endswith("ss")) and word not in _PLURALS and word not in stopwords()
            if (word not in english_words() or bare) and self._unused(word):
                ruler.add(m.start(group))
        # A place the documents never write, named by its accord, is named whether English or not ("geneva").
        ruler |= {m.start(1) for m in _PLACE_OF.finditer(text)
                  if fold(m.group(1)) not in stopwords() | _NOT_PLACES and self._unused(fold(m.group(1)))}
        # "what role did hillary clinton play": whoever plays a role is named, English word or not, unless the
        # documents use the word ("what role did sanctions play").
        for m in _ROLE_OF.finditer(text):
            for w in _WORD.finditer(m.group(1)):
                word = fold(w.group(0))
                if word not in stopwords() and self._unused(word):
                    ruler.add(m.start(1) + w.start())
        for m in _WORD.finditer(text):
            word, ending = _POSSESSIVE.match(m.group(0)).groups()  # type: ignore[union-attr]
            named = word.capitalize() if m.start() in ruler and self._named(word, previous) == word else None
            out += [text[last:m.start()], (named or self._named(word, previous)) + ending]
            last, previous = m.end(), fold(word)
        return "".join(out) + text[last:]

    def _unused(self, word: str) -> bool:
        """Whether the documents never use the word, nor one it is close to ("rusia" is the spelling corrector's,
        not a name)."""
        return word not in self._said and not difflib.get_close_matches(word, self._said, n=1, cutoff=TYPO_CUTOFF)

    def _named(self, word: str, previous: str) -> str:
        key = fold(word)
        if not key or key in _NEVER:
            return word
        if key in self._forms and not (self._forms[key].isupper() and key in self._lower):
            return self._forms[key]  # but "start" stays a word where the documents also write it so, beside "New START"
        if key in self._solo:
            return self._solo[key]
        if names_a_place(key):
            return word.upper() if key in _ACRONYMS else word.capitalize()
        if previous in _TITLES and len(key) >= 3 and key not in stopwords():
            return word.capitalize()  # "president bush": a title's holder is named after it
        parts = word.split("-")
        if len(parts) > 1 and all(parts):
            # "anglo-french", "sino-soviet": a compound of names the documents write apart ("Anglo-Russian",
            # "French") is a name, and one the documents never write is then seen as unknown.
            named = [self._part(p) for p in parts]
            if all(named):
                return "-".join(n for n in named if n)
            # "jackson-vanik": parts the documents never use, one of them no English word, name someone.
            if all(self._unused(fold(p)) for p in parts) \
                    and any(fold(p) not in english_words() for p in parts):
                return "-".join(p.capitalize() for p in parts)
        return word

    def _part(self, part: str) -> str | None:
        """A compound's part as a name ("US" in "us-china"), or None when it is none."""
        key = fold(part)
        if key in self._forms and "-" not in self._forms[key]:
            return self._forms[key]
        if key in self._parts:
            return self._parts[key]
        if names_a_place(key):
            return part.upper() if key in _ACRONYMS or key in _NEVER else part.capitalize()
        return None


class IndexTruecaser:
    """The Truecaser of an index, built at the first question typed all in lower case: most never are."""

    def __init__(self, data: IndexData) -> None:
        self._data = data
        self._built: Truecaser | None = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> str:
        if any(ch.isupper() for ch in text):
            return text  # as typed: nothing to build or look up
        with self._lock:
            if self._built is None:
                self._built = Truecaser([s.text for s in self._data.sentences if not s.heading],
                                        [str(v) for d in self._data.documents.values() for v in d.meta.values()])
        return self._built(text)
