"""Write the extractive answer from what was chosen: quoted sentences, catalog facts or a structured plan.

Nothing here chooses a sentence (Assistant.decide does) or builds a citation
(citations.Citer does); this module numbers the citations in the order the
answer quotes them and writes the text around them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ingest import lexical
from ingest.index import DocumentRecord, IndexData, SentenceRecord
from ingest.roles import answerable

from .answer import Answer, Citation, Passage, Segment
from .citations import Citer
from .extractive import Scored
from .metadata import ORDERS_DOCUMENTS, MetaFact, asked_field, describe, find_facts
from .overview import Composition, Plan

ABSTAIN_TEXT = "The documents do not answer this question."
CLOSEST_LEAD = "The documents don't say that. The closest passage:"
GENERIC_SOURCE_WORDS = ("brief report study research researchers article op-ed oped author authors writer document "
                        "documents paper summary according say says argue argues column essay piece source sources text")


def source_aliases(doc: DocumentRecord) -> tuple[str, ...]:
    """Words by which a question can name a document: "the RAND brief", "the op-ed"."""
    out: set[str] = set()
    for value in (doc.meta.get("publisher"), doc.meta.get("kind")):
        if isinstance(value, str) and value.strip():
            text = value.lower().strip()
            out.add(text)
            words_ = [w for w in text.split() if w not in lexical.stopwords()]
            if words_:
                out.add(words_[-1] if doc.meta.get("kind") == value else words_[0])
                out.add(" ".join(words_))
    return tuple(sorted(a for a in out if len(a) >= 3))


def source_words(docs: Iterable[DocumentRecord]) -> frozenset[str]:
    """Lower-case words of the documents' publishers and authors: a question that names a source ("in the
    Seattle Times") names no place or party in the text. Titles are left out: theirs are topic words
    ("Russia")."""
    out: set[str] = set()
    for doc in docs:
        values: list[object] = [doc.meta.get("publisher"), *doc.authors]
        for v in values:
            if isinstance(v, str):
                out.update(w.lower() for w in re.findall(r"[A-Za-z\u00C0-\u024F]+", v) if w[:1].isupper())
    return frozenset(out)


def unsaid_author_terms(docs: Iterable[DocumentRecord], sentences: Sequence[SentenceRecord]) -> frozenset[str]:
    """Terms of author names that no answerable sentence contains. "On what grounds does Glennys Young argue
    …?" names the op-ed's author as the source; kept as query terms, her name lowered every sentence's term
    overlap until the answer fell below the evidence floor. A name the text itself uses stays a term."""
    wanted = frozenset(lexical.terms(" ".join(a for doc in docs for a in doc.authors)))
    if not wanted:
        return wanted
    said = {t for s in sentences if answerable(s) for t in lexical.terms(s.text) if t in wanted}
    return wanted - said


class Composer:
    def __init__(self, data: IndexData, citer: Citer, aliases: Mapping[str, tuple[str, ...]]) -> None:
        self.data, self.citer, self.aliases = data, citer, aliases
        self._doc_order = {d: i for i, d in enumerate(data.documents)}

    def quotes(self, question: str, chosen: Sequence[Scored], passages: list[Passage], lead: str = "") -> Answer:
        """The factoid answer: the chosen sentences, in document order, each cited; `lead` is said first."""
        sents = self.data.sentences
        rows = sorted({s.row for s in chosen}, key=lambda r: (self._doc_order[sents[r].doc], r))
        citations = [self.citer.sentence(n, row) for n, row in enumerate(rows, start=1)]
        text = " ".join([lead] * bool(lead) +
                        [f"{' '.join(sents[row].text.split())} [{n}]" for n, row in enumerate(rows, start=1)])
        return Answer(question=question, text=text, abstained=False, citations=citations, passages=passages)

    def closest(self, question: str, row: int, passages: list[Passage]) -> Answer:
        """A false premise: abstain, and show the sentence that matched the question most
        closely as what the documents do say, cited like any quote."""
        quote = " ".join(self.data.sentences[row].text.split())
        return Answer(question=question, text=f"{CLOSEST_LEAD} {quote} [1]", abstained=True,
                      citations=[self.citer.sentence(1, row)], passages=passages)

    def catalog_facts(self, question: str, doc_filter: Sequence[str]) -> list[MetaFact]:
        """Facts about a document itself, when the question asks for one and names a source."""
        if asked_field(question) is None:
            return []
        lowered = question.lower()
        named = [d for d, aliases in self.aliases.items() if any(a in lowered for a in aliases)]
        generic = any(w in lexical.words(question) for w in GENERIC_SOURCE_WORDS.split()) \
            or bool(ORDERS_DOCUMENTS.search(question))
        if not named and not generic:
            return []
        targets = [d for d in (named or doc_filter or list(self.data.documents)) if not doc_filter or d in doc_filter]
        return find_facts(question, self.data.documents, self.data.sentences, targets)

    def facts(self, question: str, facts: list[MetaFact], passages: list[Passage]) -> Answer:
        parts: list[str] = []
        citations: list[Citation] = []
        for fact in facts:
            line = describe(fact, self.data.documents)
            row = self.citer.rows.get((fact.doc, fact.span[0])) if fact.span else None
            if row is not None:
                citations.append(self.citer.sentence(len(citations) + 1, row))
                line += f" [{len(citations)}]"
            parts.append(line)
        return Answer(question=question, text=" ".join(parts), abstained=False, citations=citations,
                      passages=passages)

    def structured(self, question: str, plan: Plan, comp: Composition, passages: list[Passage]) -> Answer:
        """An overview/list/recommendation/comparison answer: connective text around cited quotes."""
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        segments: list[Segment] = []
        for piece in comp.pieces:
            if piece.row is None:
                segments.append(Segment("text", piece.text))
                continue
            if piece.row not in numbers:
                numbers[piece.row] = len(numbers) + 1
                citations.append(self.citer.sentence(numbers[piece.row], piece.row))
            n = numbers[piece.row]
            if piece.quoted:
                segments.append(Segment("text", "“"))
            segments.append(Segment("quote", " ".join(self.data.sentences[piece.row].text.split()), n))
            segments.append(Segment("text", f"” [{n}]" if piece.quoted else f" [{n}]"))
        merged: list[Segment] = []
        for seg in segments:  # neighbouring connective runs read as one
            if merged and seg.kind == "text" and merged[-1].kind == "text":
                merged[-1] = Segment("text", merged[-1].text + seg.text)
            else:
                merged.append(seg)
        return Answer(question=question, text="".join(s.text for s in merged), abstained=False,
                      citations=citations, passages=passages, intent=plan.intent.kind,
                      read_as=comp.read_as or plan.read_as, segments=merged)
