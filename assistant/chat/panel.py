"""The side panel: the indexed documents, the index build, and the document filter's choices."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .corpus import shorten
from .sources import count
from .templating import one_line, render_template


@dataclass(frozen=True)
class DocumentRow:
    id: str
    title: str
    authors: str  # the first three, "+ n more"
    all_authors: str  # on hover
    source: str  # "publisher · date · kind"
    chunks: str


def _row(d: Any) -> DocumentRow:
    meta = d.meta or {}
    authors = meta.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    shown = ", ".join(str(a) for a in authors[:3]) + (f" + {len(authors) - 3} more" if len(authors) > 3 else "")
    date = meta.get("published") or ""
    publisher = meta.get("publisher") or ""
    kind = meta.get("kind") or d.format
    return DocumentRow(id=d.id, title=d.title, authors=shown or "Unknown author",
                       all_authors=", ".join(str(a) for a in authors),
                       source=" · ".join(x for x in (str(publisher), str(date), str(kind)) if x),
                       chunks=count(int(d.chunks), "chunk"))


def documents_html(documents: Iterable[Any], manifest: dict[str, Any]) -> str:
    counts = manifest.get("counts", {})
    built = manifest.get("created_at", "unknown")
    return one_line(render_template(
        "documents.html", documents=[_row(d) for d in documents],
        built=str(built).replace("T", " ").replace("+00:00", " UTC"), build_id=manifest.get("build_id", "?"),
        n_documents=count(int(counts.get("documents", 0)), "document"),
        n_chunks=count(int(counts.get("chunks", 0)), "chunk")))


def filter_choices(documents: Iterable[Any]) -> list[tuple[str, str]]:
    out = []
    for d in documents:
        short = (d.meta or {}).get("short_title")
        out.append((str(short) if isinstance(short, str) and short.strip() else shorten(d.title), d.id))
    return out
