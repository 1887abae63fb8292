"""MLD401-MLD403 through `check`, on the repository of conftest.py, and on their own."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse, check
from mldebt.findings import Severity
from mldebt.ownership.model import OwnershipReport
from mldebt.rules.base import RuleContext
from mldebt.rules.ownership.complexity_ownership_risk import ComplexityOwnershipRisk
from mldebt.rules.ownership.low_bus_factor import LowBusFactor
from mldebt.rules.ownership.unowned_pipeline import UnownedPipeline

RULES = (UnownedPipeline, LowBusFactor, ComplexityOwnershipRisk)


def _findings(root: Path, preview: bool = False) -> list[tuple[str, str, int, str]]:
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",), preview=preview)).result
    return sorted((f.code, f.location.path, f.location.line, f.severity.value) for f in result.findings)


def test_findings_known_by_construction(scenario: Path) -> None:
    expected = [
        # Stage `train`: nobody owns it (its one author left: MLD401 says so, MLD402 does not
        # again), and its ensemble is far more complex than the other pipelines.
        ("MLD401", "dvc.yaml", 2, "error"),
        ("MLD402", "dvc.yaml", 6, "error"),  # stage `fetch`: owned by @platform, known by Old Timer only
        ("MLD402", "predict.py", 1, "warning"),  # Ann alone, still active
        # score.py: owned by @scoring, but Ann wrote most of its lines; Bob's and Cy's two-line
        # helpers are not half of it.
        ("MLD402", "score.py", 1, "warning"),
    ]
    assert _findings(scenario) == expected
    # MLD403 is a preview rule, and `train`, the complex one, is MLD401's: nobody answers for it.
    assert _findings(scenario, preview=True) == expected


def test_messages_name_the_people_and_the_parts(scenario: Path, tmp_path: Path) -> None:
    result = check(scenario, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    messages = {(f.code, f.location.line): f.message for f in result.findings if f.location.path == "dvc.yaml"}
    assert "Old Timer" in messages[("MLD401", 2)] and "no CODEOWNERS" in messages[("MLD401", 2)]
    assert "Old Timer (no longer active)" in messages[("MLD402", 6)]
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\nspread = 0.5\n")
    result = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD403",), preview=True)).result
    assert [f.message for f in result.findings] == [
        "script `predict.py`: risk 0.29, complexity 0.5, 0.7x the median of the repository's 4 ML pipelines (data 0.5); "
        "1 active author or maintainer (Ann Active), no CODEOWNERS: have a second developer take part in it, name its "
        "owners in CODEOWNERS, and declare and document the data it reads and writes"
    ]


def test_threshold_option(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    with (copy / "pyproject.toml").open("a") as config:
        config.write("\n[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 13\n")
    assert "MLD403" not in {code for code, *_ in _findings(copy, preview=True)}
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\n")
    flagged = {(path, line) for code, path, line, _ in _findings(copy, preview=True) if code == "MLD403"}
    # predict.py's risk 0.29 reaches it, but its complexity 0.5 is below twice the median, 0.75.
    assert flagged == set()
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\nspread = 0.5\n")
    flagged = {(path, line) for code, path, line, _ in _findings(copy, preview=True) if code == "MLD403"}
    # Now it stands out enough; score.py's 0.2 and fetch's 0 do not reach the threshold.
    assert flagged == {("predict.py", 1)}


def test_no_history_no_findings_and_one_note(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "train.py").write_text(
        "from sklearn.ensemble import RandomForestClassifier\n\nif __name__ == '__main__':\n"
        "    RandomForestClassifier(n_estimators=10).fit([[0]], [0])\n"
    )
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert result.findings == ()
    assert [note for note in result.notes if "MLD4xx" in note]


def test_rules_yield_nothing_without_a_report(scenario: Path, report: OwnershipReport) -> None:
    analysis = analyse(scenario, CheckOptions(jobs=1, use_cache=False))
    ctx = RuleContext(
        analysis.facts, analysis.graph, analysis.declarations, ComplexityOwnershipRisk.Options(threshold=0.0, spread=0), None,
    )
    assert [f for rule in RULES for f in rule().check(ctx)] == []
    with_report = replace(ctx, ownership=report)
    assert all(list(rule().check(with_report)) for rule in RULES)


def test_pipelines_that_are_not_ml_are_left_alone(scenario: Path, report: OwnershipReport) -> None:
    analysis = analyse(scenario, CheckOptions(jobs=1, use_cache=False))
    plain = replace(report, pipelines=tuple(replace(p, ml_pipeline=False) for p in report.pipelines))
    ctx = RuleContext(analysis.facts, analysis.graph, analysis.declarations, ComplexityOwnershipRisk.Options(threshold=0.0), plain)
    assert [f for rule in RULES for f in rule().check(ctx)] == []


def test_fingerprints_survive_a_line_inserted_above(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    before = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD401",))).result
    dvc = "# pipeline\n" + (copy / "dvc.yaml").read_text()
    build_history(copy, [Commit("Dee New", "dee@example.org", "2025-01-16T12:00:00+00:00", "comment", {"dvc.yaml": dvc})])
    after = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD401",))).result
    assert [f.location.line for f in after.findings] == [3]
    assert [f.fingerprint for f in after.findings] == [f.fingerprint for f in before.findings]


def test_declared_history_needs_and_docs() -> None:
    for rule in RULES:
        assert rule.needs_history
        assert "## Example" in rule.docs() and "## Use instead" in rule.docs()
    assert UnownedPipeline.severity is Severity.ERROR and LowBusFactor.severity is Severity.WARNING


def test_uncommitted_pipelines_are_not_judged(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    (copy / "boost.py").write_text(
        "from xgboost import XGBClassifier\n\nif __name__ == '__main__':\n"
        "    XGBClassifier(max_depth=12, n_estimators=900, eta=0.01).fit([[0]], [0])\n"
    )
    assert "boost.py" not in {path for _, path, _, _ in _findings(copy)}


def test_the_pipelines_of_the_one_person_truck_factor_are_one_finding_the_others_their_own(tmp_path: Path) -> None:
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    root = build_history(tmp_path / "repo", [
        Commit("Ann Active", "ann@example.org", "2025-01-10T12:00:00+00:00", "ann", {
            "pyproject.toml": "[project]\nname = 'x'\n", "train.py": fit, "tune.py": fit, "score.py": fit,
        }),
        Commit("Bob Active", "bob@example.org", "2025-01-15T12:00:00+00:00", "bob", {"bobs.py": fit}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD402",))).result
    found = sorted((f.location.path, f.message.split(":")[0], len(f.related)) for f in result.findings)
    assert found == [
        ("bobs.py", "script `bobs.py` has bus factor 1", 0),
        ("score.py", "3 ML pipelines have bus factor 1, all of them Ann Active's, who alone is the repository's truck "
         "factor, the riskiest script `score.py` (`mldebt ownership` lists them)", 2),
    ]
