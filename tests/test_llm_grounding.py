"""The sentence-support check of generated answers (assistant/grounding.py), no server needed."""
from __future__ import annotations

import pytest

from assistant import Answer, Assistant
from assistant.grounding import (
    MIN_DENSE,
    MIN_DENSE_SHORT,
    MIN_LEXICAL,
    SHORT_TERMS,
    Support,
    check_answer,
    has_claim,
    parse_markers,
    split_answer,
    verdict,
)

RESET = "When did the U.S.-Russia reset begin?"


def numbered(answer: Answer, phrase: str) -> int:
    for n, p in enumerate(answer.passages, start=1):
        if phrase.lower() in " ".join(p.text.split()).lower():
            return n
    raise AssertionError(f"no retrieved passage contains {phrase!r}")


def unrelated(answer: Answer, n: int) -> int:
    """A passage number whose passage is not the one holding the evidence."""
    return next(i for i in range(1, len(answer.passages) + 1) if i != n
                and "january 2009" not in answer.passages[i - 1].text.lower())


@pytest.fixture(scope="module")
def reset(assistant: Assistant) -> Answer:
    return assistant.ask(RESET)


def test_markers_are_parsed_in_every_common_shape() -> None:
    assert parse_markers("x [1] y [2, 3] z [4][5] [6-8] [Passage 9] [10 and 11]") == list(range(1, 12))
    assert parse_markers("no markers [sic] here (1)") == []


def test_markers_after_the_full_stop_belong_to_the_sentence_before() -> None:
    parts = split_answer("The reset began in 2009. [1] It created a commission. [2, 3]\n- A bullet [4]")
    assert [(t, n) for _, t, n in parts] == [
        ("The reset began in 2009.", [1]), ("It created a commission.", [2, 3]), ("- A bullet", [4])]
    assert [line for line, _, _ in parts] == [0, 0, 1]


def test_answer_words_alone_make_no_claim() -> None:
    assert not has_claim("No.") and not has_claim("Yes [2].") and not has_claim("Partly:")
    assert has_claim("Since 2014.") and has_claim("Britain did not cut spending.")


@pytest.mark.parametrize(("support", "ok"), [
    (Support(MIN_LEXICAL, MIN_DENSE, (), 8), True),
    (Support(MIN_LEXICAL - 0.01, 0.99, (), 8), False),          # words not in the passage
    (Support(1.0, MIN_DENSE - 0.01, (), 8), False),             # meaning too far from the passage
    (Support(1.0, MIN_DENSE_SHORT, (), SHORT_TERMS), True),      # short fragment: relaxed embedding bar
    (Support(1.0, MIN_DENSE_SHORT - 0.01, (), SHORT_TERMS), False),
    (Support(1.0, 0.99, ("1990",), 8), False),                  # a number the passage does not have
])
def test_documented_thresholds(support: Support, ok: bool) -> None:
    assert verdict(support)[0] is ok
    assert (MIN_LEXICAL, MIN_DENSE, MIN_DENSE_SHORT, SHORT_TERMS) == (0.5, 0.35, 0.2, 3)


def test_paraphrase_citing_the_right_passage_is_supported(assistant: Assistant, reset: Answer) -> None:
    n = numbered(reset, "January 2009")
    checked = check_answer(assistant.evidence, f"The reset started when Barack Obama took office in January 2009 [{n}].",
                           reset.passages)
    (s,) = checked.sentences
    assert s.supported, s.reason
    assert s.lexical >= MIN_LEXICAL and s.dense >= MIN_DENSE
    assert checked.unsupported == [] and checked.text.endswith(f"[{n}]")
    (c,) = checked.citations
    doc = assistant.document_text(c.doc)
    p = reset.passages[n - 1]
    assert c.n == n and c.text == doc[c.start:c.end] and p.start <= c.start < c.end <= p.end
    assert "January 2009" in c.text and len(c.text) < len(p.text)  # the sentence, not the whole passage


def test_the_same_claim_citing_an_unrelated_passage_is_flagged(assistant: Assistant, reset: Answer) -> None:
    wrong = unrelated(reset, numbered(reset, "January 2009"))
    claim = "The reset started when Barack Obama took office in January 2009."
    checked = check_answer(assistant.evidence, f"{claim} [{wrong}]", reset.passages)
    assert checked.unsupported == [claim] and checked.citations == []
    assert f"[{wrong}]" not in checked.text


def test_invented_facts_and_missing_citations_are_flagged(assistant: Assistant, reset: Answer) -> None:
    n = numbered(reset, "January 2009")
    raw = (f"The reset began when President Barack Obama took office in January 2009 [{n}]. "
           f"The reset was negotiated by Angela Merkel in Berlin in 1990 [{n}]. "
           "Experts agree it was a total success.")
    checked = check_answer(assistant.evidence, raw, reset.passages)
    assert checked.unsupported == ["The reset was negotiated by Angela Merkel in Berlin in 1990.",
                                   "Experts agree it was a total success."]
    reasons = [s.reason for s in checked.sentences]
    assert "1990" in reasons[1] and reasons[2] == "no citation"
    assert checked.supported_count == 1 and [c.n for c in checked.citations] == [n]


def test_out_of_range_citations_are_dropped(assistant: Assistant, reset: Answer) -> None:
    n = numbered(reset, "January 2009")
    k = len(reset.passages)
    checked = check_answer(assistant.evidence, f"Obama took office in January 2009 and began the reset [{n}][{k + 3}]. "
                                      f"The reset began in January 2009 [0].", reset.passages)
    assert checked.dropped == [0, k + 3]
    assert [s.supported for s in checked.sentences] == [True, False]
    assert checked.sentences[1].reason == "no valid citation"
    assert all(1 <= c.n <= k for c in checked.citations)
    assert f"[{k + 3}]" not in checked.text and "[0]" not in checked.text


def test_a_sentence_without_citation_borrows_the_next_ones_and_is_still_checked(assistant: Assistant, reset: Answer) -> None:
    n = numbered(reset, "January 2009")
    checked = check_answer(assistant.evidence, f"Barack Obama took office in January 2009. U.S. policy toward Russia then "
                                      f"underwent a reset [{n}].\nAngela Merkel chaired every summit. "
                                      f"The reset began in January 2009 [{n}].", reset.passages)
    assert [(s.borrowed, s.supported) for s in checked.sentences] == [
        (True, True), (False, True), (True, False), (False, True)]
    assert checked.text.splitlines()[0] == (f"Barack Obama took office in January 2009. [{n}] "
                                            f"U.S. policy toward Russia then underwent a reset. [{n}]")
    assert checked.unsupported == ["Angela Merkel chaired every summit."]
