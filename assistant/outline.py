"""The documents' own structure, as overview answers need it.

Overview, recommendation and list questions are answered from what the
author already wrote as an outline: sentence-long headings that state a claim
("... Could Still Lead to Limited but Durable Gains"), bulleted lists under a
label ("Potential Benefits"), numbered sections ("Case Study 3: ..."), and the
lead sentence of each paragraph. This module turns the index's sentence
records into that outline once, at load time, so answering only walks lists.

Sentence roles come from ingest (`role` on each sentence record, see
ingest/roles.py). Indexes built before roles existed lack the key; for them a
small fallback reads the `heading` flag, bullet markers in the text and photo
credits, which is enough for the shipped corpus and errs toward "body".
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.index import IndexData, SentenceRecord

NON_CONTENT = frozenset({"caption", "credit", "boilerplate"})
_PARA_SPLIT = re.compile(r"\n[ \t\u00a0]*\n")
_BULLET = re.compile(r"^[ \t]*(?:[•●▪◦‣∙*–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+$")
_CLAIM_VERB = re.compile(
    r"\b(?:should|could|would|will|may(?!\s+\d)|might|must|can|cannot|is|are|was|were|has|have|had|does|do|did"
    r"|appears?|seems?|remains?|leads?|needs?|shows?|helps?|fails?|makes?|works?|matters?|means?)\b", re.I)
_CREDIT = re.compile(r"\b(?:photo|image|illustration)s?\s+by\b|stock photo|getty images|alamy", re.I)
_FURNITURE_SECTION = re.compile(r"^(?:citation|citations|topics|document details|available for download|references|"
                                r"bibliography|permissions|related\b.*|share\b.*|cover:.*)$", re.I)
NUMBERED = re.compile(r"^(?P<label>[A-Z][\w-]*(?: [A-Z]?[\w-]+)?) (?P<num>\d{1,2}|[IVX]{1,4})\s*[:.—–-]\s*\S")


@dataclass(frozen=True)
class Section:
    """One heading's territory in one document: its path and the sentence rows directly under it."""

    doc: str
    path: tuple[str, ...]
    rows: tuple[int, ...]
    heading_row: int | None  # the row of the heading sentence itself, when the index holds one

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""


