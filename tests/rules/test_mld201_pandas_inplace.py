"""MLD201 pandas-inplace beyond its examples: where its fix applies, and where it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main

FRAME = "import pandas as pd\n\ndf = pd.read_csv('data/raw.csv')\n"


@pytest.mark.parametrize(
    ("source", "fixed"),
    [
        ("df.dropna(axis=0, inplace=True)\n", "df = df.dropna(axis=0)\n"),
        ("df.drop(inplace=True, columns=['a'])\n", "df = df.drop(columns=['a'])\n"),
        ("x = 1; df.dropna(inplace=True); y = 2\n", "x = 1; df = df.dropna(); y = 2\n"),
        ("df.dropna(\n    inplace=True,\n)\n", "df = df.dropna()\n"),
        # A comment where the argument goes stays, so there is no fix.
        ("df.dropna(axis=0, inplace=True  # rows\n)\n", None),
        ("df.dropna(  # rows\n    inplace=True)\n", None),
        # Bound in an outer scope: rebinding it in the function would make it local there.
        ("def f():\n    df.dropna(inplace=True)\n", None),
    ],
)
def test_the_fix_where_it_applies_and_where_it_must_not(source: str, fixed: str | None, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "a.py").write_text(FRAME + source)
    done = CliRunner().invoke(main, ["check", "--no-cache", "--preview", "--exit-zero", "--fix", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.py").read_text() == FRAME + (fixed or source)
    # What is left after the fix is reported; what was fixed is gone.
    assert ("MLD201" in done.stdout) == (fixed is None)
