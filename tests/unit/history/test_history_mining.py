import stat
import subprocess

import pytest

from mldebt.cachestore import CacheStore
from mldebt.history import MineMode, NoHistory, churn, mine_history
from mldebt.history.mine import SHALLOW_WARNING, MineStats, undated_warning


def by_name(history):
    return {developer.name: developer for developer in history.developers}


def _store(directory):
    store = CacheStore.open(directory, directory)
    assert store is not None
    return store


def commit_count(history):
    return sum(developer.commits for developer in history.developers)


def test_renames_are_followed_to_the_path_at_head(repo, commit):
    root = repo(
        [
            commit("Alice", 0, {"src/old/model.py": "a\n", "train.py": "t\n"}),
            commit("Bob", 1, {"src/old/model.py": "a\nb\n"}),
            # A directory rename: plain numstat would print "src/{old => new}/model.py".
            commit("Carol", 2, renames={"src/old/model.py": "src/new/model.py"}),
            commit("Dan", 3, renames={"src/new/model.py": "src/new/net => v2.py"}),
            commit("Erin", 4, {"src/new/net => v2.py": "a\nb\nc\n"}),
        ]
    )
    history = mine_history(root)

    assert history.files == ("src/new/net => v2.py", "train.py")
    # Every commit is counted under the path at HEAD, none under an older one.
    assert set(history.paths) == {"src/new/net => v2.py", "train.py"}
    assert history.developers[history.paths["src/new/net => v2.py"].creator].name == "Alice"
    lines = churn(history)["src/new/net => v2.py"]
    assert (lines.commits, lines.added, lines.deleted) == (5, 3, 0)
    assert lines.authors == ("Alice", "Bob", "Carol", "Dan", "Erin")


def test_a_path_reused_after_a_rename_keeps_the_histories_apart(repo, commit):
    root = repo(
        [
            commit("Alice", 0, {"a.py": "alice\n"}),
            commit("Bob", 1, renames={"a.py": "b.py"}),
            commit("Carol", 2, {"a.py": "a new file\n"}),
        ]
    )
    result = churn(mine_history(root))

    assert result["b.py"].authors == ("Alice", "Bob")
    assert result["a.py"].authors == ("Carol",)


def test_binary_files_spaces_and_unicode_in_paths(repo, commit):
    root = repo(
        [
            commit("Alice", 0, {"data/weights.bin": "\x00\x01", "notes/my model ü.py": "x\n"}),
            commit("Bob", 1, {"data/weights.bin": "\x00\x02\x03", "notes/my model ü.py": "x\ny\n"}),
            # git would quote this name without -z.
            commit("Carol", 2, {'tab\there "and\nnewline".py': "z\n"}),
        ]
    )
    result = churn(mine_history(root))

    assert set(result) == {
        "data/weights.bin",
        "notes/my model ü.py",
        'tab\there "and\nnewline".py',
    }
    assert (result["data/weights.bin"].commits, result["data/weights.bin"].added) == (2, 0)
    assert result["notes/my model ü.py"].added == 2


def test_a_merge_counts_as_a_commit_of_its_author_but_its_diff_does_not(repo, commit, git):
    root = repo([commit("Alice", 0, {"a.py": "1\n", "b.py": "1\n"})])
    git(root, "checkout", "-q", "-b", "feature")
    (root / "a.py").write_text("1\n2\n")
    git(root, "commit", "-q", "-am", "feature work", author="Bob", day=2)
    git(root, "checkout", "-q", "main")
    (root / "b.py").write_text("1\n2\n")
    git(root, "commit", "-q", "-am", "main work", author="Alice", day=3)
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "feature", author="Carol", day=4)

    history = mine_history(root)
    carol = [developer.name for developer in history.developers].index("Carol")

    assert by_name(history)["Carol"].commits == 1
    assert not any(carol in record.changes for record in history.paths.values())
    assert churn(history)["a.py"].commits == 2
    assert churn(history)["a.py"].authors == ("Alice", "Bob")


def test_mailmap_and_aliases_merge_identities(repo, commit):
    root = repo(
        [
            commit("jdoe", 0, {"a.py": "1\n"}, email="jane@old.example"),
            commit("Jane Doe", 1, {"a.py": "2\n"}, email="jane@new.example"),
            # Same address in another case: same person.
            commit("J. Doe", 2, {"a.py": "3\n"}, email="JANE@NEW.EXAMPLE"),
            # Same name once accents, case and spacing are normalised: same person.
            commit("José  Pérez", 3, {"b.py": "1\n"}, email="jose@a.example"),
            commit("jose perez", 4, {"b.py": "2\n"}, email="jp@b.example"),
            commit("Someone Else", 5, {"b.py": "3\n"}),
            commit(
                "Jane Doe",
                6,
                {".mailmap": "Jane Doe <jane@new.example> <jane@old.example>\n"},
                email="jane@new.example",
            ),
        ]
    )
    developers = by_name(mine_history(root))

    # Equal counts: the most recent spelling names the developer.
    assert set(developers) == {"Jane Doe", "jose perez", "Someone Else"}
    assert developers["Jane Doe"].commits == 4
    assert developers["Jane Doe"].emails == ("jane@new.example",)
    assert developers["jose perez"].emails == ("jose@a.example", "jp@b.example")


