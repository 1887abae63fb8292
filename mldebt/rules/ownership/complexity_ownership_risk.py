"""MLD403: an ML pipeline whose model complexity outruns its ownership."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from mldebt.config import Number, RuleOptions, option
from mldebt.findings import Category, Finding
from mldebt.metrics.ranking import kept_before_the_drop
from mldebt.ownership.model import PipelineOwnership
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.rules.ownership import FIT, PipelineRule, commit, label, ml_pipelines, report_of

# A voting ensemble of a forest and boosting, with tuned hyperparameters.
_ENSEMBLE = """\
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, VotingClassifier

if __name__ == "__main__":
    frame = pd.read_csv("data/train.csv")
    model = VotingClassifier([("rf", RandomForestClassifier(n_estimators=500, max_depth=8)),
                              ("gb", GradientBoostingClassifier(learning_rate=0.05, n_estimators=300))])
    model.fit(frame.drop(columns="y"), frame["y"])
"""


class ComplexityOwnershipRisk(PipelineRule):
    """
    ## What it does
    Flags the ML pipelines whose model complexity stands out in their own repository and
    whose ownership is weak, and says what to do. A pipeline is reported when

    - its complexity is at least `spread` times the median complexity of the repository's ML
      pipelines (with fewer than three to compare, this test is skipped);
    - exactly one person or team can answer for it: active authors and maintainers, plus one
      when CODEOWNERS names an owner (authors as `[tool.mldebt.history] authorship-model`
      decides them). A pipeline nobody answers for is MLD401's;
    - someone else is there to share it: another developer of the repository committed code
      in the activity window (in a repository one person keeps, there is nobody to name);
    - its risk (below) is at least `threshold`;
    - and it is above the point where the ranking drops off: of the pipelines that pass, sorted
      by risk, those before the largest fall (a next risk below 1/1.5 of the one before) are
      kept, as CodeScene cuts its hotspots. With no such fall, all are kept.

    Shared code (modules three or more pipelines import, one unit per directory) is ranked as a
    pipeline of its own, once, not again in each pipeline that runs it. Notebooks that no
    pipeline runs and whose outputs nothing reads (tutorials, explorations) rank below every
    other pipeline: they are compared only in a repository that has nothing else. A pipeline
    machine identities wrote most of is not reported: who could answer for it nobody can say.

    This is a preview rule. Tried as a new user would on fifteen public repositories (trial 13,
    before the two conditions on who answers for it), a maintainer would have acted on 1 of its
    14 findings: the rest sat beside MLD401's finding for the same pipeline, named the only
    developer of the repository, or counted alternatives behind a configuration switch as one
    ensemble. The ranking stays in `mldebt ownership`.

    Complexity is summed over the pipeline's own files:

    - estimators: 1 per kind of library model constructed (built twice, it counts once), 2
      for an ensemble (forest, boosting, bagging, voting, stacking); wrappers (Pipeline, GridSearchCV, ...) count nothing
      themselves; the repository's own network classes count under networks;
    - networks: per model class defined (torch `nn.Module`, LightningModule, keras `Model`,
      ...), 2 + 0.5 per method + its lines / 50, a proxy for depth and width;
    - hyperparameters: 0.25 per keyword argument set where a model is constructed (where it
      is given the most, for a model built again), and per Kedro parameter (`params:...`) a
      node takes;
    - features: 0.1 per distinct input column the code names: selected from a data frame
      (`df[["age", "income"]]`), listed under a name like `FEATURES` or `numeric_cols`, passed
      as `usecols=`, `columns=`, `features=`, `categorical_feature=` and kin, or given to a
      ColumnTransformer;
    - data: 0.5 per distinct data target read or written (the targets of one call, such as a
      loop over a literal list of file names, count once), and per Kedro dataset a node takes
      or gives; 0.25 per dynamic one;
    - control: the cyclomatic complexity beyond 1 of every function in files that construct,
      fit or train a model, summed, divided by 5.

    Risk divides complexity by the people who can answer for it, and weighs it by how long the
    code has gone untouched:
    ```
    risk = complexity / (1 + active authors and maintainers + (1 if CODEOWNERS names an owner))
           * (1 + 0.5 * min(1, days since the last change / 365))
    ```

    ## Why is this bad?
    A complex model that few people understand is the one that fails silently, and that
    nobody can retrain or debug when it does. Complexity is debt (Sculley et al.); ownership
    decides who pays it.

    ## Example
    A voting ensemble of a random forest and gradient boosting with tuned hyperparameters,
    whose only author left a year ago, beside two simple scoring scripts.

    ## Use instead
    Spread the knowledge (an owner in CODEOWNERS, a second developer on its changes), and
    simplify or document what makes it complex: the message says which part dominates. A
    single well-tuned estimator often does as well as the ensemble.

    ## References
    - Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015
    - McCabe, "A Complexity Measure", IEEE TSE 1976
    - Tornhill, "Your Code as a Crime Scene" (hotspots), 2015
    """

    code = "MLD403"
    name = "complexity-ownership-risk"
    category = Category.COMPLEXITY_OWNERSHIP_RISK
    preview = True

    @dataclass(frozen=True)
    class Options(RuleOptions):
        threshold: float = option(Number(4.0, doc="the lowest risk reported."))
        spread: float = option(
            Number(
                2.0, minimum=0,
                doc="how many times the median complexity of the repository's ML pipelines a reported one has (0: any).",
            )
        )

    VALID = [
        Valid({}, history=(commit("Ann Active", "2025-01-15", {"train.py": FIT}),)),
        # As complex as the repository's other pipelines: nothing stands out.
        Valid({}, history=(
            commit("Old Timer", "2022-01-10", {"train.py": _ENSEMBLE, "retrain.py": _ENSEMBLE, "tune.py": _ENSEMBLE}),
            commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
        )),
        # Nobody answers for it: MLD401 reports it.
        Valid({}, history=(
            commit("Old Timer", "2022-01-10", {"train.py": _ENSEMBLE, "score.py": FIT, "predict.py": FIT}),
            commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
        )),
        # Ann keeps the whole repository: there is nobody else to name.
        Valid({}, history=(
            commit("Ann Active", "2024-01-10", {"train.py": _ENSEMBLE, "score.py": FIT, "predict.py": FIT}),
            commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
        )),
    ]
    INVALID = [
        # Ann alone knows the ensemble, untouched for a year; Bob keeps the scoring scripts.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message=(
                "script `train.py`: risk 5.7, complexity 7.6, 7.6x the median of the repository's 3 ML pipelines "
                "(estimators 6, hyperparameters 1, features 0.1, data 0.5); 1 active author or maintainer (Ann Active), "
                "no CODEOWNERS: have a second developer take part in it, name its owners in CODEOWNERS, and document "
                "the model and its choices"
            ),
            history=(
                commit("Ann Active", "2024-01-10", {"train.py": _ENSEMBLE}),
                commit("Bob Builder", "2025-01-10", {"score.py": FIT, "predict.py": FIT}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        ),
        # Only one pipeline: no distribution to compare with, the threshold alone decides.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message=(
                "script `train.py`: risk 5.7, complexity 7.6 (estimators 6, hyperparameters 1, features 0.1, data 0.5); "
                "1 active author or maintainer (Ann Active), no CODEOWNERS: have a second developer take part in it, "
                "name its owners in CODEOWNERS, and document the model and its choices"
            ),
            history=(
                commit("Ann Active", "2024-01-10", {"train.py": _ENSEMBLE}),
                commit("Bob Builder", "2025-01-10", {"lib.py": "RATE = 0.2\n"}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.options
        assert isinstance(options, self.Options)
        report = report_of(ctx)
        units = list(ml_pipelines(report))
        # Tutorials and explorations are compared only where there is nothing else.
        pool = [p for p in units if not p.exploratory] or units
        median = statistics.median(p.complexity for p in pool) if len(pool) >= _COMPARABLE else None
        active = {name for name in report.coders if report.is_active(name)} if report is not None else set()
        candidates = sorted(
            (
                p for p in pool
                if p.risk >= options.threshold
                and p.ownership == 1
                and not p.unowned
                and active - set(p.caretakers)
                and p.attributable
                and (median is None or p.complexity >= options.spread * median)
            ),
            key=lambda p: (-p.risk, p.name, p.source),
        )
        for pipeline in _before_the_drop(candidates):
            yield self.pipeline_finding(ctx, pipeline, self._message(pipeline, median, len(pool)))

    @staticmethod
    def _message(pipeline: PipelineOwnership, median: float | None, compared: int) -> str:
        parts = ", ".join(f"{k} {v:g}" for k, v in pipeline.complexity_parts.items() if v)
        spread = (
            f", {pipeline.complexity / median:.1f}x the median of the repository's {compared} ML pipelines"
            if median else ""
        )
        people = pipeline.caretakers
        who = f"1 active author or maintainer ({people[0]})" if people else "no active author or maintainer"
        owners = f"CODEOWNERS {', '.join(pipeline.codeowners)}" if pipeline.codeowners else "no CODEOWNERS"
        advice = "have a second developer take part in it" + ("" if pipeline.codeowners else ", name its owners in CODEOWNERS")
        return (
            f"{label(pipeline)}: risk {pipeline.risk:g}, complexity {pipeline.complexity:g}{spread} ({parts}); "
            f"{who}, {owners}: {advice}, and {_simplify(pipeline.complexity_parts)}"
        )


# Fewer ML pipelines than this give no distribution to compare one with.
_COMPARABLE = 3
def _before_the_drop(ranked: list[PipelineOwnership]) -> list[PipelineOwnership]:
    """The pipelines before the largest fall in risk (mldebt.metrics.ranking)."""
    return ranked[: kept_before_the_drop([p.risk for p in ranked])]


def _simplify(parts: dict[str, float]) -> str:
    """What to do about the part of the complexity that dominates."""
    largest = max(parts, key=lambda k: parts[k]) if parts else ""
    if largest == "control":
        return "split its training code into smaller functions"
    if largest in ("data", "features"):
        return "declare and document the data it reads and writes"
    return "document the model and its choices"
