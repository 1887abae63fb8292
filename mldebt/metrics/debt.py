"""The total debt score: one number per run, so a team can ratchet it down.

Each finding weighs its category's weight times its severity's multiplier. The weights say
how much a finding of that kind costs a team that has to live with it, relative to an
undeclared data dependency (1.0): a hidden coupling between pipelines costs more, a file the
analysis could not read costs little debt (it is a tooling problem, not a design one).
"""

from __future__ import annotations

from collections.abc import Iterable

from mldebt.findings import Category, Finding, Severity

CATEGORY_WEIGHTS: dict[Category, float] = {
    Category.ANALYSIS_ERROR: 0.5,
    Category.UNDECLARED_DATA_DEPENDENCY: 1.0,
    Category.UNSTABLE_DATA_DEPENDENCY: 2.0,
    Category.UNDECLARED_CONSUMER: 3.0,
    Category.UNDERUTILIZED_DATA_DEPENDENCY: 1.0,
    Category.CACE_HOTSPOT: 3.0,
    Category.GLUE_CODE: 1.0,
    Category.PIPELINE_JUNGLE: 2.0,
    Category.DEAD_EXPERIMENTAL_CODEPATH: 1.0,
    Category.CONFIGURATION_DEBT: 1.0,
    Category.PROTOTYPE_SMELL: 1.0,
    Category.MULTIPLE_LANGUAGE_SMELL: 0.5,
    Category.UNOWNED_PIPELINE: 4.0,
    Category.LOW_BUS_FACTOR: 2.0,
    Category.COMPLEXITY_OWNERSHIP_RISK: 3.0,
    Category.ML_CODE_SMELL: 0.5,
}
SEVERITY_MULTIPLIERS: dict[Severity, float] = {Severity.ERROR: 2.0, Severity.WARNING: 1.0, Severity.INFO: 0.25}


def debt_score(findings: Iterable[Finding]) -> float:
    total = sum(CATEGORY_WEIGHTS[f.category] * SEVERITY_MULTIPLIERS[f.severity] for f in findings)
    return round(total, 2)
