"""MLD4xx: pipelines nobody owns, knowledge held by one person, complexity beyond ownership.

These rules read the ownership report (`ctx.ownership`: git history and CODEOWNERS, built by
mldebt.ownership.build); without git history the engine skips them with one note, and they
yield nothing when the report is absent. The shared example runner builds repositories without
history, so their VALID/INVALID lists are empty: they are tested on repositories whose history
is built at test time, where the answer is known by construction (tests/unit/ownership).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mldebt.findings import Category, Finding, Location, Severity
from mldebt.ownership.model import OwnershipReport, PipelineOwnership
from mldebt.parse.facts import Span, locate
from mldebt.rules.base import Rule, RuleContext


def _report(ctx: RuleContext) -> OwnershipReport | None:
    report = ctx.ownership
    return report if isinstance(report, OwnershipReport) else None


def _ml_pipelines(report: OwnershipReport | None) -> Iterator[PipelineOwnership]:
    """The ML pipelines with a history to judge (code not committed yet has none)."""
    if report is not None:
        yield from (p for p in report.pipelines if p.ml_pipeline and p.committed)


def _location(ctx: RuleContext, pipeline: PipelineOwnership) -> Location:
    """Where the pipeline is declared: its dvc.yaml line, its DAG or pipeline call, or line 1
    of an entry script (the first code cell of a notebook)."""
    file = ctx.facts.get(pipeline.source)
    if file is not None:
        return locate(file, Span(pipeline.line, 1, pipeline.line, 1))
    return Location(pipeline.source, pipeline.line, 1, pipeline.line, 1)


def _label(pipeline: PipelineOwnership) -> str:
    return f"{pipeline.kind} `{pipeline.name}`"


class _PipelineRule(Rule):
    needs_history = True
    # History-based: the shared example runner has no git history (see the module docstring).
    VALID = []
    INVALID = []

    def pipeline_finding(self, ctx: RuleContext, pipeline: PipelineOwnership, message: str) -> Finding:
        # The pipeline's name and kind identify the finding; neither moves with line numbers.
        return self.finding(_location(ctx, pipeline), message, scope=pipeline.name, snippet=pipeline.kind)


class UnownedPipeline(_PipelineRule):
    """
    ## What it does
    Flags an ML pipeline that nobody owns: no CODEOWNERS entry covers its files, and none of
    its authors is still active.

    ML pipelines are DVC stages, Kedro pipelines, Airflow DAGs, and entry scripts and
    notebooks that build, train or load a model. An entry script has an
    `if __name__ == "__main__":` guard, or does its work at module level and is imported by no
    other module of the repository (`python train.py` with the loop at the top). Authors are decided by degree of authorship
    from git history; an author is inactive after `active-months` (default 12) without a
    commit, counted back from HEAD's date.

    A pipeline's files are the ones it runs: its entry file and every repository module that
    entry imports. A DVC stage whose command runs no Python file of the repository is known by
    its dvc.yaml. A pipeline none of whose files is committed yet is not judged.

    ## Why is this bad?
    Nobody will notice when it breaks, and nobody can say why it works the way it does: who
    debugs this in six months? Nobody, today. Models keep running long after their authors
    have moved on, and their behaviour drifts with the data they read.

    ## Example
    `train.py` was written by a developer whose last commit is two years old, and CODEOWNERS
    says nothing about it:
    ```
    # CODEOWNERS
    /src/prepare.py @data-eng
    ```

    ## Use instead
    Give the pipeline an owner in CODEOWNERS, and have someone still on the team take over
    its code:
    ```
    /src/prepare.py @data-eng
    /train.py       @ml-team
    ```

    ## Options
    Activity and authorship are configured in `[tool.mldebt.history]`: `active-months`,
    `bots`, `include`, `exclude`.

    ## References
    - Avelino et al., "A Novel Approach for Estimating Truck Factors", ICPC 2016
    - GitHub: About code owners
    """

    code = "MLD401"
    name = "unowned-pipeline"
    category = Category.UNOWNED_PIPELINE
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pipeline in _ml_pipelines(_report(ctx)):
            if not pipeline.unowned:
                continue
            who = (
                f"its authors ({', '.join(pipeline.authors)}) are inactive"
                if pipeline.authors
                else "nobody in the history authored its code"
            )
            yield self.pipeline_finding(
                ctx, pipeline, f"{_label(pipeline)} has no owner: no CODEOWNERS entry, and {who}"
            )


class LowBusFactor(_PipelineRule):
    """
    ## What it does
    Flags an ML pipeline whose knowledge sits with one author: its bus factor is 1, so
    taking that one developer away leaves most of its files without an author. Reported as an
    error when that author is already inactive, as a warning otherwise.

    Bus factor is the truck factor (Avelino et al.) over the pipeline's files: the fewest
    developers whose departure leaves more than half of the files without an author, each
    file's authors decided by degree of authorship.

    ## Why is this bad?
    Model and pipeline code encodes decisions (features, thresholds, data fixes) that are
    written down nowhere else. When its only author leaves, the knowledge goes too; when they
    already have, it is gone.

    ## Example
    `train.py` and the `features.py` it imports were created and changed by one developer
    only; two others fixed a typo each.

    ## Use instead
    Pair on the pipeline, have its changes reviewed across the team, document its decisions,
    and let a second person make a real change to it.

    ## Options
    Activity and authorship are configured in `[tool.mldebt.history]`: `active-months`,
    `bots`, `include`, `exclude`.

    ## References
    - Avelino et al., "A Novel Approach for Estimating Truck Factors", ICPC 2016
    - Fritz et al., "A degree-of-knowledge model to capture source code familiarity", ICSE 2010
    """

    code = "MLD402"
    name = "low-bus-factor"
    category = Category.LOW_BUS_FACTOR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = _report(ctx)
        for pipeline in _ml_pipelines(report):
            if pipeline.bus_factor != 1 or not pipeline.bus_factor_authors:
                continue
            author = pipeline.bus_factor_authors[0]
            gone = report is not None and not report.is_active(author)
            finding = self.pipeline_finding(
                ctx,
                pipeline,
                f"{_label(pipeline)} has bus factor 1: without {author}"
                + (" (no longer active)" if gone else "")
                + " most of its code has no author",
            )
            yield replace(finding, severity=Severity.ERROR) if gone else finding


class ComplexityOwnershipRisk(_PipelineRule):
    """
    ## What it does
    Flags an ML pipeline whose model complexity outruns its ownership: its risk score is at
    or above `threshold`. The message shows the parts of the score.

    Complexity is summed over the files the pipeline runs:

    - estimators: 1 per library model constructed, 2 for an ensemble (forest, boosting,
      bagging, voting, stacking); wrappers (Pipeline, GridSearchCV, ...) count nothing
      themselves; the repository's own network classes count under networks;
    - networks: per model class defined (torch `nn.Module`, LightningModule, keras `Model`,
      ...), 2 + 0.5 per method + its lines / 50, a proxy for depth and width;
    - hyperparameters: 0.25 per keyword argument set where a model is constructed, and per
      Kedro parameter (`params:...`) a node takes;
    - features: 0.1 per distinct input column the code names: selected from a data frame
      (`df[["age", "income"]]`), listed under a name like `FEATURES` or `numeric_cols`, passed
      as `usecols=`, `columns=`, `features=`, `categorical_feature=` and kin, or given to a
      ColumnTransformer;
    - data: 0.5 per distinct data target read or written, and per Kedro dataset a node takes
      or gives; 0.25 per dynamic one;
    - control: the cyclomatic complexity beyond 1 of every function in files that construct,
      fit or train a model, summed, divided by 5.

    Risk divides complexity by the people who can answer for it, and weighs it by how long the
    code has gone untouched:
    ```
    risk = complexity / (1 + active authors + (1 if CODEOWNERS names an owner))
           * (1 + 0.5 * min(1, days since the last change / 365))
    ```

    ## Why is this bad?
    A complex model that few people understand is the one that fails silently, and that
    nobody can retrain or debug when it does. Complexity is debt (Sculley et al.); ownership
    decides who pays it.

    ## Example
    A voting ensemble of a random forest and gradient boosting with tuned hyperparameters,
    reading four datasets, whose only author left a year ago: complexity 10, risk 15.

    ## Use instead
    Spread the knowledge (an owner in CODEOWNERS, a second active author), or simplify the
    model: a single well-tuned estimator often does as well as the ensemble.

    ## Options
    - `threshold` (number, default `4.0`): the lowest risk reported.

    ## References
    - Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015
    - McCabe, "A Complexity Measure", IEEE TSE 1976
    """

    code = "MLD403"
    name = "complexity-ownership-risk"
    category = Category.COMPLEXITY_OWNERSHIP_RISK
    options = {"threshold": 4.0}

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        threshold = float(ctx.options.get("threshold", 4.0))
        for pipeline in _ml_pipelines(_report(ctx)):
            if pipeline.risk < threshold:
                continue
            parts = ", ".join(f"{k} {v:g}" for k, v in pipeline.complexity_parts.items() if v)
            owners = f"CODEOWNERS {', '.join(pipeline.codeowners)}" if pipeline.codeowners else "no CODEOWNERS"
            yield self.pipeline_finding(
                ctx,
                pipeline,
                f"{_label(pipeline)}: risk {pipeline.risk:g} (complexity {pipeline.complexity:g}: {parts}; "
                f"{len(pipeline.active_authors)} active author(s), {owners})",
            )
