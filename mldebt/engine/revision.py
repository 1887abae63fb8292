"""--new-since: the findings a past revision had, by fingerprint.

Its files are read straight from git's object store into a temporary directory. Not `git
worktree add` or `git archive`: both apply the repository's smudge filters, which are programs
its own configuration names. Blobs are copied byte for byte; only the files analysis reads
(sources, manifests, ignore files) are written. The revision is analysed without history, and
its fingerprints are cached per commit.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import replace
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


def fingerprints_at(root: Path, ref: str, options: CheckOptions, store: CacheStore | None) -> Counter[str]:
    """The fingerprints of the findings revision ``ref`` had, cached per commit in ``store``."""
    commit = resolve_revision(root, ref)
    salt = f"{__version__}\0{extractor_digest(file_rules())}\0{options.select}\0{options.ignore}"
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
        # The files have no history of their own; git is not run among the temporary directory's parents.
        no_history = RuleHistory(problem="a past revision is analysed without history")
        found = repository_findings(past, past_options.debug, no_history)
    fingerprints = [f.fingerprint for f in found.reported]
    if store is not None:
        store.write(entry, json.dumps({"salt": salt, "fingerprints": fingerprints}).encode())
    return Counter(fingerprints)
