"""MLD401: an ML pipeline that nobody owns."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Severity
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.ownership.model import PipelineOwnership
from mldebt.rules.ownership import FIT, MAINTAINED, MANY, PipelineRule, commit, label, ml_pipelines, report_of


class UnownedPipeline(PipelineRule):
    """
    ## What it does
    Flags an ML pipeline that nobody owns: no CODEOWNERS entry covers its files, nobody
    maintains it, and most of its code has no author who is still active.

    ML pipelines are DVC stages, Kedro pipelines, Airflow DAGs, and the console scripts
    (`[project.scripts]`, setup.py `console_scripts`), entry scripts and notebooks that build,
    train or load a model; a stage whose command runs the project's console script runs its
    module. An entry script has an
    `if __name__ == "__main__":` guard, or does its work at module level and is imported by no
    other module of the repository (`python train.py` with the loop at the top). Authors are decided by degree of authorship
    from git history; an author is inactive after `active-months` (default 12) without a
    commit, counted back from HEAD's date.

    A pipeline is judged on its own code: its entry file and the repository modules that it,
    or at most one other pipeline, imports. Modules that three or more pipelines import are
    shared code, judged once as a unit of their directory (`shared-code utils/`), not again in
    every pipeline that runs them. A DVC stage whose command runs no Python file of the
    repository is known by its dvc.yaml. A pipeline none of whose files is committed yet is not
    judged. A thin launcher, a script that does no work of its own and only starts another
    pipeline's entry (`run/train/train.py` calling `train/train.py`'s `main()` for a cluster
    submitter), is part of the pipeline it launches, not a second one, and none of its own
    code: whoever wrote the launcher does not own the training.

    "Most of its code" is weighed by lines: an active developer who wrote the ten-line
    constants module of a pipeline does not own its training script. A maintainer is a
    developer with at least `maintainer-commits` (default 3) commits to the pipeline's own
    files within the activity window: a pipeline its authors left but that a maintainer keeps
    up is not unowned; MLD402 reports the knowledge that left with its authors.

    People are merged across spellings of their names and e-mails (`mldebt ownership
    --identities` shows how, `[tool.mldebt.history] aliases` overrides it). Bots author
    nothing. Machine identities (`root` or `ubuntu` at a cloud host, `localhost` e-mails) may be
    anyone: a pipeline they wrote in part is not reported, since they may be an active
    developer's, one they wrote most of is judged by no MLD4xx rule, and the ownership report
    lists where they wrote code.

    The pipelines that the same developers orphaned are one finding, at the riskiest, the
    others related (`mldebt ownership` lists them all): three or more, or two or more when those
    developers are the only ones who ever committed to the code. One departure is one thing to
    fix: one CODEOWNERS line, or one hand-over.

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
    `maintainer-commits`, `bots`, `include`, `exclude`, `aliases`, and `authorship-model`:
    `"reference"` (the default) decides who authors a file as Avelino et al.'s tool does,
    `"creator"` keeps whoever created it among its authors, whatever the others changed since,
    and counts the creation against the others' changes.

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
        # Its author left, but Ann keeps it up: three commits in the last year (MLD402 says so).
        Valid({}, history=MAINTAINED),
    ]
    INVALID = [
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="script `train.py` has no owner: no CODEOWNERS entry, no maintainer, and its authors (Old Timer) are inactive",
            history=(
                commit("Old Timer", "2022-01-10", {"train.py": FIT}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        ),
        # Old Timer wrote all three pipelines and left: one fact, one finding.
        Invalid(
            {},
            path="score.py", line=1, column=1,
            message="3 ML pipelines have no owner: no CODEOWNERS entry, no maintainer, and the only author of the "
            "code, Old Timer, is inactive, the riskiest script `score.py` (`mldebt ownership` lists them)",
            history=(
                commit("Old Timer", "2022-01-10", {"train.py": FIT, "score.py": FIT, "tune.py": FIT}),
                commit("Ann Active", "2025-01-15", {"README.md": "# churn\n"}),
            ),
        ),
        # Ann, still active, wrote the two-line module it imports: most of its code is Old Timer's.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="script `train.py` has no owner: no CODEOWNERS entry, no maintainer, and 71% of its code "
            "is by authors who are inactive (Old Timer); Ann Active wrote the rest",
            history=(
                commit("Old Timer", "2022-01-10", {"train.py": "from seed import SEED\n" + FIT}),
                commit("Ann Active", "2025-01-15", {"seed.py": "SEED = 0\nN_JOBS = 2\n"}),
            ),
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = report_of(ctx)
        unowned = [p for p in ml_pipelines(report) if p.unowned]
        # The pipelines the same departed developers orphaned are one fact, one finding: two or
        # more when they are the only one who ever committed to the code, _MANY or more otherwise.
        orphaned_by: dict[tuple[str, ...], list[PipelineOwnership]] = {}
        for pipeline in unowned:
            if pipeline.bus_factor_authors:
                orphaned_by.setdefault(pipeline.bus_factor_authors, []).append(pipeline)
        grouped: list[PipelineOwnership] = []
        for authors, theirs in orphaned_by.items():
            alone = report is not None and report.coders == authors
            if len(theirs) >= (2 if alone else MANY):
                grouped += theirs
                yield self.grouped_finding(ctx, theirs, self._group(authors, len(theirs), alone))
        for pipeline in unowned:
            if pipeline not in grouped:
                message = f"{label(pipeline)} has no owner: {_NOBODY}, and {self._who(pipeline)}"
                yield self.pipeline_finding(ctx, pipeline, message)

    @staticmethod
    def _group(authors: tuple[str, ...], count: int, alone: bool) -> str:
        names = ", ".join(authors)
        if alone:
            return (
                f"{count} ML pipelines have no owner: {_NOBODY}, and the only author of the code, {names}, "
                "is inactive"
            )
        whose = f"{names}, who {'is' if len(authors) == 1 else 'are'} inactive"
        return f"{count} ML pipelines have no owner: {_NOBODY}, and most of their code is by {whose}"

    @staticmethod
    def _who(pipeline: PipelineOwnership) -> str:
        gone = tuple(a for a in pipeline.authors if a not in pipeline.active_authors)
        if not pipeline.authors:
            return "nobody in the history authored its code"
        if not pipeline.active_authors:
            return f"its authors ({', '.join(pipeline.authors)}) are inactive"
        if not gone:  # what no active developer wrote has no author at all (a bot's, say)
            return (
                f"{pipeline.orphaned_share:.0%} of its code has no author in the history; "
                f"{', '.join(pipeline.active_authors)} wrote the rest"
            )
        return (
            f"{pipeline.orphaned_share:.0%} of its code is by authors who are inactive ({', '.join(gone)}); "
            f"{', '.join(pipeline.active_authors)} wrote the rest"
        )


_NOBODY = "no CODEOWNERS entry, no maintainer"
