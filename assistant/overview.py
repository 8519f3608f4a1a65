"""Overview, recommendation, list and comparison answers, built from the documents' structure.

A factoid answer quotes the one to three sentences that best match a
question. "Summarize the brief", "What does it recommend?", "What are the
benefits?" and "Do the two documents agree?" need something else: the
points the author set out (claim headings, bullet lists, paragraph leads),
all of them or the most central, in document order, under a short lead that
is visibly not a quote. Every point is a whole sentence cited on its own span.

`StructuredAnswerer.plan` reads a question (intent + which documents and
sections it points to) and returns None when the factoid path should answer:
a question that asks for one fact, names something the corpus never mentions,
or narrows an overview frame to a detail ("What does RAND recommend for
Belarus?"). `compose` returns the answer as pieces (connective text and
quoted rows); assistant/core.py turns rows into verified citations.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest import lexical

from .intent import FRAME_WORDS, Intent, classify
from .outline import NUMBERED, Outline, Section

MAX_POINTS = 7
OVERVIEW_POINTS = 5
SECTION_POINTS = 4
LIST_CAP = 10
STANCE_BONUS = 0.15  # set on the dev items (eval/gold_overview.jsonl, dev split) only
NORMATIVE_BONUS = 0.1
FIRST_LEAD_BONUS = 0.1
RHETORICAL_WORDS = 8  # "Why not just sanctions?": a question the author answers in the next sentence
NEAR_DUPLICATE = 0.86  # cosine above which two candidate points say the same thing
COMMON_SHARE = 0.2  # a term in this share of a document's sentences says nothing about focus

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")
# How a question can name a kind of document besides its catalog words.
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "op-ed": ("op-ed", "oped", "op ed", "opinion piece", "opinion article", "column", "columnist", "editorial",
              "commentary"),
    "brief": ("brief", "report", "research summary", "researchers", "study"),
}
# Whom recommendations are addressed to: naming them does not narrow "what does it recommend".
ADDRESSEES = frozenset(lexical.terms("u.s. us united states america american washington government administration "
                                     "policymakers policy makers"))
_OPINION = re.compile(r"op-?ed|opinion|column|editorial|commentary|essay|letter", re.I)
_NORMATIVE = re.compile(r"\b(?:should|needs? to|must|ought to|it[’']s time|it is time|is up to|has to|have to)\b", re.I)
_THESIS = re.compile(
    r"\b(?:my answer|i (?:argue|believe|think|contend|propose|suggest)|in short|the bottom line|it[’']s time|"
    r"(?:researchers|we|this (?:brief|report|study|paper|article)) (?:explored?|examined?|examines|assess(?:ed|es)?|"
    r"stud(?:y|ied|ies)|analy[sz]ed?|investigated?|argue[sd]?|find|found))\b", re.I)
_LEANS_BACK = re.compile(r"^(?:this|these|that|those|it|its|they|their|such|both|nonetheless|however|moreover|"
                         r"instead|yet|so|but)\b", re.I)
_COMPARE_FRAME = re.compile(
    r"\b(?:do|does|did|how|where|what|in what ways?|to what extent)\b|\b(?:compare[sd]?|comparison|contrast|"
    r"differ\w*|agree\w*|disagree\w*|versus|vs\.?|similar\w*|in common|align\w*|views?|positions?|stances?|stand)\b",
    re.I)


@dataclass(frozen=True)
class Piece:
    """One part of a composed answer: connective text, or a quoted sentence (an index row)."""

    text: str = ""
    row: int | None = None
    quoted: bool = False  # set typographic quotation marks around the quote (inline quotes, not bullets)


@dataclass
class Composition:
    pieces: list[Piece] = field(default_factory=list)
    read_as: str = ""  # set when composing narrowed the plan's reading (the list found, the document holding it)

    def say(self, text: str) -> None:
        self.pieces.append(Piece(text=text))

    def quote(self, row: int, quoted: bool = False) -> None:
        self.pieces.append(Piece(row=row, quoted=quoted))


@dataclass(frozen=True)
class Plan:
    """How to answer: the intent, the documents in scope, and a section the question names."""

    intent: Intent
    docs: tuple[str, ...]
    section: Section | None = None
    topic: str = ""  # comparison: what the documents are compared on ("" = their overall positions)
    read_as: str = ""


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


def doc_name(doc) -> DocName:  # type: ignore[no-untyped-def]
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


def doc_aliases(doc) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
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


def _mentions(text: str, alias: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text) is not None


class StructuredAnswerer:
    """Plans and composes non-factoid answers for one Assistant (thread-safe, outline built once)."""

    def __init__(self, data, idf: Callable[[str], float], known_word: Callable[[str], bool] | None = None) -> None:  # type: ignore[no-untyped-def]
        self.data = data
        self.idf = idf
        self.known_word = known_word
        self._outline: Outline | None = None
        self._lock = threading.Lock()
        self.names = {d: doc_name(rec) for d, rec in data.documents.items()}
        self.aliases = {d: doc_aliases(rec) for d, rec in data.documents.items()}
        self._common: dict[str, frozenset[str]] = {}

    @property
    def outline(self) -> Outline:
        with self._lock:
            if self._outline is None:
                self._outline = Outline(self.data)
            return self._outline

    # -- planning -----------------------------------------------------------
    def named_docs(self, question: str) -> list[str]:
        low = question.lower()
        return [d for d, aliases in self.aliases.items() if any(_mentions(low, a) for a in aliases)]

    def plan(self, question: str, doc_filter: Sequence[str], body: str | None = None) -> Plan | None:
        """The plan for a structured answer, or None for the factoid path. `body`: the question without
        a follow-up's topic (Question.body), when `question` is a follow-up's retrieval text."""
        body = question if body is None else body
        named = self.named_docs(body)
        intent = classify(body, len(named))
        if intent.kind == "factoid":
            return None
        if self.known_word is not None:
            from .extractive import unknown_names

            if unknown_names(body, self.known_word):
                return None  # "the EU", "Belarus": the factoid path abstains on those
        allowed = list(doc_filter) or list(self.data.documents)
        docs = [d for d in named if d in allowed] or allowed
        if intent.kind == "comparison":
            if len(docs) < 2:
                docs = allowed if len(allowed) >= 2 else docs
            if len(docs) < 2:
                return None
            topic = question if self._comparison_topic(body, docs) else ""
            return Plan(intent, tuple(docs), None, topic, self._read_as(intent, docs, None))
        leftover = self._leftover(body, docs)
        section = None
        if intent.kind in ("overview", "recommendation") and intent.label:
            labelled = self._labelled_section(intent.label, docs)
            if labelled is not None:
                rest = leftover - self._section_terms(labelled, intro=True)
                if not rest:
                    return Plan(intent, (labelled.doc,), labelled, "", self._read_as(intent, [labelled.doc], labelled))
                if intent.kind == "recommendation":
                    return None
        if intent.kind == "list":
            return Plan(intent, tuple(docs), None, body, self._read_as(intent, docs, None))
        if leftover:
            section = self._named_section(leftover, docs)
            if section is None:
                return None  # narrowed to a detail: the factoid path answers it
            docs = [section.doc]
        return Plan(intent, tuple(docs), section, "", self._read_as(intent, docs, section))

    def _read_as(self, intent: Intent, docs: Sequence[str], section: Section | None) -> str:
        names = [self.names[d].name for d in docs]
        where = " and ".join(names) if len(names) <= 2 else "the documents"
        if intent.kind == "comparison":
            return f"a comparison of {where}"
        if intent.kind == "list":
            return f"a list of the {intent.label} in {where}"
        if section is not None and intent.label:
            return f"the {section.title.lower() if intent.kind == 'recommendation' else intent.label} of {where}"
        if section is not None:
            return f"a summary of “{section.title}” in {where}"
        if intent.kind == "recommendation":
            return f"the recommendations of {where}"
        return f"a summary of {where}"

    def _common_terms(self, doc: str) -> frozenset[str]:
        cached = self._common.get(doc)
        if cached is None:
            rows = [r for r in self.outline.doc_rows[doc] if self.outline.content(r)]
            counts: dict[str, int] = {}
            for r in rows:
                for t in set(lexical.terms(self.data.sentences[r].text)):
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
                if _mentions(low, a):
                    low = re.sub(rf"(?<![\w-]){re.escape(a)}(?![\w-])", " ", low)
        frame = set(lexical.terms(" ".join(FRAME_WORDS))) | set(FRAME_WORDS) | ADDRESSEES
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

    def _labelled_section(self, label: str, docs: Sequence[str]) -> Section | None:
        """A section whose heading (or opening sentences) names the label and whose sub-sections open with
        claim headings: "Recommendations", or a section introduced as "several findings"."""
        stem = set(lexical.terms(label))
        best: tuple[int, Section] | None = None
        for s in self.outline.sections_of(docs):
            if s.heading_row is None:
                continue
            claims = self.outline.claim_children(s.doc, s.path)
            if len(claims) < 2:
                continue
            in_title = bool(stem & set(lexical.terms(s.title)))
            intro = [r for r in s.rows if self.outline.roles[r] == "body"][:2]
            in_intro = any(stem & set(lexical.terms(self.data.sentences[r].text)) for r in intro)
            rank = 2 if in_title else 1 if in_intro else 0
            if rank and (best is None or rank > best[0]):
                best = (rank, s)
        return best[1] if best else None

    def _named_section(self, leftover: set[str], docs: Sequence[str]) -> Section | None:
        """The section whose heading covers the question's remaining terms ("the détente case study")."""
        total = sum(self.idf(t) for t in leftover) or 1.0
        scored: list[tuple[float, int, Section]] = []
        for s in self.outline.sections_of(docs):
            if s.heading_row is None or self.outline.roles[s.heading_row] in ("caption", "credit", "boilerplate"):
                continue
            cover = sum(self.idf(t) for t in leftover & set(lexical.terms(s.title))) / total
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
        kept = [w for w in re.findall(r"[\w’'.-]+", low)
                if w not in FRAME_WORDS and w not in lexical.stopwords() and w not in ("the", "and", "on", "about")]
        words = [w.strip(".") for w in kept if w.strip(".")]
        return " ".join(words) if lexical.terms(" ".join(words)) else ""

    # -- composing ----------------------------------------------------------
    def compose(self, plan: Plan, best_sentence: Callable[[str, str], int | None]) -> Composition | None:
        kind = plan.intent.kind
        if kind == "comparison":
            return self._comparison(plan, best_sentence)
        if kind == "list":
            return self._list(plan)
        if plan.section is not None and plan.intent.label and plan.section.heading_row is not None \
                and self.outline.claim_children(plan.section.doc, plan.section.path):
            return self._claims(plan)
        if plan.section is not None:
            return self._section_overview(plan)
        if kind == "recommendation":
            return self._prescriptions(plan)
        return self._document_overview(plan)

    def _dedupe(self, rows: Sequence[int]) -> list[int]:
        """Drop candidates that restate an earlier (better-ranked) one."""
        vecs = self.data.sentence_vectors
        kept: list[int] = []
        for r in rows:
            text = self.data.sentences[r].text
            if any(float(vecs[r] @ vecs[k]) >= NEAR_DUPLICATE or text == self.data.sentences[k].text for k in kept):
                continue
            kept.append(r)
        return kept

    def _ranked(self, candidates: Sequence[int], pool: Sequence[int], bonus: Callable[[int], float] | None = None) -> list[int]:
        """Candidates by centrality to the pool's centroid (plus an optional bonus), near-duplicates removed."""
        if not candidates:
            return []
        cent = self.outline.centrality(candidates, pool)
        score = {r: float(c) + (bonus(r) if bonus else 0.0) for r, c in zip(candidates, cent)}
        return self._dedupe(sorted(candidates, key=lambda r: (-score[r], r)))

    def _content_rows(self, rows: Sequence[int]) -> list[int]:
        o = self.outline
        return [r for r in rows if o.roles[r] in ("body", "claim_heading", "list_item")]

    def _bullets(self, comp: Composition, rows: Sequence[int]) -> None:
        for r in sorted(rows):
            comp.say("\n• ")
            comp.quote(r)

    def _more(self, comp: Composition, shown: int, total: int, noun: str) -> None:
        if total > shown:
            comp.say(f"\n(and {count_word(total - shown)} more {noun}{'s' if total - shown != 1 else ''})")

    def _claims(self, plan: Plan) -> Composition:
        """Findings or recommendations stated as sentence-long headings: all of them, up to the cap."""
        s = plan.section
        assert s is not None
        claims = self.outline.claim_children(s.doc, s.path)
        noun = "recommendation" if plan.intent.kind == "recommendation" else "finding"
        name = self.names[s.doc]
        shown = claims
        if len(claims) > MAX_POINTS:
            pool = self._content_rows(self.outline.subtree(s.doc, s.path))
            shown = sorted(self._ranked(claims, pool)[:MAX_POINTS])
        verb = "makes" if noun == "recommendation" else "reports"
        comp = Composition()
        comp.say(f"{name.cap} {verb} {count_word(len(claims))} {noun}{'s' if len(claims) != 1 else ''}:")
        self._bullets(comp, shown)
        self._more(comp, len(shown), len(claims), noun)
        return comp

    def _section_overview(self, plan: Plan) -> Composition | None:
        """A named section: the most central lead of each sub-section, then the most central others."""
        s = plan.section
        assert s is not None
        o = self.outline
        rows = self._content_rows(o.subtree(s.doc, s.path))
        candidates = [r for r in self._point_candidates(rows) if o.quotable_point(r)]
        if not candidates:
            return None
        first_leads = set()
        for child in [s, *o.children(s.doc, s.path)]:
            leads = o.paragraph_leads([r for r in child.rows if r in set(rows)])
            if leads:
                first_leads.add(leads[0])
        ranked = self._ranked(candidates, rows, lambda r: FIRST_LEAD_BONUS if r in first_leads else 0.0)
        chosen: list[int] = []
        for child in o.children(s.doc, s.path):
            child_rows = set(o.subtree(child.doc, child.path))
            best = next((r for r in ranked if r in child_rows), None)
            if best is not None and len(chosen) < SECTION_POINTS:
                chosen.append(best)
        for r in ranked:
            if len(chosen) >= SECTION_POINTS:
                break
            if r not in chosen:
                chosen.append(r)
        name = self.names[s.doc]
        comp = Composition()
        comp.say(f"Main points of “{s.title}” in {name.name}:")
        self._bullets(comp, chosen)
        return comp

    def _point_candidates(self, rows: Sequence[int]) -> list[int]:
        """Claim headings, paragraph leads, and sentences that state a thesis or purpose."""
        o = self.outline
        leads = set(o.paragraph_leads(rows))
        return [r for r in rows if o.roles[r] == "claim_heading" or r in leads or self._stance(r) > 0]

    def _stance(self, row: int) -> float:
        """How plainly a sentence states the author's position: a thesis or purpose marker ("My answer is",
        "researchers explored"), the sentence that carries on a thesis, or the reply to the author's own
        question ("Why not just sanctions? For one thing, they have not worked.")."""
        o = self.outline
        sents = self.data.sentences
        if o.roles[row] != "body":
            return 0.0
        text = sents[row].text
        if _THESIS.search(text):
            return STANCE_BONUS
        prev = row - 1
        if prev >= 0 and sents[prev].doc == sents[row].doc and o.para[prev] == o.para[row]:
            before = sents[prev].text.strip()
            short_question = before.endswith("?") and len(before.split()) <= RHETORICAL_WORDS
            if short_question or (_THESIS.search(before) and _NORMATIVE.search(text)):
                return STANCE_BONUS
        return 0.0

    def _point_bonus(self, row: int) -> float:
        """Ranking bonus beside centrality: stated positions and normative claims."""
        text = self.data.sentences[row].text
        return self._stance(row) + (NORMATIVE_BONUS if _NORMATIVE.search(text) else 0.0)

    def _document_overview(self, plan: Plan) -> Composition | None:
        """Whole documents: a purpose or thesis sentence, then the groups of claims the author set out
        (findings, recommendations) or, without such groups, the most central points."""
        comp = Composition()
        per_doc = OVERVIEW_POINTS if len(plan.docs) == 1 else 3
        for i, doc in enumerate(plan.docs):
            if i:
                comp.say("\n\n")
            if not self._one_document(comp, doc, per_doc, single=len(plan.docs) == 1):
                comp.say(f"{self.names[doc].cap} has no passages to summarize.")
        return comp if any(p.row is not None for p in comp.pieces) else None

    def _one_document(self, comp: Composition, doc: str, k: int, single: bool) -> bool:
        o = self.outline
        rows = self._content_rows(o.doc_rows[doc])
        if not rows:
            return False
        name = self.names[doc]
        groups = [s for s in o.sections_of([doc]) if s.heading_row is not None
                  and len(o.claim_children(doc, s.path)) >= 2]
        body = [r for r in rows if o.roles[r] == "body"]
        if groups and single:
            first = next((s for s in o.sections_of([doc]) if any(o.roles[r] == "body" and o.para_size[o.para[r]] >= 2
                                                                  for r in s.rows)), None)
            intro_rows = [r for r in (first.rows if first else ()) if o.roles[r] == "body" and o.quotable_point(r)]
            comp.say(f"Main points of {name.name}:")
            intro = self._ranked(intro_rows, body, self._stance)[:1]
            self._bullets(comp, intro)
            per_group = max(1, (k - len(intro)) // len(groups[:2]))
            for s in groups[:2]:
                claims = o.claim_children(doc, s.path)
                noun = self._group_noun(s)
                shown = sorted(self._ranked(claims, rows)[:per_group + (1 if s is groups[0] else 0)])
                comp.say(f"\nIts {noun}s include:")
                self._bullets(comp, shown)
                self._more(comp, len(shown), len(claims), noun)
            return True
        candidates = [r for r in self._point_candidates(rows) if o.quotable_point(r)]
        chosen = self._ranked(candidates, body, self._point_bonus)[:k]
        if not chosen:
            return False
        comp.say(f"Main points of {name.name}, in {'the author’s' if name.opinion else 'its'} words:")
        self._bullets(comp, chosen)
        return True

    def _group_noun(self, section: Section) -> str:
        words = lexical.words(section.title)
        if any(w.startswith("recommend") for w in words):
            return "recommendation"
        intro = " ".join(self.data.sentences[r].text for r in section.rows[:3]).lower()
        for noun in ("finding", "recommendation", "lesson", "conclusion"):
            if noun in intro or noun in " ".join(words):
                return noun
        return "point"

    def _prescriptions(self, plan: Plan) -> Composition | None:
        """Recommendations of documents without a recommendations section: their normative sentences."""
        o = self.outline
        sents = self.data.sentences
        comp = Composition()
        for doc in plan.docs:
            rows = self._content_rows(o.doc_rows[doc])
            body = [r for r in rows if o.roles[r] == "body"]
            labelled = self._labelled_section("recommendations", [doc])
            if labelled is not None:
                claims = o.claim_children(doc, labelled.path)
                shown = sorted(self._ranked(claims, rows)[:MAX_POINTS])
                lead = f"{self.names[doc].cap} makes {count_word(len(claims))} recommendations:"
            else:
                cands = [r for r in body if _NORMATIVE.search(sents[r].text) and o.quotable_point(r)
                         and not re.search(r"\b(?:not|n[’']t)\b[^.]{0,20}\b(?:should|must|needs? to)\b", sents[r].text)]
                shown = sorted(self._ranked(cands, body)[:4])
                claims = shown
                who = f"{self.names[doc].possessive} author" if self.names[doc].opinion else self.names[doc].name
                lead = f"{who[:1].upper() + who[1:]} recommends:"
            if not shown:
                continue
            if comp.pieces:
                comp.say("\n\n")
            comp.say(lead)
            self._bullets(comp, shown)
            self._more(comp, len(shown), len(claims), "recommendation")
        return comp if any(p.row is not None for p in comp.pieces) else None

    def _list(self, plan: Plan) -> Composition | None:
        """Every item of the list the question points to; never items of a neighbouring list."""
        o = self.outline
        label_terms = set(lexical.terms(plan.intent.label))
        synonyms = {"benefits": "benefit advantage upside gain", "costs": "cost risk downside drawback",
                    "examples": "example illustration", "case studies": "case study", "steps": "step stage"}
        label_terms |= set(lexical.terms(synonyms.get(plan.intent.label, "")))
        options: list[tuple[float, Section, list[int]]] = []
        numbered: dict[tuple[str, str], list[int]] = {}
        for s in o.sections_of(plan.docs):
            if s.heading_row is None:
                continue
            title_terms = set(lexical.terms(s.title))
            m = NUMBERED.match(" ".join(s.title.split()))
            if m and set(lexical.terms(m.group("label"))) & label_terms and len(s.path) >= 1:
                numbered.setdefault((s.doc, m.group("label").lower()), []).append(s.heading_row)
                continue
            if not (title_terms & label_terms):
                continue
            items = o.list_items(s)
            if not items:
                continue
            # The list whose heading path shares most words with the question, and adds fewest of its own
            # ("examples of less-hardline policies": "Less-Hardline Approach › Examples", not "Hardline Approach").
            raw = set(lexical.words(" ".join(s.path)))
            qwords = set(lexical.words(plan.topic))
            fit = len(qwords & raw) - 0.5 * len(raw - qwords - set(lexical.words(plan.intent.label)))
            options.append((fit, s, items))
        comp = Composition()
        if numbered and (not options or plan.intent.label == "case studies"):
            (doc, label), heads = max(numbered.items(), key=lambda kv: len(kv[1]))
            plural = label[:-1] + "ies" if label.endswith("y") else label + "s"
            comp.say(f"{self.names[doc].cap} presents {count_word(len(heads))} {plural if len(heads) != 1 else label}:")
            comp.read_as = f"a list of the {plural} in {self.names[doc].name}"
            self._bullets(comp, heads[:LIST_CAP])
            self._more(comp, min(len(heads), LIST_CAP), len(heads), label.split()[-1])
            return comp
        if not options:
            return None
        options.sort(key=lambda x: (-x[0], x[1].rows[0]))
        best = options[0][0]
        picked = [opt for opt in options if opt[0] == best][:2]
        for i, (_, s, items) in enumerate(picked):
            if i:
                comp.say("\n\n")
            name = self.names[s.doc]
            what = s.title.lower()
            if len(s.path) > 1 and len(lexical.terms(s.title)) <= 1:
                what = f"{what} of “{s.path[-2]}”"
            comp.say(f"{name.cap} lists {count_word(len(items))} {what}:")
            comp.read_as = f"a list of the {what} in {name.name}"
            self._bullets(comp, items[:LIST_CAP])
            self._more(comp, min(len(items), LIST_CAP), len(items), "item")
        return comp

    def _comparison(self, plan: Plan, best_sentence: Callable[[str, str], int | None]) -> Composition | None:
        """Each document's position in turn, with a cited sentence from each, or a plain note of silence."""
        comp = Composition()
        cited = 0
        for i, doc in enumerate(plan.docs):
            name = self.names[doc]
            if i:
                comp.say("\n")
            row = best_sentence(plan.topic, doc) if plan.topic else self._thesis(doc)
            if row is None:
                comp.say(f"{name.cap} does not address this.")
                continue
            rows = [row]
            prev = row - 1
            if (_LEANS_BACK.match(self.data.sentences[row].text) and prev >= 0
                    and self.data.sentences[prev].doc == doc and self.outline.para[prev] == self.outline.para[row]
                    and self.outline.quotable_point(prev)):
                rows = [prev, row]
            lead = f"{name.possessive} author writes: " if name.opinion else f"According to {name.name}, "
            comp.say(lead[:1].upper() + lead[1:])
            for j, r in enumerate(rows):
                if j:
                    comp.say(" ")
                comp.quote(r, quoted=True)
            cited += 1
        return comp if cited else None

    def _thesis(self, doc: str) -> int | None:
        """A document's most central thesis-like point: its overall position for an open comparison."""
        o = self.outline
        rows = self._content_rows(o.doc_rows[doc])
        body = [r for r in rows if o.roles[r] == "body"]
        cands = [r for r in self._point_candidates(rows) if o.quotable_point(r)]
        ranked = self._ranked(cands, body, self._point_bonus)
        return ranked[0] if ranked else None

