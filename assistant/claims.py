"""A claim put to the documents for checking: "<claim>. Is that what RAND found?".

A fact-checker writes the claim first and asks about it after: "I've seen it reported that after the 1907
convention Britain cut its spending on India's defense. Is that what RAND found?", "My draft says New START cut
deployed strategic warheads by half. Does the RAND brief back that up?". The question proper ("Is that what
RAND found?") holds nothing to search for, and the claim, opening with the asker ("I've seen"), was dropped as
chat preamble (question.without_preamble), so the search ran on "Is that what RAND found?" alone.

Read as "Is it true that <claim>?", the claim is searched, and the yes/no checks apply to it: a sentence that
denies it ("Britain did not subsequently reduce its expenditures on the defense of India") is its answer
(premises.check). Only a question proper that points back at the claim ("that", "this", "it", "so") and asks
whether it holds is read so; "… . What did RAND find?" asks something of its own.
"""
from __future__ import annotations

import re

from ingest.lexical import stopwords

# The question proper: whether "that" holds, or whether a source says, backs or confirms it.
_CHECKS = re.compile(
    r"^(?:(?:so|and|but|ok|okay)\s*,?\s+)?(?:"
    r"(?:is|was|isn['’]t)\s+(?:that|this|it)\s+(?:really\s+|actually\s+)?(?:true|right|correct|accurate|so|the case|"
    r"what\b|in\b|supported\b|backed\b|borne out\b|consistent\b)|"
    r"(?:does|do|did|would|will|can)\s+(?:[\w'’.-]+\s+){0,5}?(?:back|bear)\s+(?:that|this|it)\s+(?:up|out)\b|"
    r"(?:does|do|did|would|can)\s+(?:[\w'’.-]+\s+){0,5}?(?:support|confirm|corroborate|say|agree with|back|verify)\s+"
    r"(?:that|this|it|so)\b|"
    r"(?:can|could)\s+you\s+(?:confirm|verify|check)\s+(?:that|this|it)\b|"
    r"(?:am\s+i|are\s+we)\s+(?:right|correct|wrong)\b|(?:true|right|correct|accurate)\b)[^?]*\?*$", re.I)
# The claim before it, after the last sentence break; the question proper is one sentence.
_SPLIT = re.compile(r"^(?P<claim>.{12,}?)\s*(?:[.!;]|\s[—–-]\s|—|–)\s*(?P<check>[^.!?;—–]+\?*)\s*$", re.S)
# Who said it, which is not part of it: "I've seen it reported that", "My draft says", "A colleague told me".
_SAID_BY = re.compile(
    r"^(?:(?:so|ok|okay|well|hmm|hi|hey)\s*,?\s+)*(?:"
    r"i(?:['’]ve|\s+have)?\s+(?:seen|read|heard|been told)|i\s+(?:think|believe|recall|remember|was told)|"
    r"my\s+(?:[\w-]+\s+){1,2}?(?:says?|said|claims?|claimed|states?|argues?|reads?)|"
    r"(?:someone|somebody|people|a\s+\w+)\s+(?:told me|says?|said|claims?|claimed))"
    r"(?:\s+(?:it|somewhere|online|elsewhere))*(?:\s+(?:reported|said|claimed|written|suggested|argued|stated))?"
    r"(?:\s+(?:somewhere|online|elsewhere))?\s*,?\s*(?:that\s+)?", re.I)

_FILLER = re.compile(r"^(?:(?:so|ok|okay|well|hmm|and|but)\b\s*,?\s*)+", re.I)


def claim_question(text: str) -> str | None:
    """"Is it true that <claim>?" for a claim followed by a question whether it holds; None otherwise."""
    m = _SPLIT.match(text.strip())
    if m is None or not _CHECKS.match(m.group("check").strip()):
        return None
    claim = _FILLER.sub("", _SAID_BY.sub("", m.group("claim").strip(), count=1)).strip(" ,.;:")
    if len(claim.split()) < 3 or "?" in claim:
        return None
    first, _, rest = claim.partition(" ")
    if first.lower() in stopwords():  # "After the 1907 convention …" mid-sentence; a name keeps its capital
        first = first.lower()
    return f"Is it true that {first} {rest}?"
