"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request."""

from __future__ import annotations

from mldebt.escaping import printable
from mldebt.findings import Finding, RunResult, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(result: RunResult) -> str:
    """One ``::error``/``::warning``/``::notice`` line per reported finding.

    Suppressed findings, notes and internal errors are not annotations: the CLI says those on
    stderr, which the workflow log shows anyway.
    """
    return "".join(_command(finding) + "\n" for finding in result.findings)


def _escape_data(text: str) -> str:
    """The message after ``::``, escaped as GitHub's actions/toolkit does (issueCommand), so
    that the runner gives back line breaks; the other control characters, which no escape of
    GitHub's can carry, shown as ``printable`` escapes (the log viewer would colour text by
    ANSI sequences, and a terminal would obey them)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    """A ``key=value`` value: ``:`` and ``,`` would end the value or the property list."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding) -> str:
    loc = finding.location
    properties = {"file": loc.path}
    message = finding.message
    if loc.cell is None:
        properties["line"] = str(loc.line)
        properties["col"] = str(loc.column)
        # Only a real span: a location with just a start (end 1:1 by default) would end before
        # it starts; without an end, GitHub marks the start line.
        if (loc.end_line, loc.end_column) > (loc.line, loc.column):
            properties["endLine"] = str(loc.end_line)
            properties["endColumn"] = str(loc.end_column)
    else:
        # A line within a notebook cell is no line of the .ipynb file: annotate the file, and
        # say where in the notebook in the message.
        message = f"{message} (cell {loc.cell}, line {loc.line})"
    properties["title"] = finding.code
    listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {listed}::{_escape_data(message)}"
