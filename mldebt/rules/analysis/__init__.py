"""MLD0xx: files mldebt could not analyse, broken manifests and unused suppressions.

These are findings rather than crashes: one bad file never stops the analysis of the others,
and a user sees exactly which file was not analysed and why.
"""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Severity
from mldebt.parse.facts import locate
from mldebt.rules.base import Rule, RuleContext


class FileProblemRule(Rule):
    """A rule that reports the problems of its code that extraction recorded in a file's facts
    (MLD001-MLD005): the file was not, or not wholly, analysed."""

    category = Category.ANALYSIS_ERROR
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for _, file in sorted(ctx.facts.items()):
            for problem in file.problems:
                if problem.code == self.code:
                    yield self.finding(locate(file, problem.span), problem.message, snippet=problem.message)
