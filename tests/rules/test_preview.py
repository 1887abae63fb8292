"""Preview rules, as ruff has them: they run only in preview mode, and their findings are
reported but never enter a baseline or the debt score until the rule is promoted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main
from mldebt.findings import Category, Finding, Location, Severity
from mldebt.rules.base import Rule, RuleContext

TRAIN = "import pandas as pd\npd.read_csv('data/x.csv')\n"


class Hunch(Rule):
    """
    ## What it does
    Reports line 1 of every source file: a new heuristic nobody has measured yet.
    """

    code = "MLD999"
    name = "hunch"
    category = Category.ML_CODE_SMELL
    severity = Severity.ERROR
    preview = True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path in sorted(ctx.facts):
            yield self.finding(Location(path, 1, 1, 1, 1), "a hunch")


@pytest.fixture
def hunch(install) -> None:  # type: ignore[no-untyped-def]
    install("hunch", Hunch)


def _check(root: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--exit-zero", *args, str(root)])
    return done.exit_code, json.loads(done.stdout)


def _repo(root: Path, config: str = "") -> Path:
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n" + config)
    (root / "train.py").write_text(TRAIN)
    return root


def _codes(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [finding["code"] for finding in report["findings"]]


@pytest.mark.usefixtures("hunch")
def test_a_preview_rule_runs_only_in_preview_mode(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    assert _codes(_check(root)[1]) == ["MLD101"]
    # Selecting it by code is not enough: preview is an opt-in of its own.
    assert _codes(_check(root, "--select", "MLD999")[1]) == []
    assert _codes(_check(root, "--preview")[1]) == ["MLD999", "MLD101"]


@pytest.mark.usefixtures("hunch")
def test_preview_mode_from_the_configuration(tmp_path: Path) -> None:
    root = _repo(tmp_path, "[tool.mldebt]\npreview = true\n")
    assert _codes(_check(root)[1]) == ["MLD999", "MLD101"]


@pytest.mark.usefixtures("hunch")
def test_preview_findings_stay_out_of_the_debt_score_and_baselines(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    stable = _check(root)[1]["summary"]["debt_score"]
    with_preview = _check(root, "--preview")[1]
    assert with_preview["summary"]["debt_score"] == stable == 1.0
    done = CliRunner().invoke(main, ["baseline", "--no-cache", str(root)])
    assert done.exit_code == 0, done.output
    recorded = json.loads((root / ".mldebt-baseline.json").read_text())
    assert [entry["code"] for entry in recorded["findings"]] == ["MLD101"] and recorded["debt_score"] == 1.0
    # Against that baseline the preview findings are new, every time, and the score has not risen.
    code, report = _check(root, "--preview", "--fail-on-increase", "--baseline", str(root / ".mldebt-baseline.json"))
    assert code == 0 and _codes(report) == ["MLD999"]


def test_preview_must_be_true_or_false(tmp_path: Path) -> None:
    root = _repo(tmp_path, "[tool.mldebt]\npreview = 'yes'\n")
    done = CliRunner().invoke(main, ["check", "--no-cache", str(root)])
    assert done.exit_code == 2 and "'preview' must be true or false" in done.output


def test_a_preview_rule_says_so_on_its_page() -> None:
    from mldebt.rules import all_rules
    from mldebt.rules.docs import render_page

    for rule in all_rules():
        assert ("Preview: runs with `--preview`" in render_page(rule)) == rule.preview, rule.code
