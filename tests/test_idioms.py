"""Casual idioms searched with the plain words a written text uses (assistant/idioms.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.idioms import plain_words


def everything(word: str) -> bool:
    return True


@pytest.mark.parametrize(("question", "words"), [
    ("When did the reset lose steam?", ["faded", "waned", "declined", "weakened", "slowed"]),
    ("what did russia get out of it", ["obtained", "gained", "secured", "received", "benefits"]),
    ("why did it fall apart", ["collapsed", "deteriorated", "failed"]),   # one word per stem
    ("why did the soviets warm up to washington", ["closer", "relations", "rapprochement", "improved"]),
    ("whats the most obvious downside of being conciliatory", ["costs", "risks"]),
    ("did detente have any payoff long term or was it a bust",
     ["succeeded", "benefits", "results", "lasting", "failed", "failure"]),
    ("what did it actualy get done", ["achieved", "results", "accomplished"]),
    ("does the op ed want to get rid of sanctions", ["jettison", "abandon", "eliminate"]),
    ("so should we drop them then", ["jettison", "abandon", "eliminate"]),
    ("by how much did new start cut deployed nukes", ["nuclear", "warheads", "weapons"]),
    ("Why did the price drop?", []),                         # dropping a price is not abandoning it
    ("how could a less hardline policy save the us money", ["reduce", "costs", "spending"]),
    ("would being nice to russia make the us look weak", ["irresolute"]),   # "weak" is the question's own
    ("Is the weak ruble a problem?", []),
    ("so when's the best time to reach out", ["outreach", "engagement"]),
    ("did the gains last once relations soured", ["collapsed", "deteriorated", "failed"]),
    ("why did both sides sour on accommodation?", ["collapsed", "deteriorated", "failed"]),
    ("is the milk sour", []),
    ("What did the reset achieve?", []),                    # no idiom: searched as typed
    ("Why did the talks fail?", []),
    ("what did they gain from détente and what benefits", ["obtained", "secured", "received"]),  # not twice
    ("did the reset make russia bolder", ["emboldened"]),
    ("whats the basic theory behind detente", ["premised", "belief", "assumption", "rationale"]),
    ("which issues must be on the table", []),   # tried: "negotiations" pulled other negotiations up
    ("Is the font bold?", []),
    ("When did the good effects of the reset start to wear off?", ["faded", "waned", "declined", "weakened", "slowed"]),
    ("What did Russia come away with from the Convention?", ["obtained", "gained", "secured", "received", "benefits"]),
    ("And what was Stalin after in the settlement?", ["wanted", "sought"]),
    ("what was britain after?", ["wanted", "sought"]),
    ("What was signed after the war?", []),                 # later than, not sought                              # bold, not made bolder
    ("What theory does RAND test?", []),                    # a theory, not the thinking behind something
    ("Who came up with the theory of relativity?", []),     # a named theory
])
def test_plain_words(question: str, words: list[str]) -> None:
    assert plain_words(question, everything) == words


def test_only_words_the_corpus_knows_are_added() -> None:
    assert plain_words("When did the reset lose steam?", lambda w: w in {"faded", "waned"}) == ["faded", "waned"]


@pytest.mark.parametrize(("question", "quoted"), [
    ("when did the reset run out of steam", "waned by late 2012"),
    ("When and why did the reset's momentum run out?", "waned by late 2012"),
    ("what did russia get out of the 1907 convention", "Russia was able to obtain international loans"),
    ("why did the soviets warm up to washington in the early 70s", "encouraged Moscow to pursue closer relations"),
    ("whats the basic theory behind detente in the rand brief", "Détente was premised on the belief"),
    ("did the reset make russia bolder", "no evidence that the reset emboldened Russia"),
])
def test_an_idiom_finds_the_sentence_in_plain_words(assistant: Assistant, question: str, quoted: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained and any(quoted in c.text for c in answer.citations)