def test_bots_are_recognised_and_author_nothing(repo, commit):
    root = repo(
        [
            commit("Alice", 0, {"requirements-dev.in": "x\n"}),
            commit(
                "dependabot[bot]",
                1,
                {"requirements-dev.in": "y\n"},
                email="49699333+dependabot[bot]@users.noreply.github.com",
            ),
            commit("Renovate Bot", 2, {"requirements-dev.in": "z\n"}, email="bot@renovateapp.com"),
            commit("nightly", 3, {"requirements-dev.in": "w\n"}, email="ci-robot@example.com"),
        ]
    )
    history = mine_history(root, bots=("renovate", "ci-robot"))

    assert history.bots == ("nightly", "Renovate Bot", "dependabot[bot]")
    assert churn(history)["requirements-dev.in"].authors == ("Alice",)
    assert churn(history)["requirements-dev.in"].commits == 4


def test_shallow_clone_is_partial(repo, commit, git, tmp_path):
    source = repo([commit("Alice", 0, {"a.py": "1\n"}), commit("Bob", 1, {"a.py": "2\n"})])
    git(
        tmp_path,
        "-c",
        "protocol.file.allow=always",
        "clone",
        "-q",
        "--depth",
        "1",
        source.as_uri(),
        "shallow",
    )

    history = mine_history(tmp_path / "shallow")

    assert history.partial
    assert SHALLOW_WARNING in history.warnings
    assert commit_count(history) == 1
    assert not mine_history(source).partial


def test_a_file_whose_versions_are_missing_is_left_out_and_the_rest_is_mined(repo, commit, git):
    # A mirror that drops large files, or a damaged clone: slides.pdf's first version is gone,
    # so `git log --numstat` cannot diff it.
    root = repo([
        commit("Alice", 0, {"a.py": "1\n", "slides.pdf": "v1\n"}),
        commit("Bob", 1, {"a.py": "1\n2\n", "slides.pdf": "v2\n"}),
        commit("Carol", 2, {"b.py": "3\n"}),
    ])
    blob = git(root, "rev-parse", "HEAD~2:slides.pdf").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    history = mine_history(root)

    assert history.warnings == (
        "1 file left out of the history, since this copy of the repository lacks versions of them: "
        "slides.pdf; the rest was mined (a full `git clone` has them all)",
    )
    assert "slides.pdf" not in history.paths
    assert (history.paths["a.py"].added, history.paths["a.py"].commits) == (2, 2)
    assert commit_count(history) == 3


def test_a_repository_missing_what_log_needs_besides_file_versions_says_so(repo, commit, git):
    root = repo([commit("Alice", 0, {"a.py": "1\n"}), commit("Bob", 1, {"a.py": "2\n"})])
    tree = git(root, "rev-parse", "HEAD~1^{tree}").strip()
    (root / ".git" / "objects" / tree[:2] / tree[2:]).unlink()

    with pytest.raises(NoHistory, match="objects are missing: a partial clone, or a damaged one"):
        mine_history(root)


def test_no_repository_and_no_commits_raise_no_history(tmp_path, git):
    with pytest.raises(NoHistory, match="not inside a git repository"):
        mine_history(tmp_path)
    git(tmp_path, "init", "-q")
    with pytest.raises(NoHistory, match="no commits"):
        mine_history(tmp_path)


def test_a_subdirectory_root_sees_its_own_files_relative_to_itself(repo, commit):
    root = repo(
        [
            commit("Alice", 0, {"svc/model.py": "1\n", "other/x.py": "1\n"}),
            commit("Bob", 1, {"other/x.py": "2\n"}),
        ]
    )
    history = mine_history(root / "svc")

    assert history.files == ("model.py",)
    assert churn(history)["model.py"].authors == ("Alice",)


def test_progress_reports_the_commits_parsed(repo, commit):
    root = repo([commit("Alice", day, {"a.py": str(day)}) for day in range(3)])
    seen: list[int] = []

    mine_history(root, progress=seen.append)

    assert seen[-1] == 3


def test_the_repository_config_cannot_start_programs(repo, commit, git, tmp_path):
    root = repo([commit("Alice", 0, {"a.py": "1\n"}), commit("Bob", 1, {"a.py": "2\n"})])
    marker = tmp_path / "marker"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    (root / ".gitattributes").write_text("* diff=evil\n")
    for key in ("core.fsmonitor", "core.pager", "diff.external", "diff.evil.textconv"):
        git(root, "config", key, str(script))
    # The trap is armed: a plain `git log -p` runs the textconv driver.
    subprocess.run(["git", "log", "-p"], cwd=root, capture_output=True, check=True)
    assert marker.exists()
    marker.unlink()

    history = mine_history(root)

    assert commit_count(history) == 2
    assert not marker.exists()


# Author and committer lines as a repository may hold them (one public repository has a commit
# whose author date git prints as empty). 1704110400 is day 0, 1704196800 day 1.
_COMMITTER = b"committer C <c@example.com> 1704196800 +0000"


