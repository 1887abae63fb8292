"""MLD001: a Python file, or a notebook code cell, that does not parse."""

from __future__ import annotations

from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Invalid, Valid


class SyntaxErrorRule(FileProblemRule):
    """
    ## What it does
    Reports a Python file, or a notebook code cell, that does not parse.

    ## Why is this bad?
    mldebt cannot see the data this code reads and writes, so its dependencies are missing
    from the graph and no other rule can check them. In a notebook only the broken cell is
    skipped; the other cells are still analysed.

    ## Example
    ```python
    df = pd.read_csv("data/raw.csv"
    ```

    ## Use instead
    ```python
    df = pd.read_csv("data/raw.csv")
    ```
    """

    code = "MLD001"
    name = "syntax-error"
    VALID = [Valid({"ok.py": "x = 1\n"})]
    INVALID = [
        Invalid(
            {"bad.py": "x = 1\ndef f(:\n    pass\n"},
            path="bad.py", line=2, column=7,
            message="syntax error: invalid syntax",
        )
    ]
