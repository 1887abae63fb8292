"""Truck factor: how many developers must leave before most of the code has no author.

The greedy algorithm of Avelino et al. (ICPC 2016): take away the developer who authors the
most files, again and again, until more than half of the files have no author left; the truck
factor is how many were taken. Removing one developer does not change how many files another
authors, so the order is decided once: most files, then most commits, then name.

The active variant first takes away, without counting them, the developers who have not
committed for a while: a file whose only author left last year is already orphaned.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from mldebt.history.mine import History
from mldebt.timestamps import EARLIEST, utc

DEFAULT_ACTIVE_MONTHS = 12


@dataclass(frozen=True)
class TruckFactor:
    """The truck factor of a set of files, with the developers it names."""

    value: int
    removed: tuple[str, ...]  # the developers taken away, in order; len(removed) == value
    files: int
    orphaned: int  # files without an author once they are gone (inactive ones included)
    inactive: tuple[str, ...]  # authors of these files counted as gone before starting


def truck_factor(
    authors: Mapping[str, Iterable[str]],
    commits: Mapping[str, int] | None = None,
    gone: Collection[str] = (),
    weights: Mapping[str, float] | None = None,
) -> TruckFactor:
    """Truck factor of the files in ``authors`` (path -> its authors).

    ``commits`` (developer -> commit count) breaks ties between developers who author as many
    files; ``gone`` are developers to count as already departed (see `inactive_developers`).
    With ``weights`` (path -> its size; a path without one weighs 1) "most of the files" means
    most of their weight, and developers are taken away by the weight of what they author: a
    pipeline's ten-line constants module does not count as much as its training script.
    """
    file_authors = {path: set(names) for path, names in authors.items()}
    weight = {path: (weights or {}).get(path, 1) for path in file_authors}
    files_of: dict[str, set[str]] = {}
    for path, names in file_authors.items():
        for name in names:
            files_of.setdefault(name, set()).add(path)
    inactive = tuple(sorted(name for name in files_of if name in gone))
    for name in inactive:
        _remove(name, files_of, file_authors, weight)
    orphaned = sum(weight[path] for path, names in file_authors.items() if not names)
    counts = commits or {}
    order = sorted(
        files_of, key=lambda name: (-sum(weight[path] for path in files_of[name]), -counts.get(name, 0), name)
    )
    removed: list[str] = []
    total = sum(weight.values())
    for name in order:
        if 2 * orphaned > total:
            break
        removed.append(name)
        orphaned += _remove(name, files_of, file_authors, weight)
    return TruckFactor(
        value=len(removed),
        removed=tuple(removed),
        files=len(file_authors),
        orphaned=sum(1 for names in file_authors.values() if not names),
        inactive=inactive,
    )


def _remove(
    name: str, files_of: dict[str, set[str]], file_authors: dict[str, set[str]], weight: Mapping[str, float]
) -> float:
    """Take ``name`` away; returns the weight of the files that leaves without an author."""
    orphaned = 0.0
    for path in files_of.pop(name):
        file_authors[path].discard(name)
        if not file_authors[path]:
            orphaned += weight[path]
    return orphaned


def module_truck_factors(
    authors: Mapping[str, Iterable[str]],
    commits: Mapping[str, int] | None = None,
    gone: Collection[str] = (),
) -> dict[str, TruckFactor]:
    """Truck factor of every directory holding files, over all the files below it."""
    modules: dict[str, dict[str, Iterable[str]]] = {}
    for path, names in authors.items():
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            modules.setdefault("/".join(parts[:depth]), {})[path] = names
    return {module: truck_factor(files, commits, gone) for module, files in sorted(modules.items())}


def group_truck_factors(
    authors: Mapping[str, Iterable[str]],
    groups: Mapping[str, Iterable[str]],
    commits: Mapping[str, int] | None = None,
    gone: Collection[str] = (),
) -> dict[str, TruckFactor]:
    """Truck factor of each named group of files (a pipeline: name -> its files). Files that
    ``authors`` does not know (excluded, or not at HEAD) are left out of their group."""
    return {
        name: truck_factor(
            {path: authors[path] for path in files if path in authors}, commits, gone
        )
        for name, files in groups.items()
    }


def inactive_developers(
    history: History, months: int = DEFAULT_ACTIVE_MONTHS, as_of: datetime | None = None
) -> frozenset[str]:
    """Developers with no commit in the ``months`` calendar months up to ``as_of`` (default:
    the date HEAD was committed); a naive ``as_of`` is taken as UTC."""
    start, end = activity_window(history, months, as_of)
    return frozenset(
        developer.name
        for developer in history.developers
        # The first commit at or after `start`, if any, must not be after `end`.
        if not _commit_between(developer.commit_times, start, end)
    )


def activity_window(
    history: History, months: int = DEFAULT_ACTIVE_MONTHS, as_of: datetime | None = None
) -> tuple[int, int]:
    """The (start, end) unix seconds of the ``months`` calendar months up to ``as_of`` (default:
    the date HEAD was committed) in which a commit keeps a developer active."""
    if as_of is None:
        end = history.head_time
    else:
        end = int((as_of if as_of.tzinfo else as_of.replace(tzinfo=timezone.utc)).timestamp())
    return _months_before(end, months), end


def _commit_between(times: Sequence[int], start: int, end: int) -> bool:
    first = bisect.bisect_left(times, start)
    return first < len(times) and times[first] <= end


def _months_before(timestamp: int, months: int) -> int:
    moment = utc(timestamp)
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    if year < 1:
        return EARLIEST
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return int(moment.replace(year=year, month=month + 1, day=day).timestamp())
