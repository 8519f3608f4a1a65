"""Intent rules (assistant/intent.py), table-driven: each frame and the factoid questions they must leave alone."""
from __future__ import annotations

import pytest

from assistant.intent import classify

CASES = [
    # (question, documents named, kind, label)
    ("Summarize the op-ed.", 1, "overview", ""),
    ("Please describe the Anglo-Russian case study in the RAND brief.", 1, "overview", ""),   # a section's overview
    ("describe the detente case", 0, "overview", ""),
    ("describe the case study selection", 0, "factoid", ""),                 # a detail of the cases, not one case
    ("Give me the gist of the Seattle Times piece.", 1, "overview", ""),
    ("What does the op-ed argue?", 1, "overview", ""),
    ("What does the Seattle Times piece by Glennys Young argue?", 1, "overview", ""),   # a long name for the source
    ("What are the main findings of the RAND brief?", 1, "overview", "findings"),
    ("What are the key takeaways?", 0, "overview", "findings"),
    ("What did the researchers conclude from their case studies?", 1, "overview", "findings"),
    ("In a nutshell, what is the report about?", 1, "overview", ""),
    ("What does the RAND brief recommend?", 1, "recommendation", "recommendations"),
    ("What policy advice does RAND give?", 1, "recommendation", "recommendations"),
    ("What should U.S. policymakers do, according to the brief?", 1, "recommendation", "recommendations"),
    ("What are the potential benefits of a less-hardline approach?", 0, "list", "benefits"),
    ("What are the downsides of a less-hardline approach?", 0, "list", "costs"),
    ("List the potential costs and risks.", 0, "list", "costs"),
    ("Give examples of less-hardline policies.", 0, "list", "examples"),
    ("Which case studies does the brief examine?", 1, "list", "case studies"),
    ("what are the 4 case studies in the rand brief", 1, "list", "case studies"),   # a count in digits
    # a misspelt kind word, and how long the answer should be
    ("what does rand recomend overall", 1, "recommendation", "recommendations"),
    ("sumarize the op ed", 1, "overview", ""),
    ("whats the rand brief about in like 2 sentences", 1, "overview", ""),
    # a bare plural noun phrase, as typed into a chat box: a section's name, asking for what it lists
    ("Potential costs and risks?", 0, "list", "costs"),
    ("What could go wrong with engaging Russia?", 0, "list", "costs"),
    ("What could go wrong?", 0, "list", "costs"),
    # costs an approach cuts are a benefit of it, not its costs; the costs of cutting something are costs
    ("What kinds of costs can a less-hardline approach cut?", 0, "factoid", ""),
    ("What expenses could a softer stance trim?", 0, "factoid", ""),
    ("What are the costs of cutting defense spending?", 0, "list", "costs"),
    ("Benefits?", 0, "list", "benefits"),
    ("Key risks of a less-hardline approach", 0, "list", "costs"),
    ("the examples.", 0, "list", "examples"),
    ("Do the two documents agree on sanctions?", 0, "comparison", ""),
    ("How do the op-ed and the RAND brief differ?", 2, "comparison", ""),
    ("What do both sources say about trust?", 0, "comparison", ""),
    ("Compare the documents' views on escalation.", 0, "comparison", ""),
    ("Do the two agree?", 0, "comparison", ""),
    ("Are the documents in agreement on sanctions?", 0, "comparison", ""),
    # a new user's phrasings
    ("what about the benefits", 0, "list", "benefits"),        # asked first, "what about X" asks about X
    ("what's the seattle times piece arguing", 1, "overview", ""),
    ("whats the gist", 0, "overview", ""),
    ("lessons from all four cases?", 0, "overview", "findings"),
    # a treaty is an agreement, and its sides are no sources: one fact is asked for
    ("What did the Intermediate Nuclear Forces agreement require each side to eliminate?", 0, "factoid", ""),
    ("What did the agreement give each country?", 0, "factoid", ""),
    ("What should the U.S. do now?", 0, "recommendation", "recommendations"),
    ("what r the costs", 0, "list", "costs"),  # chat shorthand
    ("What were the report's findings?", 0, "overview", "findings"),
    ("What lessons does the op-ed offer?", 1, "overview", "findings"),
    ("Is there common ground between the two pieces?", 0, "comparison", ""),
    ("What does each source say about dialogue?", 0, "comparison", ""),
    ("wat r the benefits of a less-hardline approach", 0, "list", "benefits"),
    # what the history teaches: the findings drawn from it
    ("What can we learn from the case studies?", 0, "overview", "findings"),
    ("What did the case studies teach?", 0, "overview", "findings"),
    ("What lessons does RAND draw from history?", 1, "overview", "findings"),
    ("boil the op-ed down", 1, "overview", ""),
    # two lists asked together
    ("What are the main pros and cons of a less-hardline policy toward Russia?", 0, "list", "benefits and costs"),
    ("What are the risks and benefits?", 0, "list", "costs and benefits"),
    ("List the potential costs and risks.", 0, "list", "costs"),          # one list under two names
    ("What are the benefits of reducing costs?", 0, "list", "benefits"),  # not joined: one list
    # one source named: "them" are the things compared, not the documents
    ("Compare the Obama reset and détente as the RAND brief describes them.", 1, "factoid", ""),
    ("Where do the RAND researchers and the Seattle Times author agree, and where do they part ways?", 2,
     "comparison", ""),
    # "the two empires" are not the two sources, and "the Anglo-Russian agreement" is a treaty
    ("Why did the Anglo-Russian agreement do so little for relations between the two empires?", 0, "factoid", ""),
    # one fact: stays on the factoid path
    ("When was the Anglo-Russian Convention concluded?", 0, "factoid", ""),
    ("Who wrote the op-ed?", 1, "factoid", ""),
    ("Why did the reset fade?", 0, "factoid", ""),
    ("What is a less-hardline approach?", 0, "factoid", ""),
    ("What are the three core principles of the reset?", 0, "factoid", ""),
    ("Is there evidence that negotiating emboldens Russia?", 0, "factoid", ""),
    ("What is RAND's key finding about core concerns?", 1, "factoid", ""),
    ("How does today's triangle compare with the détente era?", 0, "factoid", ""),
    ("Risk of war?", 0, "factoid", ""),  # singular: one thing asked, not a list
    ("Cost of the war in Ukraine?", 0, "factoid", ""),
    ("Russia sanctions costs?", 0, "factoid", ""),  # the noun phrase is about something else first
    # a party agreed, and "them" are its people: no comparison of the documents
    ("why russia agreed to 1907 convention with britain? what was the motivation for them", 0, "factoid", ""),
    ("Would they agree on sanctions?", 0, "comparison", ""),
    # how many items a list holds: the list's answer states it
    ("How many recommendations does RAND make?", 1, "recommendation", "recommendations"),
    ("How many findings does the brief report?", 1, "overview", "findings"),
    ("How many case studies are there?", 0, "list", "case studies"),
    ("How many cases of cholera were reported?", 0, "factoid", ""),      # "cases of": not the list
    # Specific members of a category asked for: a factoid (named or not, specifics.py), not the recommendations.
    ("Which specific incentives does the op-ed propose offering Russia?", 1, "factoid", ""),
    ("What exact concessions does the brief suggest?", 1, "factoid", ""),
    # ... unless the category is itself the list.
    ("What specific recommendations does the brief make?", 1, "recommendation", "recommendations"),
    ("What does the op-ed recommend instead?", 1, "recommendation", "recommendations"),
    ("Which specific risks does the brief identify?", 1, "list", "costs"),
    # A document's closing words: asked of a document, not of an episode it tells ("how did the reset end").
    ("how does the op-ed wrap up", 1, "overview", "ending"),
    ("What is the last paragraph of the RAND brief?", 1, "overview", "ending"),
    ("How does the article conclude?", 0, "overview", "ending"),
    ("how did the reset end", 0, "factoid", ""),
    ("whats the rand thing about basically", 1, "overview", ""),   # filler at the end is no part of the question
    ("summarize the brief real quick pls", 1, "overview", ""),
    ("How does it conclude?", 0, "factoid", ""),
    ("op ed - whats the authors basic argument in one line", 1, "overview", ""),   # "basic" as "main"
    ("what's the general idea of the brief", 1, "overview", ""),
    ("what does she want instead", 0, "recommendation", "recommendations"),     # a writer's wish
    ("what does the author want the us to do", 0, "recommendation", "recommendations"),
    ("What did Stalin want?", 0, "factoid", ""),                                # a person in the documents
    ("how does she wrap it up?", 0, "overview", "ending"),                      # the writer concluding
    ("how did he end up there", 0, "factoid", ""),
    ("Give me the op-ed's argument in one line.", 1, "overview", ""),        # asked as a request
    ("tell me the argument", 0, "overview", ""),
    ("Walk me through the Anglo-Russian case study.", 0, "overview", ""),   # a request to summarise
    ("Can you give me some examples of it?", 0, "list", "examples"),     # a request, not a yes/no question
    ("can you list the examples", 0, "list", "examples"),
    ("Can you explain why détente ended?", 0, "factoid", ""),
]


@pytest.mark.parametrize(("question", "named", "kind", "label"), CASES)
def test_classify(question: str, named: int, kind: str, label: str) -> None:
    intent = classify(question, named)
    assert (intent.kind, intent.label) == (kind, label)


def test_follow_up_topic_does_not_change_the_frame() -> None:
    assert classify("What were its long-term outcomes? (about: the U.S.-Russia reset)").kind == "factoid"


@pytest.mark.parametrize(("text", "respelled"), [
    ("what does rand recomend overall", "what does rand recommend overall"),
    ("Sumarize the Brief", "summarize the Brief"),
    ("What does RAND Recommend?", "What does RAND Recommend?"),     # spelled right, in any case
    ("a summer summit in Helsinki", "a summer summit in Helsinki"),  # English words stay as they are
    ("", ""),
])
def test_respell_kind_words(text: str, respelled: str) -> None:
    from assistant.intent import respell_kind_words

    assert respell_kind_words(text) == respelled
