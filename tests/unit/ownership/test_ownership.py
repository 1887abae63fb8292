"""Ownership on histories built at test time, where the right answer is known by construction."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse, check
from mldebt.ownership.build import build_ownership, parse_as_of
from mldebt.report.ownership import render_ownership_markdown, render_ownership_text
from mldebt.report.ownership_html import render_ownership_html

TRAIN = """\
import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier, VotingClassifier


def fit(frame):
    if frame.empty or frame.isna().any().any():
        raise ValueError("no data")
    model = VotingClassifier([("rf", RandomForestClassifier(n_estimators=500, max_depth=8)),
                              ("gb", GradientBoostingClassifier(learning_rate=0.05, n_estimators=300))])
    model.fit(frame.drop(columns="y"), frame["y"])
    return model


if __name__ == "__main__":
    joblib.dump(fit(pd.read_csv("data/train.csv")), "models/model.pkl")
"""
SCORE = """\
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

if __name__ == "__main__":
    LogisticRegression().fit(pd.read_csv("data/a.csv"), [0])
"""


def _c(who: str, date: str, files: dict[str, str | None], message: str = "work") -> Commit:
    return Commit(who, f"{who.split()[0].lower()}@example.org", f"{date}T12:00:00+00:00", message, files)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_history(
        tmp_path / "repo",
        [
            _c("Old Timer", "2022-01-10", {"pyproject.toml": "[project]\nname='x'\n", "train.py": TRAIN}),
            _c("Old Timer", "2022-03-10", {"train.py": TRAIN + "\n"}),
            _c("Ann Active", "2024-10-01", {"score.py": SCORE}),
            _c("Bob Active", "2024-11-01", {"score.py": SCORE + "\n"}),
            _c("Cy Active", "2024-12-01", {"score.py": SCORE + "\n\n", "CODEOWNERS": "score.py @team-scoring\n"}),
            _c("renovate[bot]", "2025-01-01", {"train.py": TRAIN + "\n\n"}),
        ],
    )


def _report(root: Path, **kwargs):  # type: ignore[no-untyped-def]
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    return build_ownership(root, analysis.graph, analysis.facts, cache_dir=None, **kwargs)


def test_report_by_construction(repo: Path) -> None:
    report = _report(repo)
    by_name = {p.name: p for p in report.pipelines}
    train, score = by_name["train.py"], by_name["score.py"]
    # Old Timer created and changed train.py and has been inactive since 2022: nobody owns it.
    assert train.authors == ("Old Timer",) and train.active_authors == ()
    assert train.unowned and train.bus_factor == 1 and train.active_bus_factor == 0
    assert train.complexity_parts["estimators"] == 6  # three ensembles
    assert train.complexity_parts["hyperparameters"] == 1.0
    assert train.risk > score.risk and report.pipelines[0].name == "train.py"
    # score.py: CODEOWNERS and active authors.
    assert not score.unowned and score.codeowners == ("@team-scoring",)
    assert report.knowledge_lost == ("train.py",)
    names = {a.name: a for a in report.authors}
    assert "renovate[bot]" not in names and not names["Old Timer"].active and names["Cy Active"].active
    document = report.to_json()
    for key in ("head", "as_of", "partial", "truck_factor", "truck_factor_authors", "active_truck_factor", "authors", "files", "modules", "pipelines"):
        assert key in document
    assert set(document["pipelines"][0]) >= {"name", "kind", "entry", "files", "bus_factor", "active_bus_factor", "codeowners", "complexity", "risk", "unowned"}


def test_as_of_makes_everyone_active_earlier(repo: Path) -> None:
    report = _report(repo, as_of=parse_as_of("2022-06-01"))
    train = next(p for p in report.pipelines if p.name == "train.py")
    assert train.active_authors == ("Old Timer",) and not train.unowned


def test_check_reports_mld4xx(repo: Path) -> None:
    result, _ = check(repo, CheckOptions(jobs=1, use_cache=False, select=("MLD4",)))
    got = sorted((f.code, f.location.path, f.severity.value) for f in result.findings)
    assert ("MLD401", "train.py", "error") in got
    assert ("MLD402", "train.py", "error") in got
    assert ("MLD403", "train.py", "warning") in got
    assert not [g for g in got if g[1] == "score.py" and g[0] in ("MLD401", "MLD403")]


def test_check_without_git_skips_history_rules_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "train.py").write_text(TRAIN)
    result, _ = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD4",)))
    assert result.findings == ()
    assert any("MLD4xx" in note for note in result.notes)


def test_renderers_escape_everything(repo: Path) -> None:
    (repo / "dvc.yaml").write_text("stages:\n  '<script>alert(1)</script>':\n    cmd: python train.py\n")
    subprocess.run(["git", "add", "dvc.yaml"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=<img src=x>", "-c", "user.email=x@example.org", "commit", "-qm", "x"], cwd=repo, check=True)
    report = _report(repo)
    html = render_ownership_html(report)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    markdown = render_ownership_markdown(report)
    assert "<script" not in markdown
    assert "train.py" in render_ownership_text(report)


def test_ownership_command(repo: Path, tmp_path: Path) -> None:
    run = lambda *a: subprocess.run([sys.executable, "-m", "mldebt", "ownership", *a], cwd=repo, capture_output=True, text=True, check=False)  # noqa: E731
    as_json = run("--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["pipelines"][0]["name"] == "train.py"
    assert run("--format", "html", "-o", str(tmp_path / "r.html")).returncode == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    bad = run("--as-of", "yesterday")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    nogit = subprocess.run([sys.executable, "-m", "mldebt", "ownership"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert nogit.returncode == 2 and "git" in nogit.stderr and "Traceback" not in nogit.stderr
