"""A pull request's repository points mldebt's reads and writes outside itself: the baseline the
configuration names, a symlinked pyproject.toml, `.github/`, `.mailmap` or report path. Each
attack leaves its victim untouched and its contents out of every output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history

TRAIN = "import pandas as pd\npd.read_csv('data/a.csv')\n"


def _mldebt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mldebt", *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim" / "precious.json"
    path.parent.mkdir()
    path.write_text('{"version": 1, "findings": []}\n')
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "train.py").write_text(TRAIN)
    return root


@pytest.mark.parametrize("value", ["../victim/precious.json", "{victim}"])
@pytest.mark.parametrize("command", [["baseline"], ["check", "--update-baseline"], ["check"]])
def test_a_configured_baseline_outside_the_repository_is_refused(repo: Path, victim: Path, value: str,
                                                                command: list[str]) -> None:
    (repo / "pyproject.toml").write_text(f"[tool.mldebt]\nbaseline = {value.format(victim=victim)!r}\n")

    done = _mldebt(repo, *command)

    assert done.returncode == 2, done.stderr
    assert "must be a relative path inside the repository" in done.stderr
    assert victim.read_text() == '{"version": 1, "findings": []}\n'


@pytest.mark.parametrize("command", [["baseline"], ["check", "--update-baseline"]])
def test_a_baseline_that_is_a_symlink_is_neither_read_nor_written_through(repo: Path, victim: Path,
                                                                          command: list[str]) -> None:
    (repo / "pyproject.toml").write_text("[tool.mldebt]\nbaseline = 'base/line.json'\n")
    (repo / "base").mkdir()
    (repo / "base" / "line.json").symlink_to(victim)

    done = _mldebt(repo, *command)

    assert done.returncode == 2, done.stderr
    assert "is a symlink inside the repository" in done.stderr
    assert victim.read_text() == '{"version": 1, "findings": []}\n'


def test_a_baseline_directory_that_leads_outside_is_refused(repo: Path, victim: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.mldebt]\nbaseline = 'base/precious.json'\n")
    (repo / "base").symlink_to(victim.parent)

    done = _mldebt(repo, "baseline")

    assert done.returncode == 2 and "leads out of the repository through a symlink" in done.stderr
    assert victim.read_text() == '{"version": 1, "findings": []}\n'


def test_a_report_path_the_repository_planted_as_a_symlink_is_not_written_through(repo: Path, victim: Path) -> None:
    # The README's workflow writes `-o mldebt.sarif` into the checkout.
    (repo / "mldebt.sarif").symlink_to(victim)
    (repo / "out").symlink_to(victim.parent)

    for output in ("mldebt.sarif", "out/mldebt.sarif"):
        done = _mldebt(repo, "check", "--format", "sarif", "-o", output)
        assert done.returncode == 2 and f"cannot write {output}" in done.stderr
    assert sorted(p.name for p in victim.parent.iterdir()) == ["precious.json"]
    assert victim.read_text() == '{"version": 1, "findings": []}\n'


def test_a_symlinked_pyproject_is_not_read(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "home" / "pyproject.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("[tool.mldebt]\nsecret-api-token-3141 = 1\n")
    (repo / "pyproject.toml").symlink_to(elsewhere)

    done = _mldebt(repo, "check")

    assert done.returncode == 2
    assert "links to a file outside the repository" in done.stderr
    assert "secret-api-token-3141" not in done.stdout + done.stderr


def test_codeowners_and_mailmap_outside_the_repository_are_not_read(tmp_path: Path) -> None:
    root = build_history(
        tmp_path / "repo",
        [Commit("Ann Lee", "ann@example.com", "2024-01-01T12:00:00+00:00", "add", {"train.py": TRAIN})],
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "CODEOWNERS").write_text("* @secret-team-2718\n")
    (elsewhere / "mailmap").write_text("Secret Name 1618 <ann@example.com>\n")
    (root / ".github").symlink_to(elsewhere)
    (root / ".mailmap").symlink_to(elsewhere / "mailmap")

    done = _mldebt(root, "ownership", "--format", "json")

    assert done.returncode == 0, done.stderr
    assert "secret-team-2718" not in done.stdout and "Secret Name 1618" not in done.stdout
    assert [a["name"] for a in json.loads(done.stdout)["authors"]] == ["Ann Lee"]
