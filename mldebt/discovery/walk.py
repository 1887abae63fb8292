"""Listing a directory tree that git cannot list, honouring its .gitignore files as git would."""

from __future__ import annotations

import os

import pathspec

from mldebt.discovery.entries import (
    UNREADABLE,
    VENV_MARKER,
    Found,
    PathFilter,
    is_gitignore_pattern,
)
from mldebt.discovery.templates import SUFFIXES, is_template_name
from mldebt.safefile import MiB, read_regular

MAX_GITIGNORE_BYTES = 4 * MiB

# One .gitignore: the directory it sits in ("" or "a/b/") and its compiled patterns.
_Layer = tuple[str, pathspec.GitIgnoreSpec]


def _ignored(layers: tuple[_Layer, ...], rel: str) -> bool:
    # The deepest .gitignore with a matching pattern decides, as in git; a directory is passed
    # with a trailing slash so that directory-only patterns apply to it.
    for prefix, spec in reversed(layers):
        verdict = spec.check_file(rel[len(prefix) :]).include
        if verdict is not None:
            return verdict
    return False


def _read_gitignore(path: str) -> pathspec.GitIgnoreSpec | None:
    try:
        # As git does, a symlinked .gitignore is not read; lines pathspec cannot compile are
        # skipped, as git skips them.
        text = read_regular(path, MAX_GITIGNORE_BYTES).decode("utf-8-sig", errors="surrogateescape")
        spec = pathspec.GitIgnoreSpec.from_lines(line for line in text.splitlines() if is_gitignore_pattern(line))
    except OSError:
        # git carries on without an unreadable .gitignore, and so do we.
        return None
    return spec if len(spec) else None


def walk(root: str, path_filter: PathFilter) -> Found:
    """List the regular files below ``root``, leaving out what its .gitignore files ignore.

    Symlinked directories are never entered. Raises OSError only if ``root`` itself cannot be
    listed; an unreadable directory below it is reported in ``skipped``.
    """
    found = Found(root)
    pending: list[tuple[str, tuple[_Layer, ...]]] = [("", ())]
    while pending:
        rel_dir, layers = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel_dir)) as listing:
                entries = list(listing)
        except OSError:
            if not rel_dir:
                raise
            found.skipped.append((rel_dir, UNREADABLE))
            continue
        # Checked here rather than before entering, so finding a virtualenv costs no extra stat.
        if rel_dir and any(entry.name == VENV_MARKER for entry in entries):
            continue
        prefix = rel_dir + "/" if rel_dir else ""
        for entry in entries:
            # git only reads a .gitignore that is a regular file, never one behind a symlink.
            if entry.name == ".gitignore" and entry.is_file(follow_symlinks=False):
                spec = _read_gitignore(entry.path)
                if spec is not None:
                    layers = (*layers, (prefix, spec))
        for entry in entries:
            rel = prefix + entry.name
            # A .git file (a worktree's or submodule's pointer) is git's, never the project's.
            if entry.name == ".git":
                continue
            if entry.is_dir(follow_symlinks=False):
                if path_filter.drops_dir(rel) or _ignored(layers, rel + "/"):
                    continue
                if is_template_name(entry.name):
                    found.templates.add(rel + "/")
                else:
                    pending.append((rel, layers))
            elif path_filter.drops_file(rel) or _ignored(layers, rel):
                continue
            elif is_template_name(entry.name) or entry.name.endswith(SUFFIXES):
                found.templates.add(rel)
            elif entry.is_symlink():
                found.add_link(rel)
            elif entry.is_file(follow_symlinks=False):
                found.files.append(rel)
    return found
