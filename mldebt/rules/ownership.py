"""MLD4xx: pipelines nobody owns, knowledge held by one person, complexity beyond ownership.

These rules read the ownership report (git history and CODEOWNERS); outside a git repository
the engine skips them with one note. Their behaviour is tested on repositories with a history
built at test time (tests/unit/ownership), so they carry no inline examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mldebt.findings import Category, Finding, Location, Severity
from mldebt.ownership.model import OwnershipReport, PipelineOwnership
from mldebt.rules.base import Rule, RuleContext


def _location(pipeline: PipelineOwnership) -> Location:
    return Location(pipeline.source, pipeline.line, 1, pipeline.line, 1)


def _pipelines(ctx: RuleContext) -> Iterator[PipelineOwnership]:
    report: OwnershipReport | None = ctx.ownership
    if report is None:
        return
    yield from (p for p in report.pipelines if p.ml_pipeline)


def _label(pipeline: PipelineOwnership) -> str:
    return f"{pipeline.kind} `{pipeline.name}`"


class UnownedPipeline(Rule):
    """
    ## What it does
    Flags an ML pipeline (a DVC stage, a Kedro pipeline, an Airflow DAG, or an entry script
    or notebook that builds or trains a model) that no CODEOWNERS entry covers and that no
    active developer authored: everyone who wrote its code (by degree of authorship) has made
    no commit for `active-months` (default 12).

    ## Why is this bad?
    Nobody will notice when it breaks, and nobody can say why it works the way it does. Who
    debugs this in six months? Nobody, today.

    ## Use instead
    Give the pipeline an owner in CODEOWNERS, and have someone still on the team take over its
    code.

    ## Options
    Activity is configured in `[tool.mldebt.history]`: `active-months`, `bots`.

    ## References
    - Avelino et al., "A Novel Approach for Estimating Truck Factors", ICPC 2016
    """

    code = "MLD401"
    name = "unowned-pipeline"
    category = Category.UNOWNED_PIPELINE
    severity = Severity.ERROR
    needs_history = True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pipeline in _pipelines(ctx):
            if not pipeline.unowned:
                continue
            who = (
                f"its authors ({', '.join(pipeline.authors)}) are inactive"
                if pipeline.authors
                else "no one in the history authored its code"
            )
            yield self.finding(
                _location(pipeline),
                f"{_label(pipeline)} has no owner: no CODEOWNERS entry, and {who}",
                scope=pipeline.name,
                snippet=pipeline.kind,
            )


class LowBusFactor(Rule):
    """
    ## What it does
    Flags an ML pipeline whose code is known by one author only: removing that one person
    leaves more than half of its files without an author (bus factor 1). Reported as an
    error when that author is already inactive.

    ## Why is this bad?
    Model and pipeline code encodes decisions (features, thresholds, data fixes) that are not
    written down anywhere else. When its only author leaves, the knowledge goes too.

    ## Use instead
    Pair on the pipeline, review its changes across the team, and document its decisions.
    """

    code = "MLD402"
    name = "low-bus-factor"
    category = Category.LOW_BUS_FACTOR
    needs_history = True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report: OwnershipReport | None = ctx.ownership
        for pipeline in _pipelines(ctx):
            if pipeline.bus_factor != 1 or not pipeline.bus_factor_authors:
                continue
            author = pipeline.bus_factor_authors[0]
            gone = report is not None and any(a.name == author and not a.active for a in report.authors)
            finding = self.finding(
                _location(pipeline),
                f"{_label(pipeline)} has bus factor 1: without {author}"
                + (" (no longer active)" if gone else "")
                + " most of its code has no author",
                scope=pipeline.name,
                snippet=pipeline.kind,
            )
            yield finding if not gone else _as_error(finding)


def _as_error(finding: Finding) -> Finding:
    return replace(finding, severity=Severity.ERROR)


class ComplexityOwnershipRisk(Rule):
    """
    ## What it does
    Flags an ML pipeline whose model complexity outruns its ownership: its risk score is at
    or above `threshold`.

    Complexity adds up, over the files the pipeline runs: estimators (ensembles count
    double), neural network classes (by size), hyperparameters set, data dependencies, and
    the cyclomatic complexity of the training code. Risk divides it by ownership (1 + active
    authors + 2 for a CODEOWNERS owner) and weighs it by 1.5 when the code has not changed
    for a year. The message lists the parts.

    ## Why is this bad?
    A complex model that few people understand is the one that fails silently and that
    nobody can retrain or debug. Sculley et al.: complexity is debt; ownership decides who
    pays it.

    ## Options
    - `threshold` (number, default `4.0`).
    """

    code = "MLD403"
    name = "complexity-ownership-risk"
    category = Category.COMPLEXITY_OWNERSHIP_RISK
    needs_history = True
    options = {"threshold": 4.0}

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        threshold = float(ctx.options.get("threshold", 4.0))
        for pipeline in _pipelines(ctx):
            if pipeline.risk < threshold:
                continue
            parts = ", ".join(f"{k} {v:g}" for k, v in pipeline.complexity_parts.items() if v)
            yield self.finding(
                _location(pipeline),
                f"{_label(pipeline)}: risk {pipeline.risk:g} (complexity {pipeline.complexity:g}: {parts}; "
                f"{len(pipeline.active_authors)} active author(s), "
                f"{'CODEOWNERS ' + ', '.join(pipeline.codeowners) if pipeline.codeowners else 'no CODEOWNERS'})",
                scope=pipeline.name,
                snippet=pipeline.kind,
            )
