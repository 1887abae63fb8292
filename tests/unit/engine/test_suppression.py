"""Which lines a `# mldebt: ignore` comment reaches: its own, and the one below only when the
comment stands alone on its line; never across a notebook's cells."""

from __future__ import annotations

from collections.abc import Callable

from mldebt.findings import RunResult

READ = "import pandas as pd\n"


def _places(result: RunResult) -> list[tuple[str, int | None, int]]:
    return sorted((f.code, f.location.cell, f.location.line) for f in result.findings)


def _suppressed(result: RunResult) -> list[tuple[int | None, int, str]]:
    return sorted((f.location.cell, f.location.line, f.message) for f in result.suppressed)


def test_a_comment_after_code_suppresses_only_its_own_line(repo: Callable[..., RunResult]) -> None:
    result = repo({"a.py": READ + "pd.read_csv('a.csv')  # mldebt: ignore[MLD101] by hand\npd.read_csv('b.csv')\n"})

    assert _places(result) == [("MLD101", None, 3)]
    assert _suppressed(result) == [
        (None, 2, "reads data `a.csv` (pandas.read_csv) that no manifest declares (suppressed: by hand)"),
    ]


def test_a_comment_alone_on_its_line_suppresses_the_line_below_and_no_further(repo: Callable[..., RunResult]) -> None:
    result = repo({"a.py": READ + "# mldebt: ignore[MLD101]\npd.read_csv('a.csv')\npd.read_csv('b.csv')\n"})

    assert _places(result) == [("MLD101", None, 4)]
    assert [line for _, line, _ in _suppressed(result)] == [3]


def test_a_trailing_comment_above_a_finding_is_unused(repo: Callable[..., RunResult]) -> None:
    result = repo({"a.py": READ + "x = 1  # mldebt: ignore[MLD101]\npd.read_csv('a.csv')\n"})

    assert _places(result) == [("MLD007", None, 2), ("MLD101", None, 3)]
    assert result.suppressed == ()


def test_an_indented_comment_is_alone_on_its_line(repo: Callable[..., RunResult]) -> None:
    result = repo({"a.py": READ + "def f():\n    # mldebt: ignore\n    pd.read_csv('a.csv')\n"})

    assert _places(result) == []
    assert [line for _, line, _ in _suppressed(result)] == [4]


def test_in_notebooks_lines_are_counted_in_their_cell(repo: Callable[..., RunResult], notebook) -> None:
    cells = notebook(
        READ + "pd.read_csv('a.csv')  # mldebt: ignore[MLD101]\npd.read_csv('b.csv')",
        "# mldebt: ignore[MLD101]\npd.read_csv('c.csv')\npd.read_csv('d.csv')\n# mldebt: ignore[MLD101]",
        "pd.read_csv('e.csv')",
    )
    result = repo({"nb.ipynb": cells.decode()})

    # The comment that ends cell 2 reaches no line of cell 3.
    assert _places(result) == [("MLD007", 2, 4), ("MLD101", 1, 3), ("MLD101", 2, 3), ("MLD101", 3, 1)]
    assert [(cell, line) for cell, line, _ in _suppressed(result)] == [(1, 2), (2, 2)]
