"""Opening files of an untrusted repository: what `mldebt.safefile` refuses, and what it reads."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mldebt.safefile import RefusedFile, read_checked, read_inside, read_regular, write_checked


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub" / "ok.txt").write_text("inside\n")
    (tmp_path / "secret.txt").write_text("outside\n")
    return repo


def test_reads_a_regular_file_and_a_symlink_that_stays_inside(root: Path) -> None:
    (root / "link.txt").symlink_to("sub/ok.txt")
    assert read_inside(root, "sub/ok.txt", 100) == b"inside\n"
    assert read_inside(root, "link.txt", 100) == b"inside\n"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda root: (root / "x").symlink_to(root.parent / "secret.txt"), "links to a file outside the repository"),
        (lambda root: (root / "x").symlink_to("../secret.txt"), "links to a file outside the repository"),
        (lambda root: (root / "x").symlink_to("/dev/zero"), "links to a file outside the repository"),
        (lambda root: os.mkfifo(root / "x"), "is not a regular file"),
        (lambda root: (root / "x").mkdir(), "is not a regular file"),
        (lambda root: (root / "x").write_bytes(b"1" * 101), "is larger than 100 bytes"),
    ],
    ids=["absolute-link-out", "relative-link-out", "dev-zero", "fifo", "directory", "too-large"],
)
def test_refuses_what_is_not_a_small_regular_file_inside(root: Path, make, reason: str) -> None:
    make(root)
    start = time.monotonic()
    with pytest.raises(RefusedFile, match=reason):
        read_inside(root, "x", 100)
    # A FIFO with no writer would block a plain open forever.
    assert time.monotonic() - start < 5


def test_a_directory_symlink_out_of_the_repository_is_refused_at_any_level(root: Path) -> None:
    outside = root.parent / "elsewhere"
    outside.mkdir()
    (outside / "CODEOWNERS").write_text("* @attacker\n")
    (root / ".github").symlink_to(outside)
    with pytest.raises(RefusedFile, match="outside the repository"):
        read_inside(root, ".github/CODEOWNERS", 100)


def test_a_symlink_met_at_open_time_is_refused(root: Path) -> None:
    # What read_inside checked may have been swapped for a link by the time it is opened.
    (root / "x").symlink_to("sub/ok.txt")
    with pytest.raises(RefusedFile, match="is a symlink"):
        read_regular(root / "x", 100)
    assert read_regular(root / "x", 100, follow=True) == b"inside\n"


def test_a_file_that_grows_past_its_size_is_not_read_without_bound(root: Path) -> None:
    # /dev/zero's size is 0 and it never ends: only the limit stops the read.
    with pytest.raises(RefusedFile, match="is not a regular file"):
        read_regular("/dev/zero", 100, follow=True)


def test_written_files_stay_in_the_repository_and_never_go_through_a_symlink(root: Path, tmp_path: Path) -> None:
    victim = tmp_path / "secret.txt"
    (root / "planted.json").symlink_to(victim)
    (root / "out").symlink_to(tmp_path)

    for path, configured, reason in [
        (Path("planted.json"), True, "is a symlink inside the repository"),
        (root / "planted.json", False, "is a symlink inside the repository"),
        (root / "out" / "report.sarif", False, "leads out of the repository through a symlink"),
        (Path("../secret.txt"), True, "must be a relative path inside the repository"),
        (victim, True, "must be a relative path inside the repository"),
    ]:
        with pytest.raises(RefusedFile, match=reason):
            write_checked(root, path, "overwritten\n", configured=configured)
        with pytest.raises(RefusedFile, match=reason):
            read_checked(root, path, 100, configured=configured)

    assert victim.read_text() == "outside\n"
    assert not (tmp_path / "report.sarif").exists()


def test_written_files_replace_the_old_one_and_the_user_may_write_anywhere(root: Path, tmp_path: Path) -> None:
    write_checked(root, Path("sub/ok.txt"), "new\n", configured=True)
    assert (root / "sub" / "ok.txt").read_text() == "new\n"
    assert sorted(p.name for p in (root / "sub").iterdir()) == ["ok.txt"]
    # A path the user gives outside the repository is theirs to choose, links and all.
    (tmp_path / "mine").symlink_to(tmp_path / "secret.txt")
    write_checked(root, tmp_path / "mine", "chosen\n")
    assert (tmp_path / "secret.txt").read_text() == "chosen\n"


def test_a_tree_reads_what_read_inside_reads_and_refuses_what_it_refuses(root: Path, tmp_path: Path) -> None:
    from mldebt.safefile import Tree

    (root / "sub" / "deeper").mkdir()
    (root / "sub" / "deeper" / "x.py").write_text("deep\n")
    (root / "top.py").write_text("top\n")
    (root / "inside").symlink_to("sub")
    (root / "outside").symlink_to(tmp_path)
    (root / "link.py").symlink_to("sub/ok.txt")
    (root / "out.py").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(root / "fifo.py")
    paths = ["fifo.py", "inside/ok.txt", "link.py", "out.py", "outside/secret.txt", "sub/deeper/x.py", "sub/ok.txt", "top.py"]

    def outcome(read):
        try:
            return read().decode()
        except RefusedFile as exc:
            return exc.strerror.split(";")[0]

    before = len(os.listdir("/proc/self/fd"))
    with Tree(root) as tree:
        got = [outcome(lambda p=p: tree.read(p, 100)) for p in paths]
        # Only the directories of the current path are open: the root's, sub/ and sub/deeper/ at most.
        assert len(os.listdir("/proc/self/fd")) - before <= 3
    assert len(os.listdir("/proc/self/fd")) == before
    assert got == [outcome(lambda p=p: read_inside(root, p, 100)) for p in paths] == [
        "is not a regular file", "inside\n", "inside\n", "links to a file outside the repository",
        "links to a file outside the repository", "deep\n", "inside\n", "top\n",
    ]
