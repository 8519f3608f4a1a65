"""Where everything of an index lives on disk: the one place that names its files.

Layout of one build (all JSON/JSONL/NumPy/FAISS, no pickle):
  manifest.json        written last; its presence marks a complete build
  documents.jsonl      id, title, metadata, sha256 and full text per document
  chunks.jsonl         chunk records with exact offsets and section paths
  sentences.jsonl      sentence records with exact offsets and a role (body, heading, caption, ...)
  chunk_vectors.npy    float32, one row per chunk (normalised)
  sentence_vectors.npy float32, one row per sentence (normalised)
  chunks.faiss         FAISS index over chunk_vectors
  sentences.faiss      FAISS index over sentence_vectors (answers search sentences too)
  bm25/                bm25s index (JSON + .npy)
  query_encoder.onnx   the embedder exported for torch-free queries

`--index DIR` names a symlink to DIR.d/<build-id>/. A new build is written
beside the old one (as <build-id>.partial) and the link is swapped with
os.replace, so readers see either the old complete build or the new one, even
if ingest is killed. DIR.lock serialises writers.
"""
from __future__ import annotations

from pathlib import Path

MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
SENTENCES = "sentences.jsonl"
CHUNK_VECTORS = "chunk_vectors.npy"
SENTENCE_VECTORS = "sentence_vectors.npy"
CHUNK_FAISS = "chunks.faiss"
SENTENCE_FAISS = "sentences.faiss"
BM25_DIR = "bm25"
QUERY_ENCODER = "query_encoder.onnx"
PARTIAL = ".partial"

# The files every build holds (bm25/ is a folder; its files are listed in the manifest one by one).
FILES = (DOCUMENTS, CHUNKS, SENTENCES, CHUNK_VECTORS, SENTENCE_VECTORS, CHUNK_FAISS, SENTENCE_FAISS, QUERY_ENCODER)


def builds_dir(index: Path) -> Path:
    """DIR.d: every build of the index DIR, the published one and any being written."""
    return index.with_name(index.name + ".d")


def lock_path(index: Path) -> Path:
    return index.with_name(index.name + ".lock")
