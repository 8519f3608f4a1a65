"""Names restored in a question typed all in lower case (assistant/truecase.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.truecase import Truecaser

SENTENCES = [
    "After years of negotiations, Britain and Russia concluded the Anglo-Russian Convention.",
    "In the years following the Convention, Russia continued to compete, but Stalin did not.",
    "Stalin's view of NATO was dim, and the convention of the time was silence.",
    "The Convention and the Convention again.",
    "Leaders wanted a durable peace.",   # "Leaders" opens the sentence: no sign of a name
    "The clearest example was Secretary James Byrnes, whom Secretary Marshall followed.",
    "It came shortly after the Sino-Soviet split, a post-war low-point.",
    "The New START treaty and START talks, from the start.",
]
NAMES = ["The Seattle Times", "Glennys Young"]


@pytest.mark.parametrize(("question", "cased"), [
    ("how did germany react to the anglo-russian convention", "how did Germany react to the Anglo-Russian Convention"),
    ("what did stalin's nato policy say", "what did Stalin's NATO policy say"),      # the commonest written form
    ("what's the seattle times piece arguing", "what's the Seattle Times piece arguing"),  # catalog facts
    ("how does beijing factor in", "how does Beijing factor in"),                    # a seat of government
    ("what did the us want from the ussr", "what did the us want from the USSR"),    # "us" may be the pronoun
    ("what did leaders want", "what did leaders want"),                              # only ever first in a sentence
    ("why did it fizzle out so fast", "why did it fizzle out so fast"),              # slang is no name
    ("what did the reset under president bush accomplish", "what did the reset under president Bush accomplish"),
    ("who was secretary of state then", "who was secretary of state then"),         # "of" names no one
    ("who was the british foreign secretary", "who was the British foreign secretary"),  # a title is no name
    ("How did germany react?", "How did germany react?"),                            # capitals typed: left as typed
    # whoever heads an administration is named, unless the documents write the word in lower case
    ("what did trump's administration do", "what did Trump's administration do"),
    ("what did the trump administration want", "what did the Trump administration want"),
    ("what did the previous administration want", "what did the previous administration want"),
    ("what did the peace administration want", "what did the peace administration want"),
    # an acronym the documents also write as a word in lower case is left as the word
    ("when did the reset start to fade", "when did the reset start to fade"),
    # a word neither English nor the documents', as a wh-question's subject or an owner, is a name ...
    ("what did khrushchev want from the peace", "what did Khrushchev want from the peace"),
    ("what was kissinger's view of it", "what was Kissinger's view of it"),
    # ... but not a misspelling of a word the documents use, nor an English word
    ("what did rusia want", "what did rusia want"),
    ("what did people want", "what did people want"),
    # whoever plays a role is named, unless the documents use the word
    ("what role did hillary clinton play in it", "what role did Hillary Clinton play in it"),
    ("what role did peace play", "what role did peace play"),
    # a compound of names the documents write apart, or of places, is a name
    ("what did the anglo-french convention say", "what did the Anglo-French Convention say"),
    ("why does the us-china rivalry matter", "why does the US-China rivalry matter"),
    ("a well-known low-hanging fruit", "a well-known low-hanging fruit"),
    ("what did the jackson-vanik amendment do", "what did the Jackson-Vanik amendment do"),   # no English word
    # a part of a compound name, typed alone, when the documents never write it in lower case
    ("what year was the sino soviet split", "what year was the Sino Soviet split"),
    ("what was the post war low point", "what was the post war low point"),          # parts of lower-case compounds
    # the word before a meeting or accord names its place, English word or not, unless the documents use it
    ("what about the minsk agreements", "what about the Minsk agreements"),
    ("what came of the biden-putin geneva summit", "what came of the Biden-Putin Geneva summit"),
    ("were the peace talks useful", "were the peace talks useful"),
    ("is there like agreement on sanctions", "is there like agreement on sanctions"),   # a filler, no place
    # a singular subject with no article, a word the documents never use, is a name though English
    ("what sanctions did trump put on them", "what sanctions did Trump put on them"),
    ("what did people think", "what did people think"),      # a plural without an "s"
    ("what has happened to it", "what has happened to it"),  # after "has", the verb of a "what" subject
    ("what could push them to talk", "what could push them to talk"),
    ("how did things go", "how did things go"),              # a plural
    ("what did libya want", "what did Libya want"),          # a country (name_variants.py)
    ("", ""),
])
def test_truecase(question: str, cased: str) -> None:
    assert Truecaser(SENTENCES, NAMES)(question) == cased


def test_a_lower_case_near_miss_abstains_like_its_cased_twin(assistant: Assistant) -> None:
    lower = assistant.ask("how did germany react to the anglo-russian convention")
    cased = assistant.ask("How did Germany react to the Anglo-Russian Convention?")
    assert lower.abstained and cased.abstained
    assert "Germany" in lower.abstain_reason


def test_a_lower_case_question_still_answers(assistant: Assistant) -> None:
    ans = assistant.ask("when did britain and russia sign the anglo-russian convention")
    assert not ans.abstained
    assert "August 1907" in ans.text


def test_the_index_truecaser_builds_only_for_lower_case_input(assistant: Assistant) -> None:
    from assistant.truecase import IndexTruecaser

    cased = IndexTruecaser(assistant.data)
    assert cased("How did Germany react?") == "How did Germany react?" and cased._built is None
    assert cased("how did germany react") == "how did Germany react" and cased._built is not None


def test_a_compound_name_typed_apart_is_still_the_name_the_passage_drops(assistant: Assistant) -> None:
    # "sino soviet split" was read as no name, so the dated sentence about the 1907 Convention answered it.
    from assistant.premises import dropped_name

    assert dropped_name("when was the Sino Soviet split", "after the Sino-Soviet split", ["prior to 1907"]) == "Sino Soviet"
    ans = assistant.ask("what year exactly was the sino soviet split")
    assert ans.abstained and "Sino" in ans.abstain_reason
