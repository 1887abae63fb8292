"""Listing a git work tree the way git sees it: tracked files plus untracked ones not ignored."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mldebt.discovery.entries import VENV_MARKER, Found, PathFilter
from mldebt.discovery.templates import template_of
from mldebt.vcs import run_git


def list_git(root: str, path_filter: PathFilter) -> Found:
    """List the files git knows at ``root`` that are on disk now. Raises GitError if git fails.

    Only ``git ls-files`` runs: unlike `git status` or `ls-files --modified` it never compares
    file contents, so no clean filter or other driver configured by the repository can start.
    """
    # -z: names arrive raw, whatever core.quotepath says.
    out = run_git(Path(root), ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    # A conflicted path is listed once per stage.
    paths = set(out.split("\0"))
    paths.discard("")

    # Decided once a directory, not once a file. The root itself is never dropped, even when it
    # is a virtualenv, exactly as in the walk.
    dropped: dict[str, bool] = {"": False}

    def dir_dropped(rel_dir: str) -> bool:
        if rel_dir not in dropped:
            parent = rel_dir.rpartition("/")[0]
            full = os.path.join(root, rel_dir)
            dropped[rel_dir] = (
                dir_dropped(parent)
                or path_filter.drops_dir(rel_dir)
                # The index may name files under a directory since replaced by a symlink (or
                # removed); reading through it could leave the root.
                or not _is_real_dir(full)
                or os.path.lexists(os.path.join(full, VENV_MARKER))
            )
        return dropped[rel_dir]

    found = Found(root)
    for rel in paths:
        if dir_dropped(rel.rpartition("/")[0]) or path_filter.drops_file(rel):
            continue
        template = template_of(rel)
        if template is not None:
            found.templates.add(template)
            continue
        # The index says what was staged, not what is on disk now: one lstat a file tells
        # deleted files, symlinks and replaced files apart, and is what later stages will read.
        try:
            mode = os.lstat(os.path.join(root, rel)).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode):
            found.files.append(rel)
        elif stat.S_ISLNK(mode):
            found.add_link(rel)
    return found


def _is_real_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
