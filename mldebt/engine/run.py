"""The selected rules run on an analysis, and what becomes of their findings: suppressed,
fingerprinted, and silenced by `per-file-ignores`.

A rule that raises is mldebt's bug: its traceback is recorded and the other rules still run
(exit 2 at the end); with --debug it is raised. History is mined only when a selected rule
needs it, and a repository without history skips those rules with one note.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from mldebt.cachestore import CacheStore
from mldebt.config import Settings
from mldebt.engine.analysis import Analysis
from mldebt.engine.fingerprints import fingerprinted
from mldebt.engine.suppression import apply_suppressions, per_file_ignored
from mldebt.findings import Finding
from mldebt.ownership.model import OwnershipReport
from mldebt.rules import all_rules
from mldebt.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from mldebt.history import History


def selected_rules(settings: Settings) -> list[Rule]:
    return [rule() for rule in all_rules() if settings.is_selected(rule.code, rule.preview)]


@dataclass
class RuleHistory:
    """The history the MLD4xx rules need, mined only when one of them is selected: `plan` is
    `analyse`'s ``meanwhile``, so that git log runs while worker processes parse.

    For a past revision (`--new-since`), ``revision`` is its commit and ``root`` the repository
    whose history it is (the revision's files lie in a temporary directory, in no repository);
    ``as_of`` is the current run's date, so that both judge activity on the same day."""

    history: History | None = None
    problem: str | None = None
    revision: str = "HEAD"
    root: Path | None = None
    as_of: datetime | None = None

    def plan(self, root: Path, settings: Settings, store: CacheStore | None) -> Callable[[], None] | None:
        if not any(rule.needs_history for rule in selected_rules(settings)):
            return None
        return lambda: self.mine(root, settings, store)

    def mine(self, root: Path, settings: Settings, store: CacheStore | None) -> None:
        from mldebt.history import NoHistory
        from mldebt.ownership.build import mine_configured

        try:
            self.history = mine_configured(self.root or root, settings.history, store, revision=self.revision)
        except NoHistory as exc:
            self.problem = str(exc)

    def judged_on(self) -> datetime | None:
        """The date activity is judged on: ``as_of``, else the history's HEAD date."""
        if self.as_of is not None or self.history is None:
            return self.as_of
        return datetime.fromtimestamp(self.history.head_time, timezone.utc)


@dataclass(frozen=True)
class RepositoryFindings:
    """Every finding of one analysed repository, before a baseline or --new-since filters it."""

    reported: list[Finding]
    suppressed: list[Finding]
    internal_errors: list[str]
    # What the history-based rules could not do, or what mining the history warned of.
    notes: list[str]


def _ownership(analysis: Analysis, mined: RuleHistory, notes: list[str]) -> OwnershipReport | None:
    """The ownership report for history-based rules, or None (with a note) without history."""
    from mldebt.ownership.build import build_ownership, history_options

    if mined.history is None and mined.problem is None:
        mined.mine(analysis.root, analysis.settings, analysis.store)
    if mined.history is None:
        notes.append(f"history-based rules (MLD4xx) skipped: {mined.problem}")
        return None
    report = build_ownership(
        analysis.root, analysis.graph, analysis.facts, cache=None, history=mined.history, as_of=mined.as_of,
        **history_options(analysis.settings.history),
    )
    # A shallow clone or an unwritable cache: said once, with the other notes.
    notes.extend(f"history: {warning}" for warning in report.warnings)
    return report


def _run_rules(
    analysis: Analysis, rules: Sequence[Rule], debug: bool, mined: RuleHistory, notes: list[str]
) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    errors: list[str] = []
    ownership = _ownership(analysis, mined, notes) if any(r.needs_history for r in rules) else None
    for rule in rules:
        if rule.needs_history and ownership is None:
            continue
        options = analysis.settings.rules.get(rule.name, rule.Options())
        ctx = RuleContext(
            analysis.facts, analysis.graph, analysis.declarations, options, ownership,
            mined.history if ownership is not None else None,
        )
        try:
            findings.extend(rule.check(ctx))
        except Exception:
            if debug:
                raise
            errors.append(f"rule {rule.code} ({rule.name}) crashed:\n{traceback.format_exc()}")
        errors.extend(
            f"rule {rule.code} ({rule.name}) crashed on {path}, whose findings of it are missing: {crash.error}"
            for path, file in sorted(analysis.facts.items())
            for crash in file.crashes
            if crash.code == rule.code
        )
    return findings, errors


def repository_findings(analysis: Analysis, debug: bool, mined: RuleHistory) -> RepositoryFindings:
    """The findings of the selected rules on ``analysis``, fingerprinted, with the suppressed
    ones apart."""
    settings = analysis.settings
    notes: list[str] = []
    findings, internal_errors = _run_rules(analysis, selected_rules(settings), debug, mined, notes)
    kept, suppressed = apply_suppressions(findings, analysis.facts, settings)
    # One numbering for both, so that adding a suppression does not renumber the others.
    numbered = fingerprinted([*kept, *suppressed])
    kept, suppressed = numbered[: len(kept)], numbered[len(kept) :]
    ignored = per_file_ignored(settings)
    kept = [f for f in kept if not ignored(f.location.path, f.code)]
    return RepositoryFindings(kept, suppressed, internal_errors, notes)
