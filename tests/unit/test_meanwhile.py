"""`extract_all`'s ``meanwhile``: the work the main process does (history mining) while worker
processes parse. It runs once on either path, after the workers are forked, and its failure
stops the parsing instead of waiting for it."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from mldebt.config import Settings
from mldebt.engine.extraction import extract_all

FILES = [f"m{i}.py" for i in range(20)]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).write_text("import pandas as pd\npd.read_csv('x.csv')\n")
    return tmp_path


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_and_the_facts_are_whole(tree: Path, jobs: int) -> None:
    calls: list[int] = []

    facts, _ = extract_all(None, tree, FILES, Settings(), jobs=jobs, meanwhile=lambda: calls.append(os.getpid()))

    assert calls == [os.getpid()]
    assert sorted(facts) == sorted(FILES)
    assert all(file.accesses for file in facts.values())


@pytest.mark.parametrize(("files", "workers"), [(FILES, 2), (FILES[:1], 1)], ids=["many-files", "one-file"])
def test_the_workers_are_forked_before_meanwhile_starts(tree: Path, files: list[str], workers: int) -> None:
    # A thread that meanwhile starts must not be running when a worker is forked: the worker
    # would inherit the locks it holds. All the pool's workers already exist when it runs, and
    # even one file goes to a worker, since the main process is busy meanwhile.
    seen: list[int] = []

    facts, _ = extract_all(
        None, tree, files, Settings(), jobs=2,
        meanwhile=lambda: seen.append(len(multiprocessing.active_children())),
    )

    assert seen == [workers]
    assert sorted(facts) == sorted(files)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_meanwhile_propagates(tree: Path, jobs: int) -> None:
    def fail() -> None:
        raise LookupError("no history")

    with pytest.raises(LookupError, match="no history"):
        extract_all(None, tree, FILES, Settings(), jobs=jobs, meanwhile=fail)
