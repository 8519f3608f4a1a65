"""A question about one named place or party against a sentence about another.

"What neighborhood did Huguenots create in Hamburg?" against "In Berlin, the Huguenots created two new
neighbourhoods": SQuAD 2.0's commonest unanswerable kind swaps one name for another, and the best sentence
still matches every other word. The sign read here is narrow on purpose: the question puts a name after a
preposition ("in Hamburg"), no word of that name occurs in the best sentence, its neighbours or its section
headings, and the best sentence puts a different name after the same preposition ("In Berlin"). A name
merely missing nearby is not enough; that fired nearly as often for answerable questions (21 against 39 on
the SQuAD development articles), since answers often sit a sentence away from the name.

A possessive is a slot too: "Medvedev's return to the presidency" against "Putin's return to the presidency"
in the best sentence or beside it.

Not read as a swap: a source named after "according to" or "per", or any name of a document's publisher or
authors ("in the Seattle Times"); an acronym ("in the US" against "the United States"); a
word and its derivative ("Aristotle's" against "Aristotelian", "Russia" against "Russian"); and names
in a title-case heading, where every word is capitalised. When the best sentence names another, a candidate
near the top whose passage names the asked one answers instead.

On SQuAD development articles (Huguenot and three training articles) the rule turned 9 answers to
unanswerable questions into abstentions, and one answer to an answerable question ("in Holland" against "in
the Netherlands"); it changed none of our own dev questions.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Sequence

from ingest.lexical import fold, terms

from .name_variants import TYPO_CUTOFF, government_of, variants

RESPELT = 0.75  # a modifier this close to the sentence's is a misspelling of it, not another name
_PREPOSITIONS = r"in|at|from|to|by|of|for|with|near|on|during|under|against"
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
_ASKED = re.compile(r"\b((?i:" + _PREPOSITIONS + r"))\s+(?:(?i:the)\s+)?(" + _NAME + ")")
_ATTRIBUTION = re.compile(r"\b(?:according|per|ask|asked|says?|said)\s*$", re.I)
_CAPITAL = re.compile(r"\b[A-Z][\w'’-]+")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")


_US = re.compile(r"\bU\.S\.(?:A\.)?|\bU\.S\b")


def _words(text: str) -> list[str]:
    """Lower-case words of two letters or more; "U.S." is the word "us" (its letters alone are no words)."""
    return [w.lower() for w in _WORD.findall(_US.sub("US", text)) if len(w) > 1]


def _kin(a: str, b: str) -> bool:
    """Whether two words share a stem-like prefix: "aristotle"/"aristotelian", "russia"/"russian", and a
    short name that begins the other: "west"/"western"."""
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= max(5, round(0.7 * min(len(a), len(b))))


def names(name: str, texts: Sequence[str], seat: bool = False) -> bool:
    """Whether the texts use any word of the name, one of its kin (by stem or shared prefix), a close
    spelling of it, or another name for it ("Holland" for "the Netherlands", name_variants.py). With `seat`,
    a seat of government asked about is named by its country: "Washington would not provide the guarantees"
    is a government's act, which "U.S. actions" name. Not the other way: a passage on Warsaw's population
    does not speak of Poland's."""
    asked = [w for w in _words(name) if terms(w)]
    spoken = _words(" ".join(texts))
    said = set(spoken)
    stems = set(terms(" ".join(texts)))
    if any(set(terms(w)) & stems or any(_kin(w, s) for s in said) for w in asked):
        return True
    # A misspelling of a name the texts use ("Breznev" for "Brezhnev", "Celeron" for "Céloron") names it too.
    plain = {fold(s) for s in said}
    if any(len(w) >= 6 and difflib.get_close_matches(fold(w), plain, n=1, cutoff=TYPO_CUTOFF) for w in asked):
        return True
    joined = " " + " ".join(spoken) + " "
    if any(f" {v} " in joined for w in [name, *asked] for v in variants(w) if v != w.casefold()):
        return True
    country = government_of(name) if seat else None
    return country is not None and names(country, texts)


def _title_case(text: str) -> bool:
    """A heading in title case ("Outreach to Russia May Be During ..."): hardly a long word in lower case."""
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 4 and sum(w[0].islower() for w in words) <= 0.1 * len(words)


