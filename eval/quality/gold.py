"""Gold question–answer items: loading with line-numbered validation errors."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GoldError
from . import metrics as M


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answer: str
    answerable: bool
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    line: int = 0

    @property
    def split(self) -> str | None:
        return "dev" if "dev" in self.tags else "test" if "test" in self.tags else None


def parse_item(obj: Any, line: int) -> GoldItem:
    where = f"line {line}"
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: expected a JSON object")
    for key in ("id", "question"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise GoldError(f"{where}: {key!r} must be a non-empty string")
    answerable = obj.get("answerable", True)
    if not isinstance(answerable, bool):
        raise GoldError(f"{where}: 'answerable' must be true or false")
    evidence = []
    for ev in obj.get("evidence") or []:
        if not isinstance(ev, dict) or not isinstance(ev.get("doc"), str) or not isinstance(ev.get("quote"), str):
            raise GoldError(f"{where}: each evidence needs string 'doc' and 'quote'")
        evidence.append(Evidence(ev["doc"], ev["quote"]))
    tags = obj.get("tags") or []
    history = obj.get("history") or []
    if not isinstance(tags, list) or not isinstance(history, list) \
            or not all(isinstance(t, str) for t in tags) or not all(isinstance(h, str) for h in history):
        raise GoldError(f"{where}: 'tags' and 'history' must be lists of strings")
    return GoldItem(obj["id"], obj["question"], str(obj.get("answer") or ""), answerable, tuple(evidence),
                    tuple(tags), tuple(history), line)


def load_gold(path: Path, split: str | None = None) -> list[GoldItem]:
    """All items (or one split's), in file order; duplicate ids are an error."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file {path}: {exc}") from exc
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path} line {n}: not valid JSON ({exc.msg})") from exc
        item = parse_item(obj, n)
        if item.id in seen:
            raise GoldError(f"{path} line {n}: id {item.id!r} already used on line {seen[item.id]}")
        seen[item.id] = n
        items.append(item)
    if split:
        items = [i for i in items if split in i.tags]
    if not items:
        raise GoldError(f"{path}: no gold items{' in split ' + repr(split) if split else ''}")
    return items


# -- gold evidence against an index --------------------------------------------
def check_list_fields(path: Path) -> None:
    """Reject a string where a list belongs: gold.py would iterate "dev" as the tags d, e, v."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return  # load_gold reports it
    for n, raw in enumerate(lines, start=1):
        try:
            obj = json.loads(raw) if raw.strip() else None
        except json.JSONDecodeError:
            return  # load_gold reports it with its line number
        if isinstance(obj, dict):
            for key in ("tags", "history", "evidence"):
                if obj.get(key) is not None and not isinstance(obj[key], list):
                    raise GoldError(f"{path} line {n}: {key!r} must be a list")


def resolve_evidence(items: Sequence[GoldItem], doc_texts: Mapping[str, str], path: Path) -> dict[str, list[M.Span]]:
    """Gold quotes as document spans; an unknown document or a quote not in it is a GoldError."""
    out: dict[str, list[M.Span]] = {}
    for item in items:
        spans: list[M.Span] = []
        for ev in item.evidence:
            if ev.doc not in doc_texts:
                known = ", ".join(sorted(doc_texts))
                raise GoldError(f"{path} line {item.line} (id {item.id!r}): evidence document {ev.doc!r} is not "
                                f"in the index (known ids: {known})")
            where = M.locate(doc_texts[ev.doc], ev.quote)
            if where is None:
                quote = " ".join(ev.quote.split())
                raise GoldError(f"{path} line {item.line} (id {item.id!r}): evidence quote not found in "
                                f"{ev.doc}: {quote[:80]!r}{'…' if len(quote) > 80 else ''}")
            spans.append((ev.doc, where[0], where[1]))
        out[item.id] = spans
    return out


def filter_tags(items: Sequence[GoldItem], tags: Sequence[str], path: Path) -> list[GoldItem]:
    """The items carrying at least one of ``tags`` (all items when none are given).

    Selects e.g. some SQuAD articles out of a gold file that covers more documents than the index;
    the evidence of the items left out is never resolved, so their documents need not be indexed.
    """
    if not tags:
        return list(items)
    wanted = set(tags)
    kept = [i for i in items if wanted & set(i.tags)]
    if not kept:
        raise GoldError(f"{path}: no gold items with tag {' or '.join(map(repr, sorted(wanted)))}")
    return kept
