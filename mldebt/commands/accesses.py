"""`mldebt accesses`: every data read and write the analysis found, with the target it resolved.

For a person checking what mldebt understood: which files and tables each line touches, which
manifest declares them, and which targets stayed dynamic (`--dynamic`), the ones the summary
of `mldebt check` only counts. Sorted by place; text (one line each, like findings) or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from mldebt.commands import EXIT_CLEAN, reporting_errors
from mldebt.engine import Analysis, CheckOptions, analyse, report_filter
from mldebt.escaping import json_text, printable_line
from mldebt.graph import Classification, DataAccess
from mldebt.report.output import write_report
from mldebt.targets import TargetKind

FORMATS = ("text", "json")


def run_accesses(paths: Sequence[Path], dynamic_only: bool, fmt: str, output: Path | None, options: CheckOptions) -> int:
    """List the accesses in ``paths`` of the repository containing the first of them (default:
    the current directory); their number goes to stderr."""

    def list_accesses() -> int:
        analysis = analyse(paths[0] if paths else Path.cwd(), options)
        found = accesses_of(analysis, paths, dynamic_only)
        write_report(render_accesses(found, fmt), output, analysis.root)
        click.echo(f"{len(found)} data access{'es' if len(found) != 1 else ''}", err=True)
        return EXIT_CLEAN

    return reporting_errors(list_accesses)


def accesses_of(
    analysis: Analysis, paths: Sequence[Path], dynamic_only: bool
) -> list[tuple[DataAccess, Classification]]:
    """The accesses in the files under ``paths`` (all when empty), in source order, each with
    what the graph decided it is."""
    reported = report_filter(analysis.root, paths)
    found = [
        (a, c) for a, c in analysis.graph.classified()
        if reported(a.path) and (not dynamic_only or a.target.kind is TargetKind.DYNAMIC)
    ]
    return sorted(found, key=lambda ac: ac[0].place)


# What the graph decided an access is that no manifest declares, as the listing says it
# (mldebt.graph.classify); MLD101 reports only the undeclared.
_STATUS_WORDS = {
    "system": "system path or local service, not data",
    "outside": "outside the repository",
    "unanchored": "outside the repository when run from the root",
    "empty": "the working directory",
    "code": "source read as text, not data",
    "config": "configuration, not data",
    "tooling": "read by tests, docs or packaging, not data",
    "scratch": "the pipeline's own scratch",
    "figure": "a figure or document for people",
    "consumer-read": "undeclared, written by another pipeline",
    "named": "known by name to a hub or registry",
}


def render_accesses(accesses: Sequence[tuple[DataAccess, Classification]], fmt: str) -> str:
    rows = []
    for access, what in accesses:
        loc = access.location
        target = access.target
        # As MLD101 decides: code that DVC stages run must find the target among their own.
        covering, elsewhere = what.declaration, what.elsewhere
        rows.append({
            "path": access.path, "cell": loc.cell, "line": loc.line, "column": loc.column,
            "direction": access.direction, "api": access.access.api,
            "target": None if target.kind is TargetKind.DYNAMIC else target.value, "kind": target.kind.value,
            "declared_in": f"{covering.source}:{covering.line}" if covering else None,
            "declared_by_another_stage": f"{elsewhere.source}:{elsewhere.line}" if elsewhere else None,
            "status": what.status.value,
            "snippet": access.access.snippet,
        })
    if fmt == "json":
        return json_text(rows, indent=2) + "\n"
    lines = []
    for row in rows:
        cell = f"cell {row['cell']}:" if row["cell"] is not None else ""
        where = f"{row['path']}:{cell}{row['line']}:{row['column']}"
        if row["target"] is None:
            # What the code says is the only clue to why the target is not known.
            lines.append(f"{where}: {row['direction']} <dynamic> ({row['api']}): {row['snippet']}")
        else:
            if row["declared_in"]:
                declared = f", declared in {row['declared_in']}"
            elif row["declared_by_another_stage"]:
                declared = f", undeclared by its stage; another stage declares it in {row['declared_by_another_stage']}"
            else:
                declared = ", " + _STATUS_WORDS.get(row["status"], "undeclared")
            lines.append(f"{where}: {row['direction']} {row['target']} ({row['api']}{declared})")
    return "".join(printable_line(line) + "\n" for line in lines)
