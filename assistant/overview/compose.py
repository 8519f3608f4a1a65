"""Composing a structured answer: a short lead that is visibly not a quote, then the points.

Every point is a whole sentence cited on its own span; `Composition` holds
the answer as pieces (connective text and quoted index rows) and
assistant/core.py turns the rows into verified citations. Findings and
recommendations the author set out as sentence-long headings are given
whole, up to a cap; other documents give their most central points, and a
list question gives every item of the one list it points to.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ingest import lexical
from ingest.index import IndexData

from ..intent import FRAME_TERMS, Intent
from ..outline import NUMBERED, Outline, Section
from .extremes import asked_extreme, pick
from .names import DocName, count_word
from .plan import Plan, labelled_section
from .points import NORMATIVE, Points

MAX_POINTS = 7
OVERVIEW_POINTS = 5
SECTION_POINTS = 4
LIST_CAP = 10
FIRST_LEAD_BONUS = 0.1
ENDING_SENTENCES = 3
# What else a list question's label is called in a heading ("What are the benefits?" finds "Advantages").
LIST_SYNONYMS = {"benefits": "benefit advantage upside gain", "costs": "cost risk downside drawback",
                 "examples": "example illustration", "case studies": "case study", "steps": "step stage"}


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

    def bullets(self, rows: Sequence[int]) -> None:
        for r in sorted(rows):
            self.say("\n• ")
            self.quote(r)

    def more(self, shown: int, total: int, noun: str) -> None:
        if total > shown:
            self.say(f"\n(and {count_word(total - shown)} more {noun}{'s' if total - shown != 1 else ''})")

    def cites(self) -> bool:
        return any(p.row is not None for p in self.pieces)


class Composer:
    """Composes overview, section, recommendation and list answers for plans over one index."""

    def __init__(self, data: IndexData, outline: Outline, names: Mapping[str, DocName]) -> None:
        self.data = data
        self.outline = outline
        self.names = names
        self.points = Points(data, outline)

    def compose(self, plan: Plan) -> Composition | None:
        if plan.intent.label == "ending":
            return self._ending(plan)
        if plan.intent.kind == "list":
            return self._list(plan)
        if plan.section is not None and plan.intent.label and plan.section.heading_row is not None \
                and self.outline.claim_children(plan.section.doc, plan.section.path):
            return self._claims(plan)
        if plan.section is not None:
            return self._section_overview(plan)
        if plan.intent.kind == "recommendation":
            return self._prescriptions(plan)
        return self._document_overview(plan)

    def _ending(self, plan: Plan) -> Composition | None:
        """"How does the op-ed end?": each document's closing paragraph, with the one before it when the last
        is a single sentence (an op-ed's closing line leans on the paragraph it ends)."""
        o = self.outline
        comp = Composition()
        for doc in plan.docs:
            body = [r for r in self.points.content_rows(o.doc_rows[doc]) if o.roles[r] == "body" and o.quotable_point(r)]
            if not body:
                continue
            paras = sorted({o.para[r] for r in body})
            closing = [r for r in body if o.para[r] == paras[-1]]
            if len(closing) < 2 and len(paras) > 1:
                closing = [r for r in body if o.para[r] == paras[-2]][-(ENDING_SENTENCES - len(closing)):] + closing
            if comp.cites():
                comp.say("\n\n")
            comp.say(f"{self.names[doc].cap} ends:")
            comp.bullets(closing[-ENDING_SENTENCES:])
        return comp if comp.cites() else None

    def _claims(self, plan: Plan) -> Composition:
        """Findings or recommendations stated as sentence-long headings: all of them, up to the cap."""
        s = plan.section
        assert s is not None
        claims = self.outline.claim_children(s.doc, s.path)
        noun = "recommendation" if plan.intent.kind == "recommendation" else "finding"
        name = self.names[s.doc]
        shown = claims
        if len(claims) > MAX_POINTS:
            pool = self.points.content_rows(self.outline.subtree(s.doc, s.path))
            shown = sorted(self.points.ranked(claims, pool)[:MAX_POINTS])
        verb = "makes" if noun == "recommendation" else "reports"
        comp = Composition()
        comp.say(f"{name.cap} {verb} {count_word(len(claims))} {noun}{'s' if len(claims) != 1 else ''}:")
        comp.bullets(shown)
        comp.more(len(shown), len(claims), noun)
        return comp

    def _section_overview(self, plan: Plan) -> Composition | None:
        """A named section: the most central lead of each sub-section, then the most central others."""
        s = plan.section
        assert s is not None
        o = self.outline
        rows = self.points.content_rows(o.subtree(s.doc, s.path))
        candidates = [r for r in self.points.candidates(rows) if o.quotable_point(r)]
        if not candidates:
            return None
        first_leads = set()
        for child in [s, *o.children(s.doc, s.path)]:
            leads = o.paragraph_leads([r for r in child.rows if r in set(rows)])
            if leads:
                first_leads.add(leads[0])
        ranked = self.points.ranked(candidates, rows, lambda r: FIRST_LEAD_BONUS if r in first_leads else 0.0)
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
        # "Benefits and Costs" recurs under each case study: name the one meant.
        parent = f" of “{s.path[-2]}”" if len(s.path) > 1 and sum(t.path[-1] == s.title for t in o.sections_of([s.doc])) > 1 else ""
        comp.say(f"Main points of “{s.title}”{parent} in {name.name}:")
        comp.bullets(chosen)
        return comp

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
        return comp if comp.cites() else None

    def _one_document(self, comp: Composition, doc: str, k: int, single: bool) -> bool:
        o = self.outline
        rows = self.points.content_rows(o.doc_rows[doc])
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
            intro = self.points.ranked(intro_rows, body, self.points.stance)[:1]
            comp.bullets(intro)
            per_group = max(1, (k - len(intro)) // len(groups[:2]))
            for s in groups[:2]:
                claims = o.claim_children(doc, s.path)
                noun = self._group_noun(s)
                shown = sorted(self.points.ranked(claims, rows)[:per_group + (1 if s is groups[0] else 0)])
                comp.say(f"\nIts {noun}s include:")
                comp.bullets(shown)
                comp.more(len(shown), len(claims), noun)
            return True
        candidates = [r for r in self.points.candidates(rows) if o.quotable_point(r)]
        chosen = self.points.ranked(candidates, body, self.points.bonus)[:k]
        if not chosen:
            return False
        comp.say(f"Main points of {name.name}, in {'the author’s' if name.opinion else 'its'} words:")
        comp.bullets(chosen)
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
            rows = self.points.content_rows(o.doc_rows[doc])
            body = [r for r in rows if o.roles[r] == "body"]
            labelled = labelled_section(o, "recommendations", [doc])
            if labelled is not None:
                claims = o.claim_children(doc, labelled.path)
                shown = sorted(self.points.ranked(claims, rows)[:MAX_POINTS])
                lead = f"{self.names[doc].cap} makes {count_word(len(claims))} recommendations:"
            else:
                cands = [r for r in body if NORMATIVE.search(sents[r].text) and o.quotable_point(r)
                         and not re.search(r"\b(?:not|n[’']t)\b[^.]{0,20}\b(?:should|must|needs? to)\b", sents[r].text)]
                shown = sorted(self.points.ranked(cands, body)[:4])
                claims = shown
                who = f"{self.names[doc].possessive} author" if self.names[doc].opinion else self.names[doc].name
                lead = f"{who[:1].upper() + who[1:]} recommends:"
            if not shown:
                continue
            if comp.pieces:
                comp.say("\n\n")
            comp.say(lead)
            comp.bullets(shown)
            comp.more(len(shown), len(claims), "recommendation")
        return comp if comp.cites() else None

    def _list(self, plan: Plan) -> Composition | None:
        """Every item of the list the question points to; never items of a neighbouring list. "Pros and cons"
        asks for two lists: each is composed alone, one after the other."""
        if len(plan.intent.labels) > 1:
            parts = [c for c in (self._list(dataclasses.replace(plan, intent=Intent("list", label)))
                                 for label in plan.intent.labels) if c is not None]
            if not parts:
                return None
            comp = parts[0]
            for extra in parts[1:]:
                comp.say("\n\n")
                comp.pieces.extend(extra.pieces)
            comp.read_as = " and ".join(p.read_as for p in parts if p.read_as)
            return comp
        o = self.outline
        label_terms = set(lexical.terms(plan.intent.label))
        label_terms |= set(lexical.terms(LIST_SYNONYMS.get(plan.intent.label, "")))
        options: list[tuple[float, Section, list[int]]] = []
        asked = set(lexical.terms(plan.topic)) - label_terms - FRAME_TERMS
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
            own = set(lexical.terms(" ".join(s.path))) - label_terms - FRAME_TERMS
            if own and asked and not own & asked:
                # Its headings name a subject, the question another: "an example of a concrete trade the US
                # made with Stalin" does not ask for the list "Hardline Approach › Examples".
                continue
            options.append((fit, s, items))
        comp = Composition()
        if numbered and (not options or plan.intent.label == "case studies"):
            (doc, label), heads = max(numbered.items(), key=lambda kv: len(kv[1]))
            plural = label[:-1] + "ies" if label.endswith("y") else label + "s"
            word = asked_extreme(plan.topic)
            one = pick(word, [self.data.sentences[r].text for r in heads]) if word else None
            if word and one is not None:
                comp.say(f"Of the {count_word(len(heads))} {plural} {self.names[doc].name} presents, the {word} is:")
                comp.read_as = f"the {word} of the {plural} in {self.names[doc].name}"
                comp.bullets([heads[one]])
                return comp
            comp.say(f"{self.names[doc].cap} presents {count_word(len(heads))} {plural if len(heads) != 1 else label}:")
            comp.read_as = f"a list of the {plural} in {self.names[doc].name}"
            comp.bullets(heads[:LIST_CAP])
            comp.more(min(len(heads), LIST_CAP), len(heads), label.split()[-1])
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
            comp.bullets(items[:LIST_CAP])
            comp.more(min(len(items), LIST_CAP), len(items), "item")
        return comp
