"""Answer questions about a document itself (authors, date, publisher, title, link).

Those facts live in corpus/catalog.toml, and the op-ed's text does not even
contain its byline, so retrieval alone cannot answer "Who wrote the op-ed?".
The answer states the catalog value and, where the value also appears in the
document text (the RAND author line), cites that sentence like any other.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.index import DocumentRecord, SentenceRecord

# "Which document was written first?", "which one came out first": the dates answer it. Written, published or
# released, it is a document whether or not the question names one (after "how do the brief and the op-ed
# compare?", "the two" are the documents); "which one is the most recent" may be a case study.
_WHICH_ONE = r"which (?:one|document|text|source|piece|of (?:them|the two|these|those)(?: \w+)?)"
_WRITTEN_FIRST = (_WHICH_ONE + r"\b[^?]*\b(?:written|published|came out|come out|released|dated)\b[^?]*\b(?:first|"
                  r"earlier|later|last|most recently)\b")
_ORDER = (_WRITTEN_FIRST + "|" + _WHICH_ONE + r" is (?:older|newer|more recent|the oldest|the newest|the most recent)\b")
ORDERS_DOCUMENTS = re.compile(_WRITTEN_FIRST, re.I)

FIELDS = {
    "authors": re.compile(r"\b(?:how many (?:authors|people wrote)|number of authors|who (?:wrote|authored|are the authors?|is the author|penned)|(?:name|list|who are|who is) (?:the |its )?authors?|^\s*(?:the )?authors? of (?:the|this|that)\b|(?:who|what) (?:is|are|was|were) (?:the )?authors? of\b|written by whom|by whom|"
                         r"who(?:['’]s| is| was| are| were) (?:the |its |this |that )?(?:[\w-]+['’]s\s+)?authors?\b)", re.I),
    "published": re.compile(r"\b(?:when (?:was|were|did)\b.*\b(?:publish|published|written|released|come out|appear)|when (?:was|is|did) (?:[\w.'’-]+\s+){0,2}?(?:the |this |that |its |their |her |his )?(?:[\w-]+\s+){0,2}?(?:brief|op-?ed|report|article|piece|column)\s+(?:first\s+)?(?:put out|issued|released|dated|posted|printed|go out|come out)\b|when did (?:[\w.'’-]+\s+){1,3}?(?:put out|issue|release|print|post|write|publish)\s+(?:the |this |that |its |their |her |his )?(?:[\w-]+\s+){0,2}?(?:brief|op-?ed|report|article|piece|column)\b|(?:publication|pub\.?|publish(?:ing)?|release) date|date of publication|what (?:date|year|day|month) (?:was|did|were)\b.*\b(?:publish|written|released|(?:release|put out|issue) (?:it|them|(?:the |this |that |its )(?:brief|op-?ed|report|article|piece|column))\b)|"
                            + _ORDER + ")", re.I),
    "publisher": re.compile(r"\b(?:who published|publisher|which (?:organi[sz]ation|newspaper|outlet|think tank|institution|paper) (?:published|ran|released|produced|wrote)|"
                            r"where (?:was|is|were|did)\b.*\b(?:published|publish|appear|appeared|run|printed)\b|(?:in )?(?:which|what) (?:newspaper|outlet|paper|publication)\b)", re.I),
    # "What kind of publication is it?": the catalog's kind ("research brief", "op-ed").
    "kind": re.compile(r"\b(?:what|which) (?:kind|type|sort|genre|format) of (?:publication|document|text|source|"
                       r"piece|writing) (?:is|was)\b", re.I),
    "title": re.compile(r"\b(?:(?:full |exact )?title|what is (?:the )?(?:brief|op-ed|article|report) called|what (?:is|was) it called|headline)\b", re.I),
    "url": re.compile(r"\b(?:url|link|web ?address|where can i (?:find|read))\b", re.I),
    "number": re.compile(r"\b(?:(?:report|document|publication|catalog|brief|rand)(?:['’]s)? (?:number|no\.?|id)|"
                        r"(?:brief|report|document|publication)['’]s number|number of the (?:brief|report|publication))\b", re.I),
}


@dataclass(frozen=True)
class MetaFact:
    doc: str
    field: str
    value: str
    span: tuple[int, int] | None  # a sentence of the document that states the value


_CONTENT_QUESTION = re.compile(r"^\s*(?:why|how(?! many\b))\b", re.I)
# "What else has the author of the op-ed written?": beyond the catalog, which only knows this document.
_BEYOND = re.compile(r"\b(?:what else|other (?:works?|books?|articles?|pieces?|papers?|publications?|writings?))\b", re.I)


def asked_field(question: str) -> str | None:
    """Which catalog field a question asks for; "why"/"how" questions ask about content."""
    if _CONTENT_QUESTION.match(question) or _BEYOND.search(question):
        return None
    for name, pattern in FIELDS.items():
        if pattern.search(question):
            return name
    return None


def _value(meta: dict, field: str) -> str:
    raw = meta.get(field)
    if isinstance(raw, list):
        names = [str(x) for x in raw]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return str(raw) if raw else ""


def _needles(meta: dict, field: str) -> list[str]:
    raw = meta.get(field)
    if field == "authors" and isinstance(raw, list):
        return [str(raw[0])]
    if field == "published" and isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        import datetime as dt

        d = dt.date.fromisoformat(raw)
        return [f"{d:%B} {d.day}, {d.year}"]
    return [str(raw)] if isinstance(raw, str) and raw else []


def find_facts(question: str, documents: dict[str, DocumentRecord], sentences: Sequence[SentenceRecord], targets: Sequence[str]) -> list[MetaFact]:
    field = asked_field(question)
    if field is None:
        return []
    facts = []
    for doc_id in targets:
        doc = documents[doc_id]
        meta = dict(doc.meta)
        if field == "title":
            meta.setdefault("title", doc.title)
        value = _value(meta, field)
        if not value:
            continue
        span = None
        for needle in _needles(meta, field):
            pos = doc.text.find(needle)
            if pos < 0:
                continue
            for s in sentences:
                if s.doc == doc_id and s.start <= pos < s.end:
                    span = (s.start, s.end)
                    break
            if span:
                break
        facts.append(MetaFact(doc_id, field, value, span))
    return facts


PHRASES = {
    "authors": "was written by {value}",
    "published": "was published {value}",
    "publisher": "was published by {value}",
    "kind": "is {article} {value}",
    "title": "is titled “{value}”",
    "url": "is online at {value}",
    "number": "is numbered {value}",
}


def describe(fact: MetaFact, documents: dict[str, DocumentRecord]) -> str:
    doc = documents[fact.doc]
    kind = str(doc.meta.get("kind") or "document")
    value = fact.value
    if fact.field == "published" and re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}", value):
        import datetime as dt

        parts = [int(p) for p in value.split("-")]
        value = (f"on {dt.date(*parts):%B} {parts[2]}, {parts[0]}" if len(parts) == 3
                 else f"in {dt.date(parts[0], parts[1], 1):%B %Y}")
    elif fact.field == "published":
        value = f"in {value}"
    if fact.field == "kind":
        subject = f"“{doc.title}”"   # "“…” is a research brief", not "the research brief “…” is a research brief"
    else:
        subject = f"The {kind}" if fact.field == "title" else f"The {kind} “{doc.title}”"
    article = "an" if value[:1].lower() in "aeiou" else "a"   # only the kind's phrase has {article}
    phrase = PHRASES[fact.field].format(value=value, article=article)
    return f"According to the catalog, {subject[0].lower() + subject[1:]} {phrase}."
