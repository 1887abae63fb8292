"""Build a git repository from a table of dated, authored commits.

Used by `mldebt demo` to give the bundled example a realistic history, and by the tests to
make history fixtures at run time (a nested .git cannot be committed).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mldebt.vcs import git_argv


@dataclass(frozen=True)
class Commit:
    author: str
    email: str
    # ISO 8601 with offset, e.g. "2024-03-01T10:00:00+00:00".
    date: str
    message: str
    # Path -> new content; None deletes the file.
    files: Mapping[str, str | None] = field(default_factory=dict)
    # Old path -> new path, applied with `git mv` before `files` are written.
    renames: Mapping[str, str] = field(default_factory=dict)


def _git(dest: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
    subprocess.run(
        git_argv(args), cwd=dest, check=True, capture_output=True, env={**os.environ, **(env or {})}
    )


def build_history(dest: Path, commits: Iterable[Commit], branch: str = "main") -> Path:
    """Create (or extend) a git repository at ``dest`` with one commit per entry."""
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / ".git").exists():
        _git(dest, "init", "-q", "-b", branch)
    for commit in commits:
        for old, new in commit.renames.items():
            (dest / new).parent.mkdir(parents=True, exist_ok=True)
            _git(dest, "mv", old, new)
        for rel, content in commit.files.items():
            path = dest / rel
            if content is None:
                _git(dest, "rm", "-q", "--", rel)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            _git(dest, "add", "--", rel)
        env = {
            "GIT_AUTHOR_NAME": commit.author,
            "GIT_AUTHOR_EMAIL": commit.email,
            "GIT_AUTHOR_DATE": commit.date,
            "GIT_COMMITTER_NAME": commit.author,
            "GIT_COMMITTER_EMAIL": commit.email,
            "GIT_COMMITTER_DATE": commit.date,
        }
        _git(dest, "commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", commit.message, env=env)
    return dest
