"""What discovery decides about one path, whichever way the paths were listed.

Both listings (git's and the .gitignore walk) share these decisions: which directories are never
analysed, which paths the user excluded, and what a symlink may be followed to.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

import pathspec

from mldebt.safefile import is_inside

OUTSIDE = "symlink pointing outside the repository"
BROKEN = "broken symlink"
UNREADABLE = "unreadable directory"

# Tool caches, virtualenvs, installed packages and build output: never the project's own code,
# and often large enough to dominate a run.
SKIPPED_DIR_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".mldebt_cache",
        ".ipynb_checkpoints",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "env",
        "site-packages",
        "dist-packages",
        "node_modules",
        "build",
        "dist",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

# A virtualenv can have any name; this file at its top is what marks one.
VENV_MARKER = "pyvenv.cfg"


# pathspec compiles a line to a Python regex, which backtracks: `*a*a*a*a*a*a*b` takes hours
# on a long file name, and a .gitignore or an exclude list is the pull request's to write.
# git matches such lines without regexes; mldebt refuses those with more loops than this.
MAX_GITIGNORE_WILDCARDS = 4


def is_gitignore_pattern(pattern: str) -> bool:
    """Whether pathspec can compile ``pattern`` as one gitignore line, and match it in
    reasonable time. It raises on some lines git merely ignores: ``!`` alone, a trailing
    backslash, a reversed range ``[z-a]``; and see MAX_GITIGNORE_WILDCARDS."""
    if pattern.count("*") > MAX_GITIGNORE_WILDCARDS:
        return False
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except (ValueError, re.error):
        return False
    return True


class PathFilter:
    """The directories never analysed, plus the user's gitignore-style ``exclude`` patterns."""

    def __init__(self, exclude: Sequence[str]) -> None:
        self._spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None

    def drops_dir(self, rel_dir: str) -> bool:
        """Whether the directory ``rel_dir`` (root-relative, no trailing slash) is left out."""
        name = rel_dir.rpartition("/")[2]
        if name in SKIPPED_DIR_NAMES or name.endswith(".egg-info"):
            return True
        # The trailing slash is how pathspec is told the path is a directory, so that
        # directory-only patterns (`fixtures/`) apply.
        return self._spec is not None and self._spec.match_file(rel_dir + "/")

    def drops_file(self, rel: str) -> bool:
        """Whether an exclude pattern names the file ``rel`` itself (its directories aside)."""
        return self._spec is not None and self._spec.match_file(rel)


@dataclass
class Found:
    """What one listing kept and what it skipped, with the reason, in no particular order."""

    root: str
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # The templates met (see discovery.templates): directories with a trailing slash, files.
    templates: set[str] = field(default_factory=set)

    def add_link(self, rel: str) -> None:
        """Keep the symlink ``rel`` if it leads to a regular file inside the root, else say why not.

        A symlink to a directory inside the root is dropped without a word: its files are
        listed under their real path already.
        """
        target = os.path.realpath(os.path.join(self.root, rel))
        # Outside is decided first: a link out of the repository is reported as such whether or
        # not its target exists.
        if not is_inside(target, self.root):
            self.skipped.append((rel, OUTSIDE))
            return
        try:
            mode = os.stat(target).st_mode
        except OSError:
            # Missing targets and symlink loops alike.
            self.skipped.append((rel, BROKEN))
            return
        if stat.S_ISREG(mode):
            self.files.append(rel)
