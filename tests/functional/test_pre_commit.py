"""The hook in .pre-commit-hooks.yaml, run by the real pre-commit tool on a fresh repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history

PROJECT = Path(__file__).resolve().parents[2]
# pre-commit builds a virtual environment and pip-installs this project into it.
pytestmark = pytest.mark.slow


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (it is in the test extras)")
    return [exe]


def test_hook_reports_on_the_staged_files_only(tmp_path: Path) -> None:
    # pre-commit installs a hook repository from a git revision: commit the working tree of
    # this project (as it is now) into a throwaway clone so uncommitted changes are tested too.
    hook_repo = tmp_path / "hook-repo"
    shutil.copytree(PROJECT, hook_repo, ignore=shutil.ignore_patterns(".git", "*.egg-info", ".mldebt_cache", "__pycache__", ".*_cache", "venv"))
    build_history(hook_repo, [Commit("CI", "ci@example.org", "2026-01-01T00:00:00+00:00", "snapshot", {})])
    subprocess.run(["git", "add", "-A"], cwd=hook_repo, check=True)
    subprocess.run(["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-qm", "tree"], cwd=hook_repo, check=True)

    project = build_history(
        tmp_path / "project",
        [
            Commit(
                "Ann", "ann@example.org", "2025-01-01T10:00:00+00:00", "start",
                {
                    "pyproject.toml": "[project]\nname = 'p'\n",
                    "old.py": "import pandas as pd\npd.read_csv('data/old.csv')\n",
                },
            )
        ],
    )
    (project / "new.py").write_text("import pandas as pd\n\npd.read_csv('data/new.csv')\n")
    subprocess.run(["git", "add", "new.py"], cwd=project, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        [*_pre_commit(), "try-repo", str(hook_repo), "mldebt", "--verbose"],
        cwd=project, capture_output=True, text=True, env=env, check=False, timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "new.py:3:1: MLD101" in output
    # old.py is not staged: its debt is not this commit's business.
    assert "old.py" not in output.replace("(no files to check)", "")
