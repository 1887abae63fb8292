"""MLD403: an ML pipeline whose model complexity outruns its ownership."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mldebt.config import Number, RuleOptions, option
from mldebt.findings import Category, Finding
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

    ## References
    - Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015
    - McCabe, "A Complexity Measure", IEEE TSE 1976
    """

    code = "MLD403"
    name = "complexity-ownership-risk"
    category = Category.COMPLEXITY_OWNERSHIP_RISK

    @dataclass(frozen=True)
    class Options(RuleOptions):
        threshold: float = option(Number(4.0, doc="the lowest risk reported."))

    VALID = [Valid({}, history=(commit("Ann Active", "2025-01-15", {"train.py": FIT}),))]
    INVALID = [
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message=(
                "script `train.py`: risk 11.4 (complexity 7.6: estimators 6, hyperparameters 1, features 0.1, data 0.5; "
                "0 active author(s), no CODEOWNERS)"
            ),
            history=(
                commit("Old Timer", "2022-01-10", {"train.py": _ENSEMBLE}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.options
        assert isinstance(options, self.Options)
        for pipeline in ml_pipelines(report_of(ctx)):
            if pipeline.risk < options.threshold:
                continue
            parts = ", ".join(f"{k} {v:g}" for k, v in pipeline.complexity_parts.items() if v)
            owners = f"CODEOWNERS {', '.join(pipeline.codeowners)}" if pipeline.codeowners else "no CODEOWNERS"
            yield self.pipeline_finding(
                ctx,
                pipeline,
                f"{label(pipeline)}: risk {pipeline.risk:g} (complexity {pipeline.complexity:g}: {parts}; "
                f"{len(pipeline.active_authors)} active author(s), {owners})",
            )
