"""The mined history on disk, so that a warm run does not read `git log` again.

What is kept is the history's ledger (mldebt.history.ledger): per identity its commit dates, per
file its tallies, per pair of files its shared revisions (as three numbers: the indices of the
two paths among the files', and the count). It is a fraction of the commits' size, and a new
commit extends it without reading the old commits again.

The format is JSON, signed by the cache store (mldebt.cachestore) like every cache file. Even
a verified file is parsed as if it were hostile: anything unexpected in it (bad JSON, nesting
too deep, a wrong version, a wrong shape or type) makes `load_snapshot` return None, and the
caller mines again and overwrites it.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass
from typing import Any

from mldebt.cachestore import CacheStore
from mldebt.history.ledger import Ledger, PathTally

# 5: co-change revisions per file and shared revisions per pair, and their change-set cap;
# per file and identity, the author dates of its commits.
CACHE_VERSION = 5
CACHE_ENTRY = "history/history.json"

# Commit ids read back from the cache are passed to git as arguments: anything but a full
# SHA-1 or SHA-256 id could be an option.
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True)
class Snapshot:
    """The history of one HEAD, and what else decides whether it can be reused."""

    head: str
    head_time: int  # committer date of HEAD, unix seconds
    shallow: bool
    prefix: str  # the analysed directory inside the repository ("" at the top)
    mailmap: str  # digest of .mailmap: names in the commits depend on it
    files: tuple[str, ...]  # blobs at HEAD, relative to the analysed directory
    ledger: Ledger  # of every commit reachable from HEAD
    undated: int = 0  # commits left out of the ledger because they have no usable date


def save_snapshot(cache: CacheStore, snapshot: Snapshot) -> bool:
    """Write ``snapshot`` atomically; False when the cache is not writable."""
    ledger = snapshot.ledger
    index = {path: i for i, path in enumerate(ledger.paths)}
    document = {
        "version": CACHE_VERSION,
        "head": snapshot.head,
        "head_time": snapshot.head_time,
        "shallow": snapshot.shallow,
        "prefix": snapshot.prefix,
        "mailmap": snapshot.mailmap,
        "files": list(snapshot.files),
        "identities": [
            [name, email, dates] for (name, email), dates in zip(ledger.identities, ledger.times, strict=True)
        ],
        "paths": {
            path: [
                t.creator, t.commits, t.added, t.deleted, t.last,
                [[who, dates] for who, dates in t.changes.items()], t.revisions,
            ]
            for path, t in ledger.paths.items()
        },
        "renamed": ledger.renamed,
        "max_changeset_size": ledger.max_changeset_size,
        "shared": [n for (first, second), count in ledger.shared.items() for n in (index[first], index[second], count)],
        "undated": snapshot.undated,
    }
    # json.dumps runs the C encoder; json.dump streams through the Python one, 10x slower.
    return cache.write(CACHE_ENTRY, json.dumps(document, separators=(",", ":")).encode("ascii"))


def load_snapshot(cache: CacheStore) -> Snapshot | None:
    """The cached snapshot, or None when there is none or it cannot be trusted to be whole."""
    raw = cache.read(CACHE_ENTRY)
    if raw is None:
        return None
    try:
        document = json.loads(raw)
        if document["version"] != CACHE_VERSION or not _COMMIT_ID.fullmatch(document["head"]):
            return None
        return Snapshot(
            head=document["head"],
            head_time=_typed(document["head_time"], int),
            shallow=_typed(document["shallow"], bool),
            prefix=_typed(document["prefix"], str),
            mailmap=_typed(document["mailmap"], str),
            files=tuple(_typed(path, str) for path in document["files"]),
            ledger=_ledger(document),
            undated=_count(document["undated"]),
        )
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _count(value: Any) -> int:
    if _typed(value, int) < 0:
        raise ValueError("negative count")
    return value


def _ledger(document: dict[str, Any]) -> Ledger:
    identities: list[tuple[str, str]] = []
    times: list[list[int]] = []
    for name, email, dates in document["identities"]:
        if type(name) is not str or type(email) is not str or set(map(type, _typed(dates, list))) - {int}:
            raise TypeError("malformed identity")
        identities.append((name, email))
        times.append(dates)
    count = len(identities)
    paths = {}
    for path, (creator, commits, added, deleted, last, changes, revisions) in _typed(document["paths"], dict).items():
        if set(map(type, (creator, commits, added, deleted, last, revisions))) != {int}:
            raise TypeError("malformed path record")
        tally: dict[int, list[int]] = {}
        for who, dates in _typed(changes, list):
            if type(who) is not int or set(map(type, _typed(dates, list))) - {int}:
                raise TypeError("malformed path record")
            tally[who] = dates
        # A negative index would quietly read from the end of the table.
        if not 0 <= creator < count or (tally and (min(tally) < 0 or max(tally) >= count)):
            raise IndexError("identity index out of range")
        paths[path] = PathTally(creator, commits, added, deleted, last, tally, revisions)
    renamed = _typed(document["renamed"], dict)
    if not all(target is None or type(target) is str for target in renamed.values()):
        raise TypeError("malformed rename")
    shared = _shared(document["shared"], list(paths))
    return Ledger(identities, times, paths, renamed, shared, _count(document["max_changeset_size"]))


def _shared(flat: Any, names: list[str]) -> dict[tuple[str, str], int]:
    # Checked with builtins over whole columns: tens of thousands of pairs are loaded per run.
    if len(_typed(flat, list)) % 3 or set(map(type, flat)) - {int}:
        raise TypeError("malformed pair counts")
    firsts, seconds, counts = flat[0::3], flat[1::3], flat[2::3]
    # A negative index would quietly read from the end of the table.
    if counts and (min(firsts + seconds) < 0 or max(firsts + seconds) >= len(names) or min(counts) < 1):
        raise IndexError("malformed pair count")
    left, right = [names[i] for i in firsts], [names[i] for i in seconds]
    # Written once each, in sorted order: anything else is not what save_snapshot wrote.
    if not all(map(operator.lt, left, right)):
        raise ValueError("pair out of order")
    shared = dict(zip(zip(left, right), counts))
    if len(shared) != len(counts):
        raise ValueError("pair repeated")
    return shared
