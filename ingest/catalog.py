"""Document metadata from corpus/catalog.toml (optional, per document)."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

CATALOG_FILE = "catalog.toml"
# short_title: what the chat shows on each source card (the full title is on hover and in the export).
FIELDS = ("title", "short_title", "kind", "authors", "publisher", "number", "published", "url", "note")


def load_catalog(corpus_dir: Path, warn: Any) -> dict[str, dict[str, Any]]:
    """Entries by document id. A broken catalog is reported, never fatal:
    documents still index, with titles from their headings."""
    path = corpus_dir / CATALOG_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        warn(f"{CATALOG_FILE}: ignored, cannot parse it ({exc})")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for entry in data.get("document", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            warn(f"{CATALOG_FILE}: an entry without a string id was ignored")
            continue
        meta = {k: entry[k] for k in FIELDS if k in entry}
        if "short_title" in meta and not (isinstance(meta["short_title"], str) and meta["short_title"].strip()):
            warn(f"{CATALOG_FILE}: {entry['id']}: short_title must be non-empty text; ignored")
            del meta["short_title"]
        if "authors" in meta and not isinstance(meta["authors"], list):
            meta["authors"] = [str(meta["authors"])]
        out[entry["id"]] = meta
    return out
