"""ruff-style text: `path:line:col: CODE message`, `path:cell N:line:col:` in notebooks."""

from __future__ import annotations

from collections import Counter

from mldebt.escaping import printable_line
from mldebt.findings import Finding, RunResult


def format_location(finding: Finding) -> str:
    loc = finding.location
    cell = f"cell {loc.cell}:" if loc.cell is not None else ""
    return f"{loc.path}:{cell}{loc.line}:{loc.column}"


def render_text(result: RunResult) -> str:
    """The findings, one per line, for stdout; a path or message cannot break its line or
    control the terminal (mldebt.escaping)."""
    return "".join(printable_line(f"{format_location(f)}: {f.code} {f.message}") + "\n" for f in result.findings)


def render_statistics(result: RunResult) -> str:
    """Count per code, most frequent first, like `ruff check --statistics`."""
    counts = Counter((f.code, f.name) for f in result.findings)
    return "".join(
        f"{count:>5}\t{code}\t{name}\n" for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def render_summary(result: RunResult) -> str:
    """One or two lines for stderr: what was found and what could not be known."""
    s = result.summary
    if s.findings:
        codes = ", ".join(f"{n} {code}" for code, n in sorted(s.by_code.items()))
        head = f"Found {s.findings} finding{'s' if s.findings != 1 else ''} ({codes})"
    else:
        head = "No findings"
    parts = [f"{head} in {s.files_analyzed} file{'s' if s.files_analyzed != 1 else ''}."]
    if s.data_accesses:
        parts.append(
            f"{s.data_accesses} data access{'es' if s.data_accesses != 1 else ''}, "
            f"{s.dynamic_targets} with a target not known statically"
            + (" (`mldebt accesses --dynamic` lists them)." if s.dynamic_targets else ".")
        )
    if s.suppressed:
        parts.append(f"{s.suppressed} suppressed.")
    if s.debt_score:
        parts.append(f"Debt score {s.debt_score:g}.")
    if s.known or s.fixed:
        parts.append(f"{s.known} known finding{'s' if s.known != 1 else ''} not reported, {s.fixed} fixed.")
    return " ".join(parts) + "\n"
