"""`python -m assistant ask|chat`: thin CLI over the Assistant and the chat app."""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from ingest.config import ANSWERERS, load_settings
from ingest.errors import GroundworkError, exit_code_of

from .answer import Answer
from .chat.wording import scoped_abstention

# Characters a document may contain that would act on the terminal instead of being read:
# C0/C1 controls (ANSI escape sequences, bell, cursor moves) and bidi overrides that reorder text.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_safe(text: str) -> str:
    """Show control characters as visible escapes (ESC -> \\x1b): quotes stay faithful, the terminal safe."""
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS or ch in "\u2028\u2029":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _quote(text: str) -> str:
    return " ".join(terminal_safe(text).split())


def _print_plain(answer: Answer, docs: list[str] | None = None) -> None:
    def say(line: str = "") -> None:
        print(terminal_safe(line))

    # Under --doc an abstention names the documents searched, as the chat does: "The documents do not
    # answer" would claim more than was searched.
    say(scoped_abstention(answer.text, docs) if answer.abstained and docs else answer.text)
    if answer.notice:
        say(f"\nnote: {answer.notice}")
    if answer.unsupported_sentences:
        say("\nNot supported by the cited passages (check before relying on them):")
        for sentence in answer.unsupported_sentences:
            say(f"  ! {sentence}")
    if answer.citations:
        say("\nSources:")
        for c in answer.citations:
            section = f" — {c.section}" if c.section else ""
            say(f"  [{c.n}] {c.title}{section} ({c.doc} {c.start}-{c.end})")
            print(f"      “{_quote(c.text)}”")
    elif answer.abstained and answer.passages:
        say("\nRelated passages:")
        for p in answer.passages[:3]:
            snippet = _quote(p.text)
            say(f"  - {p.title}{' — ' + p.section if p.section else ''}: {snippet[:200]}{'…' if len(snippet) > 200 else ''}")


def cmd_ask(args: argparse.Namespace) -> int:
    from .answerers import make_answerer

    settings = load_settings(args.config, index_dir=args.index, top_k=args.top_k, answerer=args.answerer)
    answerer = make_answerer(settings)
    answer = answerer.answer(answerer.parse(args.question, args.history or (), args.doc))
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        _print_plain(answer, args.doc)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .chat.server import serve

    settings = load_settings(args.config, index_dir=args.index, host=args.host, port=args.port)
    return serve(settings, build_if_needed=not args.no_build)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the documents; every answer cites its sentences.")
    parser.add_argument("--config", type=Path, help="TOML settings file (default: ragqa.toml if present)")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--history", action="append", metavar="QUESTION", help="an earlier question in the conversation (repeatable)")
    ask.add_argument("--doc", action="append", metavar="ID", help="only search this document id (repeatable)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--index", type=Path)
    ask.add_argument("--top-k", type=int)
    ask.add_argument("--answerer", choices=ANSWERERS)
    ask.set_defaults(func=cmd_ask)
    chat = sub.add_parser("chat", help="start the chat web app")
    chat.add_argument("--host")
    chat.add_argument("--port", type=int)
    chat.add_argument("--index", type=Path)
    chat.add_argument("--no-build", action="store_true", help="do not build a missing or stale index")
    chat.set_defaults(func=cmd_chat)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except GroundworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    except KeyboardInterrupt as exc:
        return exit_code_of(exc)
    except BrokenPipeError:
        # `ask ... | head` closed the pipe: not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
