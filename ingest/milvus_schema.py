"""What each Milvus collection holds: its fields and indexes, and how records become rows.

The collections themselves (one per kind and build, published by an alias) are
described in ingest/milvus_store.py. Kept apart from ingest/milvus_write.py,
which sequences a build, because these are the parts a reader depends on:
change a field or a row encoding here and LAYOUT_VERSION (ingest/milvus_client.py)
must change with it.
"""
from __future__ import annotations

import json
from typing import Any

from . import embedder, lexical
from .index.records import ChunkRecord, SentenceRecord
from .milvus_client import (
    BM25_B,
    BM25_K1,
    DOC_ID_MAX,
    EXACT_LIMIT,
    HNSW_EF_CONSTRUCTION,
    HNSW_M,
    TEXT_PART,
    VARCHAR_MAX,
)


# -- schemas ----------------------------------------------------------------------
def hnsw_params() -> dict[str, Any]:
    """HNSW build parameters in both wire forms. pymilvus 3 flattens `params` into top-level index keys, which
    a Milvus server reads; milvus-lite 3.2 reads build parameters only from a JSON `params` key and ignored
    the flat ones (its HNSW was built with M=16, found by the 10k bench). The server also accepts `params`."""
    build = {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION}
    return {**build, "params": build}


def schemas(client: Any, kind: str, count: int) -> tuple[Any, Any]:
    from pymilvus import DataType, Function, FunctionType

    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("id", DataType.INT64, is_primary=True)
    index = client.prepare_index_params()
    if kind in ("chunks", "sentences"):
        s.add_field("doc", DataType.VARCHAR, max_length=DOC_ID_MAX * 4)
        s.add_field("record", DataType.VARCHAR, max_length=VARCHAR_MAX)
        s.add_field("vec", DataType.FLOAT_VECTOR, dim=embedder.DIMENSION)
        if count < EXACT_LIMIT:
            index.add_index("vec", index_type="FLAT", metric_type="IP")
        else:
            index.add_index("vec", index_type="HNSW", metric_type="IP", params=hnsw_params())
        index.add_index("doc", index_type="INVERTED")
    if kind == "chunks":
        s.add_field("terms", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                    analyzer_params={"tokenizer": "standard"})
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"],
                                output_field_names=["sparse"]))
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                        params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
    if kind in ("docs", "meta"):
        # Milvus wants a vector field in every collection; these rows are only read by key.
        s.add_field("key", DataType.VARCHAR, max_length=DOC_ID_MAX * 4)
        s.add_field("part", DataType.INT64)
        s.add_field("data", DataType.VARCHAR, max_length=VARCHAR_MAX)
        s.add_field("v", DataType.FLOAT_VECTOR, dim=2)
        index.add_index("v", index_type="FLAT", metric_type="L2")
    return s, index


def _fits(text: str, limit: int = VARCHAR_MAX) -> bool:
    return len(text) <= limit // 4 or len(text.encode("utf-8")) <= limit


def _parts(text: str) -> list[str]:
    return [text[i:i + TEXT_PART] for i in range(0, len(text), TEXT_PART)] or [""]


def record_json(record: ChunkRecord | SentenceRecord) -> str:
    """A record as compact JSON; a text too long for one VARCHAR is left out and restored from the
    document text at load (its offsets are exact), marked so loading knows."""
    rec = record.to_json()
    out = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
    if _fits(out):
        return out
    rec["text"] = None
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def bm25_terms(text: str) -> str:
    joined = " ".join(lexical.terms(text))
    while not _fits(joined):  # only a pathological chunk gets here: keep its first terms
        joined = joined[: len(joined) * 3 // 4].rsplit(" ", 1)[0]
    return joined


def blob_rows(items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, text in items:
        for part, piece in enumerate(_parts(text)):
            rows.append({"id": len(rows), "key": key, "part": part, "data": piece, "v": [0.0, 0.0]})
    return rows
