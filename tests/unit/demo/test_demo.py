"""The bundled demo: its files, its history, and what `mldebt demo` reports on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import libcst
import pytest

from mldebt.demo.write import example_files, write_demo


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_written_tree_equals_the_package_files(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    expected = example_files()
    tracked = set(_git(root, "ls-files").split())
    assert tracked == set(expected)
    for path, text in expected.items():
        assert (root / path).read_text(encoding="utf-8") == text, path
    assert _git(root, "status", "--porcelain") == ""


def test_history_has_several_dated_authors(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    log = _git(root, "log", "--format=%an|%ae|%ad", "--date=short").splitlines()
    assert len(log) == 12
    names = {line.split("|")[0] for line in log}
    assert names == {"Maria Lopez", "Dev Patel", "Sam Chen", "dependabot[bot]"}
    # One developer commits under two addresses; the main author stopped more than a year ago.
    assert len({line.split("|")[1] for line in log if line.startswith("Dev Patel")}) == 2
    maria_last = max(line.split("|")[2] for line in log if line.startswith("Maria"))
    assert maria_last < "2024-11-14"


def test_sources_parse_and_notebook_is_valid() -> None:
    for path, text in example_files().items():
        if path.endswith(".py"):
            libcst.parse_module(text)
        if path.endswith(".ipynb"):
            notebook = json.loads(text)
            assert notebook["nbformat"] == 4 and any(c["cell_type"] == "markdown" for c in notebook["cells"])


def test_non_empty_destination_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_demo(tmp_path)


EXPECTED = """\
dvc.yaml:11:1: MLD401 dvc-stage `train` has no owner: no CODEOWNERS entry, no maintainer, and its authors (Maria Lopez) are inactive
dvc.yaml:21:1: MLD402 dvc-stage `evaluate` has bus factor 1: without Dev Patel most of its code has no author
notebooks/exploration.ipynb:cell 3:2:12: MLD102 reads hard-coded user-home path `~/datasets/churn_2019.csv` (pandas.read_csv)
notebooks/exploration.ipynb:cell 4:2:1: MLD101 writes data `data/interim/sample.csv` (sample.to_csv) that no manifest declares
src/evaluate.py:18:5: MLD101 writes data `reports/scores.csv` (.to_csv) that no manifest declares
src/prepare.py:17:14: MLD101 reads data `s3://churn-lake/events/2024.parquet` (pandas.read_parquet) that no manifest declares
src/report.py:9:14: MLD103 reads `reports/scores.csv`, which dvc-stage `evaluate` writes (src/evaluate.py:18); neither declares it
src/train.py:28:5: MLD101 writes data `models/feature_importances.csv` (.to_csv) that no manifest declares
"""


def test_mldebt_demo_command(tmp_path: Path) -> None:
    target = tmp_path / "churn"
    result = subprocess.run([sys.executable, "-m", "mldebt", "demo", str(target)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED
    assert "Found 8 findings" in result.stderr
    assert (target / ".git").is_dir()
