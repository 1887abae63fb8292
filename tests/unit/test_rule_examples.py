"""Every rule's VALID and INVALID examples, run through the whole engine."""

from __future__ import annotations

import pytest

from mldebt.rules import all_rules

VALID = [
    pytest.param(rule, files, id=f"{rule.code}-valid-{i}")
    for rule in all_rules()
    for i, files in enumerate(rule.VALID)
]
INVALID = [
    pytest.param(rule, example, id=f"{rule.code}-invalid-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.INVALID)
]


@pytest.mark.parametrize(("rule", "files"), VALID)
def test_valid_example_has_no_finding(rule, files, repo) -> None:
    result = repo(files)
    assert [f for f in result.findings if f.code == rule.code] == []


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_reported(rule, example, repo) -> None:
    result = repo(example.files)
    places = [(f.location.path, f.location.line, f.location.cell) for f in result.findings if f.code == rule.code]
    assert (example.path, example.line, example.cell) in places, places


def test_every_rule_has_examples_and_docs() -> None:
    for rule in all_rules():
        docs = rule.docs()
        assert "## What it does" in docs and "## Why is this bad?" in docs, rule.code
        assert rule.summary().endswith("."), rule.code


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in all_rules()]
    names = [r.name for r in all_rules()]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for rule in all_rules():
        assert len(rule.code) == 6 and rule.code.startswith("MLD") and rule.code[3:].isdigit()
        assert rule.name == rule.name.lower() and " " not in rule.name
