"""Each access's status is decided once, in a fixed order, and the data rules agree with it."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, analyse, check
from mldebt.graph import Status

NOTEBOOK = (
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {},'
    ' "outputs": [], "execution_count": null, "source": "import pandas as pd\\npd.read_csv(\'../../x.csv\')"}]}'
)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_every_status_in_one_repository(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": "[tool.mldebt.data]\ninputs = ['data/declared.csv']\n",
        "settings.py": "X = 1\n",
        "prepare.py": (
            "import sys, joblib, mlflow\nimport pandas as pd\n"
            "if __name__ == '__main__':\n"
            "    pd.read_csv(sys.argv[1])\n"                       # 4 dynamic
            "    pd.read_csv('/tmp/scratch.csv')\n"                # 5 system
            "    pd.read_csv('/mnt/shared/x.csv')\n"               # 6 outside, absolute
            "    pd.read_csv('~/x.csv')\n"                         # 7 outside, user home
            "    pd.read_csv('../x.csv')\n"                        # 8 unanchored: a script may run anywhere
            "    pd.read_csv('data/declared.csv')\n"               # 9 declared
            "    exec(open('settings.py').read())\n"               # 10 code
            "    mlflow.pyfunc.load_model('models:/churn')\n"      # 11 named
            "    pd.read_csv('data/raw.csv')\n"                    # 12 undeclared
            "    pd.DataFrame().to_csv('data/clean.csv')\n"        # 13 undeclared (a write)
        ),
        "train.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.read_csv('data/clean.csv')\n",
        "notebooks/eda.ipynb": NOTEBOOK,
    })
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {(a.path, a.location.line, str(a.target)): (c.status, c.outside) for a, c in graph.classified()}

    assert got == {
        ("prepare.py", 4, "<dynamic>"): (Status.DYNAMIC, ""),
        ("prepare.py", 5, "/tmp/scratch.csv"): (Status.SYSTEM, ""),
        ("prepare.py", 6, "/mnt/shared/x.csv"): (Status.OUTSIDE, "absolute path"),
        ("prepare.py", 7, "~/x.csv"): (Status.OUTSIDE, "user-home path"),
        ("prepare.py", 8, "../x.csv"): (Status.UNANCHORED, ""),
        ("prepare.py", 9, "data/declared.csv"): (Status.DECLARED, ""),
        ("prepare.py", 10, "settings.py"): (Status.CODE, ""),
        ("prepare.py", 11, "models:/churn"): (Status.NAMED, ""),
        ("prepare.py", 12, "data/raw.csv"): (Status.UNDECLARED, ""),
        ("prepare.py", 13, "data/clean.csv"): (Status.UNDECLARED, ""),
        ("train.py", 3, "data/clean.csv"): (Status.CONSUMER_READ, ""),
        # A notebook runs in its own directory: two levels up leaves the repository.
        ("notebooks/eda.ipynb", 2, "../x.csv"): (Status.OUTSIDE, "path outside the repository"),
    }

    result, _ = check(tmp_path, CheckOptions(jobs=1, use_cache=False))
    reported = {(f.code, f.location.path, f.location.line) for f in result.findings if f.code.startswith("MLD1")}
    assert reported == {
        ("MLD102", "prepare.py", 6), ("MLD102", "prepare.py", 7), ("MLD102", "notebooks/eda.ipynb", 2),
        ("MLD101", "prepare.py", 12), ("MLD101", "prepare.py", 13), ("MLD103", "train.py", 3),
    }


def test_a_declaration_by_another_stage_is_carried_with_the_undeclared_status(tmp_path: Path) -> None:
    _write(tmp_path, {
        "dvc.yaml": (
            "stages:\n  prepare:\n    cmd: python prepare.py\n    outs: [data/clean.csv]\n"
            "  train:\n    cmd: python train.py\n    deps: [train.py]\n"
        ),
        "prepare.py": "import pandas as pd\npd.DataFrame().to_csv('data/clean.csv')\n",
        "train.py": "import pandas as pd\npd.read_csv('data/clean.csv')\n",
    })
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {a.path: c for a, c in graph.classified()}

    assert got["prepare.py"].status is Status.DECLARED
    assert (got["prepare.py"].declaration.source, got["prepare.py"].declaration.line) == ("dvc.yaml", 4)
    assert got["train.py"].status is Status.UNDECLARED and got["train.py"].declaration is None
    assert (got["train.py"].elsewhere.owner, got["train.py"].elsewhere.line) == ("prepare", 4)


def test_the_answers_are_computed_once(tmp_path: Path) -> None:
    _write(tmp_path, {"a.py": "import pandas as pd\npd.read_csv('data/x.csv')\n"})
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph

    assert graph.undeclared_consumers is graph.undeclared_consumers
    assert [id(c) for _, c in graph.classified()] == [id(c) for _, c in graph.classified()]
    assert graph.graph is graph.graph
