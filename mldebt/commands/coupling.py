"""`mldebt coupling`: the files that keep changing together, as code-maat's coupling analysis
reports them (mldebt.history.coupling has the definitions).

Mines the history of the repository containing ``start`` (cached as `check` and `ownership`
cache it) and reports the coupled pairs among its files at HEAD that the ownership filter
keeps (`[tool.mldebt.history]` include and exclude: code files by default). Thresholds come
from the command line, else from `[tool.mldebt.history]`, else code-maat's defaults. A change-set
cap other than the cached history's mines the history again.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from mldebt.cachestore import CacheStore
from mldebt.commands import EXIT_CLEAN, error, reporting_errors
from mldebt.config import HistorySettings, load_settings
from mldebt.discovery import NoWorkTree, find_root
from mldebt.escaping import json_text, printable, printable_line
from mldebt.history import NoHistory, mine_history, select_files
from mldebt.history.coupling import Coupling, coupling
from mldebt.report.output import write_report
from mldebt.rules import rule_options

FORMATS = ("text", "json")
_COLUMNS = ("entity", "coupled", "degree", "average-revs", "entity-revs", "coupled-revs", "shared-revs")


@dataclass(frozen=True)
class Thresholds:
    """code-maat's options; None takes `[tool.mldebt.history]`'s value."""

    min_revs: int | None = None
    min_shared_revs: int | None = None
    min_coupling: int | None = None
    max_coupling: int | None = None
    max_changeset_size: int | None = None

    def resolved(self, settings: HistorySettings) -> dict[str, int]:
        return {
            name: getattr(settings, name) if value is None else value
            for name, value in vars(self).items()
        }


def render(results: Sequence[Coupling], thresholds: dict[str, int], fmt: str) -> str:
    """The coupled pairs as an aligned table (text) or a JSON document with the thresholds."""
    if fmt == "json":
        document = {"thresholds": thresholds, "couplings": [result.to_json() for result in results]}
        return json_text(document, indent=2) + "\n"
    rows = [_COLUMNS] + [
        (printable(r.entity), printable(r.coupled), *map(str, (r.degree, r.average_revs, r.entity_revs, r.coupled_revs, r.shared_revs)))
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def run_coupling(
    start: Path,
    fmt: str,
    output: Path | None,
    thresholds: Thresholds,
    use_cache: bool,
    *,
    config: Path | None = None,
    cache_dir: Path | None = None,
) -> int:
    """Run `mldebt coupling` on the repository containing ``start``; returns the exit code: 0,
    or 2 with a message on stderr (no git history, a bad configuration, an unwritable output)."""
    if fmt not in FORMATS:
        return error(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not start.exists():
        return error(f"{start}: no such file or directory")

    def report_coupling() -> int:
        try:
            root = find_root(start)
        except NoWorkTree as exc:
            return error(str(exc))
        settings = load_settings(root, rule_options(), config).history
        chosen = thresholds.resolved(settings)
        store = CacheStore.open(root, cache_dir) if use_cache else None
        try:
            history = mine_history(
                root, store, bots=settings.bots, aliases=dict(settings.aliases),
                max_changeset_size=chosen["max_changeset_size"],
            )
        except NoHistory as exc:
            return error(f"coupling needs git history: {exc}")
        for warning in history.warnings:
            print(printable_line(f"mldebt: warning: {warning}"), file=sys.stderr)
        files = select_files(history.files, settings.include, settings.exclude)
        results = coupling(
            history.co_changes, files=files,
            **{name: value for name, value in chosen.items() if name != "max_changeset_size"},
        )
        write_report(render(results, chosen, fmt), output, root)
        click.echo(
            f"{len(results)} coupled pair{'s' if len(results) != 1 else ''} among {len(files)} files, "
            f"over commits of at most {chosen['max_changeset_size']} files",
            err=True,
        )
        return EXIT_CLEAN

    return reporting_errors(report_coupling)
