"""MLD4xx: pipelines nobody owns, knowledge held by one person, complexity beyond ownership.

These rules read the ownership report (`ctx.ownership`: git history and CODEOWNERS, built by
mldebt.ownership.build); without git history the engine skips them with one note, and they
yield nothing when the report is absent. Their examples carry the git history to build.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mldebt.demo.history import Commit
from mldebt.findings import Finding, Location
from mldebt.ownership.model import SHARED_CODE, OwnershipReport, PipelineOwnership
from mldebt.parse.facts import Span, locate
from mldebt.rules.base import Rule, RuleContext

# The examples' histories: a model trained by someone long gone, HEAD a recent commit.
FIT = (
    "from sklearn.linear_model import LogisticRegression\n\n"
    "if __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
)


def commit(author: str, date: str, files: dict[str, str]) -> Commit:
    """A commit of ``files`` by ``author`` (a first and last name) at noon UTC on ``date``."""
    email = f"{author.split()[0].lower()}@example.org"
    return Commit(author, email, f"{date}T12:00:00+00:00", f"work by {author}", files)


# train.py, written by Old Timer (six commits in 2021), kept up by Ann: three small commits in
# the last year make her its maintainer, not an author.
MAINTAINED = (
    *(commit("Old Timer", f"2021-0{month}-10", {"train.py": FIT + "\n" * month}) for month in range(1, 7)),
    *(commit("Ann Active", f"2024-1{month}-15", {"train.py": FIT + "\n" * (9 + month)}) for month in range(3)),
)


# This many pipelines resting on one developer, or orphaned by the same departures, are one fact:
# one finding (MLD401, MLD402).
MANY = 3


def report_of(ctx: RuleContext) -> OwnershipReport | None:
    report = ctx.ownership
    return report if isinstance(report, OwnershipReport) else None


def ml_pipelines(report: OwnershipReport | None) -> Iterator[PipelineOwnership]:
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


def label(pipeline: PipelineOwnership) -> str:
    """How a message names a pipeline: `script `train.py``, `dvc-stage `train``, or shared code
    with its modules and how many pipelines run it."""
    if pipeline.kind != SHARED_CODE:
        return f"{pipeline.kind} `{pipeline.name}`"
    if pipeline.own_files == (pipeline.name,):
        return f"shared module `{pipeline.name}` (run by {pipeline.shared_by} pipelines)"
    names = [path.rpartition("/")[2] for path in pipeline.own_files]
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"shared code in `{pipeline.name}` ({listed}; run by {pipeline.shared_by} pipelines)"


class PipelineRule(Rule):
    """A rule that judges each ML pipeline of the ownership report."""

    needs_history = True

    def pipeline_finding(
        self, ctx: RuleContext, pipeline: PipelineOwnership, message: str, related: tuple[Location, ...] = ()
    ) -> Finding:
        # The pipeline's name and kind identify the finding; neither moves with line numbers.
        return self.finding(
            _location(ctx, pipeline), message, scope=pipeline.name, snippet=pipeline.kind, related=related
        )

    def grouped_finding(self, ctx: RuleContext, pipelines: Sequence[PipelineOwnership], what: str) -> Finding:
        """One finding for one fact about several ``pipelines`` (riskiest first): at the
        riskiest, the others its related locations."""
        riskiest, rest = pipelines[0], pipelines[1:]
        return self.pipeline_finding(
            ctx, riskiest,
            f"{what}, the riskiest {label(riskiest)} (`mldebt ownership` lists them)",
            related=tuple(_location(ctx, p) for p in rest),
        )

    @staticmethod
    def location_of(ctx: RuleContext, pipeline: PipelineOwnership) -> Location:
        return _location(ctx, pipeline)
