"""Which earlier topic a follow-up leans on (assistant/followup.py) and which preamble a question drops
(assistant/question.py), table-driven: a request's frame is not a
topic, a pointer to an earlier answer names none, and "that" can point back like "it"."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.extractive import Scored
from assistant.followup import needs_context, own_words_first, topic_for, topic_of


@pytest.mark.parametrize(("question", "topic"), [
    ("What is a less-hardline approach?", "a less-hardline approach"),
    ("What does the RAND brief mean by a less-hardline approach?", "a less-hardline approach"),
    ("Summarize the op-ed for me.", "the op-ed"),
    ("Give me an overview of the reset", "the reset"),
    ("Explain the reset please", "the reset"),
    ("explain detente real quick", "detente"),                 # how to answer, typed after the subject
    ("whats the rand thing about basically", "the rand thing"),   # "whats" is "what is"
    ("describe the 1907 deal in a nutshell pls", "the 1907 deal"),
    ("Who wrote the op-ed?", "the author of the op-ed"),
    ("What were the long-term outcomes of the reset?", "the long-term outcomes of the reset"),
    # all frame, no subject
    ("Can you give some examples?", ""),
    ("Tell me more", ""),
    ("Tell me more about the first one.", ""),   # a pointer to an earlier answer
    ("What about that?", ""),
    ("Who was involved?", ""),                   # the subject is left out: it is the earlier one
    ("what happened next?", ""),
    ("What is the Seattle Times op-ed arguing?", "the Seattle Times op-ed"),
    ("Why might the benefits not show up in practice?", "the benefits not show up in practice"),
    # after "did", the bare verb is frame: "try to achieve", "want it", "get out of"
    ("What did the Obama reset with Russia try to achieve?", "the Obama reset with Russia"),
    ("Why did Britain want it?", "Britain it"),              # the pronoun stays: it points further back
    ("What did Russia get out of the 1907 deal?", "Russia the 1907 deal"),
    ("What does the op-ed say about sanctions?", "the op-ed about sanctions"),
    ("How does the deal work?", "the deal"),                  # a noun after "the", not a verb
    ("What does RAND recommend?", "RAND recommend"),          # what a source recommends is the subject
    ("What years?", ""),                                      # a bare question word: the earlier subject
    ("How much?", ""),
    ("Why?", ""),                                             # all frame
    ("What was détente premised on?", "détente"),            # a participle and its preposition are frame
    ("What is the brief based on?", "the brief"),
    # the subject typed first, then the question ("détente - what was the point")
    ("detente - what was the point", "detente"),
    ("the anglo russian deal, what was it", "the anglo russian deal"),
    ("In 1907, what did Britain want?", "In 1907, what did Britain want"),   # an adverbial is no subject
    # a request's frame typed around the subject
    ("tldr of the op ed?", "the op ed"),
    ("quick q on the reset under obama, main ideas?", "the reset under obama"),
    ("the reset, key points", "the reset"),
    # where a term was read is no part of it
    ('What does "weak-willed or irresolute" mean in that context?', '"weak-willed or irresolute"'),
    ("What does linkage mean here?", "linkage"),
    ("", ""),
])
def test_topic_of(question: str, topic: str) -> None:
    assert topic_of(question) == topic


@pytest.mark.parametrize(("history", "question", "topic"), [
    # a turn with no subject of its own keeps the one before it
    (["What is a less-hardline approach?", "Can you give some examples?"], "And what are the risks of it?",
     "a less-hardline approach"),
    (["Summarize the op-ed for me."], "Who wrote it?", "the op-ed"),
    (["What does RAND recommend?", "Tell me more about the first one."], "What would that involve?",
     "RAND recommend"),
    (["Is negotiating with Russia risky?"], "What's the evidence for that?", "negotiating with Russia risky"),
    (["Is negotiating with Russia risky?"], "Does RAND say that sanctions work?", None),  # "that" opens a clause
    ([], "Why does that matter?", None),
    (["What was the U.S.-Russia reset?", "Who was involved?"], "What did it actually achieve?",
     "the U.S.-Russia reset"),
    (["Tell me about the 1907 Anglo-Russian Convention"], "what happened next?", "the 1907 Anglo-Russian Convention"),
    (["Tell me about détente between the US and the Soviets", "what years?"], "what did the US get out of it?",
     "détente between the US and the Soviets"),             # "what years?" names no subject of its own
    (["What does RAND recommend?"], "Why?", None),
    (["What does RAND recommend if Washington wants to stabilize relations?"], "Which issues exactly?",
     "RAND recommend if Washington wants to stabilize relations"),
    # "it" is one thing: the reset, not the principles behind it; "they" may be the principles.
    (["What were the three principles behind Obama's reset?"], "What did it achieve?", "Obama's reset"),
    (["What were the costs of the reset?"], "Why were they so high?", "the costs of the reset"),
    (["What does the United States want?"], "Is it realistic?", "the United States"),   # a name, not a plural
])
def test_topic_for(history: list[str], question: str, topic: str | None) -> None:
    assert topic_for(question, history) == topic


@pytest.mark.parametrize(("question", "leans"), [
    ("Why does that matter?", True),
    ("What's the evidence for that?", True),
    ("What core issues would that involve?", True),
    ("Does RAND say that sanctions work?", False),
    ("What is the reset?", False),
    ("what did each side want", True),      # the sides of what was asked before
    ("What did both countries gain?", True),
    ("why did the talks fall apart", True),   # the talks just spoken of
    ("how big were the cuts", True),
    ("Why did the talks between Britain and Russia start?", False),   # named here
    ("What did the treaty of 1907 settle?", False),
    ("hows that diff from hardline", True),   # contracted "how is that"
    ("Give me a few examples.", True),        # examples of what was just asked about
    ("any examples?", True),
    ("Give me examples of hardline policies", False),
    ("what's that mean", True),
])
def test_that_as_a_pointer(question: str, leans: bool) -> None:
    assert needs_context(question) is leans


@pytest.mark.parametrize(("typed", "question"), [
    ("I have five minutes before a meeting — what's the main argument of each document?",
     "What's the main argument of each document?"),
    ("Quick question: who wrote the op-ed?", "Who wrote the op-ed?"),
    ("my boss asks: what does RAND recommend?", "What does RAND recommend?"),
    ("Sanctions: what does the op-ed say?", "Sanctions: what does the op-ed say?"),  # the preamble is the topic
    ("What is détente: a policy or a period?", "What is détente: a policy or a period?"),
    ("Détente — when was it?", "Détente — when was it?"),
    ("Different question — what does the op-ed say about dialogue?", "What does the op-ed say about dialogue?"),
    # a polite request frame around the question proper
    ("Could you please explain why the reset's effects did not last?", "Why the reset's effects did not last?"),
    ("Can you tell me what the op-ed says about sanctions?", "What the op-ed says about sanctions?"),
    ("Explain the conclusions", "Explain the conclusions"),                 # no question inside: an overview
    ("Tell me about détente", "Tell me about détente"),
    # a preamble sentence ending in a full stop, not one of "U.S."
    ("I'm reading the détente section of the RAND brief. What was détente premised on?",
     "What was détente premised on?"),
    ("The U.S. What did it do?", "The U.S. What did it do?"),
    ("Détente ended. What came after?", "Détente ended. What came after?"),   # not about the asker: a topic
])
def test_a_preamble_about_the_asker_is_dropped(typed: str, question: str) -> None:
    from assistant.question import without_preamble
    assert without_preamble(typed) == question


def test_a_follow_up_s_own_words_come_before_its_topic_s(assistant: Assistant) -> None:
    ans = assistant.ask("Was it successful?", history=["What was détente?"])
    assert not ans.abstained
    assert ans.text.startswith("Détente had an overall, if temporary, stabilizing effect")


@pytest.mark.parametrize(("asked", "query", "texts", "first"), [
    # the best holds none of the follow-up's words; the runner-up near it does
    ("Was it successful?", "Was it successful? (about: détente)", ["Détente began in 1969.", "It was a success."], 1),
    # an acronym in capitals is not the follow-up's word
    ("When did it start?", "When did it start? (about: the reset)", ["The reset began in 2009.", "New START cut arms."], 0),
    # a question that stands alone keeps its order
    ("Was détente successful?", "Was détente successful?", ["Détente began in 1969.", "It was a success."], 0),
])
def test_own_words_first(asked: str, query: str, texts: list[str], first: int) -> None:
    scored = [Scored(0, 1.0, 0.5, 0.5), Scored(1, 0.95, 0.5, 0.5)]
    assert own_words_first(asked, query, scored, lambda r: texts[r])[0].row == first


@pytest.mark.parametrize(("typed", "question"), [
    ("Different topic: how many case studies does the brief have in total?",
     "How many case studies does the brief have in total?"),
    ("ok other question, what is new start and who signed it?", "What is new start and who signed it?"),
    ("Switching to the RAND brief — does it agree that engaging Russia won't make it more aggressive?",
     "Does the RAND brief agree that engaging Russia won't make it more aggressive?"),
    ("switching to the op-ed: what are its main points?", "What are the op-ed’s main points?"),
    ("What is a new topic in the brief?", None),            # "new topic" inside the question is no opener
    ("Other questions remain open?", None),
    ("New subject areas for research?", None),                 # no question follows the words
    ("Another question arises: what now?", None),              # a word between: not an opener
])
def test_a_topic_switch_opener(typed: str, question: str | None) -> None:
    from assistant.question import topic_switch
    assert topic_switch(typed) == question


def test_a_topic_switch_drops_the_earlier_topic(assistant: Assistant) -> None:
    q = assistant.parse("Different topic: how many case studies does the brief have in total?",
                        history=["What did Byrnes trade?"])
    assert q.topic is None and q.standalone is None
    assert q.text == "How many case studies does the brief have in total?"


def test_a_follow_up_gets_its_own_answer_not_the_previous_one(assistant: Assistant) -> None:
    # Before, the topic's words won and the answer repeated the convention's first sentence.
    history = ["What was the Anglo-Russian Convention of 1907?"]
    ans = assistant.ask("Which countries did it cover?", history=history)
    assert not ans.abstained
    assert "Persia, Afghanistan, and Tibet" in ans.text


def test_a_capital_the_topic_names_as_its_country_is_not_the_follow_ups_own_word(assistant: Assistant) -> None:
    # "Moscow" is the topic's Russia: with it counted as the follow-up's own word, a sentence on China's
    # relations ("Moscow might feel greater insecurity") came first and the retaliation sentence was lost.
    from assistant.followup import _named_in_topic

    assert _named_in_topic("And how has Moscow reacted to them?",
                           "And how has Moscow reacted to them? (about: sanctions on Russia)") == {"moscow"}
    assert _named_in_topic("And how has Beijing reacted?", "And how has Beijing reacted? (about: Russia)") == set()
    ans = assistant.ask("And how has Moscow usually reacted to them?",
                        history=["What does the op-ed say about U.S. sanctions on Russia?"])
    assert "Russia has retaliated" in ans.text


def test_a_follow_up_led_by_its_own_words_drops_the_topics_higher_picks(assistant: Assistant) -> None:
    # The reset's opening sentences outscored the one saying it faded only on the topic's words, and were
    # quoted around it.
    history = ["quick q on the reset under obama, main ideas?"]
    ans = assistant.ask("why did it fade out", history=history)
    assert not ans.abstained and ans.citations[0].text.startswith("The reset's positive impact")
    assert not any("underwent" in c.text for c in ans.citations)
    # ... while a lower-scored pick that answers stays (test above: "Was it successful?")


def test_each_side_is_the_sides_of_the_previous_topic(assistant: Assistant) -> None:
    # "each side" leaned on nothing: the turn abstained, and its words became the next turn's topic.
    history = ["what happened w the us and soviets right after ww2"]
    ans = assistant.ask("what did each side want", history=history)
    assert not ans.abstained
    assert any("Stalin wanted" in c.text for c in ans.citations)
    assert topic_for("why did it break down", [*history, "what did each side want"]) != "each side"


@pytest.mark.parametrize(("question", "asked"), [
    ("What specific incentives—visa easing, sanctions relief, trade deals—does the op-ed propose offering Russia?",
     "What specific incentives does the op-ed propose offering Russia?"),
    ("which specific incentives does the op-ed want - sanctions relief, trade deals, something else?",
     "which specific incentives does the op-ed want?"),
    ("Which president — Obama or Trump — launched the reset?", "Which president launched the reset?"),
    ("Quick one - what does RAND say, briefly?", "Quick one - what does RAND say, briefly?"),   # a preamble
    ("what did the two sides - britain and russia - want", "what did the two sides - britain and russia - want"),
    ("what is the reset - a policy?", "what is the reset - a policy?"),   # one guess is no list of options
    ("Where did the Biden–Putin summit take place, and what came of it?",     # an en dash inside a name
     "Where did the Biden–Putin summit take place, and what came of it?"),
    ("Which case – détente or the reset – lasted longer?", "Which case lasted longer?"),
    ("", ""),
])
def test_options_offered_between_dashes_are_not_asked(question: str, asked: str) -> None:
    from assistant.question import without_options

    assert without_options(question) == asked


def test_a_guessed_name_among_options_does_not_make_the_question_unanswerable(assistant: Assistant) -> None:
    ans = assistant.ask("Which president — Obama or Trump — launched the reset?")
    assert not ans.abstained and "Barack Obama" in ans.text
    ans = assistant.ask("which specific incentives does the op-ed want - sanctions relief, trade deals, something else?")
    assert ans.abstained and ans.abstain_reason == "the documents speak of incentives but name none"
