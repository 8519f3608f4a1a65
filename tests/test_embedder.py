"""The onnxruntime encoders give the sentence-transformers embedding.

Ingest embeds with sentence-transformers and exports the model with torch's
ONNX exporter; queries run that graph with onnxruntime, without torch. Vectors are
unit length, so an absolute tolerance of 1e-5 per component is far below any
difference that could change a ranking.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import embedder
from ingest.index import layout

TEXTS = [
    "Who are the authors of the RAND brief?",
    "sanctions",
    "What should future U.S. policy toward Russia be in peacetime?",
    "Since 2014, punitive sanctions have been the United States’ preferred response to Russian actions.",
    "DÉTENTE, détente and Detente are the same word folded differently.",
    "Naïve café résumé — em dash, “curly quotes” and ‘apostrophes’.",
    "Россия и Соединённые Штаты",
    "日本語のテキストも埋め込める",
    "emoji 🙂🚀 and symbols ∑ ∫ ≤ ≥ ±",
    "RB-A1862-1, 2023; https://www.rand.org/pubs/research_briefs/RBA1862-1.html",
    "1991 2014 2022 3.5% $1,000,000",
    "a",
    "!!!",
    "   leading and trailing whitespace   ",
    "line one\nline two\n\nparagraph two\ttabbed",
    "UPPER CASE HEADLINE ABOUT NATO ENLARGEMENT",
    "Brezhnev's détente with Nixon",
    "The Soviet Union collapsed in 1991, ending the Cold War.",
    "What do the authors recommend about arms control negotiations?",
    "Is the op-ed in favour of offering incentives alongside sanctions?",
    "Key findings: a less-hardline approach could reduce the risk of conflict.",
    "President Joe Biden ramped up sanctions after the SolarWinds cyberattack and election meddling in 2016 and 2020.",
    "word " * 300,  # beyond MAX_TOKENS: truncated the same way
    ("Long paragraph. " + "The United States and its allies weigh deterrence, reassurance and engagement. " * 12).strip(),
    "Q: what is the RAND document number? A: RB-A1862-1",
    "(parenthetical) [bracketed] {braced} <angled>",
    "hyphen-ated well-known state-of-the-art",
    "numbers: one two three, 1st 2nd 3rd",
    "What's the date it was published?",
    "Ukraine, Georgia, Moldova, Belarus, the Baltic states",
    "cybersecurity cooperation and counterterrorism",
    "Glennys Young wrote in The Seattle Times",
    "\u00a0non-breaking\u00a0spaces\u00a0",
    "zero\u200bwidth space",
]


@pytest.fixture(scope="module")
def document_encoder() -> embedder.DocumentEncoder:
    return embedder.DocumentEncoder()


@pytest.fixture(scope="module")
def reference(document_encoder: embedder.DocumentEncoder) -> np.ndarray:
    return document_encoder.encode(TEXTS, progress=False)


@pytest.fixture(scope="module")
def onnx_file(tmp_path_factory: pytest.TempPathFactory, document_encoder: embedder.DocumentEncoder) -> Path:
    path = tmp_path_factory.mktemp("onnx") / layout.QUERY_ENCODER
    document_encoder.export_onnx(path)
    return path


def test_query_vectors_match_sentence_transformers(reference: np.ndarray, onnx_file: Path) -> None:
    enc = embedder.QueryEncoder(onnx_file)
    one_by_one = np.vstack([enc.encode([t]) for t in TEXTS])
    assert one_by_one.shape == (len(TEXTS), embedder.DIMENSION)
    assert one_by_one.dtype == np.float32
    np.testing.assert_allclose(one_by_one, reference, atol=1e-5, rtol=0)
    batched = enc.encode(TEXTS)  # padding inside a batch must not change any vector
    np.testing.assert_allclose(batched, reference, atol=1e-5, rtol=0)


def test_document_vectors_are_unit_length(reference: np.ndarray) -> None:
    assert reference.shape == (len(TEXTS), embedder.DIMENSION) and reference.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(reference, axis=1), 1.0, atol=1e-5)


def test_shipped_index_encoder_matches(shipped_index: Path, reference: np.ndarray) -> None:
    """The query_encoder.onnx that ingest wrote into a real index."""
    enc = embedder.QueryEncoder(shipped_index / layout.QUERY_ENCODER)
    np.testing.assert_allclose(enc.encode(TEXTS[:8]), reference[:8], atol=1e-5, rtol=0)


def test_empty_input(document_encoder: embedder.DocumentEncoder, onnx_file: Path) -> None:
    assert document_encoder.encode([]).shape == (0, embedder.DIMENSION)
    assert embedder.QueryEncoder(onnx_file).encode([]).shape == (0, embedder.DIMENSION)


def test_query_path_does_not_import_torch(tmp_path: Path, onnx_file: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from ingest import embedder; "
        f"embedder.QueryEncoder({str(onnx_file)!r}).encode(['hello']); "
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
