"""MLD006: a data manifest that cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Location, Severity
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid


class InvalidManifest(Rule):
    """
    ## What it does
    Reports a data manifest (`dvc.yaml`, a `.dvc` file, a Kedro catalog, an `MLproject`) that cannot be
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
    VALID = [Valid({"dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n    deps: [a]\n"})]
    INVALID = [
        Invalid(
            {"dvc.yaml": "stages:\n  train:\n    deps: [a\n"},
            path="dvc.yaml", line=4, column=1,
            message="invalid YAML: did not find expected ',' or ']'",
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for error in ctx.declarations.errors:
            location = Location(error.path, error.line, error.column, error.line, error.column)
            yield self.finding(location, error.message, snippet=error.message)
