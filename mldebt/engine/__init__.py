"""The one place that wires the pieces together:

discover -> extract facts (cached, parallel) -> declarations -> graph -> rules -> suppress
-> fingerprint -> baseline and --new-since -> RunResult.

Each stage is a module of this package: analysis (discovery to graph), extraction (facts and
their cache), run (rules, then suppression and fingerprints), revision (--new-since). `check`
only composes them and returns what it found; it changes nothing it was given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mldebt.baseline import Baseline, load_baseline, split
from mldebt.engine.analysis import Analysis, CheckOptions, UsageError, analyse, report_filter
from mldebt.engine.revision import RevisionError, fingerprints_at
from mldebt.engine.run import RuleHistory, repository_findings
from mldebt.findings import Finding, RunResult, Summary
from mldebt.metrics.debt import debt_score
from mldebt.rules import is_preview
from mldebt.targets import TargetKind

__all__ = [
    "Analysis",
    "BaselineUse",
    "CheckOptions",
    "CheckOutcome",
    "RevisionError",
    "UsageError",
    "analyse",
    "check",
    "report_filter",
]


@dataclass(frozen=True)
class BaselineUse:
    """The baseline a check compared against, for --update-baseline and --fail-on-increase."""

    baseline: Baseline
    # As the command line gave it, or as the configuration did (relative to the root).
    path: Path
    # From the configuration: it must stay inside the repository, and is written there.
    configured: bool


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found: the RunResult renderers see, and what the baseline commands need."""

    result: RunResult
    analysis: Analysis
    # Every finding of the repository before baseline, --new-since and PATHS filtering, preview
    # rules' left out: what a baseline records.
    findings: tuple[Finding, ...]
    baseline: BaselineUse | None = None


def check(start: Path, options: CheckOptions) -> CheckOutcome:
    """Run the whole check of the repository containing ``start``."""
    mined = RuleHistory()
    analysis = analyse(start, options, meanwhile=mined.plan)
    found = repository_findings(analysis, options.debug, mined)
    kept = found.reported
    # Preview rules' findings are reported, but stay out of baselines and the debt score.
    stable = tuple(f for f in kept if not is_preview(f.code))
    total_debt = debt_score(stable)
    known = fixed = 0
    used: BaselineUse | None = None
    baseline_path, configured = options.baseline, False
    if baseline_path is None and analysis.settings.baseline:
        # A baseline the configuration names is relative to the root and must stay inside it.
        baseline_path, configured = Path(analysis.settings.baseline), True
    if baseline_path is not None and options.use_baseline:
        baseline = load_baseline(baseline_path, analysis.root, configured=configured)
        parts = split(kept, baseline)
        kept = list(parts.new)
        known += len(parts.known)
        fixed = sum(e.count for e in parts.fixed)
        used = BaselineUse(baseline, baseline_path, configured)
    if options.new_since:
        before = fingerprints_at(analysis.root, options.new_since, options, analysis.store, mined.judged_on())
        fresh: list[Finding] = []
        for finding in kept:
            if before[finding.fingerprint] > 0:
                before[finding.fingerprint] -= 1
                known += 1
            else:
                fresh.append(finding)
        kept = fresh
    reported = report_filter(analysis.root, options.paths)
    kept = [f for f in kept if reported(f.location.path)]
    suppressed = [f for f in found.suppressed if reported(f.location.path)]
    accesses = analysis.graph.accesses
    summary = Summary(
        files_analyzed=len(analysis.facts),
        files_with_errors=sum(1 for f in analysis.facts.values() if f.problems),
        data_accesses=len(accesses),
        dynamic_targets=sum(1 for a in accesses if a.target.kind is TargetKind.DYNAMIC),
        findings=len(kept),
        suppressed=len(suppressed),
        known=known,
        fixed=fixed,
        debt_score=total_debt,
        by_code=dict(Counter(f.code for f in kept)),
    )
    notes = [*analysis.notes, *found.notes]
    # Read last: the past revision's entries are read from the same store.
    if analysis.store is not None and analysis.store.rejected:
        notes.append(analysis.store.rejection_note())
    result = RunResult(
        findings=tuple(sorted(kept, key=lambda f: f.sort_key)),
        summary=summary,
        suppressed=tuple(suppressed),
        notes=tuple(notes),
        internal_errors=tuple(found.internal_errors),
    )
    return CheckOutcome(result, analysis, stable, used)
