"""SARIF output: valid against the OASIS 2.1.0 schema, cross-referenced, stable, GitHub-ready."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mldebt.findings import Category, Finding, Location, RuleMeta, RunResult, Severity, Summary
from mldebt.report.sarif import FINGERPRINT_KEY, render_sarif
from mldebt.rules import all_rules

SCHEMA_PATH = Path(__file__).resolve().parents[3].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

DOCS = """## What it does
Flags data that code reads
but no manifest declares.

A second paragraph.

## Why is this bad?
Lineage misses it.
"""
RULES = (
    RuleMeta("MLD001", "syntax-error", Category.ANALYSIS_ERROR, Severity.ERROR, "A file does not parse."),
    RuleMeta("MLD101", "undeclared-data-dependency", Category.UNDECLARED_DATA_DEPENDENCY, Severity.WARNING,
             "Data read or written that no manifest declares.", DOCS),
    RuleMeta("MLD401", "prototype-smell", Category.PROTOTYPE_SMELL, Severity.INFO, "A notebook in the pipeline."),
)


def _finding(code: str = "MLD101", *, path: str = "src/train.py", location: Location | None = None,
             message: str = "reads data `data/raw.csv`", severity: Severity = Severity.WARNING,
             fingerprint: str = "f" * 32) -> Finding:
    return Finding(code, "undeclared-data-dependency", Category.UNDECLARED_DATA_DEPENDENCY, severity,
                   location or Location(path, 3, 5, 3, 27), message, fingerprint=fingerprint)


def _run(*findings: Finding, suppressed: tuple[Finding, ...] = (), notes: tuple[str, ...] = (),
         errors: tuple[str, ...] = ()) -> RunResult:
    return RunResult(tuple(findings), Summary(findings=len(findings)), suppressed, notes, errors)


def _sarif(result: RunResult, rules: tuple[RuleMeta, ...] = RULES) -> dict[str, Any]:
    return json.loads(render_sarif(result, rules, "0.1.0"))


def _results(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["runs"][0]["results"]


def _physical(result: dict[str, Any]) -> dict[str, Any]:
    return result["locations"][0]["physicalLocation"]


@pytest.fixture(scope="module")
def validator() -> Any:
    if not SCHEMA_PATH.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA_PATH}")
    # mldebt: ignore[MLD102] the schema is the workplace's, in shared/ beside the checkout
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The schema's $schema names its draft (draft-04 for the OASIS file): use that validator.
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_validator_follows_the_schema_draft(validator: Any) -> None:
    assert isinstance(validator, jsonschema.Draft4Validator)


def test_a_full_run_is_valid(validator: Any) -> None:
    result = _run(
        _finding(),
        _finding("MLD001", severity=Severity.ERROR, message="syntax error: '(' was never closed"),
        _finding("MLD401", severity=Severity.INFO, location=Location("nb/explore.ipynb", 2, 1, 4, 9, cell=3)),
        notes=("no git repository: history rules skipped",),
        errors=("rule MLD103 (x) crashed:\nTraceback (most recent call last):\n  ...",),
    )
    validator.validate(_sarif(result))


def test_an_empty_run_is_valid_and_successful(validator: Any) -> None:
    document = _sarif(_run(), rules=())
    validator.validate(document)
    run = document["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_real_rules_are_valid_and_described_from_their_docs(validator: Any) -> None:
    metas = tuple(rule.meta() for rule in all_rules())
    document = _sarif(_run(), rules=metas)
    validator.validate(document)
    for meta, rule in zip(metas, document["runs"][0]["tool"]["driver"]["rules"], strict=True):
        text = rule["fullDescription"]["text"]
        assert text.startswith(meta.summary.rstrip(".")), meta.code
        assert "\n" not in text and "##" not in text, meta.code


def test_driver_and_rules_carry_the_metadata() -> None:
    driver = _sarif(_run())["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("mldebt", "0.1.0")
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["MLD001", "MLD101", "MLD401"]
    mld001, mld101, mld401 = driver["rules"]
    assert mld101 == {
        "id": "MLD101",
        "name": "undeclared-data-dependency",
        "shortDescription": {"text": "Data read or written that no manifest declares."},
        "fullDescription": {"text": "Flags data that code reads but no manifest declares."},
        "help": {"text": DOCS, "markdown": DOCS},
        "helpUri": "https://github.com/mldebt/mldebt/blob/main/rules/MLD101-undeclared-data-dependency.md",
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["undeclared-data-dependency"]},
    }
    # Without docs, the summary stands in; info is SARIF's "note".
    assert mld001["fullDescription"] == {"text": "A file does not parse."}
    assert mld001["help"] == {"text": "A file does not parse.", "markdown": "A file does not parse."}
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["error", "warning", "note"]
    assert mld401["properties"]["tags"] == ["prototype-smell"]


def test_results_point_at_their_rules() -> None:
    results = _results(_sarif(_run(
        _finding("MLD401", severity=Severity.INFO), _finding(), _finding("MLD001", severity=Severity.ERROR),
    )))
    rules = _sarif(_run())["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("MLD401", 2, "note"), ("MLD101", 1, "warning"), ("MLD001", 0, "error"),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_code_missing_from_the_rules_has_no_index(validator: Any) -> None:
    document = _sarif(_run(_finding("MLD999")))
    validator.validate(document)
    assert "ruleIndex" not in _results(document)[0] and _results(document)[0]["ruleId"] == "MLD999"


def test_result_location_message_and_fingerprint() -> None:
    (result,) = _results(_sarif(_run(_finding())))
    assert result["message"] == {"text": "reads data `data/raw.csv`"}
    assert _physical(result) == {
        "artifactLocation": {"uri": "src/train.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 27},
    }
    assert result["partialFingerprints"] == {FINGERPRINT_KEY: "f" * 32}
    assert result["properties"] == {"category": "undeclared-data-dependency"}


def test_run_declares_srcroot_and_code_point_columns() -> None:
    run = _sarif(_run(_finding()))["runs"][0]
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert run["columnKind"] == "unicodeCodePoints"


def test_a_location_with_only_a_start_marks_the_line() -> None:
    (result,) = _results(_sarif(_run(_finding(location=Location("a.py", 7, 3)))))
    assert _physical(result)["region"] == {"startLine": 7, "startColumn": 3}


def test_a_finding_without_fingerprint_gets_none() -> None:
    (result,) = _results(_sarif(_run(_finding(fingerprint=""))))
    assert "partialFingerprints" not in result


def test_suppressed_findings_are_left_out() -> None:
    kept = _finding(message="kept")
    document = _sarif(_run(kept, suppressed=(_finding(message="suppressed"), _finding("MLD001"))))
    assert [r["message"]["text"] for r in _results(document)] == ["kept"]


def test_notebook_finding_points_at_the_file_and_names_the_cell(validator: Any) -> None:
    document = _sarif(_run(_finding(location=Location("nb/explore.ipynb", 2, 1, 4, 9, cell=3))))
    validator.validate(document)
    (result,) = _results(document)
    assert _physical(result)["region"] == {"startLine": 1}
    assert _physical(result)["artifactLocation"]["uri"] == "nb/explore.ipynb"
    assert result["message"]["text"] == "reads data `data/raw.csv` (cell 3, line 2)"
    assert result["properties"] == {"category": "undeclared-data-dependency", "cell": 3}


def test_internal_errors_fail_the_invocation_and_keep_the_traceback() -> None:
    error = "rule MLD103 (x) crashed:\nTraceback (most recent call last):\n  ..."
    invocation = _sarif(_run(notes=("no git history",), errors=(error,)))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": error}},
        {"level": "note", "message": {"text": "no git history"}},
    ]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("données/é 1.py", "donn%C3%A9es/%C3%A9%201.py"),
        # A colon in the first segment would make the relative reference read as a scheme.
        ("c:d/x.py", "c%3Ad/x.py"),
        ("a%20b#1?.py", "a%2520b%231%3F.py"),
        # A file name that was not UTF-8, decoded with surrogateescape: its original byte.
        ("bad\udcff.py", "bad%FF.py"),
    ],
)
def test_paths_become_percent_encoded_relative_uris(validator: Any, path: str, uri: str) -> None:
    document = _sarif(_run(_finding(path=path)))
    validator.validate(document)
    assert _physical(_results(document)[0])["artifactLocation"]["uri"] == uri


def test_unicode_messages_are_escaped_and_round_trip(validator: Any) -> None:
    message = 'lit `données/été.csv` 数据 🚀 <&> "quoted" \\ back\nslash'
    text = render_sarif(_run(_finding(message=message)), RULES, "0.1.0")
    # ASCII only, so no terminal or file encoding can mangle or reject it.
    assert text.isascii()
    assert "\\u00e9" in text and "\\ud83d\\ude80" in text
    document = json.loads(text)
    validator.validate(document)
    assert _results(document)[0]["message"]["text"] == message


def test_output_is_stable_and_ordered() -> None:
    result = _run(_finding(), _finding("MLD001", severity=Severity.ERROR), notes=("n",))
    text = render_sarif(result, RULES, "0.1.0")
    assert text == render_sarif(result, RULES, "0.1.0")
    assert text.endswith("}\n") and text.startswith('{\n  "$schema": ')
    assert list(json.loads(text)) == ["$schema", "version", "runs"]
    assert list(_results(json.loads(text))[0]) == [
        "ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "properties",
    ]


def test_a_finding_s_other_places_are_related_locations(validator: Any) -> None:
    from dataclasses import replace

    finding = replace(_finding(), related=(Location("src/train.py", 9, 2), Location("nb.ipynb", 4, 1, cell=3)))
    document = _sarif(_run(finding))
    validator.validate(document)
    (result,) = _results(document)
    assert result["relatedLocations"] == [
        {"id": 1, "message": {"text": "line 9"}, "physicalLocation": {
            "artifactLocation": {"uri": "src/train.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 9, "startColumn": 2}}},
        {"id": 2, "message": {"text": "cell 3, line 4"}, "physicalLocation": {
            "artifactLocation": {"uri": "nb.ipynb", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1}}},
    ]
    assert finding.to_dict()["related"] == [
        {"path": "src/train.py", "line": 9, "column": 2, "cell": None}, {"path": "nb.ipynb", "line": 4, "column": 1, "cell": 3},
    ]
    assert "related" not in _finding().to_dict()
