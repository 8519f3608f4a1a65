"""A question asking for a detail of something the documents name only once.

"Who signed the Quadripartite Agreement?", "Which countries signed the Helsinki Final Act?", "Who co-chaired
the Bilateral Presidential Commission?": the one sentence that names the agreement or body is about
something else ("European-led initiatives, such as the Quadripartite Agreement, settled the issue of Western
access to Berlin"), and it ranks first because it holds the name. A name written in only one sentence is
usually mentioned in passing, and a detail question about it (who, which, when, where, what year, how many,
how much, how long) is the commonest near miss: on the SQuAD development articles, 58 of the 72 such
questions are unanswerable, against half of all questions.

So such a question needs more of the learned selector: its answer must reach `PASSING_THRESHOLD` instead of
the general threshold. A name counts when any of its capitalised words appears in just one sentence or
heading of the documents ("Quadripartite"), so a name also written in part elsewhere ("the Convention" for
"Anglo-Russian Convention") does not.

The threshold was read off the SQuAD development articles (`eval run` on Huguenot, the tune article, and
three training articles), before any held-out figure: at 0.3 the subgroup's abstentions on unanswerable
questions rose from 22 to 40 of 58 and on answerable ones from 0 to 4 of 14 (Huguenot alone: 9 → 20 of 31,
0 → 1 of 3); above 0.3 answerable ones were lost faster than unanswerable ones were gained.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection

PASSING_THRESHOLD = 0.3
# "Who is Samuel Charap?" asks who he is, which the one sentence naming him may well say.
DETAIL = re.compile(r"^\s*(?:who(?!\s+(?:is|was|are|were)\b)|whom|which|when|where|in what year|in which year|what year|how many|how much|how long)\b",
                     re.I)
# A name ("Tibet", "Helsinki Final Act", "Edict of Nantes"), not the question's first word; one word needs four
# letters ("SALT" is one, "US" is not).
_NAME = re.compile(r"(?<!^)\b[A-Z][\w'’-]{3,}(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]+)*")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]+")


def named_once(question: str, sentences_saying: Callable[[str], int], sources: Collection[str] = ()) -> str:
    """The name a detail question asks about that the documents write in one sentence only, or "".
    `sources`: lower-case words naming the documents' publishers and authors ("RAND"), which the running text
    rarely repeats and which are never what a question asks a detail of."""
    question = question.strip()
    if not DETAIL.match(question):
        return ""
    for m in _NAME.finditer(question):
        words = _CAPITALISED.findall(m.group(0))
        if all(w.lower() in sources for w in words):
            continue
        if min(sentences_saying(w) for w in words) == 1:
            return m.group(0)
    return ""
