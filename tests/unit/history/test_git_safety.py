"""Attacks through the analysed repository's own git configuration: each builds the trap at test
time, shows (where git allows it) that plain git falls into it, and checks that mldebt does not.
"""

from __future__ import annotations

import os
import stat
import subprocess
import time

import pytest

from mldebt.engine.revision import materialize
from mldebt.history import NoHistory, mine_history
from mldebt.vcs import GitError, run_git


def _script(path, marker):
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def _partial_clone(root, git, remote_config):
    """Turn ``root`` into a partial clone whose promisor remote is configured by the attacker,
    and delete the loose object of an old blob so that reading it needs a lazy fetch."""
    blob = git(root, "rev-parse", "HEAD~1:a.py").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    git(root, "config", "core.repositoryformatversion", "1")
    git(root, "config", "extensions.partialClone", "origin")
    git(root, "config", "remote.origin.promisor", "true")
    for key, value in remote_config.items():
        git(root, "config", key, value)


def _remotes(tmp_path, marker):
    script = _script(tmp_path / "evil.sh", marker)
    return {
        "ext": {"remote.origin.url": f"ext::sh -c touch% {marker}", "protocol.ext.allow": "always"},
        "ssh": {
            "remote.origin.url": "ssh://attacker.invalid/repo",
            "core.sshCommand": str(script),
            "protocol.ssh.allow": "always",
        },
        "uploadpack": {
            "remote.origin.url": str(tmp_path),
            "remote.origin.uploadpack": str(script),
            "protocol.file.allow": "always",
        },
    }


@pytest.mark.parametrize("transport", ["ext", "ssh", "uploadpack"])
def test_a_partial_clone_cannot_fetch_lazily_through_its_own_remote(repo, commit, git, tmp_path, transport):
    root = repo([commit("Alice", 0, {"a.py": "1\n"}), commit("Bob", 1, {"a.py": "2\n"})])
    marker = tmp_path / "marker"
    _partial_clone(root, git, _remotes(tmp_path, marker)[transport])
    # The trap is armed: plain git fetches the missing blob through the remote's program.
    subprocess.run(["git", "log", "--numstat"], cwd=root, capture_output=True, env=_clean_env())
    assert marker.exists()
    marker.unlink()

    with pytest.raises(NoHistory, match="objects are missing"):
        mine_history(root)
    commit_id = git(root, "rev-parse", "HEAD~1").strip()
    with pytest.raises(GitError):
        materialize(root, commit_id, tmp_path / "rev")

    assert not marker.exists()


def _clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def test_the_callers_git_variables_do_not_reach_git(repo, commit, tmp_path, monkeypatch):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    marker = tmp_path / "marker"
    script = _script(tmp_path / "evil.sh", marker)
    other = repo([commit("Mallory", 0, {"b.py": "1\n"})])
    # Variables that would run a program or point git at another repository.
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.fsmonitor")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(script))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(script))

    history = mine_history(root)

    assert [d.name for d in history.developers] == ["Alice"]
    assert run_git(root, ["ls-files"]).split() == ["a.py"]
    assert not marker.exists()


def test_a_mailmap_file_the_configuration_names_is_not_read(repo, commit, git, monkeypatch):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    # Should the override fail, the deadline stops git before it fills the machine's memory.
    monkeypatch.setenv("MLDEBT_GIT_TIMEOUT", "3")
    # Read to the end, /dev/zero never ends: git would fill memory and never finish.
    git(root, "config", "mailmap.file", "/dev/zero")
    git(root, "config", "mailmap.blob", "HEAD:a.py")

    start = time.monotonic()
    history = mine_history(root)

    assert time.monotonic() - start < 10
    assert [d.name for d in history.developers] == ["Alice"]


def test_a_git_command_that_never_finishes_is_stopped(repo, commit, git, tmp_path, monkeypatch):
    root = repo([commit("Alice", 0, {"a.py": "1\n"})])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # Config includes cannot be switched off from the command line: git waits for a writer.
    git(root, "config", "include.path", str(fifo))
    monkeypatch.setenv("MLDEBT_GIT_TIMEOUT", "1")

    start = time.monotonic()
    with pytest.raises(NoHistory, match="MLDEBT_GIT_TIMEOUT"):
        mine_history(root)

    assert time.monotonic() - start < 15
