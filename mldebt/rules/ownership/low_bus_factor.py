"""MLD402: an ML pipeline whose knowledge sits with one author."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mldebt.findings import Category, Finding, Severity
from mldebt.ownership.model import OwnershipReport, PipelineOwnership
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.rules.ownership import FIT, MAINTAINED, MANY, PipelineRule, commit, label, ml_pipelines, report_of

_FEATURES = """\
def clean(frame):
    frame = frame.dropna()
    frame = frame[frame.age > 0]
    frame["income"] = frame.income.clip(0)
    return frame
"""


# Ann's two pipelines, the riskier train.py.
_ANNS = {"train.py": FIT.replace("LogisticRegression()", "LogisticRegression(C=0.5, max_iter=50)"), "score.py": FIT}


class LowBusFactor(PipelineRule):
    """
    ## What it does
    Flags an ML pipeline whose knowledge sits with one author, or has left with its authors:

    - its bus factor is 1, so taking that one developer away leaves most of its code without
      an author (an error when that author is already inactive, a warning otherwise);
    - its authors have left, and the developers who keep it up (its maintainers, or the team
      CODEOWNERS names) did not write it: "maintained by X, Y; written by Z, who left" (an
      error).

    A pipeline that nobody owns or maintains at all is MLD401's, not reported here too. Code
    only machine identities (`ubuntu` at a cloud host) author is set aside: it may be anyone's,
    and a notebook a machine committed most of is nobody's that can be told, whoever wrote the
    helper it imports. In a
    repository whose code only one person ever committed to (whoever else fixed its README),
    every pipeline has bus factor 1: that is one finding, at the riskiest pipeline, with the
    others as related locations (`mldebt ownership` lists them all). So are three or more
    pipelines that rest on one developer, whoever wrote the other pipelines and whoever the
    repository's truck factor is: the thing to fix is that one person holds their knowledge.
    Three or more pipelines whose authors have left and that only the same CODEOWNERS owners
    keep (a catch-all `* @lead`) are one finding too: those owners carry them all.

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
        # Three pipelines by authors long gone, which only the catch-all owner keeps.
        Invalid(
            {},
            path="a.py", line=1, column=1,
            message="3 ML pipelines are owned by @lead, but their authors have left (Old Timer, Sam Gone): most of "
            "their code has no active author, the riskiest script `a.py` (`mldebt ownership` lists them)",
            history=(
                commit("Old Timer", "2021-01-10", {"a.py": FIT, "b.py": FIT}),
                commit("Sam Gone", "2021-02-10", {"c.py": FIT}),
                commit("Ann Active", "2025-01-15", {"CODEOWNERS": "* @lead\n"}),
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
        # Code a machine identity wrote most of is nobody's that can be told (`attributable`).
        judged = [p for p in ml_pipelines(report) if not p.unowned and p.attributable]
        alone = [p for p in judged if p.bus_factor == 1 and p.bus_factor_authors and p.active_bus_factor]
        # Orphaned by departures: code nobody in the history authors is not knowledge that left.
        left = [p for p in judged if p.bus_factor and not p.active_bus_factor]
        # The pipelines that rest on one developer are one finding, at the riskiest: two or more
        # when that developer is the only one who ever committed to the code, MANY or more
        # whoever they are (the truck factor, one of it, or neither).
        resting: dict[str, list[PipelineOwnership]] = {}
        for pipeline in alone:
            resting.setdefault(pipeline.bus_factor_authors[0], []).append(pipeline)
        for author, theirs in resting.items():
            if len(theirs) >= (2 if report.coders == (author,) else MANY):
                yield self._one_developer(ctx, report, theirs)
                alone = [p for p in alone if p not in theirs]
        for pipeline in alone:
            yield self.pipeline_finding(
                ctx, pipeline,
                f"{label(pipeline)} has bus factor 1: without {pipeline.bus_factor_authors[0]} most of its code has no author",
            )
        # Many pipelines whose authors left, kept by the same CODEOWNERS owners and nobody else
        # (a catch-all `* @lead`): one thing to know, that those owners carry them all.
        kept: dict[tuple[str, ...], list[PipelineOwnership]] = {}
        for pipeline in left:
            if pipeline.codeowners and not pipeline.maintainers:
                kept.setdefault(pipeline.codeowners, []).append(pipeline)
        for owners, theirs in kept.items():
            if len(theirs) >= MANY:
                gone = sorted({a for p in theirs for a in p.authors if a not in p.active_authors})
                names = ", ".join(gone[:3]) + (f" and {len(gone) - 3} more" if len(gone) > 3 else "")
                what = (
                    f"{len(theirs)} ML pipelines are owned by {', '.join(owners)}, but their authors have left "
                    f"({names}): most of their code has no active author"
                )
                yield replace(self.grouped_finding(ctx, theirs, what), severity=Severity.ERROR)
                left = [p for p in left if p not in theirs]
        for pipeline in left:
            yield replace(self.pipeline_finding(ctx, pipeline, self._left(pipeline)), severity=Severity.ERROR)

    def _one_developer(self, ctx: RuleContext, report: OwnershipReport, alone: list[PipelineOwnership]) -> Finding:
        """One finding for the one thing to fix: one developer holds every pipeline's knowledge."""
        author = alone[0].bus_factor_authors[0]
        if len(report.authors) == 1:
            what = f"every ML pipeline has bus factor 1: the whole history has one author, {author}; {len(alone)} pipelines"
        elif report.coders == (author,):
            what = f"every ML pipeline has bus factor 1: only {author} ever committed to the code; {len(alone)} pipelines"
        elif report.truck_factor_authors == (author,):
            what = (
                f"{len(alone)} ML pipelines have bus factor 1, all of them {author}'s, who alone is the repository's "
                "truck factor"
            )
        elif author in report.truck_factor_authors:
            what = (
                f"{len(alone)} ML pipelines have bus factor 1, all of them {author}'s, one of the repository's truck "
                f"factor of {report.truck_factor} ({', '.join(report.truck_factor_authors)})"
            )
        else:
            what = f"{len(alone)} ML pipelines have bus factor 1, all of them {author}'s"
        return self.grouped_finding(ctx, alone, what)

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
        if not keepers:
            # Not unowned (MLD401) only because machine identities, who may be anyone, wrote part of it.
            return (
                f"{label(pipeline)} has no active author: its authors have left ({gone}), and machine identities "
                f"wrote part of its code ({', '.join(pipeline.unattributable)})"
            )
        return (
            f"{label(pipeline)} is {' and '.join(keepers)}, but its authors have left ({gone}): "
            "most of its code has no active author"
        )
