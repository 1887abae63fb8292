"""The facts cache: hits on unchanged content, misses on change, corrupt entries rebuilt."""

from __future__ import annotations

from pathlib import Path

from mldebt.config import Settings
from mldebt.engine import CheckOptions, check, extract_all


def _extract(root: Path) -> tuple[dict, int]:
    return extract_all(root, root, ["a.py", "b.py"], Settings(), jobs=1, use_cache=True)


def test_warm_run_hits_and_changes_miss(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import pandas as pd\npd.read_csv('x.csv')\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    cold, hits = _extract(tmp_path)
    assert hits == 0
    warm, hits = _extract(tmp_path)
    assert hits == 2 and warm == cold
    (tmp_path / "b.py").write_text("y = 3\n")
    _, hits = _extract(tmp_path)
    assert hits == 1
    assert (tmp_path / ".mldebt_cache" / ".gitignore").read_text().strip().endswith("*")


def test_corrupt_entries_are_rebuilt_not_trusted(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import pandas as pd\npd.read_csv('x.csv')\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    cold, _ = _extract(tmp_path)
    entries = sorted((tmp_path / ".mldebt_cache" / "facts").rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_text("{not json")
    entries[1].write_text('{"path": "elsewhere.py", "module": "m", "digest": "x"}')
    rebuilt, hits = _extract(tmp_path)
    assert hits == 0 and rebuilt == cold
    _, hits = _extract(tmp_path)
    assert hits == 2


def test_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "a.py").mkdir()
    (tmp_path / "b.py").write_text("y = 2\n")
    facts, _ = _extract(tmp_path)
    assert [p.code for p in facts["a.py"].problems] == ["MLD003"]


def test_a_planted_cache_symlink_is_not_followed(tmp_path: Path) -> None:
    """A repository that commits `.mldebt_cache -> /elsewhere` (or a symlinked subdirectory)
    gets no cache: nothing is read from or written to the link's target."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "a.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    (repo / ".mldebt_cache").symlink_to(outside, target_is_directory=True)

    result, _ = check(repo, CheckOptions(jobs=1))
    assert [f.code for f in result.findings] == ["MLD101"]
    assert list(outside.iterdir()) == []

    (repo / ".mldebt_cache").unlink()
    (repo / ".mldebt_cache").mkdir()
    (repo / ".mldebt_cache" / "facts").symlink_to(outside, target_is_directory=True)
    check(repo, CheckOptions(jobs=1))
    assert list(outside.iterdir()) == []


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".mldebt_cache" / "facts").rglob("*.json"))


def test_entries_no_file_uses_any_more_are_pruned(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    _extract(tmp_path)
    first = _entries(tmp_path)
    assert len(first) == 2
    # An upgrade (another salt) left its directory behind; an edit leaves the old content's entry.
    stale = tmp_path / ".mldebt_cache" / "facts" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "old.json").write_text("{}")
    (tmp_path / "a.py").write_text("x = 3\n")

    _, hits = _extract(tmp_path)

    after = _entries(tmp_path)
    assert hits == 1 and len(after) == 2 and not stale.exists()
    assert len(set(after) & set(first)) == 1  # b.py's entry kept, a.py's old one gone
