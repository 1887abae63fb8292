"""The GitHub repositories a work tree says it comes from, read as text from .git/config and
pyproject.toml, and what that changes: a test fetching the repository's own committed file by
its raw URL reads that file, a fixture, not remote data."""

from __future__ import annotations

from pathlib import Path

from mldebt.discovery.origin import own_repositories
from mldebt.engine import CheckOptions, analyse
from mldebt.graph import Status

GIT_CONFIG = """\
[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = git@github.com:rasbt/Proj.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[remote "fork"]
\turl = https://github.com/someone/proj-fork
[remote "mirror"]
\turl = https://gitlab.com/rasbt/proj.git
"""


def test_remotes_and_project_urls_name_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(GIT_CONFIG)
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'p'\n[project.urls]\nHomepage = 'https://github.com/rasbt/proj/tree/main'\n"
        "Docs = 'https://proj.readthedocs.io'\n"
    )
    assert own_repositories(tmp_path) == {"rasbt/proj", "someone/proj-fork"}


def test_nothing_readable_says_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: /elsewhere/worktrees/x\n")  # a linked work tree: not read
    (tmp_path / "pyproject.toml").write_text("[project\n")
    assert own_repositories(tmp_path) == frozenset()


def test_a_raw_url_of_the_repository_s_own_committed_file_is_that_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'p'\n[project.urls]\nRepository = 'https://github.com/rasbt/proj'\n"
    )
    (tmp_path / "ch02").mkdir()
    (tmp_path / "ch02" / "the-verdict.txt").write_text("text\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_loader.py").write_text(
        "import requests\n"
        "def test_loader():\n"
        "    text = requests.get('https://raw.githubusercontent.com/rasbt/proj/main/ch02/the-verdict.txt').text\n"
        "    other = requests.get('https://github.com/rasbt/proj/raw/release/2.0/ch02/the-verdict.txt').text\n"
        "    gone = requests.get('https://raw.githubusercontent.com/rasbt/proj/main/ch02/missing.txt').text\n"
        "    theirs = requests.get('https://raw.githubusercontent.com/other/proj/main/ch02/the-verdict.txt').text\n"
    )
    # A pipeline's download gets what the default branch has now: still remote data.
    (tmp_path / "ch05.py").write_text(
        "import requests\nif __name__ == '__main__':\n"
        "    text = requests.get('https://raw.githubusercontent.com/rasbt/proj/main/ch02/the-verdict.txt').text\n"
    )
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {(a.path, a.location.line, str(a.target)): c.status for a, c in graph.classified()}

    test = "tests/test_loader.py"
    assert got == {
        (test, 3, "ch02/the-verdict.txt"): Status.TOOLING,
        (test, 4, "ch02/the-verdict.txt"): Status.TOOLING,
        # Not in the work tree, or another repository's: remote data.
        (test, 5, "https://raw.githubusercontent.com/rasbt/proj/main/ch02/missing.txt"): Status.UNDECLARED,
        (test, 6, "https://raw.githubusercontent.com/other/proj/main/ch02/the-verdict.txt"): Status.UNDECLARED,
        ("ch05.py", 3, "https://raw.githubusercontent.com/rasbt/proj/main/ch02/the-verdict.txt"): Status.UNDECLARED,
    }
