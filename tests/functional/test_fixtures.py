"""Golden outputs for the fixture repositories: text and JSON, reviewed by a person.

`MLDEBT_UPDATE_GOLDEN=1 python -m pytest tests/functional/test_fixtures.py` rewrites them;
read the diff before committing it (each fixture's EXPECTED.md says what a correct analyzer
reports and why).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []
UPDATE = os.environ.get("MLDEBT_UPDATE_GOLDEN") == "1"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mldebt", "check", "--no-cache", *args], cwd=root, capture_output=True, text=True, check=False
    )


def _golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden output {path}; run with MLDEBT_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture(params=NAMES)
def fixture_repo(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    name = request.param
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".expected", "EXPECTED.md"))
    return name, root


def test_fixture_outputs_match_golden(fixture_repo: tuple[str, Path]) -> None:
    name, root = fixture_repo
    text = _run(root)
    assert text.returncode in (0, 1), text.stderr
    assert "Traceback" not in text.stderr
    _golden(FIXTURES / name / ".expected" / "check.txt", text.stdout)
    as_json = _run(root, "--format", "json")
    document = json.loads(as_json.stdout)
    assert document["summary"]["findings"] == len(document["findings"]) == len(text.stdout.splitlines())
    for finding in document["findings"]:
        assert not Path(finding["path"]).is_absolute() and (root / finding["path"]).is_file()
        assert finding["line"] >= 1 and finding["column"] >= 1
        # Notebook findings name their cell, except when the notebook itself cannot be read.
        assert finding["cell"] is None or finding["path"].endswith(".ipynb")
    document["version"] = "<version>"
    _golden(FIXTURES / name / ".expected" / "check.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def test_there_are_at_least_three_fixtures() -> None:
    assert len(NAMES) >= 3, NAMES
