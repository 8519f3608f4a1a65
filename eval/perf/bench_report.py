"""The bench's summary: headline figures, the targets of issue 6, and the printed tables."""
from __future__ import annotations

from typing import Any

from .scale import default_row, summary_rows

# figure key -> (label, target text, check)
TARGETS = [
    # Issue 12 moved these from 15/40 ms: the learned selector scores a (question, sentence) pair.
    ("ask_p50_ms", "warm ask p50", "≤ 30 ms", lambda v: v <= 30),
    ("ask_p95_ms", "warm ask p95", "≤ 60 ms", lambda v: v <= 60),
    ("llama_ratio_p50", "llama-index default / ask (p50)", "≥ 5×", lambda v: v >= 5),
    ("reingest_s", "re-ingest unchanged corpus", "≤ 1 s", lambda v: v <= 1),
    ("ingest_s", "ingest from scratch (model load incl.)", "≤ 10 s", lambda v: v <= 10),
    ("cold_start_s", "cold start of ask", "≤ 3 s", lambda v: v <= 3),
    ("chat_rss_mb", "chat server peak RSS", "≤ 1536 MB", lambda v: v <= 1536),
    ("scale_100k_p95_ms", "ask at 100k chunks p95", "≤ 50 ms", lambda v: v <= 50),
    ("scale_100k_recall", "recall@10 at 100k, chunk index (HNSW vs exact)", "≥ 0.95", lambda v: v >= 0.95),
    ("scale_100k_sentence_recall", "recall@10 at 100k, sentence index (~320k)", "≥ 0.95", lambda v: v >= 0.95),
]


