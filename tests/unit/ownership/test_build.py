"""build_ownership on the repository of conftest.py, where every number is known by construction."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mldebt.config import HistorySettings
from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse
from mldebt.history import CREATOR_MODEL, REFERENCE_MODEL, NoHistory
from mldebt.ownership.build import build_ownership, history_options, parse_as_of
from mldebt.ownership.model import OwnershipReport, PipelineOwnership


def _pipeline(report: OwnershipReport, name: str) -> PipelineOwnership:
    return next(p for p in report.pipelines if p.name == name)


def test_departed_author_owns_the_complex_ensemble(report: OwnershipReport) -> None:
    train = _pipeline(report, "train")
    assert (train.kind, train.source, train.line, train.entry, train.files) == ("dvc-stage", "dvc.yaml", 2, "train.py", ("train.py",))
    # Old Timer created and changed train.py; the bot's later commit makes nobody an author.
    assert train.authors == ("Old Timer",) and train.active_authors == () and train.codeowners == ()
    assert (train.bus_factor, train.bus_factor_authors, train.active_bus_factor) == (1, ("Old Timer",), 0)
    assert train.unowned and train.ml_pipeline
    # Three ensembles (2 each); four keyword hyperparameters (0.25 each); no input column named
    # (the label "y" is dropped); one read and one write (0.5 each); fit() has an `if` and an
    # `or`: complexity 3, (3 - 1) / 5.
    assert train.complexity_parts == {
        "estimators": 6.0, "networks": 0.0, "hyperparameters": 1.0, "features": 0.0, "data": 1.0, "control": 0.4,
    }
    assert train.complexity == 8.4
    # Nobody owns it and it has not changed for over a year: 8.4 / 1 * 1.5.
    assert train.risk == 12.6
    assert report.pipelines[0] is train


def test_simple_script_with_three_active_authors_and_codeowners(report: OwnershipReport) -> None:
    score = _pipeline(report, "score.py")
    assert score.files == ("score.py", "scoring/io.py", "scoring/utils.py")
    assert score.active_authors == ("Ann Active", "Bob Active", "Cy Active") and score.codeowners == ("@scoring",)
    # Weighed by lines, Ann's eight-line score.py is most of the code; the two-line helpers of
    # Bob and Cy are not: without Ann most of it has no author.
    assert (score.bus_factor, score.active_bus_factor, score.unowned) == (1, 1, False)
    assert score.complexity == 1.0 and score.ownership == 4
    # Changed on HEAD's day: 1 / (1 + 3 active + 1 CODEOWNERS) * 1.
    assert score.risk == 0.2


def test_scoring_script_counts_as_ml_and_stage_without_code_is_known_by_its_manifest(report: OwnershipReport) -> None:
    predict = _pipeline(report, "predict.py")
    assert predict.ml_pipeline and predict.kind == "script"  # it loads models/model.pkl
    assert (predict.bus_factor, predict.bus_factor_authors, predict.active_authors) == (1, ("Ann Active",), ("Ann Active",))
    fetch = _pipeline(report, "fetch")
    assert fetch.files == () and fetch.entry is None
    assert fetch.authors == ("Old Timer",) and fetch.codeowners == ("@platform",) and not fetch.unowned
    # dvc.yaml's owner covers a stage that runs no repository code, not one that does.
    assert _pipeline(report, "train").codeowners == ()


def test_pipelines_are_ranked_by_risk(report: OwnershipReport) -> None:
    risks = [p.risk for p in report.pipelines]
    assert risks == sorted(risks, reverse=True)
    assert [p.name for p in report.pipelines] == ["train", "predict.py", "score.py", "fetch"]


def test_repository_modules_files_and_knowledge_lost(report: OwnershipReport) -> None:
    # Ann authors two of five source files, then Old Timer (more commits than Bob and Cy):
    # three of five orphaned. Counting Old Timer as gone already, Ann alone suffices.
    assert (report.truck_factor, report.truck_factor_authors, report.active_truck_factor) == (2, ("Ann Active", "Old Timer"), 1)
    assert [(m.path, m.truck_factor, m.active_truck_factor, m.authors) for m in report.modules] == [
        ("scoring", 2, 2, ("Bob Active", "Cy Active"))
    ]
    files = {f.path: f for f in report.files}
    assert set(files) == {"predict.py", "score.py", "scoring/io.py", "scoring/utils.py", "train.py"}  # code only
    assert files["train.py"].changes == 3 and files["train.py"].active_authors == ()
    assert files["score.py"].codeowners == ("@scoring",) and files["score.py"].bus_factor == 1
    assert report.knowledge_lost == ("train.py",)
    assert not report.partial and report.warnings == ()


def test_authors_leave_out_bots_and_know_who_is_active(report: OwnershipReport) -> None:
    assert [(a.name, a.commits, a.active) for a in report.authors] == [
        ("Old Timer", 2, False), ("Ann Active", 1, True), ("Bob Active", 1, True), ("Cy Active", 1, True)
    ]
    assert report.inactive >= {"Old Timer"} and not report.is_active("Old Timer") and report.is_active("Cy Active")


def test_json_contract(report: OwnershipReport) -> None:
    document = report.to_json()
    assert set(document) >= {
        "head", "as_of", "partial", "truck_factor", "truck_factor_authors", "active_truck_factor",
        "authors", "files", "modules", "pipelines",
    }
    assert set(document["authors"][0]) >= {"name", "email", "commits", "first_commit", "last_commit", "active"}
    assert set(document["files"][0]) >= {"path", "bus_factor", "authors", "active_authors", "codeowners", "changes", "last_change"}
    assert set(document["modules"][0]) >= {"path", "truck_factor", "authors"}
    assert set(document["pipelines"][0]) >= {
        "name", "kind", "entry", "files", "bus_factor", "active_bus_factor", "codeowners", "complexity", "risk", "unowned",
    }
    assert re.fullmatch(r"[0-9a-f]{40}", document["head"])
    assert document["as_of"] == "2025-01-15T12:00:00Z"
    assert document["authors"][0]["last_commit"] == "2022-03-10T12:00:00Z"
    for timestamp in [document["as_of"], *(f["last_change"] for f in document["files"])]:
        assert datetime.fromisoformat(timestamp.replace("Z", "+00:00")).tzinfo is not None


def test_as_of_and_active_months_move_the_activity_window(scenario: Path, make_report: Callable[..., OwnershipReport]) -> None:
    earlier = make_report(scenario, as_of=parse_as_of("2022-06-01"))
    assert _pipeline(earlier, "train").active_authors == ("Old Timer",) and not _pipeline(earlier, "train").unowned
    assert earlier.as_of == int(datetime(2022, 6, 1, 23, 59, 59, tzinfo=timezone.utc).timestamp())
    longer = make_report(scenario, active_months=48)
    assert not _pipeline(longer, "train").unowned and longer.knowledge_lost == () and longer.active_months == 48


def test_include_and_exclude_choose_the_files(scenario: Path, make_report: Callable[..., OwnershipReport]) -> None:
    report = make_report(scenario, exclude=("scoring/",))
    assert report.modules == () and "scoring/io.py" not in {f.path for f in report.files}
    assert _pipeline(report, "score.py").authors == ("Ann Active",)


def test_an_entry_script_left_out_by_the_filter_is_still_judged(tmp_path: Path, make_report: Callable[..., OwnershipReport]) -> None:
    """docs/ is left out of authorship by default, but a script there is still someone's code."""
    repo = build_history(tmp_path / "repo", [
        Commit("Dee Docs", "dee@example.org", "2024-05-01T12:00:00+00:00", "x", {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "docs/build_api.py": "import json\n\nif __name__ == '__main__':\n    json.load(open('api.json'))\n",
        }),
    ])
    report = make_report(repo)
    tool = _pipeline(report, "docs/build_api.py")
    assert tool.committed and tool.authors == ("Dee Docs",) and not tool.ml_pipeline
    assert "docs/build_api.py" not in {f.path for f in report.files}
    assert report.other_entry_points == (tool,) and report.ml_pipelines == ()


