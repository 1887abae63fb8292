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
            history=(commit("Ann Active", "2025-01-15", {"train.py": FIT}),),
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = report_of(ctx)
        for pipeline in ml_pipelines(report):
            if pipeline.bus_factor != 1 or not pipeline.bus_factor_authors:
                continue
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
