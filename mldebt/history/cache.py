"""The mined history on disk, so that a warm run does not read `git log` again.

The format is JSON. The cache lives inside the analysed repository, which we do not trust: a
pickle or marshal file planted there would run code or crash the interpreter when loaded,
whereas JSON can at worst describe a false history. Paths and identities are written once, in
tables, and commits refer to them by index, which keeps a 20,000-commit history to a few
megabytes that `json.loads` reads in well under a second.

Anything unexpected in the file (bad JSON, a wrong version, a wrong shape or type) makes
`load_snapshot` return None, and the caller mines again and overwrites it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

CACHE_VERSION = 1
CACHE_FILE = "history.json"

# Commit ids read back from the cache are passed to git as arguments: anything but a full
# SHA-1 or SHA-256 id could be an option.
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


# One file in one commit's `--numstat`, as git printed it (before renames are followed):
# (path before a rename or None, path, lines added, lines deleted), counts -1 for a binary file.
# A plain tuple: there are hundreds of thousands, and a NamedTuple costs twice as much to make.
RawChange = tuple[str | None, str, int, int]


class RawCommit(NamedTuple):
    """One commit as mined: a tuple, because there are tens of thousands of them."""

    sha: str
    parents: int
    name: str  # author name and e-mail, after .mailmap
    email: str
    author_time: int  # unix seconds
    commit_time: int
    changes: tuple[RawChange, ...]


@dataclass(frozen=True)
class Snapshot:
    """The history of one HEAD, and what else decides whether it can be reused."""

    head: str
    shallow: bool
    prefix: str  # the analysed directory inside the repository ("" at the top)
    mailmap: str  # digest of .mailmap: names in the commits depend on it
    files: tuple[str, ...]  # blobs at HEAD, relative to the analysed directory
    commits: tuple[RawCommit, ...]  # newest first; HEAD is the first


def save_snapshot(cache_dir: Path, snapshot: Snapshot) -> None:
    """Write ``snapshot`` atomically; raises OSError when the directory is not writable."""
    paths: dict[str, int] = {}
    identities: dict[tuple[str, str], int] = {}
    commits: list[list[Any]] = []
    for commit in snapshot.commits:
        flat: list[int] = []
        for old, path, added, deleted in commit.changes:
            old_index = -1 if old is None else paths.setdefault(old, len(paths))
            flat += (old_index, paths.setdefault(path, len(paths)), added, deleted)
        who = identities.setdefault((commit.name, commit.email), len(identities))
        commits.append(
            [commit.sha, commit.parents, who, commit.author_time, commit.commit_time, flat]
        )
    document = {
        "version": CACHE_VERSION,
        "head": snapshot.head,
        "shallow": snapshot.shallow,
        "prefix": snapshot.prefix,
        "mailmap": snapshot.mailmap,
        "files": list(snapshot.files),
        "paths": list(paths),
        "identities": [list(identity) for identity in identities],
        "commits": commits,
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="ascii", dir=cache_dir, prefix=".history-", suffix=".tmp", delete=False
    ) as handle:
        try:
            # json.dumps runs the C encoder; json.dump streams through the Python one, 10x slower.
            handle.write(json.dumps(document, separators=(",", ":")))
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    os.replace(handle.name, cache_dir / CACHE_FILE)


def load_snapshot(cache_dir: Path) -> Snapshot | None:
    """The cached snapshot, or None when there is none or it cannot be trusted to be whole."""
    try:
        document = json.loads((cache_dir / CACHE_FILE).read_text(encoding="ascii"))
        if document["version"] != CACHE_VERSION or not _COMMIT_ID.fullmatch(document["head"]):
            return None
        return Snapshot(
            head=document["head"],
            shallow=_typed(document["shallow"], bool),
            prefix=_typed(document["prefix"], str),
            mailmap=_typed(document["mailmap"], str),
            files=tuple(_typed(path, str) for path in document["files"]),
            commits=_commits(document),
        )
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _commits(document: dict[str, Any]) -> tuple[RawCommit, ...]:
    paths = document["paths"]
    identities = [(name, email) for name, email in document["identities"]]
    if not all(type(path) is str for path in paths) or not all(
        type(name) is str and type(email) is str for name, email in identities
    ):
        raise TypeError("non-string path or identity")
    # Index -1 (not renamed) reads None; every other index is range-checked per commit, as a
    # negative one would quietly read from the end of the table.
    lookup = [*paths, None]
    commits = []
    for sha, parents, who, author_time, commit_time, flat in document["commits"]:
        numbers = (parents, who, author_time, commit_time, *flat)
        if not _COMMIT_ID.fullmatch(sha) or len(flat) % 4 or set(map(type, numbers)) != {int}:
            raise ValueError("malformed commit record")
        olds, news = flat[0::4], flat[1::4]
        if flat and (min(olds) < -1 or min(news) < 0 or max(*olds, *news) >= len(paths)):
            raise IndexError("path index out of range")
        if not 0 <= who < len(identities):
            raise IndexError("identity index out of range")
        changes = tuple(
            (lookup[old], lookup[new], added, deleted)
            for old, new, added, deleted in zip(olds, news, flat[2::4], flat[3::4], strict=True)
        )
        name, email = identities[who]
        commits.append(RawCommit(sha, parents, name, email, author_time, commit_time, changes))
    return tuple(commits)
