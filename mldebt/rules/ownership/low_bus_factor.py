"""MLD402: an ML pipeline whose knowledge sits with one author."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mldebt.findings import Category, Finding, Severity
from mldebt.ownership.model import OwnershipReport, PipelineOwnership
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.rules.ownership import FIT, MAINTAINED, PipelineRule, commit, label, ml_pipelines, report_of

_FEATURES = """\
def clean(frame):
    frame = frame.dropna()
    frame = frame[frame.age > 0]
    frame["income"] = frame.income.clip(0)
    return frame
"""


# Ann's two pipelines, the riskier train.py.
_ANNS = {"train.py": FIT.replace("LogisticRegression()", "LogisticRegression(C=0.5, max_iter=50)"), "score.py": FIT}
# This many pipelines resting on the repository's one-person truck factor are one finding.
_MANY = 3


class LowBusFactor(PipelineRule):
    """
    ## What it does
    Flags an ML pipeline whose knowledge sits with one author, or has left with its authors:

    - its bus factor is 1, so taking that one developer away leaves most of its code without
      an author (an error when that author is already inactive, a warning otherwise);
    - its authors have left, and the developers who keep it up (its maintainers, or the team
      CODEOWNERS names) did not write it: "maintained by X, Y; written by Z, who left" (an
      error).

    A pipeline that nobody owns or maintains at all is MLD401's, not reported here too. In a
    repository whose code only one person ever committed to (whoever else fixed its README),
    every pipeline has bus factor 1: that is one finding, at the riskiest pipeline, with the
    others as related locations (`mldebt ownership` lists them all). So are three or more
    pipelines that rest on the one developer who is the repository's truck factor, whoever
    else wrote the other pipelines: the thing to fix is that one person holds the repository's
    knowledge.

    Bus factor is the truck factor (Avelino et al.) over the pipeline's own code: the fewest
    developers whose departure leaves more than half of it, by lines, without an author, each
    file's authors decided by degree of authorship. A pipeline's own code is its entry and the
    modules at most two pipelines import; modules more pipelines share are judged once, as the
    shared code of their directory. A thin launcher (a script that only starts another
    pipeline's entry) is part of the pipeline it launches, and none of its own code.

    ## Why is this bad?
    Model and pipeline code encodes decisions (features, thresholds, data fixes) that are
    written down nowhere else. When its only author leaves, the knowledge goes too; when they
    already have, it is gone, and whoever maintains the code is changing what they did not write.

    ## Example
    `train.py` and the `features.py` it imports were created and changed by one developer
    only; two others fixed a typo each.

    ## Use instead
    Pair on the pipeline, have its changes reviewed across the team, document its decisions,
    and let a second person make a real change to it.

    ## Options
    Activity and authorship are configured in `[tool.mldebt.history]`: `active-months`,
    `maintainer-commits`, `bots`, `include`, `exclude`, `aliases`, and `authorship-model`:
    `"reference"` (the default) decides who authors a file as Avelino et al.'s tool does,
    `"creator"` keeps whoever created it among its authors, whatever the others changed since,
    and counts the creation against the others' changes.

    ## References
    - Avelino et al., "A Novel Approach for Estimating Truck Factors", ICPC 2016
    - Fritz et al., "A degree-of-knowledge model to capture source code familiarity", ICSE 2010
    """

    code = "MLD402"
    name = "low-bus-factor"
    category = Category.LOW_BUS_FACTOR
    VALID = [
        # Two authors, half of the code each: without either, half of it still has its author.
        Valid({}, history=(
            commit("Ann Active", "2025-01-10", {"train.py": "from features import clean\n" + FIT}),
            commit("Bob Active", "2025-01-15", {"features.py": _FEATURES}),
        )),
    ]
    INVALID = [
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="script `train.py` has bus factor 1: without Ann Active most of its code has no author",
            history=(commit("Ann Active", "2025-01-15", {"train.py": FIT}), commit("Bob Active", "2025-01-16", {"README.md": "x\n"})),
        ),
        # A repository with one author: one finding, at the riskiest pipeline, not one per script.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="every ML pipeline has bus factor 1: the whole history has one author, Ann Active; "
            "2 pipelines, the riskiest script `train.py` (`mldebt ownership` lists them)",
            history=(commit("Ann Active", "2025-01-15", _ANNS),),
        ),
        # Bob's one fix to the README does not make it a team's repository.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="every ML pipeline has bus factor 1: only Ann Active ever committed to the code; "
            "2 pipelines, the riskiest script `train.py` (`mldebt ownership` lists them)",
            history=(commit("Ann Active", "2025-01-15", _ANNS), commit("Bob Active", "2025-01-16", {"README.md": "typo\n"})),
        ),
        # Three of Ann's pipelines, in a repository whose truck factor is Ann alone: one finding.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="3 ML pipelines have bus factor 1, all of them Ann Active's, who alone is the repository's "
            "truck factor, the riskiest script `train.py` (`mldebt ownership` lists them)",
            history=(
                commit("Ann Active", "2025-01-10", {**_ANNS, "tune.py": FIT}),
                commit("Bob Active", "2025-01-15", {"clean.py": _FEATURES}),
            ),
        ),
        # Old Timer wrote it and left; Ann keeps it up, three commits in the last year.
        Invalid(
            {},
            path="train.py", line=1, column=1,
            message="script `train.py` is maintained by Ann Active, but its authors have left (Old Timer): "
            "most of its code has no active author",
            history=MAINTAINED,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = report_of(ctx)
        if report is None:
            return
        judged = [p for p in ml_pipelines(report) if not p.unowned]
        alone = [p for p in judged if p.bus_factor == 1 and p.bus_factor_authors and p.active_bus_factor]
        left = [p for p in judged if p.authors and not p.active_bus_factor]
        # The pipelines that rest on the one developer who holds the repository's knowledge are
        # one finding: the person who ever committed to the code, or the one-person truck factor.
        sole = report.coders[0] if len(report.coders) == 1 else (
            report.truck_factor_authors[0] if len(report.truck_factor_authors) == 1 else None
        )
        theirs = [p for p in alone if p.bus_factor_authors[0] == sole]
        if len(theirs) >= (2 if report.coders == (sole,) else _MANY):
            yield self._one_developer(ctx, report, theirs)
            alone = [p for p in alone if p not in theirs]
        for pipeline in alone:
            yield self.pipeline_finding(
                ctx, pipeline,
                f"{label(pipeline)} has bus factor 1: without {pipeline.bus_factor_authors[0]} most of its code has no author",
            )
        for pipeline in left:
            yield replace(self.pipeline_finding(ctx, pipeline, self._left(pipeline)), severity=Severity.ERROR)

    def _one_developer(self, ctx: RuleContext, report: OwnershipReport, alone: list[PipelineOwnership]) -> Finding:
        """One finding for the one thing to fix: one developer holds every pipeline's knowledge."""
        author = alone[0].bus_factor_authors[0]
        riskiest, rest = alone[0], alone[1:]
        if len(report.authors) == 1:
            what = f"every ML pipeline has bus factor 1: the whole history has one author, {author}; {len(alone)} pipelines"
        elif report.coders == (author,):
            what = f"every ML pipeline has bus factor 1: only {author} ever committed to the code; {len(alone)} pipelines"
        else:
            what = (
                f"{len(alone)} ML pipelines have bus factor 1, all of them {author}'s, who alone is the repository's "
                "truck factor"
            )
        finding = self.pipeline_finding(
            ctx, riskiest,
            f"{what}, the riskiest {label(riskiest)} (`mldebt ownership` lists them)",
            related=tuple(self.location_of(ctx, p) for p in rest),
        )
        return finding

    @staticmethod
    def _left(pipeline: PipelineOwnership) -> str:
        gone = ", ".join(a for a in pipeline.authors if a not in pipeline.active_authors)
        if pipeline.bus_factor == 1 and not pipeline.maintainers:
            return (
                f"{label(pipeline)} has bus factor 1: without {pipeline.bus_factor_authors[0]} (no longer active) "
                "most of its code has no author"
            )
        keepers = [f"owned by {', '.join(pipeline.codeowners)}"] if pipeline.codeowners else []
        if pipeline.maintainers:
            keepers.append(f"maintained by {', '.join(pipeline.maintainers)}")
        return (
            f"{label(pipeline)} is {' and '.join(keepers)}, but its authors have left ({gone}): "
            "most of its code has no active author"
        )
