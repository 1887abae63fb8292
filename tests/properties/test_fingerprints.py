"""Fingerprints survive edits that do not touch the finding: lines inserted or removed above
it, edits below it, and whitespace changes on the flagged line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mldebt.engine import CheckOptions, check

BASE = [
    "import pandas as pd",
    "",
    "def load():",
    "    a = pd.read_csv('/mnt/shared/a.csv')",
    "    b = pd.read_csv('/mnt/shared/a.csv')",
    "    return a, b",
    "",
    "pd.read_csv('data/x.csv')",
]
_NEUTRAL = st.sampled_from(["", "# a comment", "x = 1", "import os", "def h():\n    return 2", "y = [\n  1,\n]"])


def _fingerprints(lines: list[str]) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[project]\nname='x'\n")
        (root / "train.py").write_text("\n".join(lines) + "\n")
        result = check(root, CheckOptions(jobs=1, use_cache=False)).result
    return sorted((f.code, f.fingerprint) for f in result.findings)


ORIGINAL = _fingerprints(BASE)


def test_base_case_has_three_distinct_findings() -> None:
    # Two identical reads in one function are counted, not merged (MLD101 groups a dataset's
    # accesses into one finding; MLD102 reports each).
    assert [code for code, _ in ORIGINAL] == ["MLD101", "MLD102", "MLD102"]
    assert len({fp for _, fp in ORIGINAL}) == 3


@settings(max_examples=settings.default.max_examples // 4, deadline=None)
@given(st.lists(_NEUTRAL, max_size=5), st.lists(_NEUTRAL, max_size=5))
def test_lines_above_and_below_do_not_change_fingerprints(above: list[str], below: list[str]) -> None:
    assert _fingerprints(above + BASE + below) == ORIGINAL


@settings(max_examples=settings.default.max_examples * 3 // 20, deadline=None)
@given(st.sampled_from(["    a = pd.read_csv( '/mnt/shared/a.csv' )", "    a = pd.read_csv('/mnt/shared/a.csv')   ", "    a=pd.read_csv('/mnt/shared/a.csv')"]))
def test_whitespace_on_the_flagged_line_does_not_change_fingerprints(variant: str) -> None:
    lines = list(BASE)
    lines[3] = variant
    assert _fingerprints(lines) == ORIGINAL
