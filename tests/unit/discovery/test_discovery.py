import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

import mldebt.discovery.listing
from mldebt.discovery import NoWorkTree, discover, find_root
from mldebt.discovery.entries import BROKEN, OUTSIDE, UNREADABLE
from mldebt.vcs import GitError, git_argv

MODES = ["git", "walk"]


@pytest.fixture(autouse=True)
def _hermetic_git(tmp_path_factory, monkeypatch):
    # A developer's global excludesFile or init template must not change what a test repo lists.
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "T")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@example.com")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(git_argv(args), cwd=repo, check=True, capture_output=True)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def _link(root: Path, links: dict[str, str]) -> None:
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)


def _commit_all(repo: Path) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "c", "--no-gpg-sign")


def _make_repo(
    root: Path, mode: str, files: dict[str, str], links: dict[str, str] | None = None
) -> Path:
    """The same tree either committed to a fresh git repository or left as plain directories."""
    root.mkdir(parents=True, exist_ok=True)
    _write(root, files)
    _link(root, links or {})
    if mode == "git":
        _git(root, "init", "-q", "-b", "main")
        _commit_all(root)
    return root


# find_root


def test_find_root_takes_the_nearest_marker(tmp_path):
    repo = tmp_path / "repo"
    _write(repo, {"sub/pyproject.toml": "", "sub/pkg/mod.py": "", "other/deep/mod.py": ""})
    (repo / ".git").mkdir()
    assert find_root(repo / "sub/pkg/mod.py") == repo / "sub"
    assert find_root(repo / "sub/pkg") == repo / "sub"
    assert find_root(repo / "other/deep/mod.py") == repo
    assert find_root(repo / "other") == repo
    assert find_root(repo) == repo


def test_find_root_refuses_a_bare_repository_at_or_above_start(tmp_path):
    _git(tmp_path, "init", "-q", "--bare", "mirror.git")
    for start in (tmp_path / "mirror.git", tmp_path / "mirror.git/objects"):
        with pytest.raises(NoWorkTree, match=f"^{tmp_path / 'mirror.git'} is a bare git repository: it has no work tree"):
            find_root(start)


def test_a_project_marker_wins_over_files_named_like_a_git_directory(tmp_path):
    _write(tmp_path, {"HEAD": "ref: refs/heads/main\n", "objects/a.py": "", "refs/b.py": ""})
    with pytest.raises(NoWorkTree):
        find_root(tmp_path / "objects")
    (tmp_path / "pyproject.toml").write_text("")
    assert find_root(tmp_path / "objects") == tmp_path


def test_find_root_counts_a_git_file(tmp_path):
    # A linked worktree or submodule has a .git file pointing at its git directory.
    _write(tmp_path, {"wt/.git": "gitdir: /elsewhere\n", "wt/src/a.py": ""})
    assert find_root(tmp_path / "wt/src/a.py") == tmp_path / "wt"


def test_find_root_without_markers_is_the_start_directory(tmp_path):
    _write(tmp_path, {"plain/src/a.py": ""})
    assert find_root(tmp_path / "plain/src/a.py") == tmp_path / "plain/src"
    assert find_root(tmp_path / "plain") == tmp_path / "plain"


def test_find_root_resolves_symlinks_first(tmp_path):
    _write(tmp_path, {"repo/pyproject.toml": "", "repo/src/a.py": ""})
    _link(tmp_path, {"elsewhere/a.py": str(tmp_path / "repo/src/a.py")})
    assert find_root(tmp_path / "elsewhere/a.py") == tmp_path / "repo"


# git mode


def test_git_mode_lists_tracked_and_untracked_but_not_ignored(tmp_path):
    repo = _make_repo(
        tmp_path / "repo",
        "git",
        {
            ".gitignore": "*.log\ndata/\n",
            "train.py": "",
            "pkg/features.py": "",
            "pkg/gone.py": "",
            "notebooks/eda.ipynb": "{}",
            "données/modèle.py": "",
            "dvc.yaml": "",
        },
    )
    _write(repo, {"new.py": "", "run.log": "", "data/raw.csv": "", "secret.py": ""})
    (repo / ".git/info/exclude").write_text("secret.py\n")
    (repo / "pkg/gone.py").unlink()

    found = discover(repo)

    assert found.in_git
    assert found.root == repo.resolve()
    assert found.files == (
        ".gitignore",
        "données/modèle.py",
        "dvc.yaml",
        "new.py",
        "notebooks/eda.ipynb",
        "pkg/features.py",
        "train.py",
    )
    assert found.sources == (
        "données/modèle.py",
        "new.py",
        "notebooks/eda.ipynb",
        "pkg/features.py",
        "train.py",
    )
    assert found.skipped == ()


def test_git_mode_below_the_repository_root_lists_relative_to_it(tmp_path):
    repo = _make_repo(
        tmp_path / "repo", "git", {"top.py": "", "svc/pyproject.toml": "", "svc/app/main.py": ""}
    )
    found = discover(repo / "svc")
    assert found.in_git
    assert found.files == ("app/main.py", "pyproject.toml")


