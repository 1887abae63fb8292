"""MLD003: a listed file that cannot be read."""

from __future__ import annotations

from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Invalid, Oversized, Valid


class UnreadableFile(FileProblemRule):
    """
    ## What it does
    Reports a file that is listed in the repository but cannot be read: permissions, an I/O
    error, or more than 64 MiB. A file that large (far more than any hand-written module, or
    notebook with its outputs) is not read into memory.

    ## Why is this bad?
    Its data dependencies are invisible to the analysis.

    ## Use instead
    Make the file readable, or exclude it with `exclude` in `[tool.mldebt]`.
    """

    code = "MLD003"
    name = "unreadable-file"
    VALID = [Valid({"a.py": "x = 1\n"})]
    INVALID = [
        Invalid(
            {"a.py": "x = 1\n", "dump.py": Oversized()},
            path="dump.py", line=1, column=1, message="cannot read file: is larger than 64 MiB; not read",
        )
    ]
