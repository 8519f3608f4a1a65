"""Detail questions about a name the documents write once (assistant/passing.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.passing import named_once

COUNTS = {"quadripartite": 1, "agreement": 9, "anglo-russian": 4, "convention": 12, "helsinki": 2, "final": 3, "act": 5,
          "salt": 1, "rand": 1, "tibet": 1}


def _saying(word: str) -> int:
    return COUNTS.get(word.lower(), 0)


@pytest.mark.parametrize(("question", "name"), [
    ("Who signed the Quadripartite Agreement?", "Quadripartite Agreement"),
    ("When was the Quadripartite Agreement signed?", "Quadripartite Agreement"),
    ("How many countries signed the Quadripartite Agreement?", "Quadripartite Agreement"),
    ("What did the Quadripartite Agreement settle?", ""),           # not a detail question
    ("Who is the Quadripartite Agreement's author?", ""),            # "who is": an identity, which one mention may give
    ("When was the Anglo-Russian Convention concluded?", ""),        # each word written elsewhere too
    ("Who signed the Helsinki Final Act?", ""),                      # written twice
    ("Who signed it?", ""),
    ("Which weapons did the SALT agreements restrict?", "SALT"),      # one word of four letters or more
    ("Which case study does RAND rate highest?", ""),                 # a publisher's name: never asked about
    ("What does the brief say about Medvedev?", ""),                  # what a text says of a name: its one sentence
    ("", ""),
])
def test_named_once(question: str, name: str) -> None:
    assert named_once(question, _saying, sources={"rand"}) == name


def test_a_name_in_passing_needs_a_surer_answer(assistant: Assistant) -> None:
    ans = assistant.ask("Who signed the Quadripartite Agreement?")
    assert ans.abstained
    assert ans.abstain_reason == "the documents name the Quadripartite Agreement only in passing (learned selector)"
    assert "such as the Quadripartite Agreement" in ans.text                     # shown as the closest passage
    assert not assistant.ask("Which agreement settled Western access to Berlin?").abstained
    assert assistant.retriever.sentences_saying("Quadripartite") == 1
    assert assistant.retriever.sentences_saying("Russia") > 20
