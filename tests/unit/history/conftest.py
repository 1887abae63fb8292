"""Fixtures for the history tests: git repositories built at test time from tables of commits,
plain git for what build_history does not do (merges, clones, config), and in-memory histories
for the pure computations (authorship, truck factor, churn).

Dates are given as a day number: day 0 is 2024-01-01, noon UTC.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history
from mldebt.history.cache import Snapshot
from mldebt.history.identities import DEFAULT_BOTS
from mldebt.history.ledger import RawCommit, fold
from mldebt.history.mine import History, MineMode, MineStats, _assemble

EPOCH = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)


def _iso(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()


def _commit(
    author: str,
    day: int,
    files: Mapping[str, str | None] | None = None,
    renames: Mapping[str, str] | None = None,
    email: str | None = None,
) -> Commit:
    return Commit(
        author=author,
        email=email or author.lower().replace(" ", ".") + "@example.com",
        date=_iso(day),
        message=f"change by {author}",
        files=files or {},
        renames=renames or {},
    )


def _git(repo: Path, *args: str, author: str = "Tester", day: int = 0) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    email = author.lower() + "@example.com"
    env.update(
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=author,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=_iso(day),
        GIT_COMMITTER_DATE=_iso(day),
    )
    done = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def _in_memory(
    rows: Sequence[tuple[str, int, Iterable[str]]], files: Iterable[str] | None = None
) -> History:
    commits = [
        RawCommit(
            sha=f"{i:040x}",
            parents=1,
            name=author,
            email=author.lower() + "@example.com",
            author_time=int((EPOCH + timedelta(days=day)).timestamp()),
            commit_time=int((EPOCH + timedelta(days=day)).timestamp()),
            changes=tuple((None, path, 1, 0) for path in paths),
        )
        for i, (author, day, paths) in reversed(list(enumerate(rows)))
    ]
    every = sorted({change[1] for commit in commits for change in commit.changes})
    snapshot = Snapshot(
        head=commits[0].sha,
        head_time=commits[0].commit_time,
        shallow=False,
        prefix="",
        mailmap="",
        files=tuple(every if files is None else files),
        ledger=fold(commits),
    )
    return _assemble(snapshot, DEFAULT_BOTS, (), MineStats(MineMode.FULL, len(commits)))


@pytest.fixture
def commit() -> Callable[..., Commit]:
    """commit(author, day, files={path: content or None}, renames={old: new}, email=None)."""
    return _commit


@pytest.fixture
def git() -> Callable[..., str]:
    """git(repo, *args, author="Tester", day=0): plain git in a test's own repository."""
    return _git


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[Sequence[Commit]], Path]:
    """repo(commits): a fresh repository under tmp_path with those commits."""
    count = 0

    def build(commits: Sequence[Commit]) -> Path:
        nonlocal count
        count += 1
        return build_history(tmp_path / f"repo{count}", commits)

    return build


@pytest.fixture
def memory_history() -> Callable[..., History]:
    """memory_history([(author, day, [paths]), ...], files=None), oldest row first: a History
    without git, one line added per change; files defaults to every path changed."""
    return _in_memory
