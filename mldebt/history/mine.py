"""Mining a repository's history: one streamed `git log`, parsed into compact records.

`mine_history` reads every commit reachable from HEAD once, with `--numstat -z`, and keeps per
commit only its id, author, dates and (path, lines added, lines deleted) per file. The commits
are folded into a ledger (mldebt.history.ledger: per identity its commit dates, per file its
tallies, through renames), which is cached per HEAD; when HEAD moves forward, only the new
commits are read and folded, and their ledger is combined with the cached one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import islice
from pathlib import Path

from mldebt.cachestore import CacheStore
from mldebt.history.cache import Snapshot, load_snapshot, save_snapshot
from mldebt.history.coupling import CoChanges
from mldebt.history.identities import DEFAULT_BOTS, Kind, Merge, group_identities
from mldebt.history.ledger import DEFAULT_MAX_CHANGESET_SIZE, PathTally, RawChange, RawCommit, combine, fold
from mldebt.safefile import MiB, read_regular
from mldebt.vcs import GitError, GitTimeout, run_git, stream_git

_LOG_FORMAT = "%x01%H%x00%P%x00%at%x00%ct%x00%aN%x00%aE"
_LOG_OPTIONS: tuple[str, ...] = (
    "log",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--numstat",
    # NUL-terminated fields: paths arrive verbatim (no C quoting, no "dir/{a => b}/f" to split,
    # a name containing " => " stays unambiguous) and a rename gives old and new path apart.
    "-z",
    # Also overrides diff.renames=copies, whose copies would print exactly like renames.
    "-M",
    # The root commit's files are its creations, whatever log.showRoot says.
    "--root",
    # A merge's diff repeats what its branch commits already changed.
    "--diff-merges=off",
    # Children before parents: following renames backwards depends on it.
    "--date-order",
    "--relative",
    "--encoding=UTF-8",
    f"--format={_LOG_FORMAT}",
)
_PROGRESS_EVERY = 1000
MAX_MAILMAP_BYTES = 4 * MiB
# What git says when --numstat needs a blob the repository does not have. (A partial clone
# would fetch it from its promisor remote; vcs.SAFE_CONFIG forbids every transport.)
_MISSING_OBJECTS = ("unable to read", "missing blob", "promisor remote", "could not fetch")

SHALLOW_WARNING = (
    "shallow clone: history stops at the clone depth, so authorship, truck factor and churn "
    "describe only the commits that are present (run `git fetch --unshallow` for all of them)"
)


# What git prints for the author of a commit without a readable author line (missing, or cut
# short by a NUL byte): the placeholders themselves.
_NO_AUTHOR = (b"%aN", b"%aE")
# git keeps dates in 64 bits. It prints a longer one digit for digit, but reads it as overflowed
# (its %ad says 1970).
_GIT_DATE_LIMIT = 1 << 64
# A line count with this many digits is not one git printed (and int() is slow on a long one).
_COUNT_DIGITS = 20


def undated_warning(count: int) -> str:
    """The warning for ``count`` commits that `mine_history` skipped for want of a date."""
    commits = "1 commit" if count == 1 else f"{count} commits"
    return f"{commits} without a usable author or committer date left out of the history"


class NoHistory(Exception):
    """There is no history to mine: not a git repository, no commits, or git failed."""


class MineMode(str, Enum):
    """How a `History` was obtained."""

    CACHED = "cached"
    INCREMENTAL = "incremental"
    FULL = "full"


@dataclass(frozen=True)
class MineStats:
    """What producing a History cost: how it was obtained and how many commits git printed."""

    mode: MineMode
    commits_mined: int  # commits read from `git log` by this call


@dataclass(frozen=True)
class Developer:
    """One person (or bot, or machine) behind one or more (name, e-mail) identities."""

    name: str  # the alias's, or the name used most; unique within a History
    names: tuple[str, ...]
    emails: tuple[str, ...]  # lower case
    kind: Kind
    commit_times: tuple[int, ...]  # author dates (unix seconds) of every commit, merges included, ascending

    @property
    def bot(self) -> bool:
        return self.kind is Kind.BOT

    @property
    def machine(self) -> bool:
        """A machine's default identity (`ubuntu@ip-10-0-0-1`): nobody can say whose commits."""
        return self.kind is Kind.MACHINE

    @property
    def commits(self) -> int:
        return len(self.commit_times)

    @property
    def first_commit(self) -> int:
        return self.commit_times[0]

    @property
    def last_commit(self) -> int:
        return self.commit_times[-1]


