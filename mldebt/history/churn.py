"""How much and how recently each file has changed, through renames."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mldebt.history.mine import History


@dataclass(frozen=True)
class FileChurn:
    """How one file has changed over the mined history."""

    path: str
    commits: int  # bots' commits included: they change the file too
    added: int  # lines; binary changes add none
    deleted: int
    last_change: int  # author date of the newest commit, unix seconds
    authors: tuple[str, ...]  # the people (not bots) who committed to it, by name


def churn(history: History, files: Iterable[str] | None = None) -> dict[str, FileChurn]:
    """Churn of each of ``files`` (default: every file at HEAD) that has a commit in history."""
    wanted = set(history.files if files is None else files)
    developers = history.developers
    return {
        path: FileChurn(
            path=path,
            commits=record.commits,
            added=record.added,
            deleted=record.deleted,
            last_change=record.last_change,
            authors=tuple(sorted(developers[i].name for i in record.changes if not developers[i].bot)),
        )
        for path, record in sorted(history.paths.items())
        if path in wanted
    }


DEFAULT_MAINTAINER_COMMITS = 3


def maintainers(
    history: History, files: Iterable[str], window: tuple[int, int], minimum: int = DEFAULT_MAINTAINER_COMMITS
) -> tuple[str, ...]:
    """The people (not bots, not machines) with at least ``minimum`` commits to ``files`` whose
    author dates fall in ``window`` (start, end), most commits first: who keeps the code up,
    whoever wrote it. A commit that changes several of the files counts once (commits are told
    apart by their author date)."""
    start, end = window
    dates: dict[int, set[int]] = {}
    for path in files:
        record = history.paths.get(path)
        if record is not None:
            for developer, times in record.changes.items():
                dates.setdefault(developer, set()).update(t for t in times if start <= t <= end)
    people = history.developers
    found = [
        (len(times), people[i].name)
        for i, times in dates.items()
        if len(times) >= minimum and not people[i].bot and not people[i].machine
    ]
    return tuple(name for _, name in sorted(found, key=lambda found: (-found[0], found[1])))
