"""One synthetic size built through the real ingest (planned chunks, synthetic vectors), in this process.

`build_size` writes the corpus, builds the index with `ingest.build.build_index` and compares FAISS index
kinds on its vectors; `build_milvus` does the same build into a milvus-lite store.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.index import layout

from .faiss_compare import SENTENCE_EF_SWEEP, _lat, _search_all, compare_faiss, recall_at
from .measure import dir_bytes, self_peak_rss_mb
from .synthetic import (
    GOLD,
    POOL,
    QUICK_POOL,
    SEED,
    SENTENCE_QUERIES,
    Log,
    Plan,
    Vectors,
    _unit,
    chunk_embed_text,
    gold_questions,
    load_source,
    make_vectors,
    plan_corpus,
    sentence_centres,
    stderr_log,
    synthetic_sentences,
)


# -- build through the real ingest -------------------------------------------------
class _PlannedEncoder:
    """Stands in for embedder.DocumentEncoder during a synthetic build."""

    runtime = "synthetic"

    def __init__(self, vectors: Vectors, onnx_source: Path) -> None:
        self.vectors = vectors
        self.onnx_source = onnx_source
        self.misses = 0

    def encode(self, texts: Sequence[str], progress: bool | None = None,
               log: Callable[[int, int], None] | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.vectors.chunk_vectors.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            v = self.vectors.by_text.get(text)
            if v is None:
                tail = text.split("\n", 1)[-1]
                v = self.vectors.by_text.get(tail)
            if v is None and ": " in text:
                v = self.vectors.by_text.get(text.split(": ", 1)[1])
            if v is None:
                self.misses += 1
                rng = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
                v = _unit(rng.standard_normal(out.shape[1]).astype(np.float32))
            out[i] = v
        return out

    def export_onnx(self, target: Path) -> None:
        try:
            os.link(self.onnx_source, target)
        except OSError:
            shutil.copyfile(self.onnx_source, target)


def _planned_chunker(plan: Plan) -> Callable[..., Any]:
    from ingest.index import ChunkRecord, SentenceRecord

    def chunk_document(doc: Any, settings: Any, count_tokens: Any, on_progress: Any = None) -> tuple[list[Any], list[Any]]:
        text = doc.text
        chunks: list[Any] = []
        sentences: list[Any] = []
        cursor = 0
        for j, chunk in enumerate(plan.docs[doc.doc_id]):
            first = len(sentences)
            for _, s in chunk:
                at = text.find(s, cursor)
                if at < 0:
                    raise RuntimeError(f"{doc.doc_id}: planned sentence not found in the loaded text")
                sentences.append(SentenceRecord(doc.doc_id, at, at + len(s), s, (), False, j))
                cursor = at + len(s)
            a, b = sentences[first].start, sentences[-1].end
            chunks.append(ChunkRecord(doc.doc_id, a, b, text[a:b], (), (first, len(sentences)), None))
        return chunks, sentences

    return chunk_document


def write_corpus(plan: Plan, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for doc in plan.docs:
        text = plan.text(doc)
        chars += len(text)
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
    return chars


def chunker_throughput(plan: Plan, corpus: Path, max_chars: int = 60_000) -> dict[str, Any]:
    """The real chunker (pysbd sentences, sections, token budget) on a sample of the synthetic docs."""
    from ingest import embedder
    from ingest.chunker import ChunkerSettings, chunk_document
    from ingest.config import Settings
    from ingest.loaders import load_file

    settings = ChunkerSettings(Settings().index.chunk_tokens)
    chars = 0
    t0 = time.perf_counter()
    for doc in plan.docs:
        loaded = load_file(corpus / f"{doc}.txt")
        chunk_document(loaded, settings, embedder.count_tokens)
        chars += len(loaded.text)
        if chars >= max_chars:
            break
    wall = time.perf_counter() - t0
    return {"sample_chars": chars, "seconds": round(wall, 3), "chars_per_s": round(chars / wall, 1) if wall else None}


def build_size(n: int, source_index: Path, work: Path, quick: bool = False, seed: int = SEED,
               gold: Path = GOLD, log: Log = stderr_log, store: str = "faiss") -> dict[str, Any]:
    """Plan, vectorise and build the synthetic index of n chunks under work/; FAISS comparison."""
    from ingest import embedder
    from ingest import vectors as vec
    from ingest.build import build_index
    from ingest.config import load_settings

    out: dict[str, Any] = {"n": n, "seed": seed, "exact_limit": vec.EXACT_LIMIT}
    t = time.perf_counter()
    source = load_source(source_index)
    plan = plan_corpus(n, source, seed)
    out["plan_s"] = round(time.perf_counter() - t, 3)
    out["documents"] = len(plan.docs)
    out["sentences"] = plan.n_sentences
    log(f"[scale {n}] planned {len(plan.docs)} documents, {n} chunks, {out['sentences']} sentences")

    t = time.perf_counter()
    vecs = make_vectors(plan, source, QUICK_POOL if quick else POOL, log)
    out["vectors_s"] = round(time.perf_counter() - t, 3)
    out["vectors"] = vecs.info

    corpus = work / "corpus"
    index = work / "index"
    shutil.rmtree(corpus, ignore_errors=True)
    t = time.perf_counter()
    out["characters"] = write_corpus(plan, corpus)
    out["write_corpus_s"] = round(time.perf_counter() - t, 3)
    out["chunker"] = chunker_throughput(plan, corpus, 20_000 if quick else 60_000)

    encoder = _PlannedEncoder(vecs, source_index / layout.QUERY_ENCODER)
    settings = load_settings(corpus_dir=corpus, index_dir=index)
    log(f"[scale {n}] building the index through ingest.build (planned chunks, synthetic vectors)")
    t = time.perf_counter()
    build_index(settings, rebuild=True, chunker=_planned_chunker(plan), encoder=encoder)
    out["build_index_s"] = round(time.perf_counter() - t, 3)
    out["encoder_misses"] = encoder.misses
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    out["faiss_kind"] = manifest.get("vector_index", {}).get("kind")
    out["index_bytes"] = dir_bytes(index)
    out["index_bytes_without_model"] = out["index_bytes"] - (index / layout.QUERY_ENCODER).resolve().stat().st_size
    out["index_files"] = {k: v.get("bytes") for k, v in manifest.get("files", {}).items()}

    # Extrapolated real ingest: chunker + transformer at measured speeds, plus the measured rest.
    tokens_per_char = vecs.info["pool_tokens"] / max(1, vecs.info["pool_chars"]) if vecs.info["pool"] else 0.25
    embed_chars = sum(len(chunk_embed_text(d, " ".join(s for _, s in c))) for d, c in plan.chunks()) \
        + sum(len(s) for _, c in plan.chunks() for _, s in c)
    tps = vecs.info.get("embed_tokens_per_s") or 0
    embed_est = embed_chars * tokens_per_char / tps if tps else None
    chunk_cps = out["chunker"].get("chars_per_s") or 0
    chunk_est = out["characters"] / chunk_cps if chunk_cps else None
    out["estimated_full_ingest"] = {
        "embed_texts": n + out["sentences"],
        "embed_s": round(embed_est, 1) if embed_est else None,
        "chunker_s": round(chunk_est, 1) if chunk_est else None,
        "rest_s (measured)": out["build_index_s"],
        "total_s": round((embed_est or 0) + (chunk_est or 0) + out["build_index_s"], 1),
    }

    # FAISS alone, on the chunk vectors: gold questions and noisy sentence queries.
    qenc = embedder.QueryEncoder(source_index / layout.QUERY_ENCODER)
    gold_vecs = qenc.encode([q for q, _ in gold_questions(gold)])
    rng = np.random.default_rng([seed, n, 2])
    _, qa, qb, qw = synthetic_sentences(SENTENCE_QUERIES, source, rng)
    sent_q = vecs.sentence_model.sample(sentence_centres(source, qa, qb, qw), rng)
    chunk_vectors = np.load(index / "chunk_vectors.npy")
    log(f"[scale {n}] comparing FAISS index kinds on {len(chunk_vectors)} chunk vectors")
    out["faiss"] = compare_faiss(chunk_vectors, {"gold": gold_vecs, "sentences": sent_q}, quick=quick, log=log)
    if (index / "sentences.faiss").is_file():
        prebuilt = vec.load_faiss(index / "sentences.faiss")
        if vec.kind_of(prebuilt) == "hnsw":
            sentence_vectors = np.load(index / "sentence_vectors.npy")
            log(f"[scale {n}] HNSW vs exact on {len(sentence_vectors)} sentence vectors (sentences.faiss)")
            out["faiss_sentences"] = compare_faiss(
                sentence_vectors, {"gold": gold_vecs}, quick=True, log=log, prebuilt=prebuilt,
                ef_sweep=tuple(sorted(set(SENTENCE_EF_SWEEP) | {vec.HNSW_EF_SEARCH})))
    if store == "milvus":
        out["milvus"] = build_milvus(n, plan, encoder, corpus, work, source_index,
                                     {"gold": gold_vecs, "sentences": sent_q}, chunk_vectors, log)
    out["build_peak_rss_mb"] = round(self_peak_rss_mb(), 1)
    return out


def milvus_settings(work: Path) -> Any:
    from ingest.config import load_settings

    return load_settings(corpus_dir=work / "corpus", index_dir=work / "index", store="milvus",
                         milvus_uri=str(work / "milvus.db"))


def build_milvus(n: int, plan: Plan, encoder: _PlannedEncoder, corpus: Path, work: Path, source_index: Path,
                 query_sets: dict[str, np.ndarray], chunk_vectors: np.ndarray, log: Log = stderr_log) -> dict[str, Any]:
    """The same synthetic corpus written to a milvus-lite store by the real ingest (issue 16), then its
    dense searches against exact search over the same vectors: recall@10 and latency per search."""
    import faiss

    from assistant.retrieval_milvus import Searcher
    from ingest import milvus_store
    from ingest.build import build_index
    from ingest.lexical import terms as lexical_terms
    from ingest.vectors import build_faiss

    out: dict[str, Any] = {}
    cached = milvus_store.query_encoder_path()
    if not cached.is_file():  # the same model (same fingerprint): reuse the source index's export
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_index / layout.QUERY_ENCODER, cached)
    settings = milvus_settings(work)
    shutil.rmtree(work / "milvus.db", ignore_errors=True)
    log(f"[scale {n}] building the milvus-lite store through ingest.build (same plan and vectors)")
    t = time.perf_counter()
    build_index(settings, rebuild=True, chunker=_planned_chunker(plan), encoder=encoder)
    out["build_index_s"] = round(time.perf_counter() - t, 3)
    out["bytes"] = dir_bytes(work / "milvus.db")
    client = milvus_store.connect(settings)
    try:
        t = time.perf_counter()
        opened = milvus_store.load(client, settings)
        out["load_s"] = round(time.perf_counter() - t, 3)
        out["kind"] = opened.data.manifest["vector_index"]["kind"]
        searcher = Searcher(opened)
        faiss.omp_set_num_threads(1)
        flat = build_faiss(chunk_vectors, kind="flat")
        for name, qs in query_sets.items():
            truth, _, _ = _search_all(flat, qs, 10)
            found = np.full((len(qs), 10), -1, dtype=np.int64)
            times = []
            for i, q in enumerate(qs):
                t = time.perf_counter()
                hits = searcher.dense(q, 10, None)
                times.append((time.perf_counter() - t) * 1e3)
                found[i, :len(hits)] = [h for h, _ in hits]
            out[f"recall@10_{name}"] = round(recall_at(found, truth), 4)
            out[f"dense_{name}_ms"] = _lat(times)
        sentence_vectors = opened.data.sentence_vectors
        qs = query_sets["gold"]
        truth, _, _ = _search_all(build_faiss(sentence_vectors, kind="flat"), qs, 10)
        found = np.full((len(qs), 10), -1, dtype=np.int64)
        times = []
        for i, q in enumerate(qs):
            t = time.perf_counter()
            rows = searcher.sentences_near(q, 10, None)
            times.append((time.perf_counter() - t) * 1e3)
            found[i, :len(rows)] = rows
        out["sentence_recall@10_gold"] = round(recall_at(found, truth), 4)
        out["sentence_ms"] = _lat(times)
        terms = [lexical_terms(q) for q, _ in gold_questions()]
        times = []
        for qt in terms:
            t = time.perf_counter()
            searcher.lexical(qt, 12, None)
            times.append((time.perf_counter() - t) * 1e3)
        out["bm25_ms"] = _lat(times)
    finally:
        client.close()
    return out
