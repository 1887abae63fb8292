"""MLD005: a file skipped at an analysis limit, or one mldebt itself failed on."""

from __future__ import annotations

from mldebt.findings import Severity
from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Invalid, Valid


class AnalysisLimit(FileProblemRule):
    """
    ## What it does
    Reports a file that mldebt skipped because it exceeds an analysis limit: larger than
    4 MiB, or nested too deeply to parse. Also a file on which mldebt itself failed: the
    message then asks for a bug report, and the rest of the repository is still analysed.

    ## Why is this bad?
    Such files are nearly always generated; if this one is not, its dependencies are missing
    from the graph.

    ## Use instead
    Exclude generated files with `exclude` in `[tool.mldebt]`.
    """

    code = "MLD005"
    name = "analysis-limit"
    severity = Severity.WARNING
    VALID = [Valid({"nested.py": "x = " + "(" * 20 + "1" + ")" * 20 + "\n"})]
    INVALID = [
        Invalid(
            {"nested.py": "x = " + "(" * 300 + "1" + ")" * 300 + "\n"},
            path="nested.py", line=1, column=1,
            message="too deeply nested to parse (too many nested parentheses)",
        )
    ]
