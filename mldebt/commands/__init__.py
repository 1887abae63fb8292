"""The use case behind each verb of the command line, one module each. cli.py parses the
flags and calls one of these; each returns the exit status.

Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error. stdout carries
results; stderr carries progress, notes, errors and the summary. An error the user can fix
(a bad configuration, path, revision, baseline or output) is reported here, the same way by
every command; anything else is mldebt's bug, left to the entry point.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from mldebt.baseline import BaselineError
from mldebt.config import ConfigError
from mldebt.engine import RevisionError, UsageError
from mldebt.escaping import printable_line
from mldebt.report.output import OutputError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def error(message: str) -> int:
    """Say what went wrong on stderr; returns the exit status for it."""
    # Messages quote paths and keys of the analysed repository (mldebt.escaping).
    click.echo(printable_line(f"mldebt: error: {message}"), err=True)
    return EXIT_ERROR


def configuration_error(exc: ConfigError) -> int:
    """Every problem of an invalid configuration, one a line, as a list to work through."""
    click.echo(printable_line(f"mldebt: invalid configuration in {exc.source}:"), err=True)
    for problem in exc.problems:
        click.echo(printable_line(f"  - {problem}"), err=True)
    return EXIT_ERROR


def reporting_errors(command: Callable[[], int]) -> int:
    """Run ``command``; an error the user can fix ends it with exit status 2 and its message."""
    try:
        return command()
    except ConfigError as exc:
        return configuration_error(exc)
    except (UsageError, RevisionError, BaselineError, OutputError) as exc:
        return error(str(exc))
