"""`mldebt check --new-since REF` reports only what REF did not have."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mldebt.demo.history import Commit, build_history

OLD = "import pandas as pd\n\ndf = pd.read_csv('data/old.csv')\n"
NEW = "import pandas as pd\n\n# a comment moves the old finding down\ndf = pd.read_csv('data/old.csv')\nout = pd.read_csv('data/new.csv')\n"


def _mldebt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mldebt", *args], cwd=cwd, capture_output=True, text=True, check=False)


def _repo(tmp_path: Path) -> Path:
    return build_history(
        tmp_path / "repo",
        [
            Commit("Ann", "ann@example.org", "2025-01-01T10:00:00+00:00", "start", {"train.py": OLD, "pyproject.toml": "[project]\nname='x'\n"}),
            Commit("Bob", "bob@example.org", "2025-02-01T10:00:00+00:00", "more data", {"train.py": NEW}),
        ],
    )


def test_only_new_findings_are_reported(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    everything = _mldebt(root, "check", "--no-cache")
    assert everything.returncode == 1 and everything.stdout.count("MLD101") == 2
    since = _mldebt(root, "check", "--new-since", "HEAD~1")
    assert since.returncode == 1, since.stderr
    assert since.stdout.splitlines() == [
        "train.py:5:7: MLD101 reads data `data/new.csv` (pandas.read_csv) that no manifest declares"
    ]
    assert "1 known finding not reported" in since.stderr
    # The revision's result is cached; a second run gives the same answer.
    assert _mldebt(root, "check", "--new-since", "HEAD~1").stdout == since.stdout
    assert _mldebt(root, "check", "--new-since", "HEAD").returncode == 0


def test_a_missing_revision_is_a_clear_error(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    result = _mldebt(root, "check", "--new-since", "origin/main")
    assert result.returncode == 2
    assert "not in this clone" in result.stderr and "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_since_does_not_run_repository_filters(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    marker = tmp_path / "pwned"
    (root / ".gitattributes").write_text("*.py filter=evil\n")
    subprocess.run(["git", "config", "filter.evil.smudge", f"touch {marker}; cat"], cwd=root, check=True)
    subprocess.run(["git", "config", "filter.evil.clean", f"touch {marker}; cat"], cwd=root, check=True)
    subprocess.run(["git", "config", "core.fsmonitor", f"touch {marker}; false"], cwd=root, check=True)
    _mldebt(root, "check", "--new-since", "HEAD~1")
    assert not marker.exists()


def _forged_revision(root: Path) -> tuple[str, str]:
    """The base commit, and a revisions entry claiming it had every finding HEAD has."""
    import json

    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    current = json.loads(_mldebt(root, "check", "--no-cache", "--format", "json").stdout)["findings"]
    return base, json.dumps({"salt": "anything", "fingerprints": [f["fingerprint"] for f in current]})


def test_a_revisions_entry_the_branch_commits_cannot_hide_new_debt(tmp_path: Path) -> None:
    """Where mldebt once kept its cache, in the work tree, the pull request can write."""
    root = _repo(tmp_path)
    base, forged = _forged_revision(root)
    planted = root / ".mldebt_cache" / "revisions" / f"{base}.json"
    planted.parent.mkdir(parents=True)
    planted.write_text(forged)
    subprocess.run(["git", "add", "-f", ".mldebt_cache"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=M", "-c", "user.email=m@x", "commit", "-qm", "cache"], cwd=root, check=True)

    since = _mldebt(root, "check", "--new-since", base)

    assert since.returncode == 1 and "data/new.csv" in since.stdout, since.stderr


def test_a_forged_entry_in_the_cache_itself_is_rejected(tmp_path: Path) -> None:
    """Even in mldebt's own cache directory (shared, or restored in CI), a file not signed with
    this machine's key is not believed."""
    from mldebt.cachestore import default_directory

    root = _repo(tmp_path)
    base, forged = _forged_revision(root)
    entry = default_directory(root) / "revisions" / f"{base}.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(forged)

    since = _mldebt(root, "check", "--new-since", base)

    assert since.returncode == 1 and "data/new.csv" in since.stdout, since.stderr
    assert "1 cache entry in" in since.stderr and "did not verify" in since.stderr


