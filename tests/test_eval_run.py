"""The eval harness end to end on a handful of items: determinism, no dropped rows, errors, gate, compare, HTML."""
from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Question
from assistant.answerers import ExtractiveAnswerer
from eval.errors import EvalError
from eval.quality import aggregate as A
from eval.quality import compare as C
from eval.quality import gates as G
from eval.quality import metrics as M
from eval.quality import results as RS
from eval.quality import run as R
from eval.quality import scoring as S
from eval.quality import systems as SY
from eval.quality.gold import GoldItem, filter_tags, load_gold, resolve_evidence
from eval.quality.report import render_html, render_markdown

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
# A small but varied sample: fact, list, follow-up, cross-document, misspelled, unanswerable ×2.
PICK = 7


def _sample_lines() -> list[str]:
    rows = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    chosen, seen = [], set()
    for want in ("fact", "list", "followup", "cross-doc", "misspelled", "off-topic", "near-topic"):
        for r in rows:
            if want in r["tags"] and r["id"] not in seen and (want != "followup" or r.get("history")):
                chosen.append(r)
                seen.add(r["id"])
                break
    assert len(chosen) == PICK
    return [json.dumps(r, ensure_ascii=False) for r in chosen]


@pytest.fixture(scope="module")
def small_gold(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gold") / "small.jsonl"
    path.write_text("\n".join(_sample_lines()) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_runs(shipped_index, small_gold, tmp_path_factory):
    outs = []
    for n in (1, 2):
        out = tmp_path_factory.mktemp(f"run{n}")
        rc = R.main(["--gold", str(small_gold), "--index", str(shipped_index), "--out", str(out),
                     "--no-progress", "--baselines", "bm25,dense,heuristic"])
        assert rc == 0
        outs.append(out)
    return outs


def _load(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_two_runs_are_identical_apart_from_timings(two_runs):
    a, b = (_load(o) for o in two_runs)
    assert RS.strip_timing(a) == RS.strip_timing(b)
    # The stripped parts really are the timing ones, and they exist.
    assert "latency" in a and "timings" in a and "latency_ms" in a["items"][0]
    assert "timings" in a["items"][0]["answer"] and "latency_ms" in a["items"][0]["answer"]


def test_results_layout(two_runs):
    out = two_runs[0]
    for name in ("results.json", "report.md", "report.html"):
        assert (out / name).stat().st_size > 0
    r = _load(out)
    assert r["schema"] == R.SCHEMA
    assert len(r["config"]["gold"]["sha256"]) == 64 and len(r["config"]["index"]["sha256"]) == 64
    assert set(r["baselines"]) == {"bm25", "dense", "heuristic"}
    assert "selector=heuristic" in r["baselines"]["heuristic"]["description"]
    assert r["config"]["settings"]["selector"] in ("learned", "heuristic")
    for system in (r, *r["baselines"].values()):
        c = system["counts"]
        assert c["items"] == PICK == c["scored"] + c["abstained"] + c["error"] == len(system["items"])
        assert sum(system["failures"].values()) == PICK
        for name in A.METRIC_ORDER:
            s = system["metrics"][name]
            assert set(s) == {"value", "ci95", "n"}
            if s["n"] == 0:
                assert s["value"] is None and s["ci95"] is None
            else:
                assert s["ci95"][0] <= s["value"] <= s["ci95"][1]
    json.dumps(r, allow_nan=False)  # no NaN or infinity anywhere
    item = r["items"][0]
    assert {"id", "question", "answer", "metrics", "label", "status"} <= set(item)
    assert {"question", "answer", "abstained", "citations", "passages"} <= set(item["answer"])
    # The stored answer is the `ask --json` object: top_k passages, not the deeper @k ranking.
    assert len(item["answer"]["passages"]) <= r["config"]["settings"]["top_k"]
    assert len(item["ranking"]) <= r["config"]["retrieval_depth"]


def test_answer_object_is_what_ask_json_prints(two_runs, assistant, small_gold):
    r = _load(two_runs[0])
    for item, row in zip(load_gold(small_gold), r["items"]):
        direct = assistant.ask(item.question, history=item.history).to_json()
        assert RS.strip_timing(direct) == RS.strip_timing(row["answer"])


class _Flaky(ExtractiveAnswerer):
    """The real extractive answerer, except that it raises on one question.

    An `Answerer`, as AssistantSystem takes since issue 11 (it wrapped `ask`, which the harness no longer calls)."""

    def __init__(self, assistant: Assistant, bad: str) -> None:
        super().__init__(assistant)
        self.bad = self.parse(bad).text

    def answer(self, question: Question) -> Answer:
        if question.text == self.bad:
            raise RuntimeError("boom")
        return super().answer(question)


def test_an_exception_becomes_an_error_row(assistant, small_gold):
    items = load_gold(small_gold)
    texts = {d: rec.text for d, rec in assistant.data.documents.items()}
    evidence = resolve_evidence(items, texts, small_gold)
    system = SY.AssistantSystem("flaky", "raises once", _Flaky(assistant, items[0].question))
    out = S.run_system(system, items, evidence, texts, lambda a, b: 0.5, progress=False, resamples=200)
    assert len(out["items"]) == len(items)
    bad = out["items"][0]
    assert bad["status"] == "error" and bad["label"] == M.LABEL_ERROR and "boom" in bad["error"]
    assert bad["answer"] is None and bad["latency_ms"] is None
    assert bad["metrics"]["hit@5"] == 0.0 and bad["metrics"]["answer_coverage"] == 0.0
    assert out["counts"]["error"] == 1 and out["failures"][M.LABEL_ERROR] == 1
    assert out["metrics"]["error_rate"]["value"] == round(1 / len(items), 6)
    json.dumps(out, allow_nan=False)


# -- bad input: one clear line, non-zero exit, no traceback ----------------------------------------
def _run_err(capsys, args) -> tuple[int, str]:
    rc = R.main([*args, "--no-progress"])
    err = capsys.readouterr().err.strip()
    return rc, err


GOOD = {"id": "g1", "question": "What did Britain and Russia sign in 1907?", "answer": "An agreement.",
        "answerable": True, "evidence": [{"doc": "rand-russia-less-hardline", "quote": "1907"}], "tags": ["dev"]}


@pytest.mark.parametrize("content, needle, code", [
    (None, "gold file not found", 15),
    ("{oops\n", "line 1: not valid JSON", 15),
    (json.dumps({**GOOD, "evidence": [{"doc": "no-such-doc", "quote": "x"}]}), "'no-such-doc' is not in the index", 15),
    (json.dumps({**GOOD, "evidence": [{"doc": "rand-russia-less-hardline", "quote": "never said this"}]}),
     "evidence quote not found", 15),
    (json.dumps({**GOOD, "tags": "dev"}), "'tags' must be a list", 15),
])
def test_bad_gold_input(capsys, tmp_path, shipped_index, content, needle, code):
    path = tmp_path / "g.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    rc, err = _run_err(capsys, ["--gold", str(path), "--index", str(shipped_index), "--out", str(tmp_path / "o")])
    assert rc == code
    assert err.startswith("error:") and needle in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_missing_index(capsys, tmp_path, small_gold):
    rc, err = _run_err(capsys, ["--gold", str(small_gold), "--index", str(tmp_path / "none"),
                                "--out", str(tmp_path / "o")])
    assert rc != 0 and err.startswith("error:") and "no index" in err and len(err.splitlines()) == 1


def test_unknown_baseline_and_unconfigured_llm(capsys, tmp_path, small_gold, shipped_index, monkeypatch):
    rc, err = _run_err(capsys, ["--gold", str(small_gold), "--index", str(shipped_index), "--baselines", "nope"])
    assert rc == 17 and "unknown baseline" in err
    monkeypatch.setenv("RAGQA_LLM_BASE_URL", "")
    monkeypatch.setenv("RAGQA_LLM_MODEL", "")
    monkeypatch.setenv("RAGQA_CONFIG", str(tmp_path / "absent.toml"))
    rc, err = _run_err(capsys, ["--gold", str(small_gold), "--index", str(shipped_index), "--answerer", "llm",
                                "--out", str(tmp_path / "o")])
    assert rc == 17 and err.startswith("error: --answerer llm") and len(err.splitlines()) == 1


# -- gate ---------------------------------------------------------------------------------------
def test_checked_in_gates_parse():
    gates = G.load_gates(G.DEFAULT_GATES)
    assert gates["min"], "eval/gates.toml must hold thresholds"
    raw = tomllib.loads(G.DEFAULT_GATES.read_text(encoding="utf-8"))
    assert set(raw) <= {"min", "max"}


def test_gate_lists_each_metric_below_threshold(two_runs, tmp_path, capsys, small_gold, shipped_index):
    gates = tmp_path / "gates.toml"
    gates.write_text('[min]\n"hit@10" = 1.01\n"recall@1" = 0.0\nabstention_precision = 1.01\n'
                     '[max]\nerror_rate = 0.0\nlatency_p95_ms = 100000\n', encoding="utf-8")
    rc = R.main(["--gold", str(small_gold), "--index", str(shipped_index), "--out", str(tmp_path / "o"),
                 "--gate", "--gates", str(gates), "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 1 and "GATE FAILED" in err and "hit@10" in err and "recall@1" not in err
    result = _load(two_runs[0])
    assert G.check_gate(result, {"min": {"hit@10": 0.0}, "max": {"error_rate": 0.0}}) == []
    na = {"metrics": {"abstention_recall": {"value": None, "ci95": None, "n": 0}}, "latency": {}}
    assert G.check_gate(na, {"min": {"abstention_recall": 0.5}}) == [
        "abstention_recall is n/a (0 items); it must be >= 0.5"]


@pytest.mark.parametrize("text, needle", [
    ("[min]\nnot_a_metric = 0.5\n", "unknown metric"),
    ('[min]\n"hit@5" = "high"\n', "must be a number"),
    ("[min\n", "not valid TOML"),
])
def test_bad_gate_file(tmp_path, text, needle):
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalError, match=needle):
        G.load_gates(path)


# -- compare --------------------------------------------------------------------------------------
def test_compare_reports_deltas_and_worse_items(two_runs, tmp_path, capsys):
    a = _load(two_runs[0])
    b = copy.deepcopy(a)
    victim = next(r for r in b["items"] if r["metrics"]["hit@5"] == 1.0)
    victim["metrics"]["hit@5"] = 0.0
    victim["label"] = M.LABEL_RETRIEVAL_MISS
    (tmp_path / "b.json").write_text(json.dumps(b), encoding="utf-8")
    rc = C.main([str(two_runs[0] / "results.json"), str(tmp_path / "b.json")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "hit@5" in out and "items that got worse: 1" in out and victim["id"] in out
    same = C.compare(a, a)
    assert same["worse_items"] == [] and all(row["delta"] in (0, None) for row in same["metrics"])
    rc = C.main([str(two_runs[0] / "results.json"), str(two_runs[1] / "results.json"), "--system", "bm25"])
    assert rc == 0 and "items that got worse: 0" in capsys.readouterr().out
    rc = C.main([str(tmp_path / "missing.json"), str(tmp_path / "b.json")])
    assert rc == 16 and capsys.readouterr().err.startswith("error: results file not found")


# -- report ----------------------------------------------------------------------------------------
def test_report_escapes_document_and_answer_text(two_runs):
    results = _load(two_runs[0])
    doc = "Intro. <script>alert('doc')</script> is quoted here. End."
    start = doc.index("<script>")
    end = doc.index(" is quoted")
    texts = {"evil": doc}
    item = GoldItem("x1", "<img src=x onerror=alert(1)>?", "<b>ref</b>", True,
                    evidence=(), tags=("<tag>",), line=1)
    answer = {"question": item.question, "answer": "<script>alert('answer')</script> [1]", "abstained": False,
              "citations": [{"n": 1, "doc": "evil", "title": "t", "section": "<s>", "start": start, "end": end,
                             "text": doc[start:end], "doc_sha256": ""}],
              "passages": [{"doc": "evil", "title": "t", "section": "", "start": 0, "end": len(doc), "score": 1.0,
                            "text": doc, "chunk": 0}]}
    row = S.score_item(item, [("evil", start, end)], SY.Outcome(answer, [("evil", 0, len(doc))], None, 1.0), texts,
                       lambda a, b: 0.0)
    results["items"] = [row]
    results["by_tag"] = A.aggregate([row], 50)["by_tag"]
    page = render_html(results, texts)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>ref</b>" not in page
    assert "&lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt;" in page  # Jinja2 autoescape writes ' as &#39;
    assert page.count("<script>") == 1  # the report's own filter script
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "<svg" in page and "recall@k" in page
    md = render_markdown(results)
    assert "x1" in md and "| metric |" in md and "<img" not in md


def test_llm_answerer_runs_through_the_harness(shipped_index, small_gold, tmp_path, monkeypatch):
    """--answerer llm against the scripted loopback server: every item is a row, answers are checked."""
    from fake_openai import FakeOpenAI, Reply, passages_in

    def reply(request):
        passages = passages_in(request)
        if not passages:  # a condense request for a follow-up
            return Reply("What happened next?")
        n, text = min(passages.items())
        first = text.split(". ")[0].rstrip(".")
        return Reply(f"{first}. [{n}]")

    with FakeOpenAI(default=reply) as server:
        monkeypatch.setenv("RAGQA_LLM_BASE_URL", server.url)
        monkeypatch.setenv("RAGQA_LLM_MODEL", "fake-model")
        monkeypatch.setenv("RAGQA_CONFIG", str(tmp_path / "absent.toml"))
        out = tmp_path / "llm"
        rc = R.main(["--gold", str(small_gold), "--index", str(shipped_index), "--out", str(out),
                     "--answerer", "llm", "--no-progress"])
    assert rc == 0
    r = _load(out)
    assert r["name"] == "assistant-llm" and r["config"]["answerer"] == "llm"
    assert len(r["items"]) == PICK and r["counts"]["error"] == 0
    assert all(row["answer"]["answerer"] for row in r["items"])
    json.dumps(r, allow_nan=False)


# -- answerability (selector confidence) ---------------------------------------------------------------
def _with_confidence(rows: list[dict], scores: dict[str, float | None]) -> list[dict]:
    rows = copy.deepcopy(rows)
    for r in rows:
        if r["answer"] is not None:
            r["answer"]["confidence"] = scores.get(r["id"])
    return rows


def test_every_system_accounts_for_items_without_confidence(two_runs):
    for system in (r := _load(two_runs[0]), *r["baselines"].values()):
        a = system["answerability"]
        assert a["n"] + a["missing_confidence"] == PICK  # unscored items are counted, not dropped
        assert a["n"] == a["n_answerable"] + a["n_unanswerable"]
        assert [e["budget"] for e in a["at_false_abstention"]] == list(M.FALSE_ABSTENTION_BUDGETS)
        if a["auc"] is None:
            assert a["curve"] == [] or a["n_answerable"] == 0 or a["n_unanswerable"] == 0


def test_answerability_from_confidence(two_runs):
    r = _load(two_runs[0])
    rows = r["items"]
    # Answerable items score high, unanswerable low, one answerable item has no score.
    scores: dict[str, float | None] = {row["id"]: (0.9 - 0.01 * n if row["gold"]["answerable"] else 0.1 + 0.01 * n)
              for n, row in enumerate(rows)}
    missing = next(row["id"] for row in rows if row["gold"]["answerable"])
    scores[missing] = None
    rows = _with_confidence(rows, scores)
    rows[-1]["answer"]["confidence"] = float("nan")  # unusable: counted as missing too
    agg = A.aggregate(rows, 100)["answerability"]
    assert agg["missing_confidence"] == 2 and agg["n"] == PICK - 2
    assert agg["auc"] == 1.0 and agg["auc_ci95"] == [1.0, 1.0]
    assert agg["curve"][0]["abstention_recall"] == 0.0 and agg["curve"][-1]["false_abstention_rate"] == 1.0
    at05 = agg["at_false_abstention"][0]
    assert at05["budget"] == 0.05 and at05["point"]["abstention_recall"] == 1.0
    assert at05["point"]["false_abstention_rate"] == 0.0
    op = agg["operating_point"]
    scored = [row for row in rows if row["id"] != missing and row is not rows[-1]]
    unans = [row for row in scored if not row["gold"]["answerable"]]
    assert op["abstention_recall"] == round(sum(row["status"] == "abstained" for row in unans) / len(unans), 6)
    json.dumps(agg, allow_nan=False)
    # The reports show it: a table in report.md, a curve with the actual point in report.html.
    results = {**r, **A.aggregate(rows, 100), "items": rows}
    results["baselines"] = {"heuristic": {**r["baselines"]["heuristic"]}}
    md = render_markdown(results)
    assert "## Answerability" in md and "recall at FA ≤ 0.05" in md and "| assistant | 1.000 [1.00, 1.00] |" in md
    page = render_html(results, {})
    assert "Operating curve" in page and "actual operating point" in page and "answerability AUC" in page
    # compare: AUC of A against B over items scored in both.
    flipped = _with_confidence(r["items"], {k: (None if v is None else 1 - v) for k, v in scores.items()})
    result = C.compare({**r, "items": rows}, {**r, "items": flipped}, resamples=200)
    auc = result["answerability"]
    assert auc["a"] == 1.0 and auc["b"] == 0.0 and auc["delta"] == -1.0 and auc["missing"] == 2
    text = "\n".join(C.render(result, Path("a"), Path("b"), 5))
    assert "answerability_auc" in text and "WORSE *" in text
    # and the gate can hold it
    assert G.check_gate({"answerability": agg, "metrics": {}}, {"min": {"answerability_auc": 0.9}}) == []
    assert G.check_gate({"answerability": {"auc": None, "n": 0}, "metrics": {}},
                        {"min": {"answerability_auc": 0.6}}) == ["answerability_auc is n/a (0 items); it must be >= 0.6"]


# -- selecting items by tag ------------------------------------------------------------------------
def test_tag_filter_selects_items_without_a_split(tmp_path, shipped_index, small_gold, capsys):
    """Items of documents outside the index are skipped, not resolved, when --tag leaves them out."""
    lines = _sample_lines()
    first = json.loads(lines[0])
    other = {"id": "elsewhere-1", "question": "Who?", "answer": "Someone.", "answerable": True,
             "evidence": [{"doc": "not-in-this-index", "quote": "Someone"}], "tags": ["squad2", "Elsewhere"]}
    mine = {**first, "id": "mine-1", "tags": ["squad2", "Mine", "answerable"]}  # no dev/test tag
    mine2 = {**json.loads(lines[5]), "id": "mine-2", "tags": ["squad2", "Also"]}
    gold = tmp_path / "g.jsonl"
    gold.write_text("\n".join(json.dumps(o) for o in (other, mine, mine2)) + "\n", encoding="utf-8")
    out = tmp_path / "o"
    rc = R.main(["--gold", str(gold), "--index", str(shipped_index), "--out", str(out), "--no-progress",
                 "--tag", "Mine", "--tag", "Also"])
    assert rc == 0, capsys.readouterr().err
    r = _load(out)
    assert [row["id"] for row in r["items"]] == ["mine-1", "mine-2"]
    assert r["config"]["gold"]["tags"] == ["Also", "Mine"] and r["config"]["gold"]["split"] is None
    rc, err = _run_err(capsys, ["--gold", str(gold), "--index", str(shipped_index), "--out", str(out),
                                "--tag", "Nope"])
    assert rc == 15 and "no gold items with tag 'Nope'" in err and len(err.splitlines()) == 1
    # Without --tag the item of the unindexed document is an error, as before.
    rc, err = _run_err(capsys, ["--gold", str(gold), "--index", str(shipped_index), "--out", str(out)])
    assert rc == 15 and "'not-in-this-index' is not in the index" in err


@pytest.mark.parametrize("tags, expected", [
    ((), ["a", "b", "c"]),
    (("x",), ["a", "c"]),
    (("x", "y"), ["a", "b", "c"]),
    (("y", "y"), ["b", "c"]),
    (("dev",), ["b"]),
])
def test_filter_tags(tags, expected):
    items = [GoldItem("a", "q", "", True, tags=("x",)), GoldItem("b", "q", "", True, tags=("y", "dev")),
             GoldItem("c", "q", "", True, tags=("x", "y"))]
    assert [i.id for i in filter_tags(items, tags, Path("g"))] == expected