def test_git_mode_lists_a_conflicted_path_once(tmp_path):
    repo = _make_repo(tmp_path / "repo", "git", {"model.py": "a = 0\n"})
    _git(repo, "checkout", "-q", "-b", "other")
    _write(repo, {"model.py": "a = 1\n"})
    _commit_all(repo)
    _git(repo, "checkout", "-q", "main")
    _write(repo, {"model.py": "a = 2\n"})
    _commit_all(repo)
    result = subprocess.run(git_argv(["merge", "other"]), cwd=repo, capture_output=True, text=True)
    assert "CONFLICT" in result.stdout

    assert discover(repo).files == ("model.py",)


def test_git_mode_does_not_read_through_a_directory_replaced_by_a_symlink(tmp_path):
    _write(tmp_path, {"outside/mod.py": "secret"})
    repo = _make_repo(tmp_path / "repo", "git", {"pkg/mod.py": "", "main.py": ""})
    shutil.rmtree(repo / "pkg")
    _link(repo, {"pkg": str(tmp_path / "outside")})

    found = discover(repo)

    assert found.files == ("main.py",)
    assert found.skipped == (("pkg", OUTSIDE),)


def test_git_config_of_the_analysed_repository_starts_no_program(tmp_path):
    marker = tmp_path / "pwned"
    hook = f"touch {shlex.quote(str(marker))} #"
    repo = _make_repo(
        tmp_path / "repo", "git", {".gitattributes": "* filter=evil\n", "train.py": ""}
    )
    _git(repo, "config", "core.fsmonitor", hook)
    _git(repo, "config", "filter.evil.clean", hook)
    _git(repo, "config", "filter.evil.smudge", hook)
    _git(repo, "config", "filter.evil.process", hook)
    _write(repo, {"train.py": "changed", "untracked.py": ""})
    # Arm check: a plain `git ls-files` does run the repository's fsmonitor hook.
    subprocess.run(["git", "ls-files"], cwd=repo, check=True, capture_output=True)
    assert marker.exists()
    marker.unlink()

    found = discover(repo)

    assert found.in_git
    assert found.files == (".gitattributes", "train.py", "untracked.py")
    assert not marker.exists()


def test_git_failure_falls_back_to_the_walk(tmp_path, monkeypatch):
    repo = _make_repo(
        tmp_path / "repo", "git", {".gitignore": "*.log\n", "train.py": "", "run.log": ""}
    )

    def broken(cwd, args):
        raise GitError("`git ls-files` failed: fatal: detected dubious ownership")

    monkeypatch.setattr(mldebt.discovery.listing, "run_git", broken)
    found = discover(repo)

    assert not found.in_git
    assert found.files == (".gitignore", "train.py")


def test_git_not_installed_falls_back_to_the_walk(tmp_path, monkeypatch):
    repo = _make_repo(
        tmp_path / "repo", "git", {".gitignore": "*.log\n", "train.py": "", "run.log": ""}
    )
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    found = discover(repo)

    assert not found.in_git
    assert found.files == (".gitignore", "train.py")


# walk mode


GITIGNORED_TREE = {
    ".gitignore": "\n".join(
        [
            "*.log",
            "!keep.log",
            "logs/",
            "/top_only.py",
            "cache/",
            "!cache/rescued.py",
            "docs/**/draft_*.md",
        ]
    ),
    "keep.log": "",
    "debug.log": "",
    "logs/run.txt": "",
    "sub/logs": "a file, not a directory",
    "top_only.py": "",
    "sub/top_only.py": "",
    "cache/rescued.py": "",
    "docs/a/b/draft_x.md": "",
    "docs/a/final.md": "",
    "sub/.gitignore": "*.csv\n!important.csv\nlocal.py\n/anchored.txt\n",
    "sub/a.csv": "",
    "sub/important.csv": "",
    "sub/local.py": "",
    "sub/anchored.txt": "",
    "sub/deeper/anchored.txt": "",
    "sub/deeper/b.csv": "",
    "sub/deeper/.gitignore": "!b.csv\n!debug.log\n",
    "sub/deeper/debug.log": "",
    "other/local.py": "",
}


def test_walk_applies_nested_gitignores_with_negation(tmp_path):
    found = discover(_make_repo(tmp_path / "plain", "walk", GITIGNORED_TREE))

    assert not found.in_git
    assert found.files == (
        ".gitignore",
        "docs/a/final.md",
        "keep.log",
        "other/local.py",
        "sub/.gitignore",
        "sub/deeper/.gitignore",
        "sub/deeper/anchored.txt",
        "sub/deeper/b.csv",
        "sub/deeper/debug.log",
        "sub/important.csv",
        "sub/logs",
        "sub/top_only.py",
    )


def test_walk_agrees_with_git_on_the_same_tree(tmp_path):
    plain = _make_repo(tmp_path / "plain", "walk", GITIGNORED_TREE)
    repo = _make_repo(tmp_path / "repo", "walk", GITIGNORED_TREE)
    _git(repo, "init", "-q")

    assert discover(repo).in_git
    assert discover(plain).files == discover(repo).files