@pytest.mark.parametrize(
    "people",
    [
        b"author B <b@example.com> \n" + _COMMITTER,
        b"author B <b@example.com>\n" + _COMMITTER,
        b"author B <b@example.com> abc +0000\n" + _COMMITTER,
        b"author B <b@example.com> -5 +0000\n" + _COMMITTER,
        b"author B <b@example.com> 99999999999999999999 +0000\n" + _COMMITTER,
    ],
    ids=["empty", "no-date", "garbage", "negative", "over-64-bits"],
)
def test_a_commit_without_a_usable_author_date_takes_its_committer_date(repo, commit, craft_commit, people):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    craft_commit(root, people, {"a.py": "2\n"})

    history = mine_history(root)

    assert by_name(history)["B"].commit_times == (1704196800,)
    assert history.paths["a.py"].last_change == 1704196800
    assert history.warnings == ()


def test_a_commit_without_an_author_line_is_nobody_s(repo, commit, craft_commit):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    # git prints the placeholders themselves for the author's name and e-mail.
    craft_commit(root, _COMMITTER, {"a.py": "2\n"})

    history = mine_history(root)

    assert by_name(history)["<unknown>"].commit_times == (1704196800,)
    assert by_name(history)["<unknown>"].emails == ()


def test_undecodable_names_and_a_bogus_encoding_header_are_read_as_they_come(repo, commit, craft_commit):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    bogus = b"author Bo\xff\xfe <b\xe9@x> 1704110400 +0000\n" + _COMMITTER + b"\nencoding no-such"
    craft_commit(root, bogus, {"a.py": "2\n"})
    # A NUL byte cuts the author line short: git then prints no author, nor an author date.
    craft_commit(root, b"author Z\0Z <z@x> 1704110400 +0000\n" + _COMMITTER, {"a.py": "3\n"})

    history = mine_history(root)

    assert by_name(history)["Bo\ufffd\ufffd"].emails == ("b\ufffd@x",)
    assert by_name(history)["<unknown>"].commit_times == (1704196800,)
    assert history.warnings == ()


def test_a_commit_without_any_usable_date_is_left_out_with_one_warning(repo, commit, craft_commit, tmp_path):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    craft_commit(root, b"author B <b@example.com> abc +0000\ncommitter C <c@example.com> xyz +0000", {"a.py": "2\n"})
    craft_commit(root, b"author D <d@example.com> \ncommitter C <c@example.com> ", {"b.py": "1\n"})
    craft_commit(root, b"author E <e@example.com> 1704196800 +0000\ncommitter C <c@example.com> ", {"c.py": "1\n"})
    cache = _store(tmp_path / "cache")

    for mode in (MineMode.FULL, MineMode.CACHED):
        history = mine_history(root, cache=cache)
        assert history.stats.mode == mode
        assert history.warnings == (undated_warning(2),)
        assert sorted(by_name(history)) == ["Alice", "E"]
        assert sorted(history.paths) == ["a.py", "c.py"]
        # HEAD has no committer date: its author date stands in.
        assert history.head_time == 1704196800
    assert undated_warning(2) == "2 commits without a usable author or committer date left out of the history"

    craft_commit(root, b"author F <f@example.com> x +0000\ncommitter C <c@example.com> y +0000", {"d.py": "1\n"})
    history = mine_history(root, cache=cache)
    assert history.stats == MineStats(MineMode.INCREMENTAL, 1)
    assert history.warnings == (undated_warning(3),)
    assert history.head_time == 1704196800


def test_a_history_with_no_usable_date_at_all_is_no_history(tmp_path, git, craft_commit):
    git(tmp_path, "init", "-q")
    sha = craft_commit(tmp_path, b"author B <b@x> abc +0000\ncommitter C <c@x> ", {"a.py": "1\n"})

    with pytest.raises(NoHistory, match=f"no commit reachable from {sha} has a usable author or committer date"):
        mine_history(tmp_path)


def test_a_past_revision_has_the_history_up_to_it_and_its_own_files(repo, commit, git, tmp_path):
    root = repo(
        [
            commit("Alice", 0, {"a.py": "a\n"}),
            commit("Bob", 1, {"a.py": "a\nb\n", "b.py": "b\n"}),
            commit("Carol", 2, {"c.py": "c\n"}, renames={"a.py": "z.py"}),
        ]
    )
    past = git(root, "rev-parse", "HEAD~1").strip()
    store = _store(tmp_path / "cache")
    now = mine_history(root, store)

    then = mine_history(root, store, revision=past)

    assert then.head == past and now.head != past
    assert then.files == ("a.py", "b.py")
    assert {d.name for d in then.developers} == {"Alice", "Bob"}
    assert churn(then)["a.py"].authors == ("Alice", "Bob")
    assert then.head_time < now.head_time
    # HEAD's cached history is neither used for nor replaced by the past one.
    assert mine_history(root, store).stats.mode is MineMode.CACHED
    assert mine_history(root, store).files == ("b.py", "c.py", "z.py")
