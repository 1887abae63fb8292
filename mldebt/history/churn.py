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
    commits: dict[str, int] = {}
    added: dict[str, int] = {}
    deleted: dict[str, int] = {}
    last: dict[str, int] = {}
    people: dict[str, set[int]] = {}
    bot = [developer.bot for developer in history.developers]
    for commit in history.commits:
        for change in commit.changes:
            path = change.path
            if path not in wanted:
                continue
            commits[path] = commits.get(path, 0) + 1
            added[path] = added.get(path, 0) + max(change.added, 0)
            deleted[path] = deleted.get(path, 0) + max(change.deleted, 0)
            # Author dates need not follow graph order (rebases, cherry-picks): take the latest.
            last[path] = max(last.get(path, commit.time), commit.time)
            if not bot[commit.author]:
                people.setdefault(path, set()).add(commit.author)
    return {
        path: FileChurn(
            path=path,
            commits=commits[path],
            added=added[path],
            deleted=deleted[path],
            last_change=last[path],
            authors=tuple(sorted(history.developers[i].name for i in people.get(path, ()))),
        )
        for path in sorted(commits)
    }
