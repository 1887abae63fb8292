"""SARIF (validated against the 2.1.0 schema) and GitHub workflow commands."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mldebt.findings import Category, Finding, Location, RunResult, Severity, Summary
from mldebt.report.github import render_github
from mldebt.report.sarif import render_sarif
from mldebt.rules import all_rules

SCHEMA_PATH = Path(__file__).resolve().parents[3].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def _finding(code: str = "MLD101", message: str = "reads data `x`", cell: int | None = None, path: str = "src/a.py",
             severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code, "undeclared-data-dependency", Category.UNDECLARED_DATA_DEPENDENCY, severity,
                   Location(path, 3, 5, 3, 20, cell), message, fingerprint="f" * 32)


def _result(*findings: Finding, suppressed: tuple[Finding, ...] = (), errors: tuple[str, ...] = ()) -> RunResult:
    return RunResult(tuple(findings), Summary(findings=len(findings)), suppressed, ("a note",), errors)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    if not SCHEMA_PATH.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA_PATH}")
    # mldebt: ignore[MLD102] the schema is the workplace's, in shared/ beside the checkout
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _sarif(result: RunResult) -> dict:
    return json.loads(render_sarif(result, [r.meta() for r in all_rules()], "0.1.0"))


def test_sarif_is_valid_and_cross_referenced(validator) -> None:
    document = _sarif(_result(_finding(), _finding("MLD102", "üñí <&> \"quoted\"", path="dir with space/b.py")))
    validator.validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["mldebt/v1"] == "f" * 32
    mld101 = rules[[r["id"] for r in rules].index("MLD101")]
    assert mld101["helpUri"].endswith("/rules/MLD101-undeclared-data-dependency.md")
    assert "## What it does" in mld101["help"]["markdown"]
    assert run["results"][1]["message"]["text"] == "üñí <&> \"quoted\""


def test_sarif_leaves_suppressed_out_and_reports_internal_errors(validator) -> None:
    document = _sarif(_result(suppressed=(_finding(),), errors=("rule MLD101 crashed:\nTraceback ...",)))
    validator.validate(document)
    run = document["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_notebook_finding_points_at_the_file_and_names_the_cell(validator) -> None:
    document = _sarif(_result(_finding(cell=2, path="nb.ipynb")))
    validator.validate(document)
    result = document["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert result["properties"]["cell"] == 2 and "(cell 2, line 3)" in result["message"]["text"]


def test_github_annotations_escape_and_map_levels() -> None:
    out = render_github(_result(
        _finding(message="50% done\nnext, line: a"),
        _finding("MLD001", "bad", path="a,b:c.py", severity=Severity.ERROR),
        _finding("MLD007", "unused", severity=Severity.INFO),
    ))
    lines = out.splitlines()
    assert lines[0] == "::warning file=src/a.py,line=3,col=5,endLine=3,endColumn=20,title=MLD101::50%25 done%0Anext, line: a"
    assert lines[1].startswith("::error file=a%2Cb%3Ac.py,line=3,")
    assert lines[2].startswith("::notice ")
