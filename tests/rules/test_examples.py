"""Every rule's VALID and INVALID examples, run through the whole engine, in preview mode so
that preview rules run too.

An INVALID example asserts the exact set of places its rule reports (path, line, column,
cell), not that one of them is there: an extra finding fails it as surely as a missing one.
A file rule's INVALID example also asserts what `check --fix` makes of its file: ``fixed``, or
the file untouched when ``fixed`` is None.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mldebt.demo.history import build_history
from mldebt.engine import CheckOptions, check
from mldebt.engine.fix import plan_fixes
from mldebt.findings import RunResult
from mldebt.rules import all_rules
from mldebt.rules.base import FileRule, Invalid, Rule, Valid

VALID = [
    pytest.param(rule, example, id=f"{rule.code}-valid-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.VALID)
]
INVALID = [
    pytest.param(rule, example, id=f"{rule.code}-invalid-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.INVALID)
]


def _check(repo, root: Path, example: Valid | Invalid) -> RunResult:  # type: ignore[no-untyped-def]
    """``repo`` (tests/conftest.py) writes the files into ``root``, over the history."""
    if example.history:
        build_history(root, example.history)
    return repo(example.files, preview=True)


@pytest.mark.parametrize(("rule", "example"), VALID)
def test_valid_example_has_no_finding(rule: type[Rule], example: Valid, repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _check(repo, tmp_path, example)
    assert [f for f in result.findings if f.code == rule.code] == []
    assert result.internal_errors == ()


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_reported_there_and_only_there(rule: type[Rule], example: Invalid, repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _check(repo, tmp_path, example)
    found = [f for f in result.findings if f.code == rule.code]
    places = {(f.location.path, f.location.line, f.location.column, f.location.cell) for f in found}
    assert places == {(example.path, example.line, example.column, example.cell)}
    assert len(found) == 1
    if example.message is not None:
        assert found[0].message == example.message
    assert result.internal_errors == ()


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_fixed_as_it_says(rule: type[Rule], example: Invalid, repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert example.fixed is None or issubclass(rule, FileRule), "only file rules have fixes"
    _check(repo, tmp_path, example)
    outcome = check(tmp_path, CheckOptions(jobs=1, use_cache=False, preview=True, select=(rule.code,)))
    fixes = plan_fixes(outcome.analysis, outcome.result.findings)
    assert fixes.notes == ()
    fixed = {file.path: file.after.decode() for file in fixes.files}
    assert fixed == ({} if example.fixed is None else {example.path: example.fixed})


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_has_examples_and_docs(rule: type[Rule]) -> None:
    assert rule.VALID and all(isinstance(example, Valid) for example in rule.VALID)
    assert rule.INVALID
    assert all(isinstance(example, Invalid) for example in rule.INVALID)
    # History is built only for the rules that read it.
    assert all(not example.history for example in [*rule.VALID, *rule.INVALID] if not rule.needs_history)
    docs = rule.docs()
    assert "## What it does" in docs and "## Why is this bad?" in docs
    assert rule.summary().endswith(".")
