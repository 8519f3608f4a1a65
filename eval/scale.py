"""Scaling: a synthetic corpus of N chunks, built and queried like the real one.

    python -m eval.scale run 1000 10000 100000 [--out DIR] [--quick]

What is real and what is synthetic (everything is seeded; same N, same seed,
same corpus -> same texts and vectors):

* Texts. Sentences of the shipped index are sampled; 70% are spliced with
  another (the start of one joined to the end of another at word boundaries,
  so there are ~80,000 possible bases rather than ~280), and all are
  perturbed at word level (words replaced by other corpus words, dropped,
  doubled or swapped).
  A chunk takes as many sentences as real chunks do (sampled from the shipped
  index's sentences-per-chunk histogram); documents hold CHUNKS_PER_DOC chunks.
* Vectors. Embedding 100k chunks plus their ~300k sentences with MiniLM
  would take the better part of an hour on 2 cores, and what is measured at
  scale is retrieval, so only a pool is embedded for real:
    - up to POOL (1000) chunk texts are embedded with the real model; those
      chunks keep their real vectors, so N=1k is entirely real;
    - a synthetic sentence's centre is its source sentences' real vectors
      mixed by their share of words; a synthetic chunk's centre is the
      normalised sum of its sentences' vectors. Vectors are drawn around
      their centres from a residual model (mean and covariance) fitted on
      real embeddings of texts made the same way (160 synthetic sentences;
      the pool of real chunks), so neighbourhoods resemble real ones; the
      run reports nearest-neighbour cosines of real and synthetic vectors.
  The real model's throughput on the pool gives the embedding time of a
  full-size ingest by extrapolation.
* Build. The real `ingest.build.build_index` writes the index (FAISS kind by
  size from ingest/vectors.py, BM25, manifest, publish) from the synthetic
  files; only two seams are replaced for the run: the chunker (the planned
  chunks are located in the loaded text instead of running pysbd) and the
  document encoder (it returns the vectors above). The real chunker's
  throughput is measured on a sample of the synthetic documents and
  extrapolated.
* Queries. A fresh process loads the index with the real `Assistant` and asks
  every gold question (real query embeddings through onnxruntime): load time,
  peak RSS and ask latency. FAISS alone is compared on the chunk vectors:
  exact (flat), HNSW at several efSearch values and IVF at several nprobe
  values, recall@10 against exact search, for the gold questions and for
  noisy sentence queries.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
SEED = 20240517
CHUNKS_PER_DOC = 25
POOL = 1000
QUICK_POOL = 120
CALIBRATION_SENTENCES = 160
PERTURB_RATE = 0.12
SPLICE_SHARE = 0.7
SENTENCE_QUERIES = 200
HNSW_EF_SWEEP = (16, 32, 64, 96, 128, 256)
IVF_NPROBE_SWEEP = (4, 8, 16, 32, 64)
TARGET_RECALL = 0.95
TIE_EPS = 0.01
SENTENCE_EF_SWEEP = (512, 1024, 2048)
Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- processes -------------------------------------------------------------------
@dataclass
class Measured:
    returncode: int
    wall_s: float
    max_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# `python -m X ...` run as `python -c WRAP X ...`: the same module run as __main__, and at exit the
# process writes its own VmHWM. The rusage of a waited child is no substitute on Linux: its ru_maxrss
# starts from the parent's RSS at fork/exec time, so every child of a big parent looks big.
_WRAP = (
    "import atexit, os, runpy, sys\n"
    "def _hwm():\n"
    "    try:\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmHWM:'):\n"
    "                open(os.environ['BENCH_RSS_FILE'], 'w').write(line.split()[1])\n"
    "    except OSError:\n"
    "        pass\n"
    "atexit.register(_hwm)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
)


def run_measured(cmd: Sequence[str], timeout: float = 900.0, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Measured:
    """Run a command; wall time from spawn to exit and, for `python -m ...`, the child's own peak RSS."""
    cmd = list(cmd)
    env = dict(env or child_env())
    rss_file = None
    if len(cmd) >= 3 and cmd[0] == sys.executable and cmd[1] == "-m":
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        env["BENCH_RSS_FILE"] = rss_file
        cmd = [cmd[0], "-c", _WRAP, *cmd[2:]]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd or ROOT, env=env,
                                start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status = os.waitpid(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        rss = -1.0  # unknown
        if rss_file:
            with contextlib.suppress(OSError, ValueError):
                rss = int(Path(rss_file).read_text() or "-1024") / 1024.0
            with contextlib.suppress(OSError):
                os.unlink(rss_file)
        return Measured(proc.returncode, wall, rss,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        timed_out.is_set())


def percentiles(values: Sequence[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        return {"n": 0}
    return {"n": int(arr.size), "p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "max": float(arr.max()), "mean": float(arr.mean())}


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def dir_bytes(path: Path) -> int:
    path = Path(path).resolve()
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- source material -------------------------------------------------------------
@dataclass
class Source:
    index: Path
    sentences: list[str]
    vectors: np.ndarray          # real embeddings of the source sentences, unit length
    vocab: list[str]
    per_chunk: np.ndarray        # sentences-per-chunk values of the shipped chunks


def load_source(index: Path) -> Source:
    from ingest import embedder
    from ingest.lexical import words
    from ingest.store import load_index

    data = load_index(Path(index), embedder.MODEL_NAME, embedder.DIMENSION)
    keep = [i for i, s in enumerate(data.sentences) if not s.get("heading") and len(words(s["text"])) >= 5]
    sentences = [" ".join(data.sentences[i]["text"].split()) for i in keep]
    vocab = sorted({w for s in sentences for w in s.split() if w.isalpha() and len(w) > 3})
    per_chunk = np.asarray([max(1, c["sentences"][1] - c["sentences"][0]) for c in data.chunks], dtype=np.int64)
    return Source(Path(index), sentences, np.ascontiguousarray(data.sentence_vectors[keep]), vocab, per_chunk)


def perturb(text: str, rng: np.random.Generator, vocab: Sequence[str], rate: float = PERTURB_RATE) -> str:
    """Word-level edits at `rate`: replace with a corpus word, drop, double, or swap with the next."""
    toks = text.split()
    out: list[str] = []
    draws = rng.random(len(toks))
    kinds = rng.integers(0, 4, len(toks))
    picks = rng.integers(0, len(vocab), len(toks))
    i = 0
    while i < len(toks):
        t = toks[i]
        if draws[i] >= rate or i == 0 or i == len(toks) - 1:  # keep the first and last word (capital, full stop)
            out.append(t)
        elif kinds[i] == 0:
            out.append(vocab[picks[i]].lower())
        elif kinds[i] == 1:
            pass
        elif kinds[i] == 2:
            out.extend((t, t))
        elif i + 1 < len(toks) - 1:
            out.extend((toks[i + 1], t))
            i += 1
        else:
            out.append(t)
        i += 1
    return " ".join(out) if out else text


def splice(a: str, b: str, rng: np.random.Generator) -> tuple[str, float]:
    """The start of sentence a joined to the end of sentence b at word boundaries; a's share of words."""
    wa, wb = a.split(), b.split()
    cut_a = max(1, int(round(len(wa) * rng.uniform(0.3, 0.7))))
    cut_b = min(len(wb) - 1, max(1, int(round(len(wb) * rng.uniform(0.3, 0.7)))))
    words = wa[:cut_a] + wb[cut_b:]
    return " ".join(words), cut_a / len(words)


@dataclass
class Plan:
    """The synthetic corpus: documents of chunks of (synthetic sentence id, text).

    Synthetic sentence i comes from corpus sentences src_a[i] and src_b[i]
    (the same one when not spliced), weight[i] being a's share of its words.
    """
    n: int
    seed: int
    docs: dict[str, list[list[tuple[int, str]]]] = field(default_factory=dict)
    src_a: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    src_b: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def chunks(self) -> Iterator[tuple[str, list[tuple[int, str]]]]:
        for doc, chunks in self.docs.items():
            for chunk in chunks:
                yield doc, chunk

    def text(self, doc: str) -> str:
        return "\n\n".join(" ".join(s for _, s in chunk) for chunk in self.docs[doc]) + "\n"

    @property
    def n_sentences(self) -> int:
        return len(self.src_a)


def synthetic_sentences(count: int, source: Source, rng: np.random.Generator
                        ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """`count` sentences: SPLICE_SHARE of them spliced from two corpus sentences, all perturbed."""
    a = rng.integers(0, len(source.sentences), count)
    b = rng.integers(0, len(source.sentences), count)
    spliced = rng.random(count) < SPLICE_SHARE
    weight = np.ones(count, dtype=np.float32)
    texts: list[str] = []
    for i in range(count):
        text = source.sentences[a[i]]
        if spliced[i] and a[i] != b[i]:
            text, weight[i] = splice(text, source.sentences[b[i]], rng)
        else:
            b[i] = a[i]
        texts.append(perturb(text, rng, source.vocab))
    return texts, a, b, weight


def sentence_centres(source: Source, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Where a synthetic sentence's embedding is expected: its parents' vectors mixed by word share."""
    return _unit(w[:, None] * source.vectors[a] + (1 - w[:, None]) * source.vectors[b]).astype(np.float32)


def plan_corpus(n: int, source: Source, seed: int = SEED) -> Plan:
    rng = np.random.default_rng([seed, n])
    sizes = rng.choice(source.per_chunk, size=n)
    texts, a, b, w = synthetic_sentences(int(sizes.sum()), source, rng)
    plan = Plan(n, seed, src_a=a, src_b=b, weight=w)
    cursor = 0
    width = max(6, len(str(math.ceil(n / CHUNKS_PER_DOC))))
    for j in range(n):
        doc = f"synthetic-{j // CHUNKS_PER_DOC:0{width}d}"
        k = int(sizes[j])
        plan.docs.setdefault(doc, []).append([(i, texts[i]) for i in range(cursor, cursor + k)])
        cursor += k
    return plan


# -- vectors -----------------------------------------------------------------------
def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12, None)


@dataclass
class Residuals:
    """How real embeddings sit around a centre: v = unit(alpha * centre + e), e ~ N(mean, cov).

    Fitted on real embeddings of perturbed texts; the mean keeps the direction
    they share (same topic, same title prefix) and the covariance its spread,
    so synthetic neighbourhoods are neither tighter nor looser than real ones.
    """
    alpha: float
    mean: np.ndarray
    chol: np.ndarray
    fitted_on: int

    @classmethod
    def fit(cls, real: np.ndarray, centres: np.ndarray, shrink: float = 0.1) -> "Residuals":
        dim = real.shape[1]
        proj = np.sum(real * centres, axis=1, keepdims=True)
        resid = (real - proj * centres).astype(np.float64)
        mean = resid.mean(axis=0)
        cov = np.cov(resid, rowvar=False) if len(resid) > 1 else np.eye(dim) * 1e-3
        cov = (1 - shrink) * cov + shrink * (np.trace(cov) / dim) * np.eye(dim)  # few samples: shrink to isotropic
        chol = np.linalg.cholesky(cov + 1e-9 * np.eye(dim))
        return cls(float(proj.mean()), mean, chol, len(real))

    def sample(self, centres: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        z = rng.standard_normal((len(centres), len(self.mean)))
        e = (z @ self.chol.T + self.mean).astype(np.float32)
        return _unit(self.alpha * centres + e).astype(np.float32)


def chunk_embed_text(doc: str, text: str) -> str:
    """What ingest embeds for a chunk of a document without catalog title or headings."""
    return f"{doc}\n{text}"


@dataclass
class Vectors:
    by_text: dict[str, np.ndarray]
    chunk_vectors: np.ndarray
    info: dict[str, Any]
    sentence_model: Residuals


def make_vectors(plan: Plan, source: Source, pool: int, log: Log = _stderr) -> Vectors:
    from ingest import embedder

    rng = np.random.default_rng([plan.seed, plan.n, 1])
    dim = source.vectors.shape[1]
    encoder = embedder.DocumentEncoder()
    info: dict[str, Any] = {"pool": 0}

    # 1. sentence residuals, fitted on real embeddings of synthetic sentences made the same way
    cal_texts, cal_a, cal_b, cal_w = synthetic_sentences(CALIBRATION_SENTENCES, source, rng)
    real = encoder.encode(cal_texts, progress=False)
    cal_centres = sentence_centres(source, cal_a, cal_b, cal_w)
    sentence_model = Residuals.fit(real, cal_centres)
    info.update(sentence_cos_to_centre_real=round(float(np.mean(np.sum(real * cal_centres, 1))), 4))

    # 2. synthetic sentence vectors, chunk centres
    flat = [(doc, s_id, text) for doc, chunk in plan.chunks() for s_id, text in chunk]
    sent_vecs = np.empty((len(flat), dim), dtype=np.float32)
    for a in range(0, len(flat), 65536):
        sl = slice(a, a + 65536)
        sent_vecs[sl] = sentence_model.sample(sentence_centres(source, plan.src_a[sl], plan.src_b[sl], plan.weight[sl]), rng)
    info["sentence_cos_to_centre_synthetic"] = round(float(np.mean(np.sum(
        sent_vecs[:2000] * sentence_centres(source, plan.src_a[:2000], plan.src_b[:2000], plan.weight[:2000]), 1))), 4) \
        if len(flat) else None
    info["spliced_share"] = round(float(np.mean(plan.src_a != plan.src_b)), 3) if len(flat) else 0.0
    by_text: dict[str, np.ndarray] = {}
    for (_, _, text), v in zip(flat, sent_vecs):
        by_text.setdefault(text, v)
    bounds = np.cumsum([0] + [len(c) for _, c in plan.chunks()])
    centres = _unit(np.add.reduceat(sent_vecs, bounds[:-1], axis=0)) if len(flat) else np.zeros((0, dim), np.float32)

    # 3. real embeddings of a pool of chunks; chunk residuals fitted on them
    chunk_list = list(plan.chunks())
    take = min(pool, len(chunk_list))
    pool_texts = [chunk_embed_text(doc, " ".join(s for _, s in chunk)) for doc, chunk in chunk_list[:take]]
    t0 = time.perf_counter()
    c0 = time.process_time()
    pool_vecs = encoder.encode(pool_texts, progress=False) if take else np.zeros((0, dim), np.float32)
    wall = time.perf_counter() - t0
    tokens = sum(embedder.count_tokens(pool_texts)) + 2 * take if take else 0
    chunk_vecs = np.empty_like(centres)
    if take:
        chunk_model = Residuals.fit(pool_vecs, centres[:take])
        for a in range(take, len(centres), 65536):
            chunk_vecs[a:a + 65536] = chunk_model.sample(centres[a:a + 65536], rng)
        chunk_vecs[:take] = pool_vecs
    else:
        chunk_vecs[:] = centres
    cos_real = float(np.mean(np.sum(pool_vecs * centres[:take], axis=1))) if take else None
    cos_syn = float(np.mean(np.sum(chunk_vecs[take:] * centres[take:], axis=1))) if len(centres) > take else None
    info.update(
        pool=take, pool_chars=sum(len(t) for t in pool_texts), pool_tokens=tokens,
        pool_embed_s=round(wall, 3), pool_embed_cpu_s=round(time.process_time() - c0, 3),
        embed_texts_per_s=round(take / wall, 1) if wall > 0 and take else None,
        embed_tokens_per_s=round(tokens / wall, 1) if wall > 0 and take else None,
        chunk_cos_to_centre_real=round(cos_real, 4) if cos_real is not None else None,
        chunk_cos_to_centre_synthetic=round(cos_syn, 4) if cos_syn is not None else None,
        real_chunk_vectors=take, synthetic_chunk_vectors=len(centres) - take,
    )
    for (doc, chunk), v in zip(chunk_list, chunk_vecs):
        by_text[chunk_embed_text(doc, " ".join(s for _, s in chunk))] = v
    # Neighbourhood check: nearest-neighbour cosine among real vs synthetic chunk vectors.
    if take >= 50 and len(chunk_vecs) >= 2 * take:
        def nn_cos(x: np.ndarray) -> float:
            sims = x @ x.T
            np.fill_diagonal(sims, -1)
            return float(np.mean(sims.max(axis=1)))

        info["nn_cos_real_pool"] = round(nn_cos(pool_vecs), 4)
        info["nn_cos_synthetic_same_size"] = round(nn_cos(chunk_vecs[take:2 * take]), 4)
        info["mean_cos_real_pool"] = round(float(np.mean(pool_vecs @ pool_vecs.T)), 4)
        info["mean_cos_synthetic_same_size"] = round(float(np.mean(chunk_vecs[take:2 * take] @ chunk_vecs[take:2 * take].T)), 4)
    return Vectors(by_text, chunk_vecs, info, sentence_model)


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
    from ingest.chunker import Chunk, Sentence

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
                sentences.append(Sentence(doc.doc_id, at, at + len(s), s, (), False, j))
                cursor = at + len(s)
            a, b = sentences[first].start, sentences[-1].end
            chunks.append(Chunk(doc.doc_id, a, b, text[a:b], (), (first, len(sentences)), None))
        return chunks, sentences

    return chunk_document


@contextlib.contextmanager
def _seams(plan: Plan, encoder: _PlannedEncoder) -> Iterator[None]:
    import ingest.build as build
    from ingest import embedder

    saved = (build.chunk_document, embedder.DocumentEncoder)
    build.chunk_document = _planned_chunker(plan)
    embedder.DocumentEncoder = lambda *a, **k: encoder  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        build.chunk_document, embedder.DocumentEncoder = saved


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

    settings = ChunkerSettings(Settings().chunk_tokens)
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


# -- FAISS comparison --------------------------------------------------------------
def _search_all(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    times: list[float] = []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        found_scores, found = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - t) * 1e3)
        ids[i], scores[i] = found[0], found_scores[0]
    return ids, scores, times


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the exact top-k that the approximate search returned."""
    hits = [len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) / max(1, int((t >= 0).sum())) for f, t in zip(found, truth)]
    return float(np.mean(hits)) if hits else 1.0


def near_recall_at(found_scores: np.ndarray, truth_scores: np.ndarray, eps: float = TIE_EPS) -> float:
    """Share of returned results scoring within eps of the exact k-th best: misses among near-ties forgiven."""
    kth = truth_scores[:, -1:] - eps
    return float(np.mean(found_scores >= kth)) if len(found_scores) else 1.0


def compare_faiss(vectors: np.ndarray, query_sets: dict[str, np.ndarray], k: int = 10,
                  quick: bool = False, log: Log = _stderr, prebuilt: Any = None,
                  ef_sweep: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Exact vs HNSW (efSearch sweep) vs IVF (nprobe sweep): build time, latency, recall@k.

    `prebuilt`: an HNSW index over the same vectors (the one ingest wrote) to use
    instead of building another; its build time is then not reported here.
    """
    import faiss

    from ingest import vectors as vec

    faiss.omp_set_num_threads(1)  # queries run single-threaded in the assistant
    rows: list[dict[str, Any]] = []
    n, dim = vectors.shape
    k = min(k, n)
    t = time.perf_counter()
    flat = vec.build_faiss(vectors, kind="flat")
    build_flat = time.perf_counter() - t
    truth: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    lat: list[float] = []
    for name, qs in query_sets.items():
        t_ids, t_scores, times = _search_all(flat, qs, k)
        truth[name] = (t_ids, t_scores)
        lat += times
    rows.append({"index": "flat (exact)", "params": "", "build_s": round(build_flat, 3),
                 "bytes": int(faiss.serialize_index(flat).nbytes), **_lat(lat),
                 **{f"{m}@{k}_{name}": 1.0 for name in query_sets for m in ("recall", "near")}})

    def measure(row: dict[str, Any], index: Any) -> dict[str, Any]:
        """Search every query set with `index`: recall against exact search, and latency."""
        times: list[float] = []
        for name, qs in query_sets.items():
            found, scores, lat_ms = _search_all(index, qs, k)
            times += lat_ms
            row[f"recall@{k}_{name}"] = round(recall_at(found, truth[name][0]), 4)
            row[f"near@{k}_{name}"] = round(near_recall_at(scores, truth[name][1]), 4)
        row.update(_lat(times))
        return row

    faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))  # builds may use every core
    t = time.perf_counter()
    hnsw = prebuilt if prebuilt is not None else vec.build_faiss(vectors, kind="hnsw")
    build_hnsw = None if prebuilt is not None else round(time.perf_counter() - t, 3)
    faiss.omp_set_num_threads(1)
    hnsw_bytes = int(faiss.serialize_index(hnsw).nbytes)
    if ef_sweep is None:
        ef_sweep = (vec.HNSW_EF_SEARCH,) if quick else tuple(sorted(set(HNSW_EF_SWEEP) | {vec.HNSW_EF_SEARCH}))
    sweep = ef_sweep
    for ef in sweep:
        hnsw.hnsw.efSearch = ef
        rows.append(measure({"index": "hnsw", "params": f"M={vec.HNSW_M} efC={vec.HNSW_EF_CONSTRUCTION} efSearch={ef}"
                             + (" (default)" if ef == vec.HNSW_EF_SEARCH else ""),
                             "build_s": build_hnsw, "bytes": hnsw_bytes}, hnsw))
    hnsw.hnsw.efSearch = vec.HNSW_EF_SEARCH

    if n >= 2000 and not quick:
        nlist = int(min(4 * math.sqrt(n), n // 39))
        faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
        t = time.perf_counter()
        quant = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quant, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(SEED)
        sample = vectors[rng.choice(n, size=min(n, 64 * nlist), replace=False)]
        ivf.train(np.ascontiguousarray(sample))
        ivf.add(np.ascontiguousarray(vectors))
        build_ivf = time.perf_counter() - t
        faiss.omp_set_num_threads(1)
        ivf_bytes = int(faiss.serialize_index(ivf).nbytes)
        for nprobe in IVF_NPROBE_SWEEP:
            ivf.nprobe = nprobe
            rows.append(measure({"index": "ivf", "params": f"nlist={nlist} nprobe={nprobe}",
                                 "build_s": round(build_ivf, 3), "bytes": ivf_bytes}, ivf))
    return rows


def _lat(times: Sequence[float]) -> dict[str, float]:
    p = percentiles(times)
    return {"p50_ms": round(p.get("p50", 0.0), 4), "p95_ms": round(p.get("p95", 0.0), 4)}


def default_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return next((f for f in rows if "(default)" in f.get("params", "")), {})


# -- one size, in this process -----------------------------------------------------
def gold_questions(gold: Path = GOLD) -> list[tuple[str, tuple[str, ...]]]:
    from eval.gold import load_gold

    return [(g.question, tuple(g.history)) for g in load_gold(gold)]


def build_size(n: int, source_index: Path, work: Path, quick: bool = False, seed: int = SEED,
               gold: Path = GOLD, log: Log = _stderr, store: str = "faiss") -> dict[str, Any]:
    """Plan, vectorise and build the synthetic index of n chunks under work/; FAISS comparison."""
    from ingest import embedder, vectors as vec
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

    encoder = _PlannedEncoder(vecs, source_index / embedder.ONNX_FILE)
    settings = load_settings(corpus_dir=corpus, index_dir=index)
    log(f"[scale {n}] building the index through ingest.build (planned chunks, synthetic vectors)")
    t = time.perf_counter()
    with _seams(plan, encoder):
        build_index(settings, rebuild=True)
    out["build_index_s"] = round(time.perf_counter() - t, 3)
    out["encoder_misses"] = encoder.misses
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    out["faiss_kind"] = manifest.get("vector_index", {}).get("kind")
    out["index_bytes"] = dir_bytes(index)
    out["index_bytes_without_model"] = out["index_bytes"] - (index / embedder.ONNX_FILE).resolve().stat().st_size
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
    qenc = embedder.QueryEncoder(source_index / embedder.ONNX_FILE)
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
    out["build_peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def milvus_settings(work: Path) -> Any:
    from ingest.config import load_settings

    return load_settings(corpus_dir=work / "corpus", index_dir=work / "index", store="milvus",
                         milvus_uri=str(work / "milvus.db"))


def build_milvus(n: int, plan: Plan, encoder: _PlannedEncoder, corpus: Path, work: Path, source_index: Path,
                 query_sets: dict[str, np.ndarray], chunk_vectors: np.ndarray, log: Log = _stderr) -> dict[str, Any]:
    """The same synthetic corpus written to a milvus-lite store by the real ingest (issue 16), then its
    dense searches against exact search over the same vectors: recall@10 and latency per search."""
    import faiss

    from ingest import embedder, milvus_store
    from ingest.build import build_index
    from ingest.lexical import terms as lexical_terms
    from ingest.vectors import build_faiss

    out: dict[str, Any] = {}
    cached = milvus_store.query_encoder_path()
    if not cached.is_file():  # the same model (same fingerprint): reuse the source index's export
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_index / embedder.ONNX_FILE, cached)
    settings = milvus_settings(work)
    shutil.rmtree(work / "milvus.db", ignore_errors=True)
    log(f"[scale {n}] building the milvus-lite store through ingest.build (same plan and vectors)")
    t = time.perf_counter()
    with _seams(plan, encoder):
        build_index(settings, rebuild=True)
    out["build_index_s"] = round(time.perf_counter() - t, 3)
    out["bytes"] = dir_bytes(work / "milvus.db")
    client = milvus_store.connect(settings)
    try:
        t = time.perf_counter()
        opened = milvus_store.load(client, settings)
        out["load_s"] = round(time.perf_counter() - t, 3)
        out["kind"] = opened.data.manifest["vector_index"]["kind"]
        searcher = milvus_store.Searcher(opened)
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


def probe(index: Path, rounds: int, gold: Path = GOLD, doc_filter: bool = True,
          milvus_work: Path | None = None) -> dict[str, Any]:
    """Load the index with the real Assistant and time every gold question (this process only).
    `milvus_work`: query the milvus-lite store that build_milvus wrote there instead."""
    t0 = time.perf_counter()
    from assistant import Assistant

    t1 = time.perf_counter()
    if milvus_work is not None:
        settings = milvus_settings(milvus_work)
        assistant = Assistant(settings.index_dir, settings)
    else:
        assistant = Assistant(index)
    t2 = time.perf_counter()
    questions = gold_questions(gold)
    rss_loaded = peak_rss_mb()
    first = time.perf_counter()
    assistant.ask(questions[0][0], history=questions[0][1])
    first_ms = (time.perf_counter() - first) * 1e3
    for q, h in questions:  # warm-up
        assistant.ask(q, history=h)
    wall: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q, h in questions:
            t = time.perf_counter()
            answer = assistant.ask(q, history=h)
            wall.append((time.perf_counter() - t) * 1e3)
            for key, value in (answer.timings or {}).items():
                stages.setdefault(key, []).append(float(value))
    out: dict[str, Any] = {
        "import_s": round(t1 - t0, 3), "load_s": round(t2 - t1, 3), "first_ask_ms": round(first_ms, 2),
        "ask_ms": percentiles(wall), "stages_ms": {k: percentiles(v) for k, v in stages.items()},
        "rss_after_load_mb": round(rss_loaded, 1),
    }
    if doc_filter and len(assistant.data.documents) > 1:
        doc = sorted(assistant.data.documents)[len(assistant.data.documents) // 2]
        times, empty = [], 0
        for q, h in questions[:40]:
            t = time.perf_counter()
            answer = assistant.ask(q, history=h, docs=[doc])
            times.append((time.perf_counter() - t) * 1e3)
            empty += not answer.passages
        out["ask_one_doc_ms"] = percentiles(times)
        out["ask_one_doc_without_passages"] = empty
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def run_size(n: int, source_index: Path, work: Path, rounds: int = 3, quick: bool = False, seed: int = SEED,
             gold: Path = GOLD, log: Log = _stderr, timeout: float = 3600.0, store: str = "faiss") -> dict[str, Any]:
    """One size, each step in a fresh process so its memory is its own."""
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    cmd = [py, "-m", "eval.scale", "build", str(n), "--source", str(source_index), "--work", str(work),
           "--seed", str(seed), "--gold", str(gold), "--store", store] + (["--quick"] if quick else [])
    log(f"[scale {n}] build: {' '.join(cmd[2:])}")
    built = run_measured(cmd, timeout=timeout)
    if built.returncode != 0:
        return {"n": n, "error": f"build failed (exit {built.returncode}{', timed out' if built.timed_out else ''}): "
                                 f"{built.stderr.strip()[-1500:]}"}
    result = json.loads(built.stdout.strip().splitlines()[-1])
    result["build_wall_s"] = round(built.wall_s, 2)
    result["build_max_rss_mb"] = round(built.max_rss_mb, 1)
    cmd = [py, "-m", "eval.scale", "probe", "--index", str(work / "index"), "--rounds", str(rounds), "--gold", str(gold)]
    log(f"[scale {n}] query: {' '.join(cmd[2:])}")
    probed = run_measured(cmd, timeout=timeout)
    if probed.returncode != 0:
        result["query_error"] = f"exit {probed.returncode}: {probed.stderr.strip()[-1500:]}"
    else:
        result["query"] = json.loads(probed.stdout.strip().splitlines()[-1])
        result["query"]["max_rss_mb"] = round(probed.max_rss_mb, 1)
    if store == "milvus" and "milvus" in result:
        log(f"[scale {n}] query the milvus-lite store: {' '.join(cmd[2:])} --milvus-work {work}")
        probed = run_measured([*cmd, "--milvus-work", str(work)], timeout=timeout)
        if probed.returncode != 0:
            result["milvus"]["query_error"] = f"exit {probed.returncode}: {probed.stderr.strip()[-1500:]}"
        else:
            result["milvus"]["query"] = json.loads(probed.stdout.strip().splitlines()[-1])
            result["milvus"]["query"]["max_rss_mb"] = round(probed.max_rss_mb, 1)
    return result


def summary_rows(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per size for the bench table."""
    rows = []
    for r in results:
        if "error" in r:
            rows.append({"N": r["n"], "error": r["error"][:200]})
            continue
        q = r.get("query", {})
        default = default_row(r.get("faiss", []))
        sent = default_row(r.get("faiss_sentences", []))
        rows.append({
            "N": r["n"], "faiss": r.get("faiss_kind"),
            "build_index_s": r.get("build_index_s"),
            "est_full_ingest_s": r.get("estimated_full_ingest", {}).get("total_s"),
            "build_rss_mb": r.get("build_max_rss_mb") if (r.get("build_max_rss_mb") or -1) > 0 else r.get("build_peak_rss_mb"),
            "load_s": q.get("load_s"), "query_rss_mb": q.get("peak_rss_mb"),
            "ask_p50_ms": round(q.get("ask_ms", {}).get("p50", float("nan")), 2),
            "ask_p95_ms": round(q.get("ask_ms", {}).get("p95", float("nan")), 2),
            "retrieve_p95_ms": round(q.get("stages_ms", {}).get("retrieve_ms", {}).get("p95", float("nan")), 2),
            "hnsw_recall@10_gold": default.get("recall@10_gold"),
            "hnsw_recall@10_sent": default.get("recall@10_sentences"),
            "sent_index": f"hnsw ({r.get('sentences')})" if sent else f"flat ({r.get('sentences')})",
            "sent_hnsw_recall@10_gold": sent.get("recall@10_gold"),
            "sent_hnsw_near@10_gold": sent.get("near@10_gold"),
            "flat_p95_ms": next((f["p95_ms"] for f in r.get("faiss", []) if f["index"].startswith("flat")), None),
            "hnsw_p95_ms": default.get("p95_ms"),
            "index_mb": round(r.get("index_bytes_without_model", 0) / 1e6, 1),
        })
        m = r.get("milvus")
        if m:
            mq = m.get("query", {})
            rows.append({
                "N": r["n"], "faiss": f"milvus-lite {m.get('kind')}", "build_index_s": m.get("build_index_s"),
                "load_s": mq.get("load_s"), "query_rss_mb": mq.get("peak_rss_mb"),
                "ask_p50_ms": round(mq.get("ask_ms", {}).get("p50", float("nan")), 2),
                "ask_p95_ms": round(mq.get("ask_ms", {}).get("p95", float("nan")), 2),
                "retrieve_p95_ms": round(mq.get("stages_ms", {}).get("retrieve_ms", {}).get("p95", float("nan")), 2),
                "hnsw_recall@10_gold": m.get("recall@10_gold"), "hnsw_recall@10_sent": m.get("recall@10_sentences"),
                "sent_hnsw_recall@10_gold": m.get("sentence_recall@10_gold"),
                "hnsw_p95_ms": m.get("dense_gold_ms", {}).get("p95_ms"),
                "index_mb": round(m.get("bytes", 0) / 1e6, 1),
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scale", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run", help="build and query synthetic indexes of the given sizes")
    p_run.add_argument("sizes", type=int, nargs="+")
    p_run.add_argument("--source", type=Path, default=ROOT / "index", help="a built index of the shipped corpus")
    p_run.add_argument("--out", type=Path, default=ROOT / "bench-out")
    p_run.add_argument("--rounds", type=int, default=3)
    p_run.add_argument("--quick", action="store_true")
    p_run.add_argument("--seed", type=int, default=SEED)
    p_run.add_argument("--gold", type=Path, default=GOLD)
    p_build = sub.add_parser("build", help="(internal) one size, prints JSON")
    p_build.add_argument("n", type=int)
    p_build.add_argument("--source", type=Path, required=True)
    p_build.add_argument("--work", type=Path, required=True)
    p_build.add_argument("--seed", type=int, default=SEED)
    p_build.add_argument("--gold", type=Path, default=GOLD)
    p_build.add_argument("--quick", action="store_true")
    p_build.add_argument("--store", choices=("faiss", "milvus"), default="faiss")
    p_probe = sub.add_parser("probe", help="(internal) query one index, prints JSON")
    p_probe.add_argument("--index", type=Path, required=True)
    p_probe.add_argument("--rounds", type=int, default=3)
    p_probe.add_argument("--gold", type=Path, default=GOLD)
    p_probe.add_argument("--milvus-work", type=Path, help="query the milvus-lite store built there")
    p_run.add_argument("--store", choices=("faiss", "milvus"), default="faiss",
                       help="milvus: also build and query a milvus-lite store of the same corpus")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        print(json.dumps(build_size(args.n, args.source, args.work, args.quick, args.seed, args.gold,
                                    store=args.store)))
        return 0
    if args.cmd == "probe":
        print(json.dumps(probe(args.index, args.rounds, args.gold, milvus_work=args.milvus_work)))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for n in args.sizes:
            results.append(run_size(n, args.source, Path(tmp) / f"n{n}", args.rounds, args.quick, args.seed, args.gold,
                                    store=args.store))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for row in summary_rows(results):
        print(row)
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
