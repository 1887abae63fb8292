import dataclasses
import json

import pytest

import mldebt.history.mine as mine
from mldebt.demo.history import build_history
from mldebt.history import MineMode, mine_history
from mldebt.cachestore import CacheStore
from mldebt.history.cache import CACHE_ENTRY, CACHE_VERSION


def _store(directory):
    store = CacheStore.open(directory, directory)
    assert store is not None
    return store


@pytest.fixture
def log_calls(monkeypatch):
    """How many times `git log` (the only streamed command) has been started."""
    calls = []
    real = mine.stream_git

    def counting(cwd, args):
        calls.append(args)
        return real(cwd, args)

    monkeypatch.setattr(mine, "stream_git", counting)
    return calls


@pytest.fixture
def project(repo, commit):
    return repo(
        [
            commit("Alice", 0, {"src/model.py": "1\n", "train.py": "1\n"}),
            commit("Bob", 1, {"src/model.py": "2\n"}),
        ]
    )


def same_history(a, b):
    neutral = mine.MineStats(MineMode.FULL, 0)
    return dataclasses.replace(a, stats=neutral) == dataclasses.replace(b, stats=neutral)


def test_a_second_run_reads_the_cache_not_git_log(project, tmp_path, log_calls):
    cache = _store(tmp_path / "cache")
    cold = mine_history(project, cache)
    warm = mine_history(project, cache)

    assert (cold.stats.mode, cold.stats.commits_mined) == (MineMode.FULL, 2)
    assert (warm.stats.mode, warm.stats.commits_mined) == (MineMode.CACHED, 0)
    assert len(log_calls) == 1
    assert same_history(cold, warm)


def test_a_new_commit_is_mined_incrementally_with_the_cold_result(project, commit, tmp_path):
    cache = _store(tmp_path / "cache")
    mine_history(project, cache)
    # A rename in the new commit must reach back into the cached commits.
    build_history(project, [commit("Carol", 2, renames={"src/model.py": "src/net.py"})])

    incremental = mine_history(project, cache)
    cold = mine_history(project, None)

    assert (incremental.stats.mode, incremental.stats.commits_mined) == (MineMode.INCREMENTAL, 1)
    assert same_history(incremental, cold)
    assert incremental.paths["src/net.py"].commits == 3
    assert "src/model.py" not in incremental.paths


def test_rewritten_history_is_mined_again(project, git, tmp_path):
    cache = _store(tmp_path / "cache")
    mine_history(project, cache)
    git(project, "commit", "-q", "--amend", "-m", "reworded", author="Bob", day=1)

    again = mine_history(project, cache)

    assert again.stats.mode is MineMode.FULL
    assert same_history(again, mine_history(project, None))


def test_a_changed_mailmap_invalidates_the_cache(project, tmp_path):
    cache = _store(tmp_path / "cache")
    mine_history(project, cache)
    (project / ".mailmap").write_text("Robert <bob@example.com>\n")

    again = mine_history(project, cache)

    assert again.stats.mode is MineMode.FULL
    assert "Robert" in {developer.name for developer in again.developers}


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        json.dumps({"version": CACHE_VERSION}),
        # Well-formed, but a commit id that git would read as an option.
        json.dumps({"version": CACHE_VERSION, "head": "--output=/tmp/x", "paths": {}}),
        "[" * 100_000,
    ],
    ids=["bad-json", "wrong-type", "missing-keys", "option-as-head", "deep-nesting"],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(project, tmp_path, content):
    cache = _store(tmp_path / "cache")
    cold = mine_history(project, cache)
    # Signed: what is tested is that the parser trusts nothing, even in a file this machine wrote.
    cache.write(CACHE_ENTRY, content.encode())

    rebuilt = mine_history(project, cache)

    assert rebuilt.stats.mode is MineMode.FULL
    assert same_history(rebuilt, cold)
    assert mine_history(project, cache).stats.mode is MineMode.CACHED


@pytest.mark.parametrize(
    "corrupt",
    [
        # An identity index that would read from the end of the table.
        lambda document: document["paths"]["src/model.py"][5].__setitem__(0, -1),
        lambda document: document["paths"]["src/model.py"].__setitem__(0, 7),
        lambda document: document["paths"]["src/model.py"].__setitem__(1, "2"),
        lambda document: document["identities"][0][2].append(True),
        lambda document: document["renamed"].__setitem__("a.py", 3),
        # Pair counts: (path index, path index, shared revisions), flat.
        lambda document: document["shared"].__setitem__(0, -1),
        lambda document: document["shared"].__setitem__(1, 2),
        lambda document: document["shared"].__setitem__(1, document["shared"][0]),
        lambda document: document["shared"].__setitem__(2, 0),
        lambda document: document["shared"].append(1),
        lambda document: document["paths"]["src/model.py"].__setitem__(6, None),
        lambda document: document.__setitem__("max_changeset_size", -1),
    ],
    ids=[
        "negative-identity", "identity-out-of-range", "string-count", "bool-date", "bad-rename",
        "negative-path-index", "path-index-out-of-range", "pair-of-one-path", "zero-shared", "cut-short-pairs",
        "no-revisions", "negative-cap",
    ],
)
def test_a_corrupt_record_is_ignored(project, tmp_path, corrupt):
    cache = _store(tmp_path / "cache")
    mine_history(project, cache)
    document = json.loads(cache.read(CACHE_ENTRY))
    corrupt(document)
    cache.write(CACHE_ENTRY, json.dumps(document).encode())

    assert mine_history(project, cache).stats.mode is MineMode.FULL


def test_an_unwritable_cache_is_a_warning(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")

    history = mine_history(project, _store(blocker / "cache"))

    assert sum(developer.commits for developer in history.developers) == 2
    assert any("could not write the history cache" in warning for warning in history.warnings)


def test_a_history_not_signed_with_this_machines_key_is_mined_again(project, tmp_path):
    cache = _store(tmp_path / "cache")
    mine_history(project, cache)
    forged = CacheStore(cache.directory, b"x" * 32)
    document = json.loads(cache.read(CACHE_ENTRY))
    document["identities"][0][0] = "Mallory"
    forged.write(CACHE_ENTRY, json.dumps(document).encode())

    again = mine_history(project, _store(tmp_path / "cache"))

    assert again.stats.mode is MineMode.FULL
    assert "Mallory" not in {developer.name for developer in again.developers}
