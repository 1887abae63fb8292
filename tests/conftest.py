"""Shared helpers: small repositories written into tmp_path, and the check run on them."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import settings

from mldebt.engine import CheckOptions, check
from mldebt.engine.extraction import MAX_SOURCE_BYTES
from mldebt.findings import RunResult
from mldebt.rules.base import Oversized

# Hypothesis searches briefly on a developer's machine and fully in CI, where .ci/run sets
# HYPOTHESIS_PROFILE=ci. A test that needs more or fewer examples than most asks for a multiple
# of the profile's count (`settings.default.max_examples`), so both profiles scale it.
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True, scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' caches, and the signing key, never touch the user's ~/.cache; subprocesses
    inherit this."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    os.environ.pop("MLDEBT_CACHE_DIR", None)


def write_repo(root: Path, files: Mapping[str, str | Oversized]) -> Path:
    """Write path -> text; lone surrogates (\\udcXX) become the raw bytes they escape, so a
    test can hold undecodable content in a str. ``Oversized()`` is a sparse file larger than
    mldebt reads."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, Oversized):
            with path.open("wb") as sparse:
                sparse.truncate(MAX_SOURCE_BYTES + 1)
            continue
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    if not (root / "pyproject.toml").exists() and not (root / ".git").exists():
        # Marks the root for find_root, as a real project would.
        (root / "pyproject.toml").write_text("[project]\nname = 'example'\n", encoding="utf-8")
    return root


def _craft_commit(root: Path, people: bytes, files: Mapping[str, str]) -> str:
    def git(*args: str, data: bytes | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, check=True)
        return done.stdout.decode().strip()

    write_repo(root, files)
    git("add", "--", *files)
    head = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=root, capture_output=True, text=True, check=False
    )
    parent = f"parent {head.stdout.strip()}\n" if head.returncode == 0 else ""
    body = f"tree {git('write-tree')}\n{parent}".encode() + people + b"\n\ncrafted\n"
    sha = git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", data=body)
    git("update-ref", "HEAD", sha)
    return sha


@pytest.fixture
def craft_commit() -> Callable[[Path, bytes, Mapping[str, str]], str]:
    """`craft_commit(root, people, files)`: commit ``files`` on top of HEAD (if any) in the
    repository at ``root``, with ``people`` as the commit object's author and committer lines,
    written verbatim as `git hash-object --literally` takes them, malformed or not; returns the
    new commit's id. Real git cannot make such commits, but repositories hold them."""
    return _craft_commit


def run_check(root: Path, **options: object) -> RunResult:
    opts = CheckOptions(jobs=1, use_cache=False, **options)  # type: ignore[arg-type]
    return check(root, opts).result


@pytest.fixture
def notebook() -> Callable[..., bytes]:
    """`notebook("cell 1", "cell 2")` -> the bytes of an nbformat 4 notebook of those code cells."""

    def make(*cells: str) -> bytes:
        return json.dumps({
            "nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None} for s in cells],
        }).encode()

    return make


@pytest.fixture
def files_at(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """`files_at({"a.py": "..."})` -> the repository root those files are written to."""
    return lambda files: write_repo(tmp_path, files)


@pytest.fixture
def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a repository and check it: `repo({"a.py": "..."})` -> RunResult."""

    def make(files: Mapping[str, str | Oversized], **options: object) -> RunResult:
        return run_check(write_repo(tmp_path, files), **options)

    return make
