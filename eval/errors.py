"""The eval harness's exceptions, in one place so the CLI boundary can map them to exit codes.

Each carries the exit code its command returns (2: bad input or a run that cannot start); the
messages are printed as `error: <message>` by the command that caught them.
"""
from __future__ import annotations


class GoldError(Exception):
    """A gold file that cannot be read or holds an invalid item (line-numbered message)."""

    exit_code = 2


class EvalError(Exception):
    """`eval run` cannot run: bad gate file, unknown baseline, unwritable output, unconfigured LLM."""

    exit_code = 2


class CompareError(Exception):
    """`eval compare` got a results file it cannot read or a system the file does not hold."""

    exit_code = 2


class LoadError(Exception):
    """`eval load`: bad arguments or a server that cannot be reached; exit code 2."""

    exit_code = 2