def headline(res: dict[str, Any]) -> dict[str, float | None]:
    g = lambda *path: _get(res, *path)  # noqa: E731
    ask50, ask95 = g("ask", "ms", "p50"), g("ask", "ms", "p95")
    l50, l95 = g("llama", "ms", "p50"), g("llama", "ms", "p95")
    s100 = next((r for r in res.get("scale", []) if r.get("n") == 100_000 and "error" not in r), None)
    default_hnsw = default_row(s100.get("faiss", [])) if s100 else None
    sentence_hnsw = default_row(s100.get("faiss_sentences", [])) if s100 else None
    return {
        "ask_p50_ms": ask50, "ask_p95_ms": ask95, "ask_max_ms": g("ask", "ms", "max"),
        "llama_p50_ms": l50, "llama_p95_ms": l95,
        "llama_ratio_p50": round(l50 / ask50, 2) if l50 and ask50 else None,
        "llama_ratio_p95": round(l95 / ask95, 2) if l95 and ask95 else None,
        "ingest_s": g("ingest", "from_scratch_s"), "reingest_s": g("ingest", "unchanged_rerun_s"),
        "cold_start_s": g("cold", "median_s"), "ask_process_rss_mb": g("cold", "peak_rss_mb"),
        "chat_ready_s": g("chat", "ready_s"), "chat_rss_mb": g("chat", "peak_rss_mb"),
        "index_mb": g("size", "mb"),
        "scale_100k_p95_ms": _get(s100, "query", "ask_ms", "p95") if s100 else None,
        "scale_100k_recall": min(default_hnsw.get("recall@10_gold", 1.0), default_hnsw.get("recall@10_sentences", 1.0))
        if default_hnsw else None,
        "scale_100k_sentence_recall": sentence_hnsw.get("recall@10_gold") if sentence_hnsw else None,
    }


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def targets(head: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, label, target, ok in TARGETS:
        value = head.get(key)
        rows.append({"figure": label, "target": target, "measured": value,
                     "met": None if value is None else bool(ok(value))})
    return rows


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def table(rows: list[dict[str, Any]], cols: list[str] | None = None) -> str:
    if not rows:
        return "(none)"
    cols = cols or list(dict.fromkeys(k for r in rows for k in r))
    cells = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths))  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def render(res: dict[str, Any]) -> str:
    out = [f"bench {res['started']}  load average start {res['load_start']} end {res.get('load_end')}  "
           f"({res['machine']['cpus']} CPUs: {res['machine']['cpu']})"]
    rows = []

    def add(section: str, figure: str, value: Any, unit: str = "") -> None:
        rows.append({"section": section, "figure": figure, "value": f"{_fmt(value)}{(' ' + unit) if value is not None and unit else ''}"})

    if "ingest" in res:
        i = res["ingest"]
        if "error" in i:
            add("ingest", "error", i["error"][:200])
        else:
            add("ingest", "from scratch, fresh process (wall)", i["from_scratch_s"], "s")
            add("ingest", "  of which inside build_index", i["from_scratch_in_process_s"], "s")
            add("ingest", "  peak RSS", i["from_scratch_peak_rss_mb"], "MB")
            add("ingest", "unchanged re-run (wall, median)", i["unchanged_rerun_s"], "s")
            add("ingest", "throughput", f"{i['chars_per_s']:.0f} chars/s, {i['chunks_per_s']:.1f} chunks/s, "
                                        f"{i['embedded_texts_per_s']:.1f} embedded texts/s")
            add("ingest", "corpus", f"{i['documents']} docs, {i['characters']} chars, {i['chunks']} chunks, "
                                    f"{i['sentences']} sentences")
    for key, name in (("ask", "warm ask"), ("ask_heuristic", "warm ask, heuristic selector (baseline)"),
                      ("llama", "llama-index default retriever")):
        sec = res.get(key)
        if isinstance(sec, dict) and "ms" in sec:
            ms = sec["ms"]
            add(key, f"{name} p50 / p95 / max", f"{ms['p50']:.2f} / {ms['p95']:.2f} / {ms['max']:.2f}", "ms")
            add(key, "  samples", f"{ms['n']} ({sec['rounds']} rounds)")
        elif isinstance(sec, dict):
            add(key, name, sec.get("error") or sec.get("skipped"))
    if isinstance(res.get("ask"), dict) and "stages_ms" in res["ask"]:
        st = res["ask"]["stages_ms"]
        add("ask", "  stage p50 (prepare/embed/retrieve/answer)",
            " / ".join(f"{st[k]['p50']:.2f}" for k in ("prepare_ms", "embed_ms", "retrieve_ms", "answer_ms") if k in st),
            "ms")
    h = res.get("headline", {})
    if h.get("llama_ratio_p50"):
        add("llama", "ratio llama / ask (p50, p95)", f"{h['llama_ratio_p50']}× , {h['llama_ratio_p95']}×")
    c = res.get("cold")
    if isinstance(c, dict) and "median_s" in c:
        add("cold", "ask cold start (median)", c["median_s"], "s")
        add("cold", "  runs", ", ".join(f"{x:.2f}" for x in c["runs_s"]), "s")
        add("cold", "  ask process peak RSS", c["peak_rss_mb"], "MB")
        add("cold", "  heavy modules imported", ", ".join(c["heavy_modules_imported"]) or "none")
        add("cold", "  slowest imports", ", ".join(f"{x['module']} {x['cumulative_ms']:.0f}ms" for x in c["slowest_imports_ms"][:6]))
    elif isinstance(c, dict):
        add("cold", "error", c.get("error"))
    ch = res.get("chat")
    if isinstance(ch, dict):
        if "ready_s" in ch:
            add("chat", "time until ready (HTTP 200)", ch["ready_s"], "s")
            add("chat", "  RSS at ready", ch["rss_at_ready_mb"], "MB")
            add("chat", "  peak RSS (after questions)", ch.get("peak_rss_mb"), "MB")
            if "api_round_trip_ms" in ch:
                add("chat", "  /ask API round trip p50", ch["api_round_trip_ms"]["p50"], "ms")
            if "questions_note" in ch:
                add("chat", "  note", ch["questions_note"])
        else:
            add("chat", "skipped" if "skipped" in ch else "error", ch.get("skipped") or ch.get("error"))
    s = res.get("size")
    if isinstance(s, dict) and "mb" in s:
        add("size", "index on disk", f"{s['mb']} MB ({s['model_mb']} MB ONNX model, {s['without_model_mb']} MB data)")
    out += ["", table(rows, ["section", "figure", "value"])]
    if res.get("scale"):
        out += ["", "scaling (eval/perf/scale.py; synthetic corpora, see README):", table(summary_rows(res["scale"]))]
        for r in res["scale"]:
            if r.get("faiss"):
                out += ["", f"FAISS on {r['n']} chunk vectors (single-threaded search, recall vs exact):",
                        table(r["faiss"])]
            if r.get("faiss_sentences"):
                out += ["", f"FAISS on {len_sent(r)} sentence vectors (sentences.faiss):", table(r["faiss_sentences"])]
    out += ["", "targets (issue 6):", table(res.get("targets", []))]
    if res.get("notes"):
        out += ["", *("note: " + n for n in res["notes"])]
    return "\n".join(out)


def len_sent(r: dict[str, Any]) -> Any:
    return r.get("sentences")