def swapped_name(question: str, texts: Sequence[str], best: str, headings: Sequence[str],
                 sources: Collection[str] = ()) -> tuple[str, str] | None:
    """(asked name, the name the best sentence gives instead), or None.

    `texts`: the best sentence and its neighbours; `best`: the best sentence alone; `sources`: lower-case
    words naming the documents themselves (titles, publishers, authors)."""
    if _title_case(best):
        return None
    context = [*texts, *headings]
    question_capitals = " ".join(_CAPITAL.findall(question))
    for m in _ASKED.finditer(question):
        name = m.group(2)
        if m.start() == 0 or not name[0].isupper() or name.isupper():
            continue  # an acronym ("US", "RAND") is as often written out ("the United States") as not
        before = question[: m.start()]
        prev = before.split()[-1:] or [""]
        if m.group(1).lower() == "of" and prev[0][:1].isupper():
            continue  # "Wars of Religion", "Edict of Nantes": one name, not a name after "of"
        if _ATTRIBUTION.search(before) or any(w in sources for w in _words(name)) or names(name, context, seat=True):
            continue
        for other in _names_after(m.group(1), best):
            if not names(other, [question_capitals]):
                return name, other
    # "How did Medvedev's return to the presidency damage the reset?" against "Putin's return to the presidency":
    # a possessive before the same noun is the same slot.
    for m in _OWNER.finditer(question):
        name, noun = m.group(1), m.group(2)
        if name.lower() in _NOT_OWNERS or name.isupper() or any(w in sources for w in _words(name)) \
                or names(name, context, seat=True):
            continue
        for other in re.findall(r"(" + _NAME + r")['’]s?\s+" + re.escape(noun) + r"\b", " ".join(texts)):
            if not names(other, [question_capitals]) and other.lower() not in _NOT_OWNERS:
                return name, other
    # "When did Britain and France sign their convention?" against "Britain and Russia concluded an agreement":
    # a name paired with the same partner is the same slot.
    pairs = [(m.group(1), m.group(2)) for m in _PAIR.finditer(" ".join(texts))]
    for m in _PAIR.finditer(question):
        if m.start() == 0:
            continue
        for kept, name in ((m.group(1), m.group(2)), (m.group(2), m.group(1))):
            if name.isupper() or any(w in sources for w in _words(name)) or names(name, context, seat=True) \
                    or not names(kept, context, seat=True):
                continue
            for a, b in pairs:
                other = b if names(kept, [a]) else a if names(kept, [b]) else ""
                if other and not names(other, [question_capitals]) and not _respelt(name, other):
                    return name, other
    # "How many British diplomats did Russia expel?" against "sending home 10 American diplomats": a name
    # modifying the same noun is the same slot too.
    for m in _MODIFIER.finditer(question):
        name, noun = m.group(1), m.group(2)
        if m.start() == 0 or name.lower() in _NOT_OWNERS or name.isupper() or not terms(noun) \
                or any(w in sources for w in _words(name)) or names(name, context, seat=True):
            continue
        for other in _MODIFYING.findall(" ".join(texts)):
            if other[1] == noun and not names(other[0], [question_capitals]) and other[0].lower() not in _NOT_OWNERS \
                    and not _respelt(name, other[0]):
                return name, other[0]
    return None


_PAIR = re.compile(r"(?<![.!?]\s)\b([A-Z][\w-]*\w)\s+and\s+(?:the\s+)?([A-Z][\w-]*\w)\b")
# Not a possessive ("Guo's calendar" has an owner; "the Shoushi calendar" names its kind).
_MODIFIER = re.compile(r"(?<![.!?]\s)\b([A-Z][\w-]*\w)\s+([a-z][a-z-]+)\b(?![\w'’-])")
_MODIFYING = re.compile(r"(?<![.!?]\s)(?<!^)(?<!['’])\b([A-Z][\w-]*\w)\s+([a-z][a-z-]+)\b(?![\w'’-])")


def _respelt(a: str, b: str) -> bool:
    """The same name spelt another way ("Frensh" and "French", "Celeron" and "Céloron's")."""
    def plain(w: str) -> str:
        w = re.sub(r"['’]s?$", "", w.casefold())
        return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    return difflib.SequenceMatcher(None, plain(a), plain(b)).ratio() >= RESPELT


_OWNER = re.compile(r"(" + _NAME + r")['’]s?\s+([a-z][\w-]+)")
_NOT_OWNERS = frozenset("what who where when how why it that there here let he she".split())


def _names_after(preposition: str, text: str) -> list[str]:
    pattern = re.compile(r"\b(?i:" + re.escape(preposition) + r")\s+(?:(?i:the)\s+)?(" + _NAME + ")")
    return [m.group(1) for m in pattern.finditer(text)]
