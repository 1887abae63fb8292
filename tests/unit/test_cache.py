"""The caches: hits on unchanged content, misses on change; where they live; and that nothing a
repository ships, plants or forges is trusted."""

from __future__ import annotations

import json
import os
import subprocess
import time
import sys
from pathlib import Path

import pytest

from mldebt.cachestore import CacheStore, default_directory, user_cache_home
from mldebt.config import Settings
from mldebt.engine import CheckOptions, check
from mldebt.engine.extraction import extract_all


def _store(root: Path) -> CacheStore:
    store = CacheStore.open(root)
    assert store is not None
    return store


def _extract(root: Path, store: CacheStore | None = None) -> tuple[dict, int]:
    return extract_all(store or _store(root), root, ["a.py", "b.py"], Settings(), jobs=1)


def _entries(root: Path) -> list[Path]:
    return sorted((default_directory(root) / "facts").rglob("*.json"))


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


def test_the_cache_lives_outside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    _extract(tmp_path)

    directory = default_directory(tmp_path)
    assert directory.parent == user_cache_home() / "repos"
    assert directory.name.startswith(tmp_path.name[:40]) and len(_entries(tmp_path)) == 2
    assert (directory / ".gitignore").read_text().strip().endswith("*")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]
    assert (user_cache_home() / "key").stat().st_mode & 0o077 == 0


def test_cache_dir_and_the_environment_choose_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    monkeypatch.setenv("MLDEBT_CACHE_DIR", str(tmp_path / "from-env"))
    _extract(tmp_path)
    assert len(list((tmp_path / "from-env" / "facts").rglob("*.json"))) == 2
    explicit = CacheStore.open(tmp_path, tmp_path / "explicit")
    assert explicit is not None
    _, hits = _extract(tmp_path, explicit)
    assert hits == 0 and len(list((tmp_path / "explicit" / "facts").rglob("*.json"))) == 2


