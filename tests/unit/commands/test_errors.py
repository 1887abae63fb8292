"""Every command reports an invalid configuration the same way: each problem on a line of its
own, exit 2, nothing on stdout."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main

PROBLEMS = "  - unknown key 'selct'\n  - 'history.active-months' must be a positive integer\n"


@pytest.mark.parametrize("command", ["check", "baseline", "graph", "accesses", "ownership"])
def test_a_bad_configuration_is_one_list_of_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "pyproject.toml").write_text("[tool.mldebt]\nselct = ['MLD1']\n[tool.mldebt.history]\nactive-months = 'a year'\n")
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, [command, "--no-cache"])

    expected = f"mldebt: invalid configuration in {tmp_path.resolve() / 'pyproject.toml'}:\n{PROBLEMS}"
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)
