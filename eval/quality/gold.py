"""Gold question–answer items: loading with line-numbered validation errors."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GoldError


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