@dataclass(frozen=True)
class FileRecord:
    """One file's history, under the path it has at HEAD (through renames)."""

    creator: int  # index into History.developers: the author of the oldest commit changing it
    commits: int  # bots' commits included: they change the file too
    added: int  # lines; binary changes add and delete none
    deleted: int
    last_change: int  # the latest author date, unix seconds
    # developer index -> the author dates (ascending) of its commits that changed the file
    changes: Mapping[int, tuple[int, ...]]


@dataclass(frozen=True)
class History:
    """Everything the ownership rules need to know about a repository's past."""

    head: str
    head_time: int  # committer date of HEAD, unix seconds
    files: tuple[str, ...]  # blobs at HEAD, relative to the analysed directory
    developers: tuple[Developer, ...]
    paths: Mapping[str, FileRecord]  # every path a commit changed, by its path at HEAD
    partial: bool
    warnings: tuple[str, ...]
    stats: MineStats
    # Every (name, e-mail) seen, with its developer (an index into developers) and its commits,
    # and why identities were merged: what `mldebt ownership --identities` shows.
    identities: tuple[tuple[str, str, int, int], ...]
    merges: tuple[Merge, ...]
    co_changes: CoChanges  # what co-change coupling (mldebt.history.coupling) is computed from

    @property
    def bots(self) -> tuple[str, ...]:
        """Names of the developers recognised as bots, who author nothing."""
        return tuple(developer.name for developer in self.developers if developer.bot)

    def commit_counts(self) -> dict[str, int]:
        """Commits per developer name, merges included."""
        return {developer.name: developer.commits for developer in self.developers}


@dataclass(frozen=True)
class _Repository:
    head: str
    shallow: bool
    prefix: str
    mailmap: str


def mine_history(
    root: Path,
    cache: CacheStore | None = None,
    bots: Sequence[str] = DEFAULT_BOTS,
    progress: Callable[[int], None] | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
    revision: str = "HEAD",
    max_changeset_size: int = DEFAULT_MAX_CHANGESET_SIZE,
) -> History:
    """Mine the history of ``revision`` (HEAD, or a commit id) for the repository containing
    ``root``: every commit reachable from it, and the files it tracks.

    Paths are relative to ``root``, and only changes below it count. With ``cache`` the
    parsed history of HEAD is kept there and reused, or extended when HEAD has moved forward;
    another revision's is not kept (`--new-since` keeps what it needs of it).
    ``progress`` is called with the number of commits parsed so far. ``aliases`` (person ->
    identities) overrides how identities are merged (mldebt.history.identities). Commits of more
    than ``max_changeset_size`` files count for no co-change; a cache kept with another cap is
    mined again.

    Raises NoHistory when ``root`` is not in a git repository, HEAD has no commit, or git fails.
    """
    repository = _open_repository(root, revision)
    if revision != "HEAD":
        cache = None
    cached = load_snapshot(cache) if cache is not None else None
    try:
        snapshot, stats, left_out = _update(root, repository, cached, progress, max_changeset_size)
    except GitError as exc:
        message = str(exc)
        if any(sign in message for sign in _MISSING_OBJECTS):
            message += (
                " (objects are missing: a partial clone, or a damaged one; mining needs every "
                "version of every file, which a full `git clone` has)"
            )
        raise NoHistory(message) from None
    warnings: list[str] = []
    if left_out:
        # Not cached: the history is incomplete, and a later run may have the objects.
        warnings.append(_left_out_warning(left_out))
    elif cache is not None and snapshot is not cached and not save_snapshot(cache, snapshot):
        warnings.append(f"could not write the history cache in {cache.directory}")
    if repository.shallow:
        warnings.append(SHALLOW_WARNING)
    if snapshot.undated:
        warnings.append(undated_warning(snapshot.undated))
    return _assemble(snapshot, bots, tuple(warnings), stats, aliases)


def _open_repository(root: Path, revision: str) -> _Repository:
    try:
        shallow, toplevel, prefix, head = run_git(
            root,
            [
                "rev-parse", "--is-shallow-repository", "--show-toplevel", "--show-prefix",
                "--verify", "--end-of-options", f"{revision}^{{commit}}",
            ],
        ).splitlines()
    except GitTimeout as exc:
        raise NoHistory(str(exc)) from None
    except GitError:
        try:
            run_git(root, ["rev-parse", "--git-dir"])
        except GitError as exc:
            raise NoHistory(f"{root} is not inside a git repository ({exc})") from None
        raise NoHistory(f"the git repository at {root} has no commits yet") from None
    try:
        # As git does, a symlinked .mailmap is not read.
        digest = hashlib.sha256(read_regular(Path(toplevel) / ".mailmap", MAX_MAILMAP_BYTES)).hexdigest()
    except OSError:
        digest = ""
    return _Repository(head=head, shallow=shallow == "true", prefix=prefix, mailmap=digest)


