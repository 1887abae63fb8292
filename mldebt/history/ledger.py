"""A history folded into what ownership needs, so that a new commit costs only its own fold.

Authorship, churn and activity need, per identity, the dates of its commits and, per file (under
the path it has at HEAD, through renames), who created it, how often and by whom it was changed,
its lines added and deleted and its last change. Co-change coupling (mldebt.history.coupling)
needs, over the commits that change at most `max_changeset_size` files, the revisions of each
file and the shared revisions of each pair of files. These are sums, minima and maxima over
commits, so the ledger of a history is the ledger of its newest commits combined with the ledger
of the rest, once the rest's paths are carried through the renames of the newest commits:

    fold(newer + older) == combine(fold(newer), fold(older))

That is what lets `mine_history` keep the ledger, not the commits, in its cache and extend it
with `git log OLD_HEAD..HEAD` alone. (A property test checks the equation on random histories.)

Renames are followed from the newest commit to the oldest with a map from every historical path
to the path the file has at the newest commit. The map is global, which is exact on a linear
history; on branches that rename and edit a file concurrently, edits made on the other branch
after the rename (in date order) stay under the old path. A path that is deleted and later
created again is taken for one file: `--numstat` does not say whether a change creates or
deletes a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import NamedTuple

# One file in one commit's `--numstat`, as git printed it (before renames are followed):
# (path before a rename or None, path, lines added, lines deleted), counts -1 for a binary file.
# A plain tuple: there are hundreds of thousands, and a NamedTuple costs twice as much to make.
RawChange = tuple[str | None, str, int, int]

# code-maat's default: a commit changing more files than this (a reformatting, a vendored
# dependency, a licence header) says nothing about which of them belong together.
DEFAULT_MAX_CHANGESET_SIZE = 30


class RawCommit(NamedTuple):
    """One commit as mined: a tuple, because there are tens of thousands of them."""

    sha: str
    parents: int
    name: str  # author name and e-mail, after .mailmap
    email: str
    author_time: int  # unix seconds
    commit_time: int
    changes: tuple[RawChange, ...]


@dataclass
class PathTally:
    """What the commits of a ledger did to one file. Identities are indices into the ledger's."""

    creator: int  # the author of the oldest commit that changed it
    commits: int
    added: int  # lines; binary changes add and delete none
    deleted: int
    last: int  # the latest author date, unix seconds (dates need not follow graph order)
    # identity -> the author dates of its commits that changed the file, newest commit first:
    # who kept a file up lately (mldebt.ownership's maintainers) as much as who changed it most.
    changes: dict[int, list[int]]
    revisions: int  # commits that changed it and at most max_changeset_size files in all


@dataclass
class Ledger:
    """The fold of a run of commits (newest first)."""

    # (name, e-mail) pairs in order of their newest commit, the newest first.
    identities: list[tuple[str, str]] = field(default_factory=list)
    times: list[list[int]] = field(default_factory=list)  # per identity, its commits' author dates
    paths: dict[str, PathTally] = field(default_factory=dict)  # by path at the newest commit
    # Historical path -> its path at the newest commit; None for a path that, further back,
    # named a file that no longer goes by it. Paths not renamed are absent.
    renamed: dict[str, str | None] = field(default_factory=dict)
    # (path, path) in sorted order -> commits of at most max_changeset_size files changing both.
    shared: dict[tuple[str, str], int] = field(default_factory=dict)
    max_changeset_size: int = DEFAULT_MAX_CHANGESET_SIZE


