"""`mldebt baseline`: record the current findings as accepted debt."""

from __future__ import annotations

from pathlib import Path

import click

from mldebt import __version__
from mldebt.baseline import build_baseline, dump_baseline
from mldebt.commands import EXIT_CLEAN, reporting_errors
from mldebt.engine import CheckOptions, check
from mldebt.escaping import printable_line
from mldebt.report.output import write_report

DEFAULT_BASELINE = ".mldebt-baseline.json"


def run_baseline(start: Path, output: Path | None, options: CheckOptions) -> int:
    """Write the baseline of the repository containing ``start`` to ``output``, else where its
    configuration says (inside the repository), else to DEFAULT_BASELINE at its root."""

    def record() -> int:
        outcome = check(start, options)
        target = output or Path(outcome.analysis.settings.baseline or DEFAULT_BASELINE)
        baseline = build_baseline(outcome.findings, outcome.result.summary.debt_score)
        write_report(dump_baseline(baseline, __version__), target, outcome.analysis.root, configured=output is None)
        click.echo(printable_line(f"mldebt: wrote {len(outcome.findings)} findings to {target}"), err=True)
        return EXIT_CLEAN

    return reporting_errors(record)
