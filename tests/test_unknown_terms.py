"""The cheap abstention check: names and years the corpus never mentions (assistant/extractive.py)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.extractive import unknown_names

CORPUS = {"russia", "détente", "1972", "1950s", "2009", "nato", "president", "leader"}


def known(word: str) -> bool:
    return word.casefold() in CORPUS


@pytest.mark.parametrize("question, missing", [
    ("What did Russia do in 1972?", []),
    ("What sanctions did NATO impose in 1994?", ["1994"]),
    ("What changed between the 1950s and the 1960s?", ["1960s"]),
    ("What happened in the 1970s?", []),            # a decade is known through its first year
    ("What did Brazil say in 2009?", ["Brazil"]),
    ("How many troops were there, 5000 or 50000?", []),  # numbers that are not years are not checked
    ("1994 was the year of what?", ["1994"]),           # a year opening the question still counts
    ("What did the G20 agree in 2009?", ["G20"]),       # a name ending in digits is one name ...
    ("What did Russia want after WW2?", ["WW2"]),       # ... whole, not "WW" (known through its variants)
    # The role a who-question asks about: the documents must name it for anyone to hold it.
    ("Who was the U.S. ambassador in Russia?", ["ambassador"]),
    ("Who was the first president of Russia?", []),
    ("Who was the leader who signed it?", []),
    ("Who were the main negotiators?", ["negotiators"]),
    ("Who was the foreign minister across the table?", ["minister"]),   # the role before any preposition
    ("Who was the U.S. ambassador then?", ["ambassador"]),               # ... or "then", or nothing at all
    ("who was the U.S. ambassador", ["ambassador"]),
    ("Who was the leader with the most power?", []),
    ("Whose ambassador was it?", []),                   # not a who-is-the-role question
    ("Explain it like I'm new to this.", []),            # "I'm" is the asker, not a name
    ("", []),
])
def test_unknown_names_and_years(question: str, missing: list[str]) -> None:
    assert unknown_names(question, known) == missing


SAID = {"secretary of state", "soviet premier", "president", "war ii"}


@pytest.mark.parametrize("question, missing", [
    # A qualified office must be said as a phrase: "Secretary of State" is no "foreign secretary".
    ("Who was the British foreign secretary who negotiated the convention?", ["foreign secretary"]),
    ("Which British foreign secretary negotiated the convention?", ["foreign secretary"]),
    # a title before a name is no office asked about, and a verb no qualifier of it
    ("Which Russian actions prompted President Biden to act?", []),
    ("Who was the chief negotiator for the Soviets?", ["chief negotiator"]),
    ("Which U.S. secretary of state traded recognition?", []),            # the office itself, not qualified
    ("Who was the Soviet premier?", []),                                  # a capitalised qualifier is a name
    ("Who was the first president of Russia?", []),                       # "first" picks a holder
    ("Who was the primary rival of the team?", []),                       # a description, not an office
    # a numeral after a name makes another name: "SALT II" is not "SALT", "World War II" is said
    ("What was the outcome of the SALT II negotiations?", ["SALT II"]),
    ("What happened after World War II?", []),
    ("Did Louis XIV's court approve?", ["Louis XIV"]),
])
def test_a_qualified_office_must_be_said(question: str, missing: list[str]) -> None:
    assert unknown_names(question, lambda w: True, lambda phrase: phrase in SAID) == missing




def test_an_unknown_year_makes_the_real_assistant_abstain(assistant: Assistant) -> None:
    answer = assistant.ask("What sanctions did the United States impose on Russia in 1994?")
    assert answer.abstained and not answer.citations
    assert "never mention 1994" in answer.abstain_reason
    known_year = assistant.ask("What did the United States and Russia sign in 2010?")
    assert "never mention" not in known_year.abstain_reason


def test_a_name_only_a_photo_caption_carries_is_unknown(assistant: Assistant) -> None:
    # "The Potsdam Conference left to right: Joseph Stalin, Harry Truman, Winston Churchill." is a caption.
    answer = assistant.ask("What role did Churchill play in the postwar negotiations with Stalin?")
    assert answer.abstained and "never mention Churchill" in answer.abstain_reason
    # Stalin is in the running text too.
    assert "never mention" not in assistant.ask("What did Stalin want after the war?").abstain_reason


def test_a_misspelt_name_is_known_and_answered(assistant: Assistant) -> None:
    # "Breznev" is a misspelling of the running text's "Brezhnev" (a caption misspells it too, but captions do
    # not count): known, and not read as a name swapped for "Leonid Brezhnev".
    assert assistant.retriever.known_word("Breznev's") and not assistant.retriever.known_word("Geneva")
    answer = assistant.ask("What were Breznev's foreign policy priorities?")
    assert not answer.abstained and "Brezhnev's foreign policy priorities" in answer.text


def test_wwii_is_known_where_the_documents_say_world_war_ii(assistant: Assistant) -> None:
    answer = assistant.ask("Why did the US-Soviet accommodation fail after WWII?")
    assert "never mention" not in answer.abstain_reason and not answer.abstained


def test_a_role_the_documents_never_name_makes_the_real_assistant_abstain(assistant: Assistant) -> None:
    answer = assistant.ask("Who was the U.S. ambassador in Moscow during the reset?")
    assert answer.abstained and answer.abstain_reason == "the documents never mention ambassador"
    assert not assistant.ask("Who was the president during the reset?").abstained


def test_a_year_only_a_citation_block_carries_is_unknown(assistant: Assistant) -> None:
    # The RAND brief mentions 2024 once, in its "As of October 5, 2024" citation block, which is
    # boilerplate: never quoted, so not something the documents say about sanctions.
    answer = assistant.ask("Were sanctions imposed on Russia in 2024?")
    assert answer.abstained and not answer.citations
    assert "never mention 2024" in answer.abstain_reason


@pytest.mark.parametrize(("name", "expected"), [
    ("USSR", ("ussr", "soviet union", "soviets", "soviet")),
    ("U.K.", ("uk", "britain", "united kingdom", "british", "england", "english")),
    ("Poland", ("poland", "polish", "poles")),
    ("Warsaw", ("warsaw",)),       # a capital is not its country's variant: "Warsaw" is not "Poland" (swaps.py)
    ("Belarus", ("belarus", "belarusian", "belarusians")),
    ("Narnia", ("narnia",)),                        # not in the table: just itself
])
def test_name_variants(name: str, expected: tuple[str, ...]) -> None:
    from assistant.name_variants import government_of, variants
    assert variants(name) == expected
    assert government_of("Beijing's") == "china" and government_of("the EU") is None


def test_a_name_the_corpus_gives_another_way_is_known(assistant: Assistant) -> None:
    # The brief says "Soviet Union" and "the Polish border", never "USSR" or "Poland".
    known = assistant.retriever.known_word
    assert known("USSR") and known("Poland")
    assert not known("EU") and not known("UN")     # "European" and "Union" apart are not "European Union"
    assert known("Kremlin") and known("Beijing's")   # the brief names Russia and China, never these seats
    answer = assistant.ask("How does Beijing's relationship with Moscow affect Russian willingness to deal with the US?")
    assert "never mention" not in answer.abstain_reason
    answer = assistant.ask("Were the cases picked because Russia or the USSR is involved in every one?")
    assert "never mention" not in answer.abstain_reason


def test_a_name_derives_only_from_a_word_the_text_capitalises(assistant: Assistant) -> None:
    # "Geneva" shares its first four letters with "general" and "Generate" (a title-case heading), which
    # made it known; a name's derivation ("Asia"/"Asian") is itself a name in the running text.
    known = assistant.retriever.known_word
    assert not known("Geneva")
    assert known("Asian") and known("Americans") and known("Ukrainian")
    # "Trump" shares "Trum" with "Truman", but "p" is no ending a derivation adds: another name.
    assert not known("Trump")
    assert known("Afghan") and known("Chinese") and known("Soviets")
    answer = assistant.ask("What came out of the Biden-Putin summit in Geneva?")
    assert answer.abstained and "never mention Geneva" in answer.abstain_reason


@pytest.mark.parametrize(("question", "added"), [
    ("Does the op-ed want to drop sanctons?", ["sanctions"]),   # a typo for a corpus word
    ("why did brittain sign the convnetion", ["britain", "convention"]),
    ("Why did Britain want a deal in the first place?", []),  # "place" is a word, not a typo for "pace"
    ("What did Asian powers want?", ["asia"]),               # a form of a corpus word still finds it
    ("How does Beijing factor in to all this?", ["china"]),  # a seat the documents never write: its country
    ("Why did London want an accommodation?", ["britain"]),   # ... and one they write: its country too
    ("Why did London and Britain agree?", []),                 # ... unless the country is asked already
    ("what was the deal they struck over Poland?", ["polish"]),  # a country the documents name by its people
    ("What did the Russians want?", []),                       # a people the documents write: no variant
    ("what is a less hardline approach in plain english", []),  # a language, not the country's people
    ("should the US coordinate with anyone", []),              # "US" may be the pronoun
])
def test_spelling_fixes_only_what_is_not_a_word(assistant: Assistant, question: str, added: list[str]) -> None:
    corrected = assistant.retriever.correct(question)
    assert corrected.startswith(question)
    assert corrected[len(question):].split() == added


@pytest.mark.parametrize(("misspelt", "spelt"), [
    ("op-ed author recomendation besides sanctions", "op-ed author recommendation besides sanctions"),
    ("why did brittain sign the convnetion", "why did britain sign the convention"),
])
def test_a_misspelt_word_scores_as_its_fix(assistant: Assistant, misspelt: str, spelt: str) -> None:
    """The misspelt word's own term is unknown to the corpus: kept, it would only lower every sentence's
    share of the question's terms, and push a fixed question into a weak-evidence abstention."""
    assert set(assistant.retrieve(misspelt).qterms) == set(assistant.retrieve(spelt).qterms)


def test_a_form_of_a_corpus_word_keeps_its_term(assistant: Assistant) -> None:
    fixed = assistant.retriever.corrections("What did Asian powers want?")
    assert fixed == [("", "asia")]
    assert "asian" in assistant.retrieve("What did Asian powers want?").qterms


def test_a_phrase_is_said_whatever_its_accents(assistant: Assistant) -> None:
    # "Boleslaw II" typed plain is said where the text writes "Bolesław II": the numbered-name check reads says()
    from assistant.retrieval import plain

    assert plain("Bolesław II of Masovia") == "boleslaw ii of masovia"
    assert assistant.retriever.says("during detente") and assistant.retriever.says("during détente")
    assert not assistant.retriever.says("during the thaw")
