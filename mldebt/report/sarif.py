"""SARIF 2.1.0 for GitHub code scanning: every rule with its help, results with partial fingerprints.

Suppressed findings are left out: code scanning would otherwise show them as open alerts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from mldebt.escaping import json_text
from mldebt.findings import Finding, Location, RuleMeta, RunResult, Severity

# The exact schema the output is tested against (the OASIS errata 01 text).
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/mldebt/mldebt"
# Versioned, so that a future change of the fingerprint recipe can live beside this one.
FINGERPRINT_KEY = "mldebt/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# The first paragraph of the docs' "What it does" section.
_DEFINITION = re.compile(r"^## What it does[ \t]*\n\s*(?P<body>.*?)(?=\n[ \t]*\n|\n## |\Z)", re.MULTILINE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


def render_sarif(result: RunResult, rules: Sequence[RuleMeta], version: str) -> str:
    """The run as one SARIF 2.1.0 log: ``rules`` become the driver's rules, findings its results.

    The output is ASCII (other characters are JSON-escaped), so it is the same bytes whatever
    encoding the terminal or file uses, and keys keep a fixed order, so two runs diff cleanly.
    """
    index = {meta.code: i for i, meta in enumerate(rules)}
    # An internal error's text is its first line and then the traceback: all of it is kept.
    notifications = [
        {"level": level, "message": {"text": text}}
        for level, texts in (("error", result.internal_errors), ("note", result.notes))
        for text in texts
    ]
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mldebt",
                        "version": version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(meta) for meta in rules],
                    }
                },
                "invocations": [
                    {"executionSuccessful": not result.internal_errors, "toolExecutionNotifications": notifications}
                ],
                "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the analysed repository."}}},
                # libcst counts columns in characters, not in the UTF-16 code units SARIF assumes.
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index) for finding in result.findings],
            }
        ],
    }
    return json_text(document, indent=2, ensure_ascii=True) + "\n"


def _rule(meta: RuleMeta) -> dict[str, Any]:
    docs = meta.docs or meta.summary
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": _full_description(meta)},
        "help": {"text": docs, "markdown": docs},
        "helpUri": meta.help_uri,
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {"tags": [meta.category.value]},
    }


def _full_description(meta: RuleMeta) -> str:
    # Viewers show fullDescription as one plain paragraph: the rule's definition, unwrapped.
    # The summary is only its first sentence; the whole page is in help.
    match = _DEFINITION.search(meta.docs)
    body = _WHITESPACE.sub(" ", match["body"]).strip() if match else ""
    return body or meta.summary


def _result(finding: Finding, index: Mapping[str, int]) -> dict[str, Any]:
    loc = finding.location
    properties: dict[str, Any] = {"category": finding.category.value}
    message = finding.message
    if loc.cell is not None:
        properties["cell"] = loc.cell
        message = f"{message} (cell {loc.cell}, line {loc.line})"
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    result["level"] = LEVELS[finding.severity]
    result["message"] = {"text": message}
    result["locations"] = [{"physicalLocation": _physical(loc)}]
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, "physicalLocation": _physical(related), "message": {"text": _where(related)}}
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    result["properties"] = properties
    return result


def _physical(loc: Location) -> dict[str, Any]:
    return {
        # A relative URI reference: spaces, non-ASCII and a colon in the first segment (which
        # would read as a scheme) are percent-encoded; surrogateescape gives back the original
        # bytes of a file name that was not valid UTF-8.
        "artifactLocation": {"uri": quote(loc.path, errors="surrogateescape"), "uriBaseId": SRCROOT},
        "region": _region(loc),
    }


def _where(loc: Location) -> str:
    """A related place as a person reads it: a notebook's is its cell and line."""
    return f"cell {loc.cell}, line {loc.line}" if loc.cell is not None else f"line {loc.line}"


def _region(loc: Location) -> dict[str, int]:
    if loc.cell is not None:
        # A line within a notebook cell is not a line of the .ipynb JSON, and GitHub requires
        # startLine: point at the file's first line; the message and properties name the cell.
        return {"startLine": 1}
    region = {"startLine": loc.line, "startColumn": loc.column}
    # A location given only a start (end 1:1 by default) would otherwise end before it starts;
    # without an end, SARIF extends the region to the end of the start line.
    if (loc.end_line, loc.end_column) > (loc.line, loc.column):
        region["endLine"] = loc.end_line
        region["endColumn"] = loc.end_column
    return region

