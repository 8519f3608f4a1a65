"""Planning a structured answer: which kind, which documents, which section.

`Planner.plan` reads a question (intent + which documents and sections it
points to) and returns None when the factoid path should answer: a question
that asks for one fact, names something the corpus never mentions, or
narrows an overview frame to a detail ("What does RAND recommend for
Belarus?"). What is left of a question once its frame words, the names of
its sources and the documents' own subject are taken away is what it is
narrowed to; a section heading that covers those terms makes it a section
question, anything else a detail.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ingest import lexical
from ingest.index import IndexData

from ..extractive import unknown_names
from ..followup import about_topic
from ..intent import FRAME_TERMS, FRAME_WORDS, LIST_LABELS, Intent, classify, respell_kind_words
from ..outline import NUMBERED, Outline, Section
from .names import DocName, doc_surnames, mentions, names_surname, surname_spans

COMMON_SHARE = 0.2  # a term in this share of a document's sentences says nothing about focus
# A structured answer walks every document in scope: a point or a quote from each. Over a corpus of
# thousands of documents that neither names nor filters any, that is an unreadable answer and minutes of
# work (one comparison took 201 s at 4,000 documents, docs/performance.md); beyond this many documents
# the factoid path answers instead, from what retrieval finds.
MAX_UNNAMED_SCOPE = 6
# Whom recommendations are addressed to: naming them does not narrow "what does it recommend".
ADDRESSEES = frozenset(lexical.terms("u.s. us united states america american washington government administration "
                                     "policymakers policy makers"))
_COMPARE_FRAME = re.compile(
    r"\b(?:do|does|did|how|where|what|in what ways?|to what extent)\b|\b(?:compare[sd]?|comparison|contrast|"
    r"differ\w*|agree\w*|disagree\w*|versus|vs\.?|similar\w*|in common|common ground|align\w*|views?|positions?|"
    r"stances?|stand|part ways|parts? company|diverge\w*|converge\w*|clash\w*|overlap\w*)\b",
    re.I)

# How a comparison question talks about its topic ("What role do allies play in their thinking?", "Both
# sources tackle the worry that …"), not the topic itself.
_TOPIC_FRAME = frozenset("""the and on about talk talks talking tackle tackles tackling discuss discusses discussing
address addresses addressing treat treats handle handles thinking think thinks figure figures role roles play plays
worry worries each point between""".split())

# "What did Biden propose?", "What has NATO suggested?": the recommending subject is named.
_PROPOSER = re.compile(
    r"\b(?i:what|which \w+|how)\s+(?i:did|does|do|has|have|had|would|will)\s+(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
    r"(?:’s|'s)?\s+(?:\w+\s+)?(?:recommend|propos|suggest|advis|advoc|urge|call)")


_HOW_MANY = re.compile(r"^\s*how many\b", re.I)


@dataclass(frozen=True)
class Plan:
    """How to answer: the intent, the documents in scope, and a section the question names."""

    intent: Intent
    docs: tuple[str, ...]
    section: Section | None = None
    topic: str = ""  # comparison: what the documents are compared on ("" = their overall positions)
    read_as: str = ""


def labelled_section(outline: Outline, label: str, docs: Sequence[str]) -> Section | None:
    """A section whose heading (or opening sentences) names the label and whose sub-sections open with
    claim headings: "Recommendations", or a section introduced as "several findings"."""
    sents = outline.data.sentences
    stem = set(lexical.terms(label))
    best: tuple[int, Section] | None = None
    for s in outline.sections_of(docs):
        if s.heading_row is None:
            continue
        claims = outline.claim_children(s.doc, s.path)
        if len(claims) < 2:
            continue
        in_title = bool(stem & set(lexical.terms(s.title)))
        intro = [r for r in s.rows if outline.roles[r] == "body"][:2]
        in_intro = any(stem & set(lexical.terms(sents[r].text)) for r in intro)
        rank = 2 if in_title else 1 if in_intro else 0
        if rank and (best is None or rank > best[0]):
            best = (rank, s)
    return best[1] if best else None


class Planner:
    """Reads questions against one index (thread-safe: the only state is a per-document cache of equal values)."""

    def __init__(self, data: IndexData, idf: Callable[[str], float], known_word: Callable[[str], bool] | None,
                 names: Mapping[str, DocName], aliases: Mapping[str, tuple[str, ...]],
                 outline: Callable[[], Outline]) -> None:
        self.data = data
        self.idf = idf
        self.known_word = known_word
        self.names = names
        self.aliases = aliases
        self.surnames = {d: doc_surnames(rec) for d, rec in data.documents.items()}
        self._outline = outline  # built on first use (StructuredAnswerer.outline)
        self._common: dict[str, frozenset[str]] = {}
        self._row_terms: dict[str, tuple[frozenset[str], ...]] = {}

    @property
    def outline(self) -> Outline:
        return self._outline()

    def named_docs(self, question: str) -> list[str]:
        low = question.lower()
        return [d for d, aliases in self.aliases.items()
                if any(mentions(low, a) for a in aliases) or any(names_surname(question, s) for s in self.surnames[d])]

    def source_phrase(self, text: str) -> str | None:
        """The longest phrase naming a document, with its "the", as written in `text`."""
        found: list[tuple[int, int]] = []
        for d in self.data.documents:
            for a in self.aliases[d]:
                found += [m.span() for m in re.finditer(rf"(?<![\w-])(?:the\s+)?{re.escape(a)}(?![\w-])", text, re.I)]
            for s in self.surnames[d]:
                found += surname_spans(text, s)
        if not found:
            return None
        merged: list[list[int]] = []
        for start, end in sorted(found):  # "the RAND" + "brief": one phrase, "the RAND brief"
            if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1]:start].strip():
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        start, end = max(merged, key=lambda span: (span[1] - span[0], -span[0]))
        return text[start:end]

    def plan(self, question: str, doc_filter: Sequence[str], body: str | None = None) -> Plan | None:
        """The plan for a structured answer, or None for the factoid path. `body`: the question without
        a follow-up's topic (Question.body), when `question` is a follow-up's retrieval text."""
        body = respell_kind_words(question if body is None else body)  # "what does rand recomend overall"
        # A follow-up's topic may name the document its pronoun stands for ("what does she want instead?"
        # after "what's the op-ed arguing"); the question's own naming comes first.
        own = self.named_docs(body)
        named = own or self.named_docs(question)
        intent = classify(body, len(own))
        if intent.kind == "factoid":
            return None
        if intent.kind == "recommendation" and self._someone_elses_proposal(body):
            return None  # "What did Biden propose?": what a person in the documents proposed is a fact in them
        if self.known_word is not None and unknown_names(body, self.known_word):
            return None  # "the EU", "Belarus": the factoid path abstains on those
        allowed = list(doc_filter) or list(self.data.documents)
        docs = [d for d in named if d in allowed] or allowed
        if not named and not doc_filter and len(docs) > MAX_UNNAMED_SCOPE:
            return None
        if intent.kind == "comparison":
            if len(docs) < 2:
                docs = allowed if len(allowed) >= 2 else docs
            if len(docs) < 2:
                return None
            # The compared topic without its frame ("What does each say on that point?") and source names:
            # those words would otherwise pull each document's generic thesis sentence to the top.
            topic = self._comparison_topic(question, docs) if self._comparison_topic(body, docs) else ""
            return Plan(intent, tuple(docs), None, topic, self._read_as(intent, docs, None))
        leftover = self._leftover(body, docs)
        pointed = self._pointed_section(question, body, docs) if intent.kind == "overview" and not leftover else None
        if pointed is not None:  # "What were the main results of that one?" after "the most recent is: Case Study 4 …"
            return Plan(intent, (pointed.doc,), pointed, "", self._read_as(intent, [pointed.doc], pointed))
        section = None
        if intent.kind in ("overview", "recommendation") and intent.label:
            labelled = labelled_section(self.outline, intent.label, docs)
            if labelled is not None:
                rest = leftover - self._section_terms(labelled, intro=True)
                if not rest:
                    return Plan(intent, (labelled.doc,), labelled, "", self._read_as(intent, [labelled.doc], labelled))
                if intent.kind == "recommendation":
                    return None
        if intent.kind == "overview" and leftover:
            # "Summarize the case studies": an overview of what a list names is that list.
            named_list = next((v for k, v in LIST_LABELS.items() if set(lexical.terms(k)) == leftover), None)
            if named_list is not None:
                intent = Intent("list", named_list)
        if intent.kind == "list":
            label = set(lexical.terms(" ".join(k for k, v in LIST_LABELS.items() if v in intent.labels)))
            if self._about_another_documents_subject(body, label, docs):
                return None
            narrowed = leftover - label
            narrower = self._narrowed_list(narrowed, label, docs) if narrowed else None
            if narrower is None and narrowed and _HOW_MANY.match(body):
                return None  # "How many case studies involve nuclear weapons?" counts some, not the list
            if narrower is None and self._beside_the_lists(narrowed, label, docs):
                return None  # "What risk do lower-level bureaucrats pose …?": not one of the listed risks
            if narrower is None and self._names_a_case(narrowed, docs):
                return None  # "What specific gains did the U.S. secure during détente?": that case's, not the list
            # A follow-up's topic says which list ("Can you give me some examples of it?" after "What does RAND mean by
            # a less-hardline approach?"): the list is chosen by the question with it.
            return narrower or Plan(intent, tuple(docs), None, question, self._read_as(intent, docs, None))
        if leftover:
            section = self._named_section(leftover, docs)
            if section is None:
                return None  # narrowed to a detail: the factoid path answers it
            docs = [section.doc]
        return Plan(intent, tuple(docs), section, "", self._read_as(intent, docs, section))

    def _narrowed_list(self, narrowed: set[str], label: set[str], docs: Sequence[str]) -> Plan | None:
        """"What were the benefits of the reset?": not the brief's general list of benefits, but what the
        section on the reset says under a heading naming them ("… Reset › Benefits and Costs"), summarised.
        None when no section heading covers the narrowing words, or none under it names the label: the
        general list then answers (the leftover words of a list question are often only its wording)."""
        topic = self._named_section(narrowed, docs)
        if topic is None:
            return None
        for s in self.outline.sections_of([topic.doc]):
            if s.path[: len(topic.path)] == topic.path and label & set(lexical.terms(s.title)) \
                    and not self.outline.list_items(s):
                summary = Intent("overview")
                return Plan(summary, (s.doc,), s, "", self._read_as(summary, [s.doc], s))
        return None

    def _beside_the_lists(self, narrowed: set[str], label: set[str], docs: Sequence[str]) -> bool:
        """Whether most of what narrows a list question (by IDF, three terms or more) is nowhere in the sections
        holding such a list: "What risk do lower-level bureaucrats pose when leaders adopt a new strategy?"
        asks about a risk the text names elsewhere, and the listed costs and risks do not answer it."""
        said: set[str] = set()
        for s in self._list_sections(label, docs):
            rows = self.outline.subtree(s.doc, s.path)
            said |= set(lexical.terms(" ".join([s.title, *(self.data.sentences[r].text for r in rows)])))
        unsaid = {t for t in narrowed if t not in said}
        total = math.fsum(self.idf(t) for t in narrowed)
        if not said or len(unsaid) < 3 or math.fsum(self.idf(t) for t in unsaid) < 0.5 * total:
            return False
        # ... and one sentence elsewhere says two of those words together: the question is about what that
        # sentence says ("the comparison box's illustrations of the tougher approach", whose words no sentence
        # pairs, are the list's).
        return any(len(unsaid & ts) >= 2 for d in docs for ts in self._content_terms(d))

    def _list_sections(self, label: set[str], docs: Sequence[str]) -> list[Section]:
        """The sections of `docs` whose heading names the list (`label`'s terms) and that hold its items."""
        return [s for s in self.outline.sections_of(docs)
                if s.heading_row is not None and label & set(lexical.terms(s.title)) and self.outline.list_items(s)]

    def _about_another_documents_subject(self, question: str, label: set[str], docs: Sequence[str]) -> bool:
        """"What are the risks of sanctions?": the only costs list is the brief's (of less-hardline approaches),
        while sanctions are the op-ed's subject. A list question narrowed to the subject of a document holding
        no such list is not answered by another document's list; the factoid path answers it."""
        holders = [d for d in docs if self._list_sections(label, [d])]
        others = [d for d in docs if d not in holders]
        if not holders or not others:
            return False
        narrowed = self._leftover(question, holders) - label
        if any(t in self._common_terms(d) for d in others for t in narrowed):
            return True
        # "Give an example of a proportional response": a phrase of the op-ed's, which the brief holding the list
        # of examples never uses. A phrase, not a word: "the risks of being too soft" is the brief's list still.
        ws = lexical.words(question)
        pairs = [f"{a} {b}" for a, b in zip(ws, ws[1:])
                 if lexical.terms(a) and lexical.terms(b) and set(lexical.terms(f"{a} {b}")) <= narrowed]
        return any(self._says(others, p) and not self._says(holders, p) for p in pairs)

    def _says(self, docs: Sequence[str], phrase: str) -> bool:
        return any(phrase in self.data.sentences[r].text.lower() for d in docs for r in self.outline.doc_rows[d]
                   if self.outline.content(r))

    def _someone_elses_proposal(self, question: str) -> bool:
        """Whether the one recommending is named and is neither a document, its author nor its publisher."""
        m = _PROPOSER.search(question)
        if m is None:
            return False
        who = m.group("who").lower()
        return not any(mentions(who, a) or mentions(a, who) for aliases in self.aliases.values() for a in aliases)

    def _read_as(self, intent: Intent, docs: Sequence[str], section: Section | None) -> str:
        names = [self.names[d].name for d in docs]
        where = " and ".join(names) if len(names) <= 2 else "the documents"
        if intent.kind == "comparison":
            return f"a comparison of {where}"
        if intent.kind == "list":
            return f"a list of the {intent.label} in {where}"
        if intent.label == "ending":
            return f"how {where} {'end' if len(names) > 1 else 'ends'}"
        if section is not None and intent.label:
            return f"the {section.title.lower() if intent.kind == 'recommendation' else intent.label} of {where}"
        if section is not None:
            return f"a summary of “{section.title}” in {where}"
        if intent.kind == "recommendation":
            return f"the recommendations of {where}"
        return f"a summary of {where}"

    def _content_terms(self, doc: str) -> tuple[frozenset[str], ...]:
        """The terms of each content sentence of a document, built once per document."""
        cached = self._row_terms.get(doc)
        if cached is None:
            cached = tuple(frozenset(lexical.terms(self.data.sentences[r].text)) for r in self.outline.doc_rows[doc]
                           if self.outline.content(r))
            self._row_terms[doc] = cached
        return cached

    def _common_terms(self, doc: str) -> frozenset[str]:
        cached = self._common.get(doc)
        if cached is None:
            rows = self._content_terms(doc)
            counts: dict[str, int] = {}
            for ts in rows:
                for t in ts:
                    counts[t] = counts.get(t, 0) + 1
            cached = frozenset(t for t, c in counts.items() if c >= COMMON_SHARE * max(1, len(rows)))
            self._common[doc] = cached
        return cached

    def _leftover(self, question: str, docs: Sequence[str]) -> set[str]:
        """Content terms of the question that neither frame it, name a source, nor are the documents' own
        subject (title words and terms in a fifth of their sentences): what it is narrowed to."""
        low = question.lower()
        for d in self.data.documents:
            for a in sorted(self.aliases[d], key=len, reverse=True):
                if mentions(low, a):
                    low = re.sub(rf"(?<![\w-]){re.escape(a)}(?![\w-])", " ", low)
            for s in self.surnames[d]:
                if names_surname(question, s):
                    low = re.sub(rf"(?<![\w-]){re.escape(s.lower())}(?:’s|'s)?(?![\w-])", " ", low)
        frame = FRAME_TERMS | FRAME_WORDS | ADDRESSEES
        out = set(lexical.terms(low)) - frame
        for d in docs:
            out -= set(lexical.terms(self.data.documents[d].title))
            out -= self._common_terms(d)
        return {t for t in out if not t.isdigit() or len(t) > 2}

    def _section_terms(self, section: Section, intro: bool = False) -> set[str]:
        text = " ".join(section.path)
        if intro:
            text += " " + " ".join(self.data.sentences[r].text for r in section.rows[:4])
        return set(lexical.terms(text))

    def _names_a_case(self, narrowed: set[str], docs: Sequence[str]) -> bool:
        """Whether a narrowing word names a numbered section ("Case Study 3: U.S.-Soviet Détente"): the general
        list is then about something else. The words of the documents' titles ("Russia") are not among them
        (`_leftover` takes them out)."""
        return any(narrowed & set(lexical.terms(s.title)) for s in self.outline.sections_of(docs)
                   if s.heading_row is not None and NUMBERED.match(" ".join(s.title.split())))

    def _pointed_section(self, question: str, body: str, docs: Sequence[str]) -> Section | None:
        """The section a follow-up's topic is the heading of: the item a pointer picked from a list of sections.
        A topic that only shares words with a heading is left to the question's own words."""
        topic = about_topic(question) if question != body else None
        if not topic:
            return None
        wanted = " ".join(topic.split())
        return next((s for s in self.outline.sections_of(docs) if s.heading_row is not None
                     and " ".join(s.title.split()) == wanted), None)

    def _named_section(self, leftover: set[str], docs: Sequence[str]) -> Section | None:
        """The section whose heading covers the question's remaining terms ("the détente case study")."""
        total = math.fsum(self.idf(t) for t in leftover) or 1.0
        scored: list[tuple[float, int, Section]] = []
        for s in self.outline.sections_of(docs):
            if s.heading_row is None or self.outline.roles[s.heading_row] in ("caption", "credit", "boilerplate"):
                continue
            cover = math.fsum(self.idf(t) for t in leftover & set(lexical.terms(s.title))) / total
            if cover >= 0.6:
                scored.append((cover, -len(s.path), s))
        if not scored:
            return None
        scored.sort(key=lambda x: (-x[0], -x[1]))
        if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][1] == scored[0][1]:
            return None  # two sections fit equally: not a section question
        return scored[0][2]

    def _comparison_topic(self, question: str, docs: Sequence[str]) -> str:
        """The question without its comparison frame and source names: what the documents are compared on."""
        low = question.lower()
        for d in self.data.documents:
            for a in sorted(self.aliases[d], key=len, reverse=True):
                low = re.sub(rf"(?<![\w-]){re.escape(a)}(?:’s|'s)?(?![\w-])", " ", low)
        low = _COMPARE_FRAME.sub(" ", low)
        kept = [re.sub(r"[’']s?$", "", w) for w in re.findall(r"[\w’'.-]+", low)]
        kept = [w for w in kept
                if w not in FRAME_WORDS and w not in lexical.stopwords() and w not in _TOPIC_FRAME]
        words = [w.strip(".") for w in kept if w.strip(".")]
        return " ".join(words) if lexical.terms(" ".join(words)) else ""
