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
