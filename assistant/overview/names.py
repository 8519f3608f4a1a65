"""How an overview answer names a document, and how a question names one.

Quotes are attributed ("The RAND brief makes five recommendations:",
"The op-ed’s author writes: …") with a short name built from the catalog's
`kind` and `publisher`, not the full title. The same catalog words, plus a
few synonyms, are how a question points at a document ("Summarize the
op-ed"), which decides the documents in scope.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.index import DocumentRecord

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")
# How a question can name a kind of document besides its catalog words.
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "op-ed": ("op-ed", "oped", "op ed", "opinion piece", "opinion article", "column", "columnist", "editorial",
              "commentary"),
    "brief": ("brief", "report", "research summary", "researchers", "study"),
}
_OPINION = re.compile(r"op-?ed|opinion|column|editorial|commentary|essay|letter", re.I)


@dataclass(frozen=True)
class DocName:
    name: str  # "the RAND brief", "the op-ed"
    opinion: bool

    @property
    def cap(self) -> str:
        return self.name[:1].upper() + self.name[1:]

    @property
    def possessive(self) -> str:
        return f"{self.name}’s"


def count_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def doc_name(doc: DocumentRecord) -> DocName:
    """A short name to attribute quotes to: "the op-ed", "the RAND brief", else the title."""
    kind = str(doc.meta.get("kind") or "").strip()
    publisher = str(doc.meta.get("publisher") or "").strip()
    if kind and _OPINION.search(kind):
        return DocName(f"the {kind}", True)
    if kind and publisher:
        pub = [w for w in publisher.split() if w.lower() != "the"]
        return DocName(f"the {pub[0]} {kind.split()[-1]}" if pub else f"the {kind}", False)
    if kind:
        return DocName(f"the {kind}", False)
    return DocName(f"“{doc.title}”", False)


def doc_aliases(doc: DocumentRecord) -> tuple[str, ...]:
    """Lower-case phrases by which a question names a document."""
    out: set[str] = set()
    kind = str(doc.meta.get("kind") or "").lower()
    publisher = str(doc.meta.get("publisher") or "").lower()
    for value in (kind, publisher):
        if value:
            out.add(value)
            content = [w for w in value.split() if w not in ("the", "a", "research")]
            if content:
                out.add(content[0] if value == publisher else content[-1])
    for key, synonyms in KIND_SYNONYMS.items():
        if key in kind:
            out.update(synonyms)
    authors = doc.meta.get("authors") or []
    if isinstance(authors, list) and len(authors) == 1:
        out.add(str(authors[0]).lower())
    return tuple(sorted(a for a in out if len(a) >= 3))


def doc_surnames(doc: DocumentRecord) -> tuple[str, ...]:
    """Authors' surnames as written ("Young"): a question may name the author by surname alone. They
    are matched capitalised only, since a surname can be a common word ("young Russians")."""
    out = {a.split()[-1] for a in doc.authors if a.split()}
    return tuple(sorted(s for s in out if len(s) >= 3 and s[:1].isupper()))


def surname_spans(text: str, surname: str) -> list[tuple[int, int]]:
    """Where the text names the surname capitalised, as a whole word, other than as its first word."""
    return [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text) if m.start() > 0]


def names_surname(question: str, surname: str) -> bool:
    """Whether the question names the surname capitalised ("Young's" too), other than as its first word."""
    return bool(surname_spans(question, surname))


def mentions(text: str, alias: str) -> bool:
    """Whether lower-case `text` names `alias` as a whole phrase ("op-ed" is not inside "op-eds-"); an "s" may
    follow, a possessive typed without its apostrophe ("the op eds argument")."""
    return re.search(rf"(?<![\w-]){re.escape(alias)}s?(?![\w-])", text) is not None
