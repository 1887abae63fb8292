"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

from mldebt.findings import Finding, RunResult, Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding) -> str:
    loc = finding.location
    message = finding.message if loc.cell is None else f"cell {loc.cell}, line {loc.line}: {finding.message}"
    properties = [f"file={_escape_property(loc.path)}"]
    if loc.cell is None:
        properties += [f"line={loc.line}", f"col={loc.column}", f"endLine={loc.end_line}", f"endColumn={loc.end_column}"]
    properties.append(f"title={_escape_property(finding.code)}")
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{_escape_data(message)}\n"


def render_github(result: RunResult) -> str:
    return "".join(_annotation(f) for f in result.findings)
