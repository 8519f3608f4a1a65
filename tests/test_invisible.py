"""Zero-width and other format characters in documents (issue 14, weak spot 2).

"Krem\\u200blin" did not match "Kremlin" in BM25, and "in 1934.\\u200b\\u200bThe next"
was one sentence. Documents are now searched and split as if the characters were
not there, while every record keeps the raw text its offsets point into.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest import lexical
from ingest.chunker import document_sentences
from ingest.documents import Heading, SourceDocument
from ingest.sentences import sentence_spans

# U+00AD soft hyphen, U+200B-D zero-width space/non-joiner/joiner, U+2060 word joiner, U+FEFF BOM, U+200E LRM.
FORMAT_CHARS = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e"]
KREMLIN = "The Krem\u200blin sent an envoy to Paris in the spring of 1934."
NEXT = "The next envoy went to London in 1936."
MOSCOW = (f"{KREMLIN}\u200b\u200b{NEXT} Both envoys carried letters from the Krem\u2060lin archive.\n\n"
          "Embassy Rules\u200b\n\nAn envoy reported to the ambassador every Friday.\n")
HARBOUR = "The ferry to Stornoway sailed twice a week in the summer of 1934. The harbour master kept its log.\n"


def _doc(text: str, headings: list[Heading] | None = None) -> SourceDocument:
    return SourceDocument("d", Path("d.txt"), "txt", text, "0" * 64, headings)


@pytest.mark.parametrize("ch", FORMAT_CHARS, ids=[f"U+{ord(c):04X}" for c in FORMAT_CHARS])
def test_document_and_query_terms_agree_across_a_format_character(ch: str):
    assert lexical.terms(f"Krem{ch}lin") == lexical.terms("Kremlin") == lexical.terms(f"{ch}Kremlin{ch}")
    assert lexical.words(f"The Krem{ch}lin said") == ["the", "kremlin", "said"]


def test_folding_without_format_characters_is_unchanged():
    # The shipped corpus has none: its terms must not move (the eval results stay identical).
    folded = [lexical.fold(t) for t in ("Détente and DÉTENTE", "Россия", "naïve café", "Plain ASCII, 1934.")]
    assert folded == ["detente and detente", "россия", "naive cafe", "plain ascii, 1934."]


def test_sentences_split_across_zero_width_spaces_with_exact_offsets():
    text = f"{KREMLIN}\u200b\u200b{NEXT}"
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [KREMLIN, NEXT]
    assert spans[1][0] == len(KREMLIN) + 2  # offsets into the raw text, past the two U+200B


def test_sentence_offsets_are_relative_to_the_whole_text():
    text = "Preface.\n\n" + f"{KREMLIN}\u200b\u200b{NEXT}"
    start = text.index("The")
    spans = sentence_spans(text, start, len(text))
    assert [text[s:e] for s, e in spans] == [KREMLIN, NEXT]


def test_document_records_keep_the_raw_characters_at_their_offsets():
    doc = _doc(MOSCOW)
    sentences = document_sentences(doc)
    for s in sentences:
        assert MOSCOW[s.start:s.end] == s.text
    texts = [s.text for s in sentences]
    assert KREMLIN in texts and NEXT in texts  # "1934.\u200b\u200bThe" no longer merges them
    assert any("Krem\u2060lin archive" in t for t in texts)  # the raw character stays in the record


def test_a_line_of_only_format_characters_separates_blocks_and_headings_read_without_them():
    text = "An envoy left Moscow in 1934.\n\u200b\nKrem\u200blin Policy\u200b\n\ufeff\nThe envoys reported every Friday.\n"
    sentences = document_sentences(_doc(text))
    heading = [s for s in sentences if s.heading]
    assert [s.text for s in heading] == ["Krem\u200blin Policy"]  # the trailing U+200B is not part of it
    assert heading[0].section == ("Kremlin Policy",)  # section titles are compared as words: no U+200B
    assert sentences[-1].section == ("Kremlin Policy",)
    for s in sentences:
        assert text[s.start:s.end] == s.text


def test_markup_headings_with_format_characters_get_clean_section_titles():
    text = "# Krem\u200blin Policy\n\nThe envoys reported every Friday.\n"
    sentences = document_sentences(_doc(text, [Heading(2, text.index("\n"), 1)]))
    assert sentences[-1].section == ("Kremlin Policy",)
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize("ch", FORMAT_CHARS, ids=[f"U+{ord(c):04X}" for c in FORMAT_CHARS])
def test_the_embedder_tokenizers_drop_format_characters(ch: str):
    """Checked, not assumed: MiniLM's tokenizer (BERT clean-text) removes every C* character, for
    the document side (sentence-transformers' fast tokenizer and the token counter) and the
    query side (tokenizers over the same tokenizer.json, as the ONNX encoder runs it)."""
    from transformers import AutoTokenizer

    from ingest import embedder

    raw, clean = f"The Krem{ch}lin in 1934.{ch}{ch}The next", "The Kremlin in 1934.The next"
    for tok in (embedder._tokenizer(), embedder._tokenizer_for_counting()):
        assert tok.encode(raw).ids == tok.encode(clean).ids
    st = AutoTokenizer.from_pretrained(str(embedder.model_path()))
    assert st(raw)["input_ids"] == st(clean)["input_ids"]


@pytest.fixture(scope="module")
def zero_width_index(tmp_path_factory: pytest.TempPathFactory, small_index: Callable[..., Path]) -> Path:
    return small_index(tmp_path_factory.mktemp("zero-width"), {"moscow.txt": MOSCOW, "harbour.txt": HARBOUR})


def test_bm25_finds_a_word_with_a_zero_width_space_inside(zero_width_index: Path):
    from ingest.index import open_index

    opened = open_index(zero_width_index)
    query = lexical.terms("Kremlin")
    assert query and all(t in opened.bm25.vocab_dict for t in query)
    scores = opened.bm25.get_scores(query)
    found = {opened.data.chunks[i].doc for i in range(len(scores)) if scores[i] > 0}
    assert found == {"moscow"}
    for c in opened.data.chunks:
        assert opened.data.documents[c.doc].text[c.start:c.end] == c.text
    for s in opened.data.sentences:
        assert opened.data.documents[s.doc].text[s.start:s.end] == s.text
    assert KREMLIN in [s.text for s in opened.data.sentences]


def test_a_question_about_the_kremlin_is_answered_with_a_verified_citation(zero_width_index: Path):
    from assistant import Assistant

    from reliability_helpers import verify_citations

    assistant = Assistant(zero_width_index)
    answer = assistant.ask("When did the Kremlin send an envoy to Paris?")
    assert not answer.abstained, answer
    verify_citations(assistant, answer)
    assert answer.citations[0].doc == "moscow"
    assert answer.citations[0].text == KREMLIN  # the sentence alone, not merged with the next one
