"""check() returns what it found and changes nothing: the analysis it made is left as it was,
and what the baseline commands need comes back in the outcome."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mldebt import __version__
from mldebt.baseline import build_baseline, dump_baseline
from mldebt.engine import CheckOptions, check

READS = "import pandas as pd\npd.read_csv('data/a.csv')\n"


def test_the_outcome_holds_every_finding_and_the_baseline_used(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mldebt]\nbaseline = 'debt.json'\n")
    (tmp_path / "a.py").write_text(READS)
    first = check(tmp_path, CheckOptions(jobs=1, use_cache=False, use_baseline=False))
    (tmp_path / "debt.json").write_text(dump_baseline(build_baseline(first.findings), __version__))
    (tmp_path / "b.py").write_text(READS.replace("a.csv", "b.csv"))

    outcome = check(tmp_path, CheckOptions(jobs=1, use_cache=False))

    assert [f.location.path for f in outcome.result.findings] == ["b.py"]
    assert sorted(f.location.path for f in outcome.findings) == ["a.py", "b.py"]
    assert outcome.baseline is not None
    assert (outcome.baseline.path, outcome.baseline.configured) == (Path("debt.json"), True)
    assert [e.fingerprint for e in outcome.baseline.baseline.entries] == [first.findings[0].fingerprint]


def test_the_analysis_is_left_as_it_was_made(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "a.py").write_text(READS)

    outcome = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD1", "MLD4")))

    # No git history: the note is the run's, not the analysis's.
    assert [n for n in outcome.result.notes if "MLD4xx" in n] != []
    assert [n for n in outcome.analysis.notes if "MLD4xx" in n] == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.analysis.notes = ()  # type: ignore[misc]
