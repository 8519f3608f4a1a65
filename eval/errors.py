"""The eval harness's exceptions, in one place so the CLI boundary can map them to exit codes.

They sit under the project's one root (`ingest.errors.GroundworkError`) and take their codes
from its one table (`ExitCode`), so `exit_code_of` turns any of them into the documented
number; the messages are printed as `error: <message>` by the command that caught them.
"""
from __future__ import annotations

from ingest.errors import ExitCode, GroundworkError


class GoldError(GroundworkError):
    """A gold file that cannot be read or holds an invalid item (line-numbered message)."""

    exit_code = ExitCode.GOLD


class EvalError(GroundworkError):
    """`eval run` cannot run: bad gate file, unknown baseline, unwritable output, unconfigured LLM."""

    exit_code = ExitCode.EVAL


class CompareError(GroundworkError):
    """`eval compare` got a results file it cannot read or a system the file does not hold."""

    exit_code = ExitCode.RESULTS


class LoadError(GroundworkError):
    """`eval load`: bad arguments or a server that cannot be reached."""

    exit_code = ExitCode.LOAD
