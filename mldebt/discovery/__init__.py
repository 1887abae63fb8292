"""Which files of a repository mldebt analyses.

Inside a git work tree the list is git's own (tracked files plus untracked ones it does not
ignore); elsewhere, or when git cannot run, the tree is walked with its .gitignore files applied.
Either way tool caches, virtualenvs and build output are left out, as are the user's
``exclude`` patterns, and no symlink is followed out of the root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mldebt.discovery.entries import Found, PathFilter
from mldebt.discovery.listing import list_git
from mldebt.discovery.walk import walk
from mldebt.vcs import GitError

__all__ = ["Discovery", "NoWorkTree", "discover", "find_root"]

SOURCE_SUFFIXES = (".py", ".ipynb")


class NoWorkTree(Exception):
    """The path is inside a bare git repository, which holds git's database but no files."""


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding ``.git`` or ``pyproject.toml``.

    ``start`` may be a file or a directory; its symlinks are resolved first. With neither marker
    anywhere above, the directory of ``start`` itself is the root, unless it lies in a bare
    repository: then NoWorkTree, since analysing git's database would find nothing and pass.
    """
    start = start.resolve()
    base = start if start.is_dir() else start.parent
    for candidate in (base, *base.parents):
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").is_file():
            return candidate
    for candidate in (base, *base.parents):
        # git's own test for a git directory.
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir() and (candidate / "refs").is_dir():
            raise NoWorkTree(
                f"{candidate} is a bare git repository: it has no work tree to analyse. "
                f"Run mldebt in a clone of it (`git clone {candidate}`)."
            )
    return base


@dataclass(frozen=True)
class Discovery:
    """The files of one repository that mldebt looks at; every path is root-relative POSIX."""

    root: Path
    # The .py and .ipynb files among `files`, sorted.
    sources: tuple[str, ...]
    # Every regular file kept, sources included, sorted: manifests (dvc.yaml, params.yaml,
    # Kedro catalogs, CODEOWNERS) are looked up here.
    files: tuple[str, ...]
    # (path, reason) for what was seen but not kept, sorted.
    skipped: tuple[tuple[str, str], ...]
    # True when git produced the list, False when the tree was walked.
    in_git: bool
    # The templates left out, sorted: directories (with a trailing slash) and files.
    templates: tuple[str, ...] = ()


def discover(root: Path, exclude: Sequence[str] = (), use_git: bool = True) -> Discovery:
    """List the files under ``root`` to analyse, leaving out ``exclude`` (gitignore-style patterns).

    Never raises for git trouble: a failing or missing git means the tree is walked instead, as
    it is with ``use_git`` false (files no git work tree holds, whatever lies above them).
    Raises OSError only when ``root`` is not a readable directory.
    """
    root = root.resolve()
    path_filter = PathFilter(exclude)
    found = _git_listing(root, path_filter) if use_git else None
    in_git = found is not None
    if found is None:
        found = walk(str(root), path_filter)
    files = tuple(sorted(found.files))
    return Discovery(
        root=root,
        sources=tuple(path for path in files if path.endswith(SOURCE_SUFFIXES)),
        files=files,
        skipped=tuple(sorted(found.skipped)),
        in_git=in_git,
        templates=tuple(sorted(found.templates)),
    )


def _git_listing(root: Path, path_filter: PathFilter) -> Found | None:
    if not any((directory / ".git").exists() for directory in (root, *root.parents)):
        return None
    try:
        return list_git(str(root), path_filter)
    except GitError:
        # git missing, too old, or refusing the repository (unsafe ownership): the walk still
        # gives an answer.
        return None
