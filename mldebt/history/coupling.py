"""Co-change (logical) coupling, exactly as code-maat computes it (`code-maat -a coupling`).

Files that keep changing in the same commits depend on each other, whatever the imports say.
code-maat (Adam Tornhill, src/code_maat/analysis/logical_coupling.clj and coupling_algos.clj)
defines, over a log of change sets (commits, each the set of files it changed):

- A change set of more than `max_changeset_size` files (default 30) is skipped whole: it counts
  neither for the files' revisions nor for their pairs. One of exactly that size is kept.
- The revisions of a file are the kept change sets that contain it (a file alone in its change
  set counts too); the shared revisions of two files are the kept change sets containing both.
- For each pair with at least one shared revision, with revisions r1 and r2 and shared s:
  average revs = (r1 + r2) / 2, and coupling = s / average revs x 100 (a percentage, at most 100).
- A pair is reported when average revs >= `min_revs` (default 5; the exact average, not
  rounded), s >= `min_shared_revs` (default 5), coupling >= `min_coupling` (default 30, the
  exact value) and floor(coupling) <= `max_coupling` (default 100).
- It is reported with degree = coupling truncated to an integer (`(int coupling)`) and average
  revs rounded up (`(math/ceil average-revs)`); the raw counts r1, r2 and s are kept (code-maat's
  `--verbose-results`). Results are in descending order of degree, then of average revs.
- A pair is unordered: it is reported once, the entity being the path that sorts first.

Where mldebt's history differs from the log code-maat reads (`git log --all --numstat
--no-renames`), it is in what a file and a change set are, not in the arithmetic:

- An entity is a file under its path at HEAD: renames are followed, as the history ledger
  follows them (mldebt.history.ledger), so a file's revisions under its old names count. With
  `--no-renames`, code-maat sees the old and the new path as two entities, each with part of the
  history, coupled by the renaming commit.
- The size of a change set is the number of files `git log -M --numstat` lists for the commit
  below the analysed directory, a rename counting once (code-maat: twice). Every file counts,
  whatever filter the report applies afterwards.
- Only commits reachable from HEAD are read (code-maat's recommended log has `--all`). Merge
  commits change nothing of their own in both.
- code-maat's `--temporal-period` (a day's commits as one change set) is not supported.

Pairs are keyed by repository-relative POSIX paths (relative to the analysed directory), so
they can be joined with the dependency graph's import and data links (hidden coupling).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from mldebt.history.ledger import DEFAULT_MAX_CHANGESET_SIZE

DEFAULT_MIN_REVS = 5
DEFAULT_MIN_SHARED_REVS = 5
DEFAULT_MIN_COUPLING = 30  # percent
DEFAULT_MAX_COUPLING = 100  # percent

__all__ = [
    "DEFAULT_MAX_CHANGESET_SIZE",
    "DEFAULT_MAX_COUPLING",
    "DEFAULT_MIN_COUPLING",
    "DEFAULT_MIN_REVS",
    "DEFAULT_MIN_SHARED_REVS",
    "CoChanges",
    "Coupling",
    "coupling",
]


@dataclass(frozen=True)
class CoChanges:
    """The counts coupling is computed from, over the commits of at most ``max_changeset_size``
    files: per file its revisions, per pair of files (in sorted order) its shared revisions."""

    max_changeset_size: int
    revisions: Mapping[str, int]
    shared: Mapping[tuple[str, str], int]


@dataclass(frozen=True)
class Coupling:
    """One coupled pair, as code-maat's verbose coupling result prints it."""

    entity: str
    coupled: str
    degree: int  # percent, truncated
    average_revs: int  # rounded up
    entity_revs: int
    coupled_revs: int
    shared_revs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "coupled": self.coupled,
            "degree": self.degree,
            "average_revs": self.average_revs,
            "entity_revs": self.entity_revs,
            "coupled_revs": self.coupled_revs,
            "shared_revs": self.shared_revs,
        }


def coupling(
    co_changes: CoChanges,
    *,
    min_revs: int = DEFAULT_MIN_REVS,
    min_shared_revs: int = DEFAULT_MIN_SHARED_REVS,
    min_coupling: int = DEFAULT_MIN_COUPLING,
    max_coupling: int = DEFAULT_MAX_COUPLING,
    files: Collection[str] | None = None,
) -> list[Coupling]:
    """The coupled pairs of ``co_changes`` within the thresholds (code-maat's defaults), both of
    whose files are in ``files`` when it is given; strongest first, then by path."""
    wanted = None if files is None else set(files)
    results = []
    for (entity, coupled), shared in co_changes.shared.items():
        if wanted is not None and (entity not in wanted or coupled not in wanted):
            continue
        first, second = co_changes.revisions[entity], co_changes.revisions[coupled]
        total = first + second
        # In integers: average = total / 2 and coupling = 200 * shared / total, compared exactly.
        if total < 2 * min_revs or shared < min_shared_revs or 200 * shared < min_coupling * total:
            continue
        degree = 200 * shared // total
        if degree > max_coupling:
            continue
        results.append(Coupling(entity, coupled, degree, -(-total // 2), first, second, shared))
    results.sort(key=lambda c: (-c.degree, -c.average_revs, c.entity, c.coupled))
    return results
