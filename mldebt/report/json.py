"""The JSON contract that later features and users' CI rely on:

`{"version": str, "findings": [{"code", "name", "category", "severity", "path", "line",
"column", "end_line", "end_column", "cell", "message", "fingerprint"}], "summary": {...}}`
"""

from __future__ import annotations

from mldebt.escaping import json_text
from mldebt.findings import RunResult


def render_json(result: RunResult, version: str) -> str:
    document = {
        "version": version,
        "findings": [f.to_dict() for f in result.findings],
        "summary": result.summary.to_dict(),
    }
    return json_text(document, indent=2) + "\n"