class Outline:
    """Roles, paragraphs and sections of every indexed sentence (read-only after construction)."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        sents = data.sentences
        self.roles: list[str] = [self._role(i, s) for i, s in enumerate(sents)]
        self.para: list[int] = []
        self.lead: list[bool] = []
        self.para_size: dict[int, int] = defaultdict(int)
        para_base = 0
        self.doc_rows: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(sents):
            self.doc_rows[s.doc].append(i)
        for doc, rows in self.doc_rows.items():
            starts = self._paragraph_starts(data.documents[doc].text)
            for r in rows:
                self.para.append(para_base + bisect.bisect_right(starts, sents[r].start) - 1)
            para_base += len(starts)
        seen: set[int] = set()
        for i, p in enumerate(self.para):
            self.para_size[p] += 1
            first = p not in seen and self.roles[i] == "body"
            if self.roles[i] == "body":
                seen.add(p)
            self.lead.append(first)
        self._para_rows: dict[int, list[int]] = defaultdict(list)
        for i, p in enumerate(self.para):
            self._para_rows[p].append(i)
        self._para_vecs: dict[int, np.ndarray] = {}
        self.sections: list[Section] = []
        by_key: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for i, s in enumerate(sents):
            by_key.setdefault((s.doc, tuple(s.section)), []).append(i)
        for (doc, path), rows in by_key.items():
            head = next((r for r in rows if sents[r].heading and path and sents[r].text == path[-1]), None)
            self.sections.append(Section(doc, path, tuple(rows), head))

    # -- roles ---------------------------------------------------------------
    def _role(self, i: int, s: SentenceRecord) -> str:
        if s.role:
            return s.role
        text = " ".join(s.text.split())
        if any(_FURNITURE_SECTION.match(p) for p in s.section):
            return "boilerplate"
        if _CREDIT.search(text):
            return "credit" if len(text.split()) <= 8 else "caption"
        if s.heading:
            if text.endswith("?") or len(text.split()) < 4 or not _CLAIM_VERB.search(text):
                return "label_heading"
            return "claim_heading"
        doc = self.data.documents[s.doc].text
        line_start = doc.rfind("\n", 0, s.start) + 1
        if _BULLET.match(doc[line_start:s.start]):
            return "list_item"
        return "body"

    @staticmethod
    def _paragraph_starts(text: str) -> list[int]:
        return [0] + [m.end() for m in _PARA_SPLIT.finditer(text)]

    # -- queries -------------------------------------------------------------
    def content(self, row: int) -> bool:
        return self.roles[row] not in NON_CONTENT

    def quotable_point(self, row: int) -> bool:
        """A sentence that can stand as one point of an overview: a claim heading, or prose
        that is neither a question nor a fragment."""
        role = self.roles[row]
        text = self.data.sentences[row].text.strip()
        if role == "claim_heading":
            return True
        return role in ("body", "list_item") and not text.endswith("?") and len(text.split()) >= 5

    def sections_of(self, docs: Sequence[str]) -> list[Section]:
        return [s for s in self.sections if s.doc in docs]

    def subtree(self, doc: str, path: tuple[str, ...]) -> list[int]:
        """Rows of a section and of every section nested under it, in document order."""
        n = len(path)
        return sorted(r for s in self.sections if s.doc == doc and s.path[:n] == path for r in s.rows)

    def children(self, doc: str, path: tuple[str, ...]) -> list[Section]:
        return [s for s in self.sections if s.doc == doc and len(s.path) == len(path) + 1 and s.path[:-1] == path]

    def claim_children(self, doc: str, path: tuple[str, ...]) -> list[int]:
        """The claim-heading rows that open the sections directly under `path` (findings, recommendations)."""
        out = []
        for s in self.children(doc, path):
            if s.heading_row is not None and self.roles[s.heading_row] == "claim_heading":
                out.append(s.heading_row)
        return sorted(out)

    def list_items(self, section: Section) -> list[int]:
        """The first run of list items directly under a section heading (never a neighbouring list)."""
        out: list[int] = []
        for r in section.rows:
            if self.roles[r] == "list_item":
                out.append(r)
            elif out:
                break
        return out

    def paragraph_leads(self, rows: Sequence[int], min_sentences: int = 2) -> list[int]:
        """The first sentence of each body paragraph of at least `min_sentences` sentences;
        a paragraph that opens with a question leads with the sentence after it."""
        out = []
        sents = self.data.sentences
        for r in rows:
            if not self.lead[r] or self.para_size[self.para[r]] < min_sentences:
                continue
            if sents[r].text.strip().endswith("?"):
                nxt = r + 1
                if nxt < len(sents) and self.para[nxt] == self.para[r] and self.roles[nxt] == "body":
                    out.append(nxt)
                continue
            out.append(r)
        return out

    def centrality(self, rows: Sequence[int], pool: Sequence[int]) -> np.ndarray:
        """Cosine of each row to the centroid of `pool` (the section's content sentences).

        A row is represented by its own vector averaged with its paragraph's mean vector: a topic
        sentence stands for its paragraph, and a short reply such as "For one thing, they have not
        worked." is only central in the context that says what "they" are.
        """
        vecs = self.data.sentence_vectors
        if not len(rows) or not len(pool):
            return np.zeros(len(rows), dtype=np.float32)
        centroid = vecs[list(pool)].mean(axis=0)
        centroid /= float(np.linalg.norm(centroid)) or 1.0
        mixed = np.stack([vecs[r] + self._paragraph_vector(r) for r in rows])
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True).clip(min=1e-9)
        return mixed @ centroid

    def _paragraph_vector(self, row: int) -> np.ndarray:
        p = self.para[row]
        cached = self._para_vecs.get(p)
        if cached is None:
            members = [r for r in self._para_rows[p] if self.content(r)] or [row]
            v = self.data.sentence_vectors[members].mean(axis=0)
            cached = v / (float(np.linalg.norm(v)) or 1.0)
            self._para_vecs[p] = cached
        return cached
