"""SARIF 2.1.0 for GitHub code scanning: rules with help, results with partial fingerprints.

Suppressed findings are left out: code scanning would otherwise show them as open alerts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mldebt.findings import Finding, RuleMeta, RunResult, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://github.com/mldebt/mldebt"


def _rule(meta: RuleMeta) -> dict[str, Any]:
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.summary},
        "help": {"text": meta.docs or meta.summary, "markdown": meta.docs or meta.summary},
        "helpUri": meta.help_uri,
        "defaultConfiguration": {"level": _LEVELS[meta.severity]},
        "properties": {"tags": [meta.category.value]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = finding.location
    message = finding.message if loc.cell is None else f"{finding.message} (cell {loc.cell}, line {loc.line})"
    # Lines inside a notebook cell are not lines of the .ipynb file: point at the file only.
    region = (
        {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column}
        if loc.cell is None
        else {"startLine": 1}
    )
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"mldebt/v1": finding.fingerprint},
        "properties": {"category": finding.category.value, **({"cell": loc.cell} if loc.cell is not None else {})},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def render_sarif(result: RunResult, rules: Sequence[RuleMeta], version: str) -> str:
    index = {meta.code: i for i, meta in enumerate(rules)}
    notifications = [
        {"level": "error", "message": {"text": error.splitlines()[0]}} for error in result.internal_errors
    ] + [{"level": "note", "message": {"text": note}} for note in result.notes]
    document = {
        "$schema": SCHEMA,
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
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
                "invocations": [
                    {"executionSuccessful": not result.internal_errors, "toolExecutionNotifications": notifications}
                ],
                "results": [_result(f, index) for f in result.findings],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
