"""The answer object every front end (CLI, chat, API, eval) shares."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .core import Retrieved


@dataclass(frozen=True)
class Citation:
    n: int
    doc: str
    title: str
    section: str
    start: int
    end: int
    text: str
    doc_sha256: str
    # The chunk the sentence belongs to: the passage shown around the quote.
    passage_start: int = 0
    passage_end: int = 0
    # What the quoted sentence is on the page (ingest/roles.py): body, claim_heading, label_heading, list_item.
    role: str = "body"


@dataclass(frozen=True)
class Passage:
    doc: str
    title: str
    section: str
    start: int
    end: int
    score: float
    text: str
    chunk: int


@dataclass(frozen=True)
class Segment:
    """A run of the answer text: a verbatim "quote" (with its citation number) or connective "text".

    Segments concatenate to the answer text exactly, so a reader (or the chat)
    can tell quoted characters from the assistant's own words. Citation
    markers such as " [1]" belong to the text segment after their quote.
    """

    kind: str  # "quote" | "text"
    text: str
    citation: int | None = None


def derive_segments(text: str, citations: list[Citation]) -> list[Segment]:
    """Segments of an answer made of quotes and markers: each citation's (whitespace-flattened) text
    found in order is a quote; everything else, markers included, is connective text. Answers whose
    sentences are not verbatim (an LLM's) come out as one text segment, which is what they are."""
    out: list[Segment] = []
    pos = 0
    for c in citations:
        quote = " ".join(c.text.split())
        at = text.find(quote, pos) if quote else -1
        if at < 0:
            continue
        if at > pos:
            out.append(Segment("text", text[pos:at]))
        out.append(Segment("quote", quote, c.n))
        pos = at + len(quote)
    if pos < len(text):
        out.append(Segment("text", text[pos:]))
    return out


def segments_json(segments: list[Segment]) -> list[dict[str, Any]]:
    """Segments with their [start, end) character offsets in the answer text."""
    out, pos = [], 0
    for s in segments:
        out.append({**asdict(s), "start": pos, "end": pos + len(s.text)})
        pos += len(s.text)
    return out


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    resolved_question: str = ""
    answerer: str = "extractive"
    notice: str = ""
    unsupported_sentences: list[str] = field(default_factory=list)
    index_build: str = ""
    # The selector's probability that the chosen sentence answers the question
    # (None where no selector ran, e.g. catalog facts). Abstention thresholds it.
    confidence: float | None = None
    abstain_reason: str = ""
    # How the question was read (assistant/intent.py): factoid, list, overview, recommendation, comparison;
    # `read_as` says it in words for the chat ("a summary of the op-ed").
    intent: str = "factoid"
    read_as: str = ""
    segments: list[Segment] = field(default_factory=list)
    # The retrieval the answer was chosen from (not part of the JSON): eval scores its ranking
    # deeper than the top_k passages shown (Assistant.passages(answer.retrieved, depth)).
    retrieved: Retrieved | None = field(default=None, repr=False, compare=False)

    @property
    def latency_ms(self) -> float:
        return float(self.timings.get("total_ms", 0.0))

    def to_json(self) -> dict[str, Any]:
        """The one JSON shape of `ask --json`, the /ask endpoint and eval results."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "passages": [asdict(p) for p in self.passages],
            "latency_ms": round(self.latency_ms, 3),
            "resolved_question": self.resolved_question,
            "answerer": self.answerer,
            "notice": self.notice,
            "unsupported_sentences": list(self.unsupported_sentences),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "index_build": self.index_build,
            "confidence": None if self.confidence is None else round(self.confidence, 6),
            "abstain_reason": self.abstain_reason,
            "intent": self.intent,
            "read_as": self.read_as,
            "segments": segments_json(self.segments or derive_segments(self.text, self.citations)),
        }
