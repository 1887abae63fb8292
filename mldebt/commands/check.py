"""`mldebt check`: the findings, rendered in the format asked for, the summary on stderr, the
baseline kept (--update-baseline) or guarded (--fail-on-increase), and the file rules' fixes
applied (--fix) or shown (--diff)."""

from __future__ import annotations

from pathlib import Path

import click

from mldebt import __version__
from mldebt.baseline import dump_baseline, shrink
from mldebt.commands import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, error, reporting_errors
from mldebt.engine import CheckOptions, CheckOutcome, check
from mldebt.escaping import printable_line
from mldebt.findings import RunResult
from mldebt.report.output import write_report
from mldebt.rules import all_rules

FORMATS = ["text", "json", "sarif", "github"]


def render(result: RunResult, fmt: str) -> str:
    """The findings in one of FORMATS."""
    if fmt == "json":
        from mldebt.report.json import render_json

        return render_json(result, __version__)
    if fmt == "sarif":
        from mldebt.report.sarif import render_sarif

        return render_sarif(result, [rule.meta() for rule in all_rules()], __version__)
    if fmt == "github":
        from mldebt.report.github import render_github

        return render_github(result)
    from mldebt.report.text import render_text

    return render_text(result)


# How many times `--fix` applies the fixes and checks again, at most.
MAX_FIX_PASSES = 10


def run_check(
    start: Path,
    options: CheckOptions,
    fmt: str,
    output: Path | None,
    exit_zero: bool,
    statistics: bool,
    update_baseline: bool = False,
    fail_on_increase: bool = False,
    fix: bool = False,
    diff: bool = False,
) -> int:
    """Check the repository containing ``start``; returns the exit status. ``diff`` prints the
    fixes instead of the findings (exit 1 when there are some); ``fix`` applies them, then
    checks again and reports what is left."""

    def run() -> int:
        outcome = check(start, options)
        if diff or fix:
            from mldebt.engine.fix import plan_fixes, unified_diff, write_fixes

            fixes = plan_fixes(outcome.analysis, outcome.result.findings)
            notes = list(fixes.notes)
            if diff:
                for note in notes:
                    click.echo(printable_line(f"mldebt: note: {note}"), err=True)
                write_report(unified_diff(fixes), output, outcome.analysis.root)
                return EXIT_FINDINGS if fixes.files else EXIT_CLEAN
            # As ruff does: fixes whose nodes overlap wait for the next pass, on the fixed code,
            # until none is left or the passes run out.
            found, changed, passes = 0, set(), 0
            while fixes.files and passes < MAX_FIX_PASSES:
                notes.extend(write_fixes(outcome.analysis, fixes))
                found, passes = found + fixes.fixed, passes + 1
                changed.update(file.path for file in fixes.files)
                outcome = check(start, options)
                fixes = plan_fixes(outcome.analysis, outcome.result.findings)
            if fixes.files:
                notes.append(f"fixes did not settle after {MAX_FIX_PASSES} passes; {fixes.fixed} left")
            for note in notes:
                click.echo(printable_line(f"mldebt: note: {note}"), err=True)
            if changed:
                files = len(changed)
                click.echo(f"mldebt: fixed {found} finding{'s' * (found != 1)} in {files} file{'s' * (files != 1)}", err=True)
        return _report(outcome, fmt, output, exit_zero, statistics, update_baseline, fail_on_increase)

    return reporting_errors(run)


def _report(
    outcome: CheckOutcome, fmt: str, output: Path | None, exit_zero: bool, statistics: bool,
    update_baseline: bool, fail_on_increase: bool,
) -> int:
    from mldebt.report.text import render_statistics, render_summary

    result, root, used = outcome.result, outcome.analysis.root, outcome.baseline
    for note in result.notes:
        click.echo(printable_line(f"mldebt: note: {note}"), err=True)
    write_report(render_statistics(result) if statistics and fmt == "text" else render(result, fmt), output, root)
    click.echo(render_summary(result), err=True, nl=False)
    if result.internal_errors:
        for problem in result.internal_errors:
            # A traceback keeps its lines; an exception's text may quote the repository.
            click.echo("\n".join(map(printable_line, f"mldebt: internal error: {problem}".split("\n"))), err=True)
        return EXIT_ERROR
    if (update_baseline or fail_on_increase) and used is None:
        return error("--update-baseline and --fail-on-increase need a baseline (--baseline FILE or `baseline` in [tool.mldebt])")
    increased = False
    if used is not None:
        if update_baseline:
            shrunk = shrink(used.baseline, outcome.findings, result.summary.debt_score)
            write_report(dump_baseline(shrunk, __version__), used.path, root, configured=used.configured)
            click.echo(printable_line(f"mldebt: baseline {used.path}: {len(used.baseline.entries) - len(shrunk.entries)} entries removed"), err=True)
        if fail_on_increase and result.summary.debt_score > used.baseline.debt_score:
            click.echo(f"mldebt: debt score rose from {used.baseline.debt_score:g} to {result.summary.debt_score:g}", err=True)
            increased = True
    # The ratchet is asked for explicitly, so --exit-zero does not silence it.
    if increased or (result.findings and not exit_zero):
        return EXIT_FINDINGS
    return EXIT_CLEAN
