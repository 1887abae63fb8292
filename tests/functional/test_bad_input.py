"""One bad file never stops a run: `mldebt check` on a repository with a hostile or broken file
reports it as a finding, analyses everything else, and exits 1 without a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

GOOD = "src/good.py:2:1: MLD101 reads data `data/a.csv` (pandas.read_csv) that no manifest declares"


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mldebt", "check", "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("path", "data", "findings"),
    [
        pytest.param(
            "src/rot.py", b"# coding: rot13\nvzcbeg cnaqnf\n",
            ["src/rot.py:1:1: MLD002 bad encoding declaration: rot13 is not a text encoding"],
            id="rot13-cookie",
        ),
        pytest.param(
            "src/nul.py", b"x = 'a\x00b'\n",
            ["src/nul.py:1:7: MLD001 syntax error: source code cannot contain null bytes"],
            id="nul-in-a-string",
        ),
        pytest.param(
            "nb.ipynb", ("import pandas as pd\n", "x = 'a\x00b'\n", "pd.read_csv('data/b.csv')\n"),
            [
                "nb.ipynb:cell 2:1:7: MLD001 syntax error: source code cannot contain null bytes",
                "nb.ipynb:cell 3:1:1: MLD101 reads data `data/b.csv` (pandas.read_csv) that no manifest declares",
            ],
            id="nul-in-a-notebook-cell",
        ),
        pytest.param(
            # 248 bytes that expanded past five minutes and gigabytes.
            "dvc.yaml",
            ("vars:\n  - a: \"" + "${a}" * 40 + "\"\nstages:\n  s:\n    cmd: python x.py ${a}\n").encode(),
            ["dvc.yaml:5:10: MLD006 interpolation expands past the analysis limit (64 KiB for one value, 4 MiB for the file); left unresolved"],
            id="dvc-interpolation-bomb",
        ),
        pytest.param(
            # Unknown past the resolution depth: an access with a dynamic target, no finding.
            "src/chain.py",
            ("A0 = 'x'\n" + "".join(f"A{n} = A{n - 1} + 'x'\n" for n in range(1, 249)) + "open(A248)\n").encode(),
            [],
            id="chain-of-249-constants",
        ),
        pytest.param(
            # CPython accepts the cell; libcst refuses it and reports the line after it.
            "nb.ipynb", ("import pandas as pd\n", "x = " + "'a' " * 10_000 + "\n", "pd.read_csv('data/b.csv')\n"),
            [
                "nb.ipynb:cell 2:1:1: MLD001 syntax error: parser error: error at 2:0: expected one of STRING, f\", t\"",
                "nb.ipynb:cell 3:1:1: MLD101 reads data `data/b.csv` (pandas.read_csv) that no manifest declares",
            ],
            id="cell-only-libcst-refuses",
        ),
    ],
)
def test_a_bad_file_is_a_finding_and_the_rest_is_analysed(
    tmp_path: Path, notebook: Callable[..., bytes], path: str, data: bytes | tuple[str, ...], findings: list[str]
) -> None:
    """``data`` is the bad file's bytes, or a notebook's code cells."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    bad = tmp_path / path
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(data if isinstance(data, bytes) else notebook(*data))

    result = _check(tmp_path)

    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == sorted([GOOD, *findings])


def test_a_defect_one_file_triggers_costs_only_that_file(tmp_path, monkeypatch) -> None:
    """Whatever input reaches a bug of mldebt's, the other files are still analysed."""
    import mldebt.parse.analyze as analyze
    from mldebt.engine import CheckOptions, check

    real = analyze._analyze_source

    def flaky(path, *args):
        if path == "bad.py":
            raise KeyError("a defect")
        return real(path, *args)

    monkeypatch.setattr(analyze, "_analyze_source", flaky)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "bad.py").write_text("x = 1\n")
    (tmp_path / "good.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")

    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result

    assert [(f.location.path, f.code) for f in result.findings] == [("bad.py", "MLD005"), ("good.py", "MLD101")]
    assert "KeyError: 'a defect'" in result.findings[0].message


@pytest.mark.parametrize("command", ["ownership", "check"])
def test_commits_with_malformed_dates_never_crash_the_history(tmp_path, craft_commit, command) -> None:
    """A commit whose author date git prints as empty (one public repository has one) takes its
    committer date; one with no usable date at all is left out, and said so once."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    craft_commit(tmp_path, b"author A <a@x> \ncommitter C <c@x> 1704110400 +0000", {"train.py": "x = 1\n"})
    craft_commit(tmp_path, b"author A <a@x> abc +0000\ncommitter C <c@x> 1704110400 +0000", {"train.py": "x = 2\n"})
    craft_commit(tmp_path, b"author B <b@x> abc +0000\ncommitter C <c@x> xyz +0000", {"train.py": "x = 3\n"})
    craft_commit(tmp_path, b"author B <b@x> \ncommitter C <c@x> ", {"train.py": "x = 4\n"})

    result = subprocess.run(
        [sys.executable, "-m", "mldebt", command, "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )

    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    prefix = "mldebt: warning: " if command == "ownership" else "mldebt: note: history: "
    assert result.stderr.splitlines()[0] == (
        prefix + "2 commits without a usable author or committer date left out of the history"
    )
    assert result.stderr.count("usable") == 1