def test_corrupt_entries_are_rebuilt_not_trusted(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import pandas as pd\npd.read_csv('x.csv')\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    cold, _ = _extract(tmp_path)
    entries = _entries(tmp_path)
    assert len(entries) == 2
    entries[0].write_text("{not json")
    entries[1].write_text("[" * 100_000)
    store = _store(tmp_path)
    rebuilt, hits = _extract(tmp_path, store)
    assert hits == 0 and rebuilt == cold and store.rejected == 2
    _, hits = _extract(tmp_path)
    assert hits == 2


def test_an_entry_from_another_key_or_edited_is_rejected_and_said_once(tmp_path: Path) -> None:
    """What an attacker computes (a facts entry with a file's findings dropped) lacks this
    machine's key; so does an edit of a genuine entry."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "a.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    check(tmp_path, CheckOptions(jobs=1))
    [entry] = _entries(tmp_path)
    signature, _, body = entry.read_bytes().partition(b"\n")
    facts = json.loads(body)
    facts["accesses"] = []
    # The same entry, signed with another key: as a forger with the format in hand would make it.
    other = CacheStore(default_directory(tmp_path), b"k" * 32)
    other.write(entry.relative_to(default_directory(tmp_path)).as_posix(), json.dumps(facts).encode())

    result = check(tmp_path, CheckOptions(jobs=1)).result

    assert [f.code for f in result.findings] == ["MLD101"]
    assert [n for n in result.notes if "did not verify" in n] == [
        f"1 cache entry in {default_directory(tmp_path)} did not verify (written by another machine, or tampered "
        "with) and was rebuilt"
    ]
    assert signature.startswith(b"mldebt-hmac-sha256 ")
    # Rebuilt: the next run trusts its own entry and says nothing.
    again = check(tmp_path, CheckOptions(jobs=1)).result
    assert not [n for n in again.notes if "did not verify" in n]


def test_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "a.py").mkdir()
    (tmp_path / "b.py").write_text("y = 2\n")
    facts, _ = _extract(tmp_path)
    assert [p.code for p in facts["a.py"].problems] == ["MLD003"]


def test_a_cache_the_repository_commits_is_never_read(tmp_path: Path) -> None:
    """`.mldebt_cache/` in the work tree (where mldebt once kept its cache) is the pull
    request's: a symlink at any level, a forged facts or revisions entry. None of it is read,
    written or deleted."""
    outside = tmp_path / "outside"
    (outside / "ab").mkdir(parents=True)
    (outside / "ab" / "victim.json").write_text("{}")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "a.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    (repo / ".mldebt_cache" / "facts").mkdir(parents=True)
    (repo / ".mldebt_cache" / "facts" / "0123456789abcdef").symlink_to(outside, target_is_directory=True)

    result = check(repo, CheckOptions(jobs=1)).result

    assert [f.code for f in result.findings] == ["MLD101"]
    assert (outside / "ab" / "victim.json").read_text() == "{}"
    assert sorted(p.name for p in (repo / ".mldebt_cache" / "facts").iterdir()) == ["0123456789abcdef"]


def test_a_cache_dir_inside_the_repository_follows_no_symlink(tmp_path: Path) -> None:
    """--cache-dir may point into the work tree (to cache it in CI); what the pull request
    committed there is then refused, never followed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.json").write_text("{}")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "a.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    cache = repo / ".cache"
    cache.mkdir()
    (cache / "facts").symlink_to(outside, target_is_directory=True)
    (cache / ".gitignore").symlink_to(outside / "planted-gitignore")

    result = check(repo, CheckOptions(jobs=1, cache_dir=cache)).result

    assert [f.code for f in result.findings] == ["MLD101"]
    assert sorted(p.name for p in outside.iterdir()) == ["victim.json"]


def test_entries_no_file_uses_any_more_are_pruned(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    _extract(tmp_path)
    first = _entries(tmp_path)
    assert len(first) == 2
    # An upgrade (another salt) left its directory behind; an edit leaves the old content's entry.
    stale = default_directory(tmp_path) / "facts" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "old.json").write_text("{}")
    (tmp_path / "a.py").write_text("x = 3\n")

    _, hits = _extract(tmp_path)

    after = _entries(tmp_path)
    assert hits == 1 and len(after) == 2 and not stale.exists()
    assert len(set(after) & set(first)) == 1  # b.py's entry kept, a.py's old one gone


def test_no_cache_without_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache home that cannot hold the key (read-only, or a file): no cache, same answer."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    (tmp_path / "a.py").write_text("x = 1\n")
    assert CacheStore.open(tmp_path) is None


def test_the_key_is_made_once_by_concurrent_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    code = "from mldebt.cachestore import CacheStore; import sys; s = CacheStore.open(sys.argv[1]); print(s._key.hex())"
    runs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, env=os.environ)
            for _ in range(6)]
    keys = {run.communicate()[0] for run in runs}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_caches_of_repositories_unused_for_a_month_are_swept(tmp_path: Path) -> None:
    repos = user_cache_home() / "repos"
    old, recent = repos / "gone-0000000000000000", repos / "recent-1111111111111111"
    for directory in (old, recent):
        (directory / "facts").mkdir(parents=True, exist_ok=True)
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")

    _extract(tmp_path)

    assert not old.exists() and recent.is_dir() and default_directory(tmp_path).is_dir()


def test_the_extractor_digest_covers_every_module_extraction_imports(tmp_path, monkeypatch):
    # What analysing a file imports, however indirectly, decides its facts: a collector, a
    # catalog's code (which an edit once served stale facts for), a file rule's module and what
    # it imports, and the set of file rules. A module extraction does not import does not.
    import mldebt.cache as cache

    def write(rel: str, text: str) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    write("parse/analyze.py", "from mldebt.parse.collectors import (\n    b,\n)\nfrom mldebt.catalogs import Catalog\n")
    collector = write("parse/collectors/b.py", "y = 2\n")
    catalog = write("catalogs/__init__.py", "class Catalog: ...\n")
    rule = write("rules/smells/r.py", "import mldebt.rules.base\n")
    base = write("rules/base.py", "z = 1\n")
    report = write("report/text.py", "w = 1\n")
    monkeypatch.setattr(cache, "__file__", str(tmp_path / "cache.py"))

    class Rule:
        __module__ = "mldebt.rules.smells.r"

    digests = [cache.extractor_digest(), cache.extractor_digest((Rule,))]
    for path, text in ((collector, "y = 3\n"), (catalog, "class Catalog: pass\n"), (rule, "import mldebt.rules.base  # \n"), (base, "z = 2\n")):
        path.write_text(text)
        digests.append(cache.extractor_digest((Rule,)))
    assert len(set(digests)) == len(digests) == 6
    report.write_text("w = 2\n")
    assert cache.extractor_digest((Rule,)) == digests[-1]
