"""A past revision's files, read straight from git's object store into a temporary directory.

Not `git worktree add` or `git archive`: both apply the repository's smudge filters, which are
programs its own configuration names. Blobs are copied byte for byte; only the files analysis
reads (sources, manifests, ignore files) are written.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

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