def fold(commits: Sequence[RawCommit], max_changeset_size: int = DEFAULT_MAX_CHANGESET_SIZE) -> Ledger:
    """The ledger of ``commits``, newest first (children before parents). A commit counts for
    co-change coupling when it changes at most ``max_changeset_size`` files (a rename is one)."""
    ledger = Ledger(max_changeset_size=max_changeset_size)
    index: dict[tuple[str, str], int] = {}
    at_head = ledger.renamed
    paths = ledger.paths
    shared = ledger.shared
    for commit in commits:
        identity = (commit.name, commit.email)
        who = index.get(identity)
        if who is None:
            who = index[identity] = len(ledger.identities)
            ledger.identities.append(identity)
            ledger.times.append([])
        ledger.times[who].append(commit.author_time)
        coupled = len(commit.changes) <= max_changeset_size
        seen: set[str] = set()
        renames = []
        for old, path, added, deleted in commit.changes:
            target = at_head.get(path, path)
            if old is not None:
                renames.append((old, path, target))
            if target is None or target in seen:
                continue
            seen.add(target)
            tally = paths.get(target)
            if tally is None:
                paths[target] = PathTally(
                    who, 1, max(added, 0), max(deleted, 0), commit.author_time, {who: [commit.author_time]}, int(coupled)
                )
                continue
            # Older commits come later: the last one seen created the file.
            tally.creator = who
            tally.commits += 1
            tally.added += max(added, 0)
            tally.deleted += max(deleted, 0)
            tally.last = max(tally.last, commit.author_time)
            tally.changes.setdefault(who, []).append(commit.author_time)
            tally.revisions += coupled
        if coupled and len(seen) > 1:
            for pair in combinations(sorted(seen), 2):
                shared[pair] = shared.get(pair, 0) + 1
        # Two passes, so that a swap (a -> b and b -> a in one commit) maps each side correctly.
        for _, new, _ in renames:
            at_head[new] = None
        for old, _, target in renames:
            at_head[old] = target
    return ledger


def combine(newer: Ledger, older: Ledger) -> Ledger:
    """The ledger of newer's commits followed by older's (which must all be their ancestors).
    Both must have been folded with the same ``max_changeset_size``."""
    if newer.max_changeset_size != older.max_changeset_size:
        raise ValueError(
            f"ledgers folded with different change-set caps ({newer.max_changeset_size}, {older.max_changeset_size})"
        )
    identities = list(newer.identities)
    times = [list(dates) for dates in newer.times]
    index = {identity: i for i, identity in enumerate(identities)}
    remap = []
    for identity, dates in zip(older.identities, older.times, strict=True):
        i = index.get(identity)
        if i is None:
            i = index[identity] = len(identities)
            identities.append(identity)
            times.append([])
        times[i].extend(dates)
        remap.append(i)

    paths = {
        path: PathTally(
            t.creator, t.commits, t.added, t.deleted, t.last, {who: list(d) for who, d in t.changes.items()}, t.revisions
        )
        for path, t in newer.paths.items()
    }
    for path, old in older.paths.items():
        target = newer.renamed.get(path, path)
        if target is None:
            continue
        changes = {remap[who]: list(dates) for who, dates in old.changes.items()}
        tally = paths.get(target)
        if tally is None:
            paths[target] = PathTally(
                remap[old.creator], old.commits, old.added, old.deleted, old.last, changes, old.revisions
            )
            continue
        tally.creator = remap[old.creator]
        tally.commits += old.commits
        tally.added += old.added
        tally.deleted += old.deleted
        tally.last = max(tally.last, old.last)
        tally.revisions += old.revisions
        for who, dates in changes.items():
            tally.changes.setdefault(who, []).extend(dates)

    # The older pairs keep their paths unless the newer commits renamed something: the common
    # case of an incremental update (a few commits on a cache of many pairs) is one dict copy.
    if not newer.renamed:
        shared = dict(older.shared)
    else:
        shared = {}
        for (first, second), count in older.shared.items():
            first_target, second_target = newer.renamed.get(first, first), newer.renamed.get(second, second)
            if first_target is None or second_target is None:
                continue
            # A rename can change which of the two paths sorts first.
            pair = (first_target, second_target) if first_target < second_target else (second_target, first_target)
            shared[pair] = shared.get(pair, 0) + count
    for pair, count in newer.shared.items():
        shared[pair] = shared.get(pair, 0) + count

    renamed = dict(newer.renamed)
    for path, target in older.renamed.items():
        renamed[path] = None if target is None else newer.renamed.get(target, target)
    return Ledger(identities, times, paths, renamed, shared, newer.max_changeset_size)
