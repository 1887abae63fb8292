"""`mldebt baseline`, then `check` failing only on new debt, and the ratchet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _mldebt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mldebt", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_baseline_workflow(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mldebt]\nbaseline = '.mldebt-baseline.json'\n")
    train = tmp_path / "train.py"
    train.write_text("import pandas as pd\npd.read_csv('data/a.csv')\npd.read_csv('/mnt/b.csv')\n")
    created = _mldebt(tmp_path, "baseline")
    assert created.returncode == 0, created.stderr
    baseline = json.loads((tmp_path / ".mldebt-baseline.json").read_text())
    assert [e["code"] for e in baseline["findings"]] == ["MLD101", "MLD102"]
    assert baseline["debt_score"] == 3.0

    # Old debt is known: exit 0. Lines moved above it do not matter.
    train.write_text("import pandas as pd\n\n\npd.read_csv('data/a.csv')\npd.read_csv('/mnt/b.csv')\n")
    clean = _mldebt(tmp_path, "check")
    assert clean.returncode == 0 and clean.stdout == ""
    assert "2 known findings not reported" in clean.stderr

    # New debt fails; fixing one old finding shows as fixed; the baseline only shrinks.
    train.write_text("import pandas as pd\npd.read_csv('data/a.csv')\npd.read_csv('data/new.csv')\n")
    new = _mldebt(tmp_path, "check", "--update-baseline", "--format", "json")
    assert new.returncode == 1
    assert [f["message"] for f in json.loads(new.stdout)["findings"]] == [
        "reads data `data/new.csv` (pandas.read_csv) that no manifest declares"
    ]
    assert "1 fixed" in new.stderr
    shrunk = json.loads((tmp_path / ".mldebt-baseline.json").read_text())
    assert [e["code"] for e in shrunk["findings"]] == ["MLD101"]

    # The ratchet: the debt score (now 2: two MLD101) may not rise above the baseline's (2),
    # even with --exit-zero.
    assert shrunk["debt_score"] == 2.0
    steady = _mldebt(tmp_path, "check", "--fail-on-increase", "--exit-zero")
    assert steady.returncode == 0, steady.stderr
    (tmp_path / "more.py").write_text("import pandas as pd\npd.read_csv('/mnt/c.csv')\n")
    ratchet = _mldebt(tmp_path, "check", "--fail-on-increase", "--exit-zero")
    assert ratchet.returncode == 1
    assert "debt score rose from 2 to 4" in ratchet.stderr


def test_missing_baseline_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    result = _mldebt(tmp_path, "check", "--baseline", "nope.json")
    assert result.returncode == 2 and "no such baseline" in result.stderr and "Traceback" not in result.stderr