def test_an_empty_revision_is_a_usage_error(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    for ref in ("", "  "):
        result = _mldebt(root, "check", "--new-since", ref)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.endswith("Error: Invalid value for '--new-since': REF is empty; give a branch, tag or commit\n")


def test_a_revision_whose_objects_are_missing_is_a_clear_error(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    git = ["git", "-C", str(root)]
    blob = subprocess.run([*git, "rev-parse", "HEAD~1:train.py"], capture_output=True, text=True, check=True).stdout.strip()
    commit = subprocess.run([*git, "rev-parse", "HEAD~1"], capture_output=True, text=True, check=True).stdout.strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    result = _mldebt(root, "check", "--no-cache", "--new-since", "HEAD~1")

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"mldebt: error: revision 'HEAD~1' ({commit}) cannot be read: git cat-file could not read object {blob}. "
        "Objects are missing from this clone (a partial clone, or a damaged one): a full `git clone` has them.\n"
    )


def test_what_lies_above_the_temporary_directory_does_not_change_the_past(tmp_path: Path) -> None:
    """The revision is written to a temporary directory: a pyproject.toml or .git that anyone
    put above it (in a shared /tmp) must not become its root, its configuration or its git.
    The repository has no pyproject.toml, which would have marked the root."""
    root = build_history(
        tmp_path / "repo",
        [
            Commit("Ann", "ann@example.org", "2025-01-01T10:00:00+00:00", "start", {"train.py": OLD}),
            Commit("Bob", "bob@example.org", "2025-02-01T10:00:00+00:00", "more data", {"train.py": NEW}),
        ],
    )
    shared = tmp_path / "shared"
    (shared / "tmp").mkdir(parents=True)
    (shared / "pyproject.toml").write_text("[tool.mldebt]\nselect = ['MLD0']\n")
    subprocess.run(["git", "init", "-q", str(shared)], check=True)
    env = {**os.environ, "TMPDIR": str(shared / "tmp")}
    result = subprocess.run([sys.executable, "-m", "mldebt", "check", "--no-cache", "--new-since", "HEAD~1"],
                            cwd=root, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "train.py:5:7: MLD101 reads data `data/new.csv` (pandas.read_csv) that no manifest declares"
    ]


def test_files_with_the_same_content_are_all_in_the_past(tmp_path: Path) -> None:
    """Two files with one blob id (copies, every empty __init__.py): the revision had both
    findings, so neither is new."""
    root = build_history(
        tmp_path / "repo",
        [
            Commit("Ann", "ann@example.org", "2025-01-01T10:00:00+00:00", "start", {"a.py": OLD, "b.py": OLD}),
            Commit("Bob", "bob@example.org", "2025-02-01T10:00:00+00:00", "docs", {"README.md": "x\n"}),
        ],
    )
    result = _mldebt(root, "check", "--no-cache", "--new-since", "HEAD~1")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout
    assert "2 known findings not reported" in result.stderr


def test_a_base_tree_with_one_name_as_file_and_directory_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    """`git mktree` writes trees that git itself cannot check out."""
    root = _repo(tmp_path)

    def git(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, text=True, check=True).stdout.strip()

    blob = git("hash-object", "-w", "--stdin", stdin=OLD)
    inner = git("mktree", stdin=f"100644 blob {blob}\tx.py\n")
    tree = git("mktree", stdin=f"100644 blob {blob}\ta.py\n040000 tree {inner}\ta.py\n100644 blob {blob}\ttrain.py\n")
    base = git("-c", "user.name=M", "-c", "user.email=m@x", "commit-tree", tree, "-m", "crafted")

    since = _mldebt(root, "check", "--new-since", base)

    assert since.returncode == 1, since.stderr
    assert "internal error" not in since.stderr and "data/new.csv" in since.stdout


# Two ML pipelines: other.py is Ann's alone (bus factor 1 at every revision), train.py Ann's and Bob's.
TRAIN = (
    "from sklearn.linear_model import LogisticRegression\nimport pandas as pd\n\nif __name__ == '__main__':\n"
    "    X = pd.read_csv('data/x.csv')  # mldebt: ignore[MLD101]\n    LogisticRegression().fit(X, X)\n"
)


def _day(author: str, day: int, files: dict[str, str]) -> Commit:
    return Commit(author, f"{author.lower()}@example.org", f"2025-03-{day:02d}T10:00:00+00:00", "x", files)


def _two_pipelines(root: Path, *later: Commit) -> Path:
    return build_history(root, [
        _day("Ann", 1, {"pyproject.toml": "[project]\nname='x'\n", "train.py": TRAIN, "other.py": TRAIN.replace("x.csv", "y.csv")}),
        _day("Bob", 2, {"train.py": TRAIN + "\n# Bob's tuning\n"}),
        _day("Bob", 3, {"train.py": TRAIN + "\n# Bob's tuning, again\n"}),
        *later,
    ])


def test_the_past_revision_has_its_history_so_ownership_debt_is_new_only_where_a_change_makes_it(tmp_path: Path) -> None:
    # A commit that touches no pipeline adds no MLD4xx finding, though other.py has one.
    untouched = _two_pipelines(tmp_path / "a", _day("Carol", 4, {"notes.md": "notes\n"}))
    assert _mldebt(untouched, "check", "--no-cache").stdout.splitlines() == [
        "other.py:1:1: MLD402 script `other.py` has bus factor 1: without Ann most of its code has no author"
    ]
    since = _mldebt(untouched, "check", "--no-cache", "--new-since", "HEAD~1")
    assert (since.returncode, since.stdout) == (0, ""), since.stderr
    assert "1 known finding not reported" in since.stderr

    # Commits that leave train.py Ann's alone add exactly that pipeline's finding.
    rewrites = [_day("Ann", 5 + i, {"train.py": TRAIN + f"\n# Ann's rewrite {i}\n"}) for i in range(2)]
    single = _two_pipelines(tmp_path / "b", *rewrites)
    since = _mldebt(single, "check", "--no-cache", "--new-since", "HEAD~2")
    assert since.returncode == 1, since.stderr
    assert since.stdout.splitlines() == [
        "train.py:1:1: MLD402 script `train.py` has bus factor 1: without Ann most of its code has no author"
    ]
