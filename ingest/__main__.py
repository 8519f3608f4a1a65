"""`python -m ingest`: build or refresh the index. Errors become messages and exit codes (errors.ExitCode) here only."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import build_index
from .config import STORES, load_settings
from .errors import GroundworkError, exit_code_of


def _err(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Build the search index from the corpus folder.")
    parser.add_argument("--corpus", type=Path, help="folder of documents (default: corpus/)")
    parser.add_argument("--index", type=Path, help="index location (default: index/)")
    parser.add_argument("--rebuild", action="store_true", help="re-embed every document, ignoring the previous index")
    parser.add_argument("--chunk-tokens", type=int, help="token budget per chunk (16 to 2000)")
    parser.add_argument("--store", choices=STORES, help="where the index lives (default: faiss, the folder)")
    parser.add_argument("--milvus-uri", help="milvus-lite file (*.db) or http://host:19530; a token only via RAGQA_MILVUS_TOKEN")
    parser.add_argument("--config", type=Path, help="TOML settings file (default: ragqa.toml if present)")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config, corpus_dir=args.corpus, index_dir=args.index,
                                 chunk_tokens=args.chunk_tokens, store=args.store, milvus_uri=args.milvus_uri)
        log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
        report = build_index(settings, rebuild=args.rebuild, log=log, warn=_err)
        label = str(settings.index.index_dir)
        if settings.index.store == "milvus":  # messages name the store, not the unused index folder
            from .milvus_store import where

            label = where(settings)
    except GroundworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_of(exc)
    except KeyboardInterrupt as exc:
        print("interrupted; the previous index is unchanged", file=sys.stderr)
        return exit_code_of(exc)
    if report.up_to_date:
        print(f"{label} is up to date ({report.documents} documents, {report.chunks} chunks); "
              f"nothing to do [{report.seconds:.2f}s]")
        if report.touched:
            print(f"note: {', '.join(report.touched)}: modified time changed but the content (SHA-256) did not; "
                  "nothing to re-embed")
        return 0
    parts = [f"{len(report.added)} added", f"{len(report.changed)} changed", f"{len(report.removed)} removed",
             f"{len(report.unchanged)} unchanged"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    print(f"built {label}: {report.documents} documents, {report.chunks} chunks, "
          f"{report.sentences} sentences; {', '.join(parts)}; re-embedded: "
          f"{', '.join(report.embedded_documents) or 'none'} [{report.seconds:.2f}s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
