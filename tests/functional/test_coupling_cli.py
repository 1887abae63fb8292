"""`mldebt coupling` on a repository whose history is built at test time: the table and the
JSON, the default filter (code files only), thresholds from the flags and from
[tool.mldebt.history], a change-set cap that differs from the cache's, and no history."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history


def _mldebt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-P", "-m", "mldebt", *args], cwd=cwd, capture_output=True, text=True, check=False)


def _commit(day: int, files: dict[str, str]) -> Commit:
    return Commit("Alice", "alice@example.com", f"2024-01-{day:02}T12:00:00+00:00", f"day {day}", files)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """model.py and train.py change together 5 times, with README.md each time; model.py once
    more alone; on day 7, all three with eval.py (4 files)."""
    commits = [_commit(day, {"model.py": f"{day}\n", "train.py": f"{day}\n", "README.md": f"{day}\n"}) for day in range(1, 6)]
    commits.append(_commit(6, {"model.py": "6\n"}))
    commits.append(_commit(7, {"model.py": "7\n", "train.py": "7\n", "README.md": "7\n", "eval.py": "7\n"}))
    return build_history(tmp_path / "repo", commits)


def test_the_table_lists_code_files_only_with_code_maats_defaults(project: Path) -> None:
    done = _mldebt(project, "coupling")

    # model.py 7 revisions, train.py 6, shared 6: 6 / 6.5 = 92.3 %, average 6.5 shown as 7.
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "entity    coupled   degree  average-revs  entity-revs  coupled-revs  shared-revs\n"
        "model.py  train.py  92      7             7            6             6\n"
    )
    assert done.stderr == "1 coupled pair among 3 files, over commits of at most 30 files\n"


def test_json_with_thresholds_from_the_flags(project: Path) -> None:
    done = _mldebt(project, "coupling", "--format", "json", "--max-changeset-size", "3", "--min-revs", "1",
                   "--min-shared-revs", "1", "--min-coupling", "0")

    # Without day 7 (4 files): model.py 6 revisions, train.py 5, shared 5: 5 / 5.5 = 90.9 %.
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "thresholds": {"min_revs": 1, "min_shared_revs": 1, "min_coupling": 0, "max_coupling": 100, "max_changeset_size": 3},
        "couplings": [
            {"entity": "model.py", "coupled": "train.py", "degree": 90, "average_revs": 6,
             "entity_revs": 6, "coupled_revs": 5, "shared_revs": 5},
        ],
    }


def test_thresholds_from_the_configuration_and_the_flags_over_them(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.mldebt.history]\ninclude = ['*.py', '*.md']\nexclude = []\nmin-coupling = 95\nmin-shared-revs = 1\nmin-revs = 1\n"
    )

    configured = _mldebt(project, "coupling", "--format", "json")
    overridden = _mldebt(project, "coupling", "--format", "json", "--min-coupling", "90")

    # README.md and train.py share all 6 revisions: 100 %; model.py pairs are at 92.3 %.
    assert [(c["entity"], c["coupled"], c["degree"]) for c in json.loads(configured.stdout)["couplings"]] == [
        ("README.md", "train.py", 100)
    ]
    assert [(c["entity"], c["coupled"], c["degree"]) for c in json.loads(overridden.stdout)["couplings"]] == [
        ("README.md", "train.py", 100), ("README.md", "model.py", 92), ("model.py", "train.py", 92)
    ]


def test_another_cap_than_the_cached_one_mines_again(project: Path, tmp_path: Path) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache"), "--format", "json", "--min-revs", "1", "--min-shared-revs", "1"]
    wide = json.loads(_mldebt(project, "coupling", *cache).stdout)["couplings"]
    narrow = json.loads(_mldebt(project, "coupling", *cache, "--max-changeset-size", "3").stdout)["couplings"]

    assert [c["shared_revs"] for c in wide if c["entity"] == "model.py" and c["coupled"] == "train.py"] == [6]
    assert [c["shared_revs"] for c in narrow if c["entity"] == "model.py" and c["coupled"] == "train.py"] == [5]


def test_no_history_and_a_bad_threshold_are_errors(tmp_path: Path) -> None:
    plain, bad = tmp_path / "plain", tmp_path / "bad"
    for directory, config in ((plain, "[project]\nname = 'p'\n"), (bad, "[tool.mldebt.history]\nmin-coupling = 101\n")):
        directory.mkdir()
        (directory / "pyproject.toml").write_text(config)

    missing = _mldebt(plain, "coupling")
    invalid = _mldebt(bad, "coupling")

    assert missing.returncode == 2 and missing.stdout == ""
    assert "mldebt: error: coupling needs git history:" in missing.stderr
    assert invalid.returncode == 2
    assert "'history.min-coupling' must be an integer from 0 to 100" in invalid.stderr
