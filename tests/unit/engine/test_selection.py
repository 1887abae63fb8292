"""Which findings a configuration lets through: select, extend-select and ignore (the most
specific prefix decides, as in ruff), the command line's --select/--ignore over them,
per-file-ignores, and the user's own data APIs from [tool.mldebt.catalog]."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mldebt.findings import RunResult

# MLD101 (a read no manifest declares), MLD102 (an absolute path), MLD001 (a syntax error).
SOURCES = {
    "src/a.py": "import pandas as pd\npd.read_csv('data/a.csv')\npd.read_csv('/mnt/b.csv')\n",
    "src/broken.py": "def (:\n",
}


def _codes(result: RunResult) -> list[str]:
    return sorted({f.code for f in result.findings})


def _with_config(config: str) -> dict[str, str]:
    return {**SOURCES, "pyproject.toml": f"[project]\nname = 'p'\n\n[tool.mldebt]\n{config}"}


@pytest.mark.parametrize(("config", "codes"), [
    ("", ["MLD001", "MLD101", "MLD102"]),
    ("select = ['MLD1']\n", ["MLD101", "MLD102"]),
    ("select = ['MLD1']\nextend-select = ['MLD001']\n", ["MLD001", "MLD101", "MLD102"]),
    ("select = ['MLD1']\nignore = ['MLD102']\n", ["MLD101"]),
    # The longer prefix wins whichever list it is in; on a tie, ignore does.
    ("select = ['MLD102']\nignore = ['MLD1']\n", ["MLD102"]),
    ("select = ['MLD10']\nignore = ['MLD1', 'MLD101']\n", ["MLD102"]),
    ("select = ['MLD102']\nignore = ['MLD102']\n", []),
    ("select = ['ALL']\nignore = ['MLD0']\n", ["MLD101", "MLD102"]),
], ids=["default", "select", "extend-select", "ignore", "specific-select", "specific-ignore", "tie", "all"])
def test_select_extend_select_and_ignore(repo: Callable[..., RunResult], config: str, codes: list[str]) -> None:
    assert _codes(repo(_with_config(config))) == codes


@pytest.mark.parametrize(("select", "ignore", "codes"), [
    # --select replaces the configured select and extend-select; --ignore adds to ignore,
    # and the most specific prefix still decides.
    (("MLD0",), (), ["MLD001"]),
    ((), ("MLD101",), ["MLD001"]),
    (("MLD001", "MLD102"), ("MLD0",), ["MLD001"]),
], ids=["select-replaces", "ignore-adds", "both"])
def test_the_command_line_over_the_configuration(
    repo: Callable[..., RunResult], select: tuple[str, ...], ignore: tuple[str, ...], codes: list[str]
) -> None:
    config = "select = ['MLD1']\nextend-select = ['MLD001']\nignore = ['MLD102']\n"
    assert _codes(repo(_with_config(config), select=select, ignore=ignore)) == codes


def test_per_file_ignores_match_gitignore_patterns_and_code_prefixes(repo: Callable[..., RunResult]) -> None:
    files = {
        **_with_config("[tool.mldebt.per-file-ignores]\n'src/a.py' = ['MLD10']\n'legacy/' = ['ALL']\n'*.ipynb' = ['MLD102']\n"),
        "legacy/old.py": "import pandas as pd\npd.read_csv('/mnt/c.csv')\n",
        "scripts/run.py": "import pandas as pd\npd.read_csv('/mnt/d.csv')\n",
    }
    result = repo(files)

    assert sorted((f.code, f.location.path) for f in result.findings) == [
        ("MLD001", "src/broken.py"), ("MLD102", "scripts/run.py"),
    ]
    # Left out, not suppressed: nothing in the repository says so at the place.
    assert result.suppressed == () and result.summary.findings == 2


def test_per_file_ignores_keep_the_fingerprints_of_the_findings_left(repo: Callable[..., RunResult]) -> None:
    plain = repo(SOURCES)
    ignored = repo(_with_config("[tool.mldebt.per-file-ignores]\n'src/a.py' = ['MLD101']\n"))

    remaining = {f.code: f.fingerprint for f in ignored.findings}
    assert {f.code: f.fingerprint for f in plain.findings if f.code in remaining} == remaining


CATALOG = """
[[tool.mldebt.catalog.function]]
match = ["ourlib.io.load_table"]
direction = "read"
arg = 0

[[tool.mldebt.catalog.function]]
match = ["pandas.read_csv"]
direction = "none"
"""


def test_the_user_catalog_adds_apis_and_takes_precedence(repo: Callable[..., RunResult]) -> None:
    files = {
        "pyproject.toml": f"[project]\nname = 'p'\n{CATALOG}",
        "train.py": "import pandas as pd\nfrom ourlib.io import load_table\n\nload_table('data/t.csv')\npd.read_csv('data/a.csv')\n",
    }
    result = repo(files)

    assert [(f.code, f.location.line, f.message) for f in result.findings] == [
        ("MLD101", 4, "reads data `data/t.csv` (ourlib.io.load_table) that no manifest declares"),
    ]