def test_walk_never_enters_a_directory_symlink_loop(tmp_path):
    root = _make_repo(
        tmp_path / "plain", "walk", {"a/x.py": ""}, links={"a/up": "..", "a/here": ".", "b": "a"}
    )
    found = discover(root)
    assert found.files == ("a/x.py",)
    assert found.skipped == ()


def test_walk_reports_an_unreadable_directory(tmp_path, monkeypatch):
    root = _make_repo(tmp_path / "plain", "walk", {"ok.py": "", "locked/x.py": ""})
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(root)
    assert found.files == ("ok.py",)
    assert found.skipped == (("locked", UNREADABLE),)


# both modes


@pytest.mark.parametrize("mode", MODES)
def test_tool_virtualenv_and_build_directories_are_skipped(tmp_path, mode):
    skipped_dirs = dict.fromkeys(
        [
            ".venv/lib/a.py",
            "venv/a.py",
            "env/a.py",
            "my-env/pyvenv.cfg",
            "my-env/lib/x.py",
            "build/lib/a.py",
            "dist/pkg.tar.gz",
            "pkg.egg-info/PKG-INFO",
            ".eggs/x.py",
            "node_modules/x/index.js",
            "vendor/lib/python3.11/site-packages/torch/__init__.py",
            "usr/lib/python3/dist-packages/x.py",
            "src/__pycache__/m.cpython-311.pyc",
            "src/.ipynb_checkpoints/nb-checkpoint.ipynb",
            ".tox/x.py",
            ".nox/x.py",
            ".mldebt_cache/facts.json",
            ".mypy_cache/x.json",
            ".pytest_cache/x",
            ".ruff_cache/x",
            ".hg/store",
            ".svn/entries",
        ],
        "",
    )
    kept = dict.fromkeys(
        ["src/model.py", "src/build_model.py", "scripts/build", "environment.yml"], ""
    )
    found = discover(_make_repo(tmp_path / "repo", mode, {**skipped_dirs, **kept}))

    assert found.in_git is (mode == "git")
    assert found.files == tuple(sorted(kept))
    assert found.sources == ("src/build_model.py", "src/model.py")


@pytest.mark.parametrize("mode", MODES)
def test_exclude_patterns_apply_to_files_and_sources(tmp_path, mode):
    files = dict.fromkeys(
        [
            "fixtures/a.py",
            "fixtures/data.csv",
            "legacy/old.py",
            "legacy/readme.md",
            "legacy/sub/deep.py",
            "src/generated_pb2.py",
            "generated_api.py",
            "src/main.py",
        ],
        "",
    )
    root = _make_repo(tmp_path / "repo", mode, files, links={"fixtures/dangling.py": "missing.py"})

    found = discover(root, exclude=["fixtures/", "legacy/*.py", "**/generated_*.py"])

    assert found.files == ("legacy/readme.md", "legacy/sub/deep.py", "src/main.py")
    assert found.sources == ("legacy/sub/deep.py", "src/main.py")
    assert found.skipped == ()


@pytest.mark.parametrize("mode", MODES)
def test_symlinks_are_kept_only_when_they_lead_to_a_file_inside_the_root(tmp_path, mode):
    _write(tmp_path, {"outside/secret.py": "", "outside/dir/x.py": ""})
    links = {
        "abs_out.py": str(tmp_path / "outside/secret.py"),
        "rel_out.py": "../outside/secret.py",
        "ext": str(tmp_path / "outside/dir"),
        "alias.py": "src/real.py",
        "src/up.py": "../top.py",
        "srclink": "src",
        "dangling.py": "missing.py",
        "loop.py": "loop.py",
    }
    root = _make_repo(tmp_path / "repo", mode, {"src/real.py": "", "top.py": ""}, links=links)

    found = discover(root)

    assert found.files == ("alias.py", "src/real.py", "src/up.py", "top.py")
    assert found.skipped == (
        ("abs_out.py", OUTSIDE),
        ("dangling.py", BROKEN),
        ("ext", OUTSIDE),
        ("loop.py", BROKEN),
        ("rel_out.py", OUTSIDE),
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no fifos on this platform")
@pytest.mark.parametrize("mode", MODES)
def test_non_regular_files_are_skipped_silently(tmp_path, mode):
    root = _make_repo(tmp_path / "repo", mode, {"a.py": ""})
    os.mkfifo(root / "pipe.py")
    found = discover(root)
    assert found.files == ("a.py",)
    assert found.skipped == ()


@pytest.mark.parametrize("mode", MODES)
def test_gitignore_lines_pathspec_cannot_compile_are_skipped_as_git_skips_them(tmp_path, mode):
    files = {"pyproject.toml": "", ".gitignore": "!\n[z-a]\nx\\\n*.log\n", "a.py": "", "run.log": ""}
    repo = _make_repo(tmp_path / "repo", mode, files)
    assert discover(repo).files == (".gitignore", "a.py", "pyproject.toml")
