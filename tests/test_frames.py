"""Question frames: words an answer need not contain are not scored as query terms."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.frames import frame_terms
from ingest.lexical import terms


@pytest.mark.parametrize(("question", "frame"), [
    ("How many sanctions packages were imposed?", "many"),
    ("What role did China play in détente?", "role play"),
    ("Which roles do allies play?", "role play"),
    ("What happened in 2014?", "happened"),
    ("What has happened since?", "happened"),
    ("Did China play a role?", ""),  # a yes/no question about playing a role: the words are its content
    ("What is the role of China?", ""),  # no "play": "role" may be what the sentence says
    ("How does China factor into RAND's analysis?", "factor analysis"),
    ("How did Ukraine figure in the op-ed's argument?", "figure argument"),
    ("What factors shaped détente?", ""),  # no "how … factor into": the factors are what is asked
    ("When did it happen?", ""),  # measured: dropping it made a follow-up quote the wrong date
    ("does rand think china matters here", "matters here"),
    ("Does geography matter?", "matter"),
    ("", ""),
])
def test_frame_terms(question: str, frame: str) -> None:
    assert frame_terms(question) >= frozenset(terms(frame))
    if not frame:
        assert not frame_terms(question) & {"about", "happen", "role", "play", "mani", "factor"}


@pytest.mark.parametrize("question", ["What role does China play in RAND's analysis?", "What happened in 2014?",
                                      "How does China factor into RAND's analysis?",
                                      "does rand think china matters here"])
def test_frame_questions_are_answered(assistant: Assistant, question: str) -> None:
    """All abstained as weak evidence: "role", "play", "happened", "factor", "analysis" and "matters here"
    counted as missing."""
    answer = assistant.ask(question)
    assert not answer.abstained
    key = "China" if "china" in question.lower() else "2014"
    assert any(key in c.text for c in answer.citations)
