"""Source material and the synthetic corpus of a scaling run: texts planned from the shipped index's
sentences, vectors drawn around real embeddings (see eval/perf/scale.py for what is real and what is not).
"""
from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..quality.gold import load_gold
from .measure import ROOT

GOLD = ROOT / "eval" / "gold.jsonl"
SEED = 20240517
CHUNKS_PER_DOC = 25
POOL = 1000
QUICK_POOL = 120
CALIBRATION_SENTENCES = 160
PERTURB_RATE = 0.12
SPLICE_SHARE = 0.7
SENTENCE_QUERIES = 200
Log = Callable[[str], None]


def stderr_log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def gold_questions(gold: Path = GOLD) -> list[tuple[str, tuple[str, ...]]]:
    return [(g.question, tuple(g.history)) for g in load_gold(gold)]


@dataclass
class Source:
    index: Path
    sentences: list[str]
    vectors: np.ndarray          # real embeddings of the source sentences, unit length
    vocab: list[str]
    per_chunk: np.ndarray        # sentences-per-chunk values of the shipped chunks


def load_source(index: Path) -> Source:
    from ingest import embedder
    from ingest.index import load_index
    from ingest.lexical import words

    data = load_index(Path(index), embedder.MODEL_NAME, embedder.DIMENSION)
    keep = [i for i, s in enumerate(data.sentences) if not s.heading and len(words(s.text)) >= 5]
    sentences = [" ".join(data.sentences[i].text.split()) for i in keep]
    vocab = sorted({w for s in sentences for w in s.split() if w.isalpha() and len(w) > 3})
    per_chunk = np.asarray([max(1, c.sentences[1] - c.sentences[0]) for c in data.chunks], dtype=np.int64)
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
    def fit(cls, real: np.ndarray, centres: np.ndarray, shrink: float = 0.1) -> Residuals:
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


def make_vectors(plan: Plan, source: Source, pool: int, log: Log = stderr_log) -> Vectors:
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
