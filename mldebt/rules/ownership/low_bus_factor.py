"""MLD402: an ML pipeline whose knowledge sits with one author."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mldebt.findings import Category, Finding, Severity
from mldebt.rules.base import Invalid, RuleContext, Valid
from mldebt.rules.ownership import FIT, PipelineRule, commit, label, ml_pipelines, report_of


class LowBusFactor(PipelineRule):
    """
    ## What it does
    Flags an ML pipeline whose knowledge sits with one author: its bus factor is 1, so
    taking that one developer away leaves most of its files without an author. Reported as an
    error when that author is already inactive, as a warning otherwise. In a repository whose
    whole history has one author, every pipeline has bus factor 1: that is one finding, at the
    riskiest pipeline (`mldebt ownership` lists them all).

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
    VALID = [
        # Two authors, one file each: without either, half of the code still has its author.
        Valid({}, history=(
            commit("Ann Active", "2025-01-10", {"train.py": "from features import clean\n" + FIT}),
            commit("Bob Active", "2025-01-15", {"features.py": "def clean(x):\n    return x\n"}),
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
            history=(commit("Ann Active", "2025-01-15", {
                "train.py": FIT.replace("LogisticRegression()", "LogisticRegression(C=0.5, max_iter=50)"), "score.py": FIT,
            }),),
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = report_of(ctx)
        flagged = [p for p in ml_pipelines(report) if p.bus_factor == 1 and p.bus_factor_authors]
        if report is not None and len(flagged) > 1 and len(report.authors) == 1:
            # One finding for the one thing to fix: the repository has a single author.
            author = report.authors[0].name
            riskiest = flagged[0]
            finding = self.pipeline_finding(
                ctx,
                riskiest,
                f"every ML pipeline has bus factor 1: the whole history has one author, {author}"
                + ("" if report.is_active(author) else " (no longer active)")
                + f"; {len(flagged)} pipelines, the riskiest {label(riskiest)} (`mldebt ownership` lists them)",
            )
            yield finding if report.is_active(author) else replace(finding, severity=Severity.ERROR)
            return
        for pipeline in flagged:
            author = pipeline.bus_factor_authors[0]
            gone = report is not None and not report.is_active(author)
            finding = self.pipeline_finding(
                ctx,
                pipeline,
                f"{label(pipeline)} has bus factor 1: without {author}"
                + (" (no longer active)" if gone else "")
                + " most of its code has no author",
            )
            yield replace(finding, severity=Severity.ERROR) if gone else finding
