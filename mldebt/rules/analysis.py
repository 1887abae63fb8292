"""MLD0xx: files mldebt could not analyse, broken manifests and unused suppressions.

These are findings rather than crashes: one bad file never stops the analysis of the others,
and a user sees exactly which file was not analysed and why.
"""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Location, Severity
from mldebt.parse.facts import locate
from mldebt.rules.base import Invalid, Rule, RuleContext


class _FileProblem(Rule):
    category = Category.ANALYSIS_ERROR
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for _, file in sorted(ctx.facts.items()):
            for problem in file.problems:
                if problem.code == self.code:
                    yield self.finding(locate(file, problem.span), problem.message, snippet=problem.message)


class SyntaxErrorRule(_FileProblem):
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
    VALID = [{"ok.py": "x = 1\n"}]
    INVALID = [Invalid({"bad.py": "x = 1\ndef f(:\n    pass\n"}, path="bad.py", line=2)]


class UndecodableFile(_FileProblem):
    """
    ## What it does
    Reports a source file whose bytes do not decode in its declared encoding (UTF-8 unless a
    PEP 263 coding cookie says otherwise).

    ## Why is this bad?
    Python itself refuses to import such a file, and mldebt cannot analyse it.

    ## Example
    A file declaring `# -*- coding: utf-8 -*-` that contains Latin-1 bytes.

    ## Use instead
    Re-encode the file as UTF-8, or declare its real encoding.
    """

    code = "MLD002"
    name = "undecodable-file"
    INVALID = [Invalid({"latin.py": "# caf\udce9\nx = 1\n"}, path="latin.py", line=1)]


class UnreadableFile(_FileProblem):
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


class InvalidNotebook(_FileProblem):
    """
    ## What it does
    Reports a `.ipynb` file that is not a readable Jupyter notebook: invalid JSON, or JSON
    without notebook cells.

    ## Why is this bad?
    Jupyter cannot open it either, and none of its cells can be analysed. Broken notebooks
    often come from merge conflicts committed by mistake.

    ## Use instead
    Repair the notebook (for instance with `nbdime` for merge conflicts) or delete it.
    """

    code = "MLD004"
    name = "invalid-notebook"
    INVALID = [Invalid({"broken.ipynb": '{"cells": [\n'}, path="broken.ipynb", line=2)]


class AnalysisLimit(_FileProblem):
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


class InvalidManifest(Rule):
    """
    ## What it does
    Reports a data manifest (`dvc.yaml`, a `.dvc` file, a Kedro catalog) that cannot be
    read: invalid YAML, or entries of the wrong type.

    ## Why is this bad?
    The declarations in it are lost, so data it declares may be reported as undeclared, and
    the tools that read the manifest fail too.

    ## Example
    ```yaml
    stages:
      train:
        cmd: python train.py
        deps: [data/train.csv
    ```
    """

    code = "MLD006"
    name = "invalid-manifest"
    category = Category.ANALYSIS_ERROR
    severity = Severity.ERROR
    INVALID = [Invalid({"dvc.yaml": "stages:\n  train:\n    deps: [a\n"}, path="dvc.yaml", line=4)]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for error in ctx.declarations.errors:
            location = Location(error.path, error.line, error.column, error.line, error.column)
            yield self.finding(location, error.message, snippet=error.message)


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a `# mldebt: ignore[...]` comment that suppresses nothing: no finding of the
    listed codes is on its line or the line below.

    ## Why is this bad?
    Stale suppressions hide the next real finding at that place, and mislead readers about
    the code's dependencies.

    ## Example
    ```python
    df = pd.read_csv(path)  # mldebt: ignore[MLD101]
    ```
    (`path` is dynamic, so MLD101 cannot fire here.)

    ## Use instead
    Remove the comment.
    """

    code = "MLD007"
    name = "unused-suppression"
    category = Category.ANALYSIS_ERROR
    severity = Severity.INFO
    VALID = [
        {
            "pyproject.toml": "[tool.mldebt.data]\ninputs = []\n",
            "a.py": "import pandas as pd\npd.read_csv('data/x.csv')  # mldebt: ignore[MLD101] legacy\n",
        }
    ]
    INVALID = [Invalid({"a.py": "x = 1  # mldebt: ignore[MLD101]\n"}, path="a.py", line=1)]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Found by the engine, which alone knows which suppressions the other rules used.
        return iter(())
