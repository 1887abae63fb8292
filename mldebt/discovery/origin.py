"""Which GitHub repositories a work tree is a copy of, from what it says about itself as text:
the remotes in `.git/config` and the URLs in pyproject.toml's `[project.urls]`. Nothing is run
(no `git config`, whose includes and conditions a repository controls), and only those two
small files are read; a raw URL of one of these repositories names a file of the work tree.
"""

from __future__ import annotations

import re
from pathlib import Path

from mldebt.safefile import read_inside
from mldebt.tomlcompat import tomllib

# Far larger than any real .git/config or pyproject.toml.
_LIMIT = 1 << 20
# `https://github.com/owner/name(.git)`, `git@github.com:owner/name.git`, `ssh://git@github.com/owner/name`.
_GITHUB = re.compile(r"github\.com[:/]([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?(?:[#?/].*)?$")
_REMOTE_URL = re.compile(r"^\s*url\s*=\s*(\S+)\s*$", re.MULTILINE)


def own_repositories(root: Path) -> frozenset[str]:
    """The `owner/name` (lower case) of each GitHub repository the work tree at ``root`` says
    it comes from; empty when it says nothing readable."""
    urls: list[str] = []
    if (root / ".git").is_dir():
        config = _text(root, ".git/config")
        urls += _REMOTE_URL.findall(config)
    try:
        project = tomllib.loads(_text(root, "pyproject.toml")).get("project", {})
    except tomllib.TOMLDecodeError:
        project = {}
    links = project.get("urls", {}) if isinstance(project, dict) else {}
    if isinstance(links, dict):
        urls += [url for url in links.values() if isinstance(url, str)]
    found = set()
    for url in urls:
        match = _GITHUB.search(url)
        if match:
            found.add(f"{match.group(1)}/{match.group(2)}".lower())
    return frozenset(found)


def _text(root: Path, rel: str) -> str:
    try:
        return read_inside(root, rel, _LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""