def test_codeowners_lines_that_own_nothing_are_warnings(tmp_path: Path, make_report: Callable[..., OwnershipReport]) -> None:
    repo = build_history(tmp_path / "repo", [
        Commit("Ann", "ann@example.org", "2024-05-01T12:00:00+00:00", "x", {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "scoring/io.py": "x = 1\n",
            "CODEOWNERS": "/scoring/ @scoring\n./scoring/ @team\n!scoring/io.py @nobody\n/missing/ @ghost\n",
        }),
    ])
    assert make_report(repo).warnings == (
        "CODEOWNERS:3: negation with '!' does not work in CODEOWNERS; the line is ignored",
        "CODEOWNERS:2: `./scoring/` matches no file (GitHub's patterns have no leading `./`: `/scoring/`)",
        "CODEOWNERS:4: `/missing/` matches no file",
    )


def test_no_history_raises(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    analysis = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False))
    with pytest.raises(NoHistory):
        build_ownership(tmp_path, analysis.graph, analysis.facts, cache=None)


def test_parse_as_of() -> None:
    assert parse_as_of("2024-03-01T10:00:00+02:00").utcoffset() is not None
    assert parse_as_of("2024-03-01T10:00:00").tzinfo is timezone.utc
    assert parse_as_of("2024-03-01").hour == 23
    with pytest.raises(ValueError, match="not a date"):
        parse_as_of("yesterday")