def _update(
    root: Path,
    repository: _Repository,
    cached: Snapshot | None,
    progress: Callable[[int], None] | None,
    max_changeset_size: int,
) -> tuple[Snapshot, MineStats, tuple[str, ...]]:
    """The snapshot of HEAD's history, from the cache where it can be, how it was mined, and the
    paths left out of it because a version of them is missing from the clone."""
    mode, revisions = MineMode.FULL, [repository.head]
    older: Snapshot | None = None
    if cached is not None and (cached.shallow, cached.prefix, cached.mailmap, cached.ledger.max_changeset_size) == (
        repository.shallow,
        repository.prefix,
        repository.mailmap,
        max_changeset_size,
    ):
        if cached.head == repository.head:
            return cached, MineStats(MineMode.CACHED, 0), ()
        if _is_ancestor(root, cached.head, repository.head):
            # Every commit in old..HEAD is newer than every cached one in graph order.
            mode, revisions, older = MineMode.INCREMENTAL, [repository.head, "^" + cached.head], cached
    new, undated, left_out = _log(root, revisions, progress)
    if not new and not undated:
        raise GitError(f"git log printed no commit for {repository.head}")
    if not new and older is None:
        raise NoHistory(f"no commit reachable from {repository.head} has a usable author or committer date")
    ledger = fold(new, max_changeset_size)
    snapshot = Snapshot(
        head=repository.head,
        # When HEAD itself has no date, the newest commit that has one stands in for it.
        head_time=new[0].commit_time if new or older is None else older.head_time,
        shallow=repository.shallow,
        prefix=repository.prefix,
        mailmap=repository.mailmap,
        files=_tracked_files(root, repository.head),
        ledger=ledger if older is None else combine(ledger, older.ledger),
        undated=undated if older is None else undated + older.undated,
    )
    return snapshot, MineStats(mode, len(new) + undated), left_out


def _is_ancestor(root: Path, old: str, new: str) -> bool:
    try:
        run_git(root, ["merge-base", "--is-ancestor", old, new])
    except GitError:
        # Exit status 1 (not an ancestor) and 128 (the old commit is gone) alike.
        return False
    return True


def _tracked_files(root: Path, head: str) -> tuple[str, ...]:
    files = []
    for entry in run_git(root, ["ls-tree", "-r", "-z", head]).split("\0"):
        meta, tab, path = entry.partition("\t")
        # Submodules (commit entries) are someone else's history.
        if tab and meta.split(" ")[1] == "blob":
            files.append(path)
    return tuple(files)


def _log(
    root: Path, revisions: Sequence[str], progress: Callable[[int], None] | None
) -> tuple[list[RawCommit], int, tuple[str, ...]]:
    """The commits of ``revisions``, the number left out for having no date, and the paths left
    out because the clone lacks a version of them.

    `--numstat` reads every version of every changed file. A copy that lacks some (a mirror that
    drops large files, a damaged clone) stops git at the first; those paths (nearly always large
    binaries: slides, spreadsheets, models) are then left out and the rest is mined, with every
    commit that touched anything else (`--full-history`: path limiting must not prune side
    branches). A partial clone (`--filter=blob:limit=`) still fails: its git prefetches every
    blob of a diff from the promisor remote before the pathspec applies, and vcs.SAFE_CONFIG
    forbids that fetch."""
    try:
        return (*_parse_log(_nul_terminated(stream_git(root, [*_LOG_OPTIONS, *revisions, "--"])), progress), ())
    except GitError as exc:
        if not any(sign in str(exc) for sign in _MISSING_OBJECTS):
            raise
        missing = _missing_paths(root, revisions)
        if not missing:
            raise
        excluded = [f":(exclude,literal){path}" for path in missing]
        lines = stream_git(root, [*_LOG_OPTIONS, "--full-history", *revisions, "--", *excluded])
        commits, undated = _parse_log(_nul_terminated(lines), progress)
        if not commits and not undated:
            # Nothing but the missing files: no history to speak of.
            raise exc from None
    return commits, undated, missing


