"""MLD005: a file skipped at an analysis limit, or one mldebt itself failed on."""

from __future__ import annotations

from mldebt.findings import Severity
from mldebt.rules.analysis import FileProblemRule


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
