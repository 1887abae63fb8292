"""--new-since: the findings a past revision had, by fingerprint.

Its files are read straight from git's object store into a temporary directory. Not `git
worktree add` or `git archive`: both apply the repository's smudge filters, which are programs
its own configuration names. Blobs are copied byte for byte; only the files analysis reads
(sources, manifests, ignore files) are written. The history rules see the history up to the
revision, judged on the current run's date, so that a pull request is blamed only for the
ownership debt it changes; the fingerprints are cached per commit and date.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from mldebt import __version__
from mldebt.cache import extractor_digest
from mldebt.cachestore import CacheStore
from mldebt.config import ConfigError
from mldebt.engine.analysis import CheckOptions, analyse
from mldebt.engine.run import RuleHistory, repository_findings
from mldebt.rules.registry import file_rules
from mldebt.vcs import GitError, GitTimeout, read_blobs, run_git

# What the analysis of a revision needs: code, manifests and the ignore rules that select them.
_WANTED_SUFFIXES = (".py", ".ipynb", ".yaml", ".yml", ".toml", ".dvc", ".gitignore", ".json", ".cfg", ".ini")
_WANTED_NAMES = {"CODEOWNERS", ".gitignore", ".mailmap"}
_BLOB_MODES = {"100644", "100755"}


class RevisionError(Exception):
    """The revision cannot be read; the message says what to do."""


def resolve_revision(root: Path, ref: str) -> str:
    """The commit id REF names, or a RevisionError that explains the usual cause in CI."""
    if ref.startswith("-"):
        raise RevisionError(f"invalid revision {ref!r}")
    try:
        return run_git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]).strip()
    except GitTimeout as exc:
        raise RevisionError(f"revision {ref!r} could not be looked up: {exc}") from None
    except GitError:
        raise RevisionError(
            f"revision {ref!r} is not in this clone. In CI the checkout is often shallow: fetch it first "
            f"(e.g. `git fetch --no-tags --depth=1 origin {ref.removeprefix('origin/')}`, or "
            "actions/checkout with `fetch-depth: 0`)."
        ) from None


def _wanted(path: str) -> bool:
    name = PurePosixPath(path).name
    return name in _WANTED_NAMES or name.endswith(_WANTED_SUFFIXES)


def materialize(root: Path, commit: str, dest: Path) -> int:
    """Write the analysis-relevant files of ``commit`` under ``dest``; returns how many."""
    listing = run_git(root, ["ls-tree", "-r", "-z", "--full-tree", commit])
    blobs: list[tuple[str, str]] = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, kind, sha = meta.split(" ")
        # Symlinks and submodules are not files of this repository's own.
        if kind == "blob" and mode in _BLOB_MODES and _wanted(path):
            blobs.append((sha, path))
    if not blobs:
        return 0
    dest_root = dest.resolve()
    # Paired by position, not by id: files with the same content (every empty __init__.py)
    # share one blob id, and each of them must be written.
    contents = read_blobs(root, [sha for sha, _ in blobs])
    for (_, path), (_, content) in zip(blobs, contents):
        target = (dest_root / path).resolve()
        if not target.is_relative_to(dest_root):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            # A crafted tree can hold one name as both a file and a directory: git cannot check
            # it out either, and the first one written stays.
            continue
    return len(blobs)


def fingerprints_at(
    root: Path, ref: str, options: CheckOptions, store: CacheStore | None, as_of: datetime | None
) -> Counter[str]:
    """The fingerprints of the findings revision ``ref`` had, its history rules judging activity
    on ``as_of`` (the current run's date; None: the revision's own), cached per commit in
    ``store``."""
    commit = resolve_revision(root, ref)
    judged = as_of.isoformat() if as_of else ""
    salt = (
        f"{__version__}\0{extractor_digest(file_rules())}\0{options.select}\0{options.ignore}"
        f"\0{options.preview}\0{judged}"
    )
    entry = f"revisions/{commit}.json"
    raw = store.read(entry) if store is not None else None
    if raw is not None:
        try:
            cached = json.loads(raw)
            if cached.get("salt") == salt and isinstance(cached.get("fingerprints"), list):
                return Counter(str(f) for f in cached["fingerprints"])
        except (ValueError, AttributeError, RecursionError):
            pass
    with tempfile.TemporaryDirectory(prefix="mldebt-rev-") as tmp:
        try:
            materialize(root, commit, Path(tmp))
        except GitError as exc:
            raise RevisionError(
                f"revision {ref!r} ({commit}) cannot be read: {exc}. Objects are missing from this clone "
                "(a partial clone, or a damaged one): a full `git clone` has them."
            ) from None
        # The past revision shares this cache, or has none: never one of its own.
        past_options = replace(options, paths=(), config=None, new_since=None, use_cache=store is not None)
        try:
            past = analyse(Path(tmp), past_options, shared_store=store, detached=True)
        except ConfigError as exc:
            raise RevisionError(f"the configuration at {ref} is invalid: {'; '.join(exc.problems)}") from None
        # The files have no history of their own: the repository's, up to the commit. (git is never
        # run among the temporary directory's parents.)
        history = RuleHistory(revision=commit, root=root, as_of=as_of)
        found = repository_findings(past, past_options.debug, history)
    fingerprints = [f.fingerprint for f in found.reported]
    if store is not None:
        store.write(entry, json.dumps({"salt": salt, "fingerprints": fingerprints}).encode())
    return Counter(fingerprints)
