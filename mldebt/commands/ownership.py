"""`mldebt ownership`: who knows the code, who of them is still around, and which complex
pipelines nobody owns.

Analyses the repository and mines its history meanwhile (a directory without git fails before
any file is parsed), builds the report and renders it: text (a compact summary),
json (the contract of OwnershipReport.to_json), markdown or html. The report goes to stdout or
``output``; progress, warnings and errors go to stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from mldebt.cachestore import CacheStore
from mldebt.commands import EXIT_CLEAN, error, reporting_errors
from mldebt.config import Settings
from mldebt.engine import CheckOptions, analyse
from mldebt.escaping import json_text, printable_line
from mldebt.history import History, NoHistory
from mldebt.ownership.build import build_ownership, history_options, mine_configured, parse_as_of
from mldebt.ownership.model import OwnershipReport
from mldebt.report.output import write_report

FORMATS = ("text", "json", "markdown", "html")


def render(report: OwnershipReport, fmt: str, identities: bool = False) -> str:
    """The report in one of FORMATS; with ``identities``, only who is who (text or json)."""
    if identities:
        from mldebt.report.ownership_md import render_identities_text

        if fmt == "json":
            return json_text({"developers": [group.to_json() for group in report.identities]}, indent=2) + "\n"
        return render_identities_text(report)
    if fmt == "json":
        return json_text(report.to_json(), indent=2) + "\n"
    if fmt == "html":
        from mldebt.report.ownership_html import render_ownership_html

        return render_ownership_html(report)
    from mldebt.report.ownership_md import render_ownership_markdown, render_ownership_text

    if fmt == "markdown":
        return render_ownership_markdown(report)
    if fmt == "text":
        return render_ownership_text(report)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


class Progress:
    """A live commit counter on one stderr line while a long history is mined, shown only to a
    person watching a terminal. (The total is not known without a second pass over the log.)"""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, commits: int) -> None:
        elapsed = time.monotonic() - self.started
        rate = commits / elapsed if elapsed > 0 else 0.0
        self.stream.write(f"\rmining history: {commits:,} commits ({rate:,.0f}/s)\x1b[K")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _progress(stream: TextIO) -> Progress | None:
    return Progress(stream) if stream.isatty() else None


def run_ownership(
    start: Path,
    fmt: str,
    output: Path | None,
    as_of: str | None,
    use_cache: bool,
    *,
    config: Path | None = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    identities: bool = False,
) -> int:
    """Run `mldebt ownership` on the repository containing ``start``; returns the exit code:
    0, or 2 with a message on stderr (no git history, a bad --as-of, a bad configuration, an
    unwritable output). With ``identities`` the output is who is who instead: the developers
    merged from several identities, the bots and the machines, and why (text or json)."""
    if fmt not in FORMATS:
        return error(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if identities and fmt not in ("text", "json"):
        return error(f"--identities prints text or json, not {fmt}")
    if not start.exists():
        return error(f"{start}: no such file or directory")
    try:
        moment = parse_as_of(as_of) if as_of is not None else None
    except ValueError as exc:
        return error(str(exc))
    progress = _progress(sys.stderr)
    mined: list[History] = []

    def mine(root: Path, settings: Settings, store: CacheStore | None) -> Callable[[], None]:
        return lambda: mined.append(mine_configured(root, settings.history, store, progress))

    options = CheckOptions(config=config, jobs=jobs, use_cache=use_cache, cache_dir=cache_dir)

    def report_ownership() -> int:
        try:
            # The history is mined while worker processes parse; without git, before any parsing.
            analysis = analyse(start, options, meanwhile=mine)
        except NoHistory as exc:
            return error(f"ownership needs git history: {exc}")
        finally:
            if progress is not None:
                progress.done()
        report = build_ownership(
            analysis.root, analysis.graph, analysis.facts, cache=None, as_of=moment, history=mined[0],
            **history_options(analysis.settings.history),
        )
        for warning in report.warnings:
            print(printable_line(f"mldebt: warning: {warning}"), file=sys.stderr)
        if analysis.store is not None and analysis.store.rejected:
            print(printable_line(f"mldebt: note: {analysis.store.rejection_note()}"), file=sys.stderr)
        write_report(render(report, fmt, identities), output, analysis.root)
        return EXIT_CLEAN

    return reporting_errors(report_ownership)