def _missing_paths(root: Path, revisions: Sequence[str]) -> tuple[str, ...]:
    """The paths (relative to ``root``) of every file version of ``revisions`` that the
    repository lacks."""
    listed = run_git(root, ["rev-list", "--objects", "--missing=print", *revisions, "--"])
    missing = {line[1:] for line in listed.splitlines() if line.startswith("?")}
    if not missing:
        return ()
    raw = run_git(root, ["log", "--raw", "--no-abbrev", "--no-renames", "--relative", "-z", "--format=", *revisions, "--"])
    fields = raw.split("\0")
    paths: set[str] = set()
    # `:<old mode> <new mode> <old id> <new id> <status>` then the path, as two fields.
    for meta, path in zip(fields[::2], fields[1::2]):
        ids = meta.lstrip("\n").split(" ")[2:4]
        if path and missing.intersection(ids):
            paths.add(path)
    return tuple(sorted(paths))


def _left_out_warning(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return (
        f"{len(paths)} file{'s' if len(paths) != 1 else ''} left out of the history, since this copy of "
        f"the repository lacks versions of them: {shown}; the rest was mined (a full `git clone` has them all)"
    )


def _nul_terminated(lines: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for line in lines:
        fields = (rest + line if rest else line).split(b"\0")
        rest = fields.pop()
        yield from fields
    if rest.strip(b"\n"):
        yield rest


def _parse_log(
    fields: Iterable[bytes], progress: Callable[[int], None] | None
) -> tuple[list[RawCommit], int]:
    """Parse the NUL-separated fields of `git log -z --numstat --format=<_LOG_FORMAT>`: the
    commits, and how many were left out because they have no usable date.

    A commit starts with a field beginning with \\x01 (the commit id) followed by five header
    fields; each changed file is then one field ``added\\tdeleted\\tpath``, or for a rename
    ``added\\tdeleted\\t`` followed by the old and the new path as two fields.

    A repository's commit objects are whatever its authors wrote (`git hash-object --literally`
    takes anything), so every field may be empty or malformed, and the parser takes any input:
    a commit without a usable author date takes its committer date and the other way round, one
    with neither is counted and left out, and a file line that is not one (or is cut short) is
    ignored, as are fields before the first commit.
    """
    commits: list[RawCommit] = []
    undated = 0
    paths: dict[bytes, str] = {}
    people: dict[bytes, str] = {}
    # None before the first commit and in an undated one, whose files are parsed (a rename's
    # paths are fields of their own) but dropped.
    header: tuple[str, int, str, str, int, int] | None = None
    changes: list[RawChange] = []
    stream = iter(fields)
    for field in stream:
        if field[:1] == b"\x01":
            if header is not None:
                commits.append(RawCommit(*header, tuple(changes)))
                if progress is not None and len(commits) % _PROGRESS_EVERY == 0:
                    progress(len(commits))
            changes = []
            header = _header(field[1:], list(islice(stream, 5)), people)
            undated += header is None
            continue
        numstat = field.lstrip(b"\n").split(b"\t", 2)
        if len(numstat) != 3:
            continue
        added, deleted, raw_path = numstat
        old = None
        if not raw_path:
            # Taken even when the counts are bad, so that the two paths are not read as file lines.
            raw_old, raw_path = next(stream, b""), next(stream, b"")
            old = _interned(paths, raw_old, "surrogateescape") if raw_old else None
        if not raw_path:
            continue
        # Binary files print "-" for both counts. (bytes.isdigit is ASCII only.)
        if added.isdigit() and deleted.isdigit() and len(added) < _COUNT_DIGITS > len(deleted):
            changes.append((old, _interned(paths, raw_path, "surrogateescape"), int(added), int(deleted)))
        elif added == deleted == b"-":
            changes.append((old, _interned(paths, raw_path, "surrogateescape"), -1, -1))
    if header is not None:
        commits.append(RawCommit(*header, tuple(changes)))
    if progress is not None:
        progress(len(commits))
    return commits, undated


def _header(sha: bytes, fields: list[bytes], people: dict[bytes, str]) -> tuple[str, int, str, str, int, int] | None:
    if len(fields) < 5:
        return None
    parents, author_field, commit_field, name, email = fields
    author_time, commit_time = _git_date(author_field), _git_date(commit_field)
    # git prints an empty date for a missing, negative or non-numeric one.
    author_time = commit_time if author_time is None else author_time
    commit_time = author_time if commit_time is None else commit_time
    if author_time is None or commit_time is None:
        return None
    if (name, email) == _NO_AUTHOR:
        name = email = b""
    return (
        sha.decode("ascii", "replace"),
        len(parents.split()),
        _interned(people, name, "replace"),
        _interned(people, email, "replace"),
        author_time,
        commit_time,
    )


def _git_date(field: bytes) -> int | None:
    """A date (unix seconds) as git prints it, or None when it is not one.

    Dates outside datetime's range stay as they are: timestamps.utc clamps them where
    they become dates."""
    # bytes.isdigit is ASCII only; the length bound keeps int() off a megabyte of digits.
    if not field.isdigit() or len(field) > len(str(_GIT_DATE_LIMIT)):
        return None
    value = int(field)
    return value if value < _GIT_DATE_LIMIT else None


def _interned(table: dict[bytes, str], raw: bytes, errors: str) -> str:
    # Each distinct path and identity is decoded once and shared by every commit naming it.
    text = table.get(raw)
    if text is None:
        text = table[raw] = raw.decode("utf-8", errors)
    return text


def _assemble(
    snapshot: Snapshot,
    bots: Sequence[str],
    warnings: tuple[str, ...],
    stats: MineStats,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> History:
    ledger = snapshot.ledger
    grouping = group_identities(ledger.identities, bots, aliases)
    groups = grouping.developers

    # Identities are in order of their newest commit, and Counters iterate in insertion order:
    # the most recent spelling wins a tie for the display name.
    names: list[Counter[str]] = [Counter() for _ in grouping.kinds]
    emails: list[Counter[str]] = [Counter() for _ in grouping.kinds]
    times: list[list[int]] = [[] for _ in grouping.kinds]
    for (name, email), dates, developer, named in zip(ledger.identities, ledger.times, groups, grouping.named, strict=True):
        if named:
            names[developer][name] += len(dates)
        emails[developer][email.strip().lower()] += len(dates)
        times[developer] += dates
    shown = _display_names(names, emails, grouping.aliases)
    developers = tuple(
        Developer(
            name=shown[i],
            names=tuple(name for name in names[i] if name.strip()),
            emails=tuple(sorted(email for email in emails[i] if email)),
            kind=kind,
            commit_times=tuple(sorted(times[i])),
        )
        for i, kind in enumerate(grouping.kinds)
    )
    return History(
        head=snapshot.head,
        head_time=snapshot.head_time,
        files=snapshot.files,
        developers=developers,
        paths={path: _file_record(tally, groups) for path, tally in ledger.paths.items()},
        partial=snapshot.shallow,
        warnings=warnings,
        stats=stats,
        identities=tuple(
            (name, email, developer, len(dates))
            for (name, email), dates, developer in zip(ledger.identities, ledger.times, groups, strict=True)
        ),
        merges=grouping.merges,
        co_changes=CoChanges(
            ledger.max_changeset_size,
            {path: tally.revisions for path, tally in ledger.paths.items() if tally.revisions},
            ledger.shared,
        ),
    )


def _file_record(tally: PathTally, groups: Sequence[int]) -> FileRecord:
    dates: dict[int, list[int]] = {}
    for identity, times in tally.changes.items():
        dates.setdefault(groups[identity], []).extend(times)
    changes = {developer: tuple(sorted(times)) for developer, times in dates.items()}
    return FileRecord(groups[tally.creator], tally.commits, tally.added, tally.deleted, tally.last, changes)


def _display_names(
    names: Sequence[Counter[str]], emails: Sequence[Counter[str]], aliases: Sequence[str | None]
) -> list[str]:
    """Each developer's name: its alias's, else the one it used most, else its e-mail. Names are
    keys, so a name two developers share (two people the rules or the aliases keep apart, both
    committing as "David") is told apart by the e-mail, then by a number."""
    addresses = [next((email for email, _ in emails[i].most_common() if email), "") for i in range(len(aliases))]
    shown = [
        alias or next((name for name, _ in names[i].most_common() if name.strip()), None) or addresses[i] or "<unknown>"
        for i, alias in enumerate(aliases)
    ]
    taken = Counter(shown)
    unique: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(shown):
        if taken[name] > 1 and aliases[i] is None and addresses[i] and addresses[i] != name:
            name = f"{name} <{addresses[i]}>"
        candidate, number = name, 1
        while candidate in seen:
            number += 1
            candidate = f"{name} #{number}"
        seen.add(candidate)
        unique.append(candidate)
    return unique
