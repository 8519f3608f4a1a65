"""Export a conversation as Markdown, each citation as a verbatim quote.

Quotes are written so that a Markdown renderer shows the cited text exactly:
characters Markdown or HTML would interpret (`\\ ` * _ [ ] < > &` and line
openers such as `#` or `1.`) are backslash-escaped or written as entities,
so document markup is shown, never run. `unescape_quote` reverses this, and
the document id, section, character offsets and document SHA-256 next to
each quote let a reader check it against the source.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..followup import plain_reading

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.M)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_UNESCAPE = re.compile(r"\\([\\`*_\[\]|~#>+\-=.)])|&(amp|lt|gt);")


_CITE = re.compile(r"(\[\d+\])")


def md_text(text: str) -> str:
    """Text that renders verbatim in Markdown and never as HTML ([n] markers stay readable)."""
    text = "".join(part if _CITE.fullmatch(part) else _INLINE.sub(r"\\\1", part) for part in _CITE.split(text))
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]), text)


def unescape_quote(text: str) -> str:
    """Inverse of md_text (for checks and tests)."""
    return _UNESCAPE.sub(lambda m: m.group(1) or {"amp": "&", "lt": "<", "gt": ">"}[m.group(2)], text)


def quote_block(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in md_text(text).split("\n"))


def quoted_spans_lines(answer: dict[str, Any]) -> list[str]:
    """Which characters of the answer text are verbatim quotes (with their citation) and which are the
    assistant's connective text; nothing for answers without quotes."""
    quotes = [s for s in answer.get("segments") or [] if s.get("kind") == "quote"]
    if not quotes:
        return []
    spans = ", ".join(f"{s['start']}–{s['end']} [{s['citation']}]" for s in quotes)
    return [f"*Quoted characters of the answer:* {spans}; the rest is connective text.", ""]


def conversation_markdown(turns: Sequence[dict[str, Any]], manifest: dict[str, Any], titles: dict[str, str],
                          exported_at: datetime | None = None) -> str:
    when = (exported_at or datetime.now(UTC)).isoformat(timespec="seconds")
    lines = [
        "# Conversation with the document assistant",
        "",
        f"- Exported: {when}",
        f"- Index build: `{manifest.get('build_id', '?')}` (built {manifest.get('created_at', '?')})",
        "- Documents: " + "; ".join(f"{md_text(t)} (`{d}`)" for d, t in titles.items()),
        "- Quotes are verbatim; character offsets are 0-based `[start, end)` into the indexed document text.",
        "",
    ]
    for i, turn in enumerate(turns, start=1):
        ans = turn["answer"]
        lines += [f"## {i}. {md_text(turn['question'])}", ""]
        if turn.get("docs"):
            lines += ["*Searched only:* " + ", ".join(f"`{d}`" for d in turn["docs"]), ""]
        if ans.get("resolved_question") and ans["resolved_question"] != turn["question"]:
            lines += [f"*Read as:* {md_text(plain_reading(ans['resolved_question']))}", ""]
        if ans.get("abstained"):
            lines += [f"**No answer found in the documents.** {md_text(ans.get('answer', ''))}", ""]
            lines += quoted_spans_lines(ans)  # a closest passage shown with the abstention is quoted too
            related = ans.get("passages", [])[:3]
            if related:
                lines += ["Closest related passages (not an answer):", ""]
                for p in related:
                    sec = f", section “{md_text(p['section'])}”" if p.get("section") else ""
                    lines += [f"- *{md_text(p.get('title') or p['doc'])}*{sec}, `{p['doc']}` "
                              f"characters {p['start']}–{p['end']}", ""]
        else:
            lines += ["**Answer:** " + md_text(ans.get("answer", "")), ""]
            lines += quoted_spans_lines(ans)
        if ans.get("notice"):
            lines += [f"*Note:* {md_text(ans['notice'])}", ""]
        cites = ans.get("citations", [])
        if cites:
            lines += ["**Citations**", ""]
            for c in cites:
                section = f" — section “{md_text(c['section'])}”" if c.get("section") else ""
                lines += [
                    f"[{c['n']}] *{md_text(c.get('title') or c['doc'])}*{section}  ",
                    f"document `{c['doc']}`, characters {c['start']}–{c['end']}, "
                    f"sha256 `{c.get('doc_sha256', '')[:16]}…`",
                    "",
                    quote_block(c.get("text", "")),
                    "",
                ]
        if turn.get("rating"):
            verdict = {"up": "thumbs up (helpful)", "down": "thumbs down (not helpful)"}.get(turn["rating"], turn["rating"])
            comment = f" — {md_text(turn['comment'])}" if turn.get("comment") else ""
            lines += [f"*Feedback:* {verdict}{comment}", ""]
    if not turns:
        lines += ["*No questions yet.*", ""]
    return "\n".join(lines)


KEEP_EXPORTS_S = 24 * 3600


def _prune(root: Path, keep_s: float = KEEP_EXPORTS_S) -> None:
    """Remove export folders older than a day; a long-running server should not fill /tmp."""
    cutoff = time.time() - keep_s
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def write_export(markdown: str, base: Path | None = None) -> Path:
    """Write to a fresh folder under the system temp dir (Gradio serves it from its own cache)."""
    root = base or Path(tempfile.gettempdir()) / "groundwork-chat-exports"
    _prune(root)
    folder = root / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"conversation-{stamp}.md"
    path.write_text(markdown, encoding="utf-8")
    return path
