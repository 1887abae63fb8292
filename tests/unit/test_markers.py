"""The suite's own configuration: which tests are slow (left out locally, run by .ci/run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _collected(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args, "tests/functional"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    return {line.split("::")[0] for line in proc.stdout.splitlines() if "::" in line}


def test_the_slow_tests_are_the_pre_commit_and_browser_tests_and_ci_runs_them() -> None:
    slow = {"tests/functional/test_pre_commit.py", "tests/functional/test_ownership_report.py"}

    assert _collected("-m", "slow") == slow
    assert not _collected() & slow
    assert _collected("-m", "slow or not slow") >= slow
    assert '-m "slow or not slow"' in (ROOT / ".ci" / "run").read_text()


def test_ci_runs_exactly_the_readme_s_second_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```sh\n")
    second = blocks[2].split("\n```", 1)[0].strip()
    assert second.startswith("pip install -e '.[test]' && ")
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines() if not line.lstrip().startswith("#")]
    assert second in commands
