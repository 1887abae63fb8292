"""MLD003: a listed file that cannot be read."""

from __future__ import annotations

from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Valid


class UnreadableFile(FileProblemRule):
    """
    ## What it does
    Reports a file that is listed in the repository but cannot be read (permissions, a
    special file, an I/O error).

    ## Why is this bad?
    Its data dependencies are invisible to the analysis.

    ## Use instead
    Make the file readable, or exclude it with `exclude` in `[tool.mldebt]`.
    """

    code = "MLD003"
    name = "unreadable-file"
    VALID = [Valid({"a.py": "x = 1\n"})]