def test_history_options_read_the_configuration() -> None:
    options = history_options(
        HistorySettings(
            active_months=6, maintainer_commits=2, bots=("ci-bot",), include=("*.py",), exclude=(),
            aliases=(("Jo", ("jo@a.example",)),), authorship_model="creator",
        )
    )
    assert options == {
        "active_months": 6, "maintainer_commits": 2, "bots": ("ci-bot",), "aliases": {"Jo": ("jo@a.example",)}, "include": ("*.py",),
        "exclude": (), "model": CREATOR_MODEL,
    }
    assert history_options(HistorySettings())["active_months"] == 12
    assert history_options(HistorySettings())["model"] == REFERENCE_MODEL


def test_a_machine_identity_makes_a_pipeline_neither_owned_nor_unowned(tmp_path: Path, make_report: Callable[..., OwnershipReport]) -> None:
    """Old Timer left long ago; `ubuntu` on a cloud VM wrote most of train.py since. Whose
    commits those are nobody can say: they may be an active developer's."""
    train_py = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    base = [
        Commit("Old Timer", "old@example.org", "2020-01-10T12:00:00+00:00", "x", {
            "pyproject.toml": "[project]\nname = 'x'\n", "train.py": train_py,
        }),
        Commit("Ann Active", "ann@example.org", "2024-12-01T12:00:00+00:00", "x", {"README.md": "x\n"}),
    ]
    machine = [
        Commit("ubuntu", "ubuntu@ip-172-31-5-9.ec2.internal", f"2024-0{month}-01T12:00:00+00:00", "x",
               {"train.py": train_py + "\n" * month})
        for month in range(1, 6)
    ]
    without = _pipeline(make_report(build_history(tmp_path / "a", base)), "train.py")
    assert without.unowned and without.unattributable == ()

    report = make_report(build_history(tmp_path / "b", [base[0], *machine, base[1]]))

    train = _pipeline(report, "train.py")
    assert not train.unowned and train.active_authors == () and train.ownership == 0
    assert train.unattributable == ("ubuntu@ip-172-31-5-9.ec2.internal",) and "ubuntu" not in " ".join(train.authors)
    assert "written in part by machine identities nobody can be held to (ubuntu@ip-172-31-5-9.ec2.internal)" in train.why
    assert [(u.name, u.email, u.commits, u.files) for u in report.unattributable] == [
        ("ubuntu@ip-172-31-5-9.ec2.internal", "ubuntu@ip-172-31-5-9.ec2.internal", 5, ("train.py",))
    ]
    assert [a.name for a in report.authors] == ["Ann Active", "Old Timer"]
    assert report.to_json()["unattributable"][0]["files"] == ["train.py"]
    assert [(g.name, g.kind) for g in report.identities] == [("ubuntu@ip-172-31-5-9.ec2.internal", "machine")]
