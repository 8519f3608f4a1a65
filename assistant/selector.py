"""The learned answer selector: does this sentence answer this question?

A cross-encoder fine-tuned from the bundled MiniLM (eval/selector/, model
card in assistant/models/answer-selector/MODEL_CARD.md) reads the question
and one candidate sentence together, so it can see that "What did Iran do on
Yom Kippur?" is not answered by a sentence about Syria and Egypt, which a
bi-encoder similarity cannot. Its logit is combined with the retrieval
features (dense similarity, IDF-weighted term overlap) by a logistic
regression fitted on dev only; the result is the probability that the
sentence answers the question. selection.py applies the answer-or-abstain
threshold to it.

The model runs through onnxruntime and `tokenizers` (no torch at query
time). Every file of the model folder is checked against the SHA-256 in
`selector.json` before it is used: a damaged or swapped model is refused,
never silently run.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ExitCode
from ingest.index.manifest import file_sha256

from .errors import AssistantError

MODEL_DIR = Path(__file__).with_name("models") / "answer-selector"
CONFIG = "selector.json"
MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"


class SelectorError(AssistantError):
    """The shipped selector model is missing, damaged or of an unknown version."""

    exit_code = ExitCode.SELECTOR


@dataclass(frozen=True)
class Combiner:
    """p = sigmoid(w_ce * logit + w_dense * dense + w_lexical * lexical + bias), fitted on dev."""

    w_ce: float
    w_dense: float
    w_lexical: float
    bias: float

    def probability(self, logit: np.ndarray, dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        z = self.w_ce * logit + self.w_dense * dense + self.w_lexical * lexical + self.bias
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class SelectorConfig:
    version: str
    max_length: int
    candidates: int
    threshold: float
    combiner: Combiner
    files: dict[str, str]  # name -> sha256


def restore_hint(model_dir: Path) -> str:
    """The command that puts the shipped files back, runnable as printed from the project folder."""
    try:
        shown = model_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = model_dir
    return f"git checkout -- {shown}"


def read_config(model_dir: Path = MODEL_DIR) -> SelectorConfig:
    path = model_dir / CONFIG
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        comb = raw["combiner"]
        cfg = SelectorConfig(
            version=str(raw["version"]), max_length=int(raw["max_length"]), candidates=int(raw["candidates"]),
            threshold=float(raw["threshold"]),
            combiner=Combiner(float(comb["w_ce"]), float(comb["w_dense"]), float(comb["w_lexical"]),
                              float(comb["bias"])),
            files={str(k): str(v) for k, v in raw["files"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SelectorError(f"the answer selector's {path} cannot be read ({exc}); restore it with "
                            f"`{restore_hint(model_dir)}`") from exc
    if not 0 < cfg.threshold < 1 or cfg.candidates < 1 or cfg.max_length < 16:
        raise SelectorError(f"{path}: threshold, candidates or max_length out of range")
    return cfg


class PairScorer:
    """The cross-encoder's raw logits for (question, text) pairs, through onnxruntime."""

    def __init__(self, model: Path, tokenizer: Path, max_length: int, threads: int = 2) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(tokenizer))
        # longest_first, not only_second as in training: a question longer than max_length
        # alone would make only_second fail; for ordinary questions both cut the same tokens.
        tok.enable_truncation(max_length=max_length, strategy="longest_first")
        # MiniLM's tokenizer.json pads every input to 128 tokens. A pair runs alone, so no padding is
        # needed, and a typical pair is 40-60 tokens: padding made each run 2-3x slower, and its masked
        # positions still widened the int8 activation ranges. Training padded to the longest of a batch.
        tok.no_padding()
        self._tok = tok
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        if threads > 1:
            # No spin-waiting between runs: with many concurrent questions the idle threads' spinning
            # burned CPU the answering threads needed (the query encoder does the same, ingest/embedder.py).
            # Scheduling only; the arithmetic and so every score are unchanged.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def logits(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One pair per run: dynamic int8 quantization scales activations per batch, so a batched
        pair's score would depend on its neighbours in the batch (and on their padding)."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        with self._lock:  # the tokenizer's truncation settings are shared state
            enc = self._tok.encode_batch([(question, t) for t in texts])
        out = np.empty(len(enc), dtype=np.float32)
        for i, e in enumerate(enc):
            feed = {"input_ids": np.asarray([e.ids], dtype=np.int64),
                    "attention_mask": np.asarray([e.attention_mask], dtype=np.int64),
                    "token_type_ids": np.asarray([e.type_ids], dtype=np.int64)}
            out[i] = float(np.asarray(self._session.run(None, feed)[0]).reshape(-1)[0])
        return out


class LearnedSelector:
    """The shipped, hash-checked model and its dev-fitted combination; loaded once per Assistant."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 1) -> None:
        self.config = read_config(model_dir)
        for name, digest in self.config.files.items():
            f = model_dir / name
            if not f.is_file() or file_sha256(f) != digest:
                raise SelectorError(f"the answer selector file {f} is missing or does not match its SHA-256; "
                                    f"restore it with `{restore_hint(model_dir)}`")
        try:
            self.scorer = PairScorer(model_dir / MODEL_FILE, model_dir / TOKENIZER_FILE, self.config.max_length,
                                     threads)
        except (OSError, ValueError, RuntimeError) as exc:
            raise SelectorError(f"the answer selector in {model_dir} cannot be loaded ({exc})") from exc

    def probabilities(self, question: str, texts: Sequence[str], dense: Sequence[float],
                      lexical: Sequence[float]) -> np.ndarray:
        logits = self.scorer.logits(question, texts)
        return self.config.combiner.probability(logits, np.asarray(dense, dtype=np.float32),
                                                np.asarray(lexical, dtype=np.float32))
