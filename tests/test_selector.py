"""The learned answer selector: the shipped model, its integrity check, and its decisions."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.selector import MODEL_DIR, Combiner, LearnedSelector, SelectorError, read_config


@pytest.fixture(scope="module")
def selector() -> LearnedSelector:
    return LearnedSelector()


@pytest.mark.parametrize("logit,dense,lexical,w,expected", [
    (0.0, 0.0, 0.0, (1.0, 0.0, 0.0, 0.0), 0.5),
    (2.0, 0.0, 0.0, (1.0, 0.0, 0.0, -2.0), 0.5),
    (1.0, 1.0, 1.0, (1.0, 1.0, 1.0, 0.0), 1 / (1 + np.exp(-3.0))),
    (-50.0, 0.0, 0.0, (1.0, 0.0, 0.0, 0.0), 0.0),
])
def test_combiner_is_a_logistic_of_its_features(logit: float, dense: float, lexical: float, w: tuple[float, float, float, float], expected: float) -> None:
    p = Combiner(*w).probability(np.array([logit]), np.array([dense]), np.array([lexical]))
    assert p[0] == pytest.approx(expected, abs=1e-9)


def test_shipped_config_is_in_range() -> None:
    cfg = read_config()
    assert 0 < cfg.threshold < 1 and 1 <= cfg.candidates <= 32 and cfg.max_length >= 32
    assert set(cfg.files) == {"model.int8.onnx", "tokenizer.json"}


def test_a_damaged_model_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    copy = tmp_path / "answer-selector"
    shutil.copytree(MODEL_DIR, copy)
    blob = bytearray((copy / "model.int8.onnx").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (copy / "model.int8.onnx").write_bytes(bytes(blob))
    with pytest.raises(SelectorError, match="SHA-256.*git checkout"):
        LearnedSelector(copy)


def test_the_restore_hint_runs_as_printed_from_the_project_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from assistant.selector import restore_hint

    root = MODEL_DIR.parents[2]
    monkeypatch.chdir(root)
    hint = restore_hint(MODEL_DIR)
    assert hint == "git checkout -- assistant/models/answer-selector"
    if (root / ".git").exists():  # the path it names is tracked, so the command can restore it
        # (checked without running it: it would discard a developer's local changes)
        path = hint.split(" -- ", 1)[1]
        assert subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=root,
                              capture_output=True).returncode == 0


def test_an_unreadable_config_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "answer-selector"
    shutil.copytree(MODEL_DIR, copy)
    raw = json.loads((copy / "selector.json").read_text())
    raw["threshold"] = "high"
    (copy / "selector.json").write_text(json.dumps(raw))
    with pytest.raises(SelectorError, match="cannot be read"):
        LearnedSelector(copy)


@pytest.mark.parametrize("question,answer,distractor", [
    ("When did Russia annex Crimea?",
     "Rhine › History: Russia annexed Crimea in 2014, after protests in Kyiv.",
     "Rhine › History: Russia and Ukraine have shared a long border since 1991."),
    ("What is the boiling point of water at sea level?",
     "Water: At sea level, water boils at 100 degrees Celsius.",
     "Water: Water covers about 71 percent of the Earth's surface."),
    ("Who designed the first practical steam engine?",
     "Steam engine: Thomas Newcomen designed the first practical steam engine in 1712.",
     "Steam engine: Steam engines were used to pump water out of mines in the 18th century."),
])
def test_the_answering_sentence_outscores_a_related_one(selector: LearnedSelector, question: str, answer: str, distractor: str) -> None:
    logits = selector.scorer.logits(question, [answer, distractor])
    assert logits[0] > logits[1]


def test_scores_do_not_depend_on_the_batch(selector: LearnedSelector) -> None:
    q = "What did the reset achieve?"
    texts = ["Reset: The reset produced the New START treaty.", "Reset: It began in 2009 under Obama and Medvedev, "
             "who met several times and announced a broad agenda of cooperation on many issues."]
    together = selector.scorer.logits(q, texts)
    alone = np.array([selector.scorer.logits(q, [t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-3)


def test_a_false_premise_abstains_and_shows_the_closest_passage(assistant: Assistant, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core import CLOSEST_LEAD

    unknown = assistant.ask("What did Iran do on Yom Kippur in 1973?")  # names the corpus never uses
    assert unknown.abstained and not unknown.citations
    # A near miss from the new-user session: the brief names the agreement but never its signatories.
    # The shipped threshold (fitted on dev) lets it through; a stricter copy of the same model, whose
    # probability for it is the same, must veto it and show what the documents do say.
    question = "Who signed the Quadripartite Agreement?"
    shipped = assistant.ask(question)
    strict_dir = tmp_path / "strict"
    shutil.copytree(MODEL_DIR, strict_dir)
    cfg = json.loads((strict_dir / "selector.json").read_text(encoding="utf-8"))
    assert shipped.confidence is not None and shipped.confidence < 0.9
    cfg["threshold"] = 0.9
    (strict_dir / "selector.json").write_text(json.dumps(cfg), encoding="utf-8")
    monkeypatch.setattr(assistant, "selector", LearnedSelector(strict_dir))
    answer = assistant.ask(question)
    assert answer.abstained and answer.confidence == pytest.approx(shipped.confidence, abs=1e-6)
    assert "learned selector" in answer.abstain_reason
    assert answer.text.startswith(CLOSEST_LEAD) and answer.text.endswith("[1]")
    (c,) = answer.citations
    assert "Quadripartite Agreement" in c.text
    assert assistant.data.documents[c.doc].text[c.start:c.end] == c.text


def test_answers_carry_the_selector_confidence(assistant: Assistant) -> None:
    answered = assistant.ask("What did the U.S.-Russia reset achieve?")
    assert not answered.abstained and answered.confidence is not None
    assert answered.confidence >= read_config().threshold
    unknown = assistant.ask("What does the brief say about the European Union's Nobel prize?")
    assert unknown.abstained and unknown.confidence == 0.0 and "never mention" in unknown.abstain_reason
    assert answered.to_json()["confidence"] == pytest.approx(answered.confidence, abs=1e-6)


def test_the_heuristic_selector_remains_selectable(shipped_index: Path) -> None:
    from assistant import Assistant
    from ingest.config import load_settings

    old = Assistant(shipped_index, load_settings(index_dir=shipped_index, selector="heuristic"))
    assert old.selector is None
    answer = old.ask("What did the U.S.-Russia reset achieve?")
    assert answer.confidence is None and not answer.abstained


def test_an_unknown_selector_setting_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.config import load_settings
    from ingest.errors import ConfigError

    monkeypatch.setenv("RAGQA_SELECTOR", "LEARNED")
    with pytest.raises(ConfigError, match="learned, heuristic"):
        load_settings()


def test_a_doubted_first_choice_gives_way_to_a_close_runner_up(assistant: Assistant) -> None:
    # Before idioms.py searched "choose" as "selected" too, the heuristic ranked "they can choose either a
    # hardline or a less-hardline approach" first for this question; the selector doubts that sentence and is
    # sure of one on how the cases were selected. The same order, set up here, must give way to that one.
    from assistant.extractive import Scored
    from assistant.selection import RESCUE_P, answerability, runner_up

    question = "how did rand choose its case studies"
    found = assistant.retrieve(question)
    others = [s for s in assistant.candidates(found)]
    sents = assistant.data.sentences
    row = next(i for i, s in enumerate(sents) if "they can choose either a hardline" in s.text)
    first = Scored(row, max(s.score for s in others), 0.13, 0.73)   # its scores when it ranked first
    assert assistant.selector is not None
    assert answerability(found.query, [first], sents, assistant._titles, assistant.selector) \
        < assistant.selector.config.threshold
    rescued = runner_up(found.query, [first, *others], sents, assistant._titles, assistant.selector)
    assert rescued is not None
    chosen, p = rescued
    assert p >= RESCUE_P and "select" in sents[chosen.row].text and chosen in others[:3]
    # and the assistant's own answer now quotes how the cases were selected
    answer = assistant.ask(question)
    assert not answer.abstained and any("selected cases" in c.text for c in answer.citations)


def test_no_amount_stated_still_shows_the_closest_passage(assistant: Assistant) -> None:
    from assistant.core import CLOSEST_LEAD

    answer = assistant.ask("How much did Britain spend on the defense of India after 1907?")
    assert answer.abstained and answer.abstain_reason == "no candidate states a number"
    assert answer.text.startswith(CLOSEST_LEAD)
    (c,) = answer.citations
    assert "spending on defense" in c.text
    assert assistant.data.documents[c.doc].text[c.start:c.end] == c.text


@pytest.mark.parametrize(("query", "answered"), [
    ("New START", True),             # the selector doubts every sentence naming it; a lookup wants those
    ("new start", True),
    ("Geneva summit 2021", False),   # no sentence writes all three: still the selector's call
    ("what is New START", None),     # a question, not a lookup: the rule does not apply (either outcome)
])
def test_a_keyword_query_is_answered_by_the_sentence_naming_it(assistant: Assistant, query: str,
                                                                answered: bool | None) -> None:
    from assistant.selection import _ASKING

    answer = assistant.ask(query)
    if answered is None:
        assert _ASKING.search(query)
        return
    assert answer.abstained is not answered
    if answered:
        assert "New START" in answer.citations[0].text and answer.confidence is not None
        assert assistant.selector is not None and answer.confidence < assistant.selector.config.threshold
