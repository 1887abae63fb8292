"""MLD401: an ML pipeline that nobody owns."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Severity
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.rules.ownership import FIT, PipelineRule, commit, label, ml_pipelines, report_of


class UnownedPipeline(PipelineRule):
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

    People are merged across spellings of their names and e-mails (`mldebt ownership
    --identities` shows how, `[tool.mldebt.history] aliases` overrides it). Bots author
    nothing. Machine identities (`root` or `ubuntu` at a cloud host, `localhost` e-mails) may be
    anyone: a pipeline they wrote in part is not reported, since they may be an active
    developer's, and the ownership report lists where they wrote code.

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
    VALID = [
        Valid({}, history=(
            commit("Old Timer", "2022-01-10", {"train.py": FIT, "CODEOWNERS": "/train.py @ml-team\n"}),
            commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
        )),
        # Its author is still active.
        Valid({}, history=(commit("Ann Active", "2025-01-15", {"train.py": FIT}),)),
    ]
    INVALID = [
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="script `train.py` has no owner: no CODEOWNERS entry, and its authors (Old Timer) are inactive",
            history=(
                commit("Old Timer", "2022-01-10", {"train.py": FIT}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pipeline in ml_pipelines(report_of(ctx)):
            if not pipeline.unowned:
                continue
            who = (
                f"its authors ({', '.join(pipeline.authors)}) are inactive"
                if pipeline.authors
                else "nobody in the history authored its code"
            )
            yield self.pipeline_finding(
                ctx, pipeline, f"{label(pipeline)} has no owner: no CODEOWNERS entry, and {who}"
            )
