"""A repository whose ownership is known by construction, its history built at test time.

    train.py        a voting ensemble (forest + boosting), run by the DVC stage `train`;
                    written by Old Timer, whose last commit is from 2022 (inactive at HEAD,
                    2025-01-15); a bot touched it since, which changes nobody's activity
    score.py        a logistic regression, plain entry script, created by Ann; it imports
    scoring/*.py    scoring/utils.py (Bob) and scoring/io.py (Cy); CODEOWNERS names @scoring
    predict.py      loads the trained model and scores with it; Ann alone wrote it
    dvc.yaml        stage `train` (python train.py) and stage `fetch` (a shell command);
                    CODEOWNERS gives dvc.yaml to @platform, which owns `fetch` but not `train`
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse
from mldebt.ownership.build import build_ownership
from mldebt.ownership.model import OwnershipReport

TRAIN = """\
import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, VotingClassifier


def fit(frame):
    if frame.empty or frame.isna().any().any():
        raise ValueError("no data")
    model = VotingClassifier([("rf", RandomForestClassifier(n_estimators=500, max_depth=8)),
                              ("gb", GradientBoostingClassifier(learning_rate=0.05, n_estimators=300))])
    model.fit(frame.drop(columns="y"), frame["y"])
    return model


if __name__ == "__main__":
    joblib.dump(fit(pd.read_csv("data/train.csv")), "models/model.pkl")
"""
SCORE = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression

from scoring.io import load
from scoring.utils import clean

if __name__ == "__main__":
    LogisticRegression().fit(clean(load()), [0])
"""
PREDICT = """\
import joblib

if __name__ == "__main__":
    model = joblib.load("models/model.pkl")
"""
DVC = """\
stages:
  train:
    cmd: python train.py
    deps: [train.py, data/train.csv]
    outs: [models/model.pkl]
  fetch:
    cmd: curl -o data/train.csv https://example.org/train.csv
    outs: [data/train.csv]
"""
CODEOWNERS = "/score.py @scoring\n/dvc.yaml @platform\n"


def commit(who: str, date: str, files: Mapping[str, str | None], message: str = "work") -> Commit:
    return Commit(who, f"{who.split()[0].lower()}@example.org", f"{date}T12:00:00+00:00", message, files)


SCENARIO = [
    commit("Old Timer", "2022-01-10", {"pyproject.toml": "[project]\nname = 'x'\n", "train.py": TRAIN, "dvc.yaml": DVC}),
    commit("Old Timer", "2022-03-10", {"train.py": TRAIN + "\n"}),
    commit("renovate[bot]", "2022-06-01", {"train.py": TRAIN + "\n\n"}),
    commit("Ann Active", "2024-10-01", {"score.py": SCORE, "predict.py": PREDICT}),
    commit("Bob Active", "2024-11-01", {"scoring/utils.py": "def clean(x):\n    return x\n"}),
    commit("Cy Active", "2025-01-15", {"scoring/io.py": "def load():\n    return []\n", "CODEOWNERS": CODEOWNERS}),
]


def report_of(root: Path, **kwargs: object) -> OwnershipReport:
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    return build_ownership(root, analysis.graph, analysis.facts, cache=None, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository above; read-only for the tests that share it."""
    return build_history(tmp_path_factory.mktemp("ownership") / "repo", SCENARIO)


@pytest.fixture(scope="module")
def report(scenario: Path) -> OwnershipReport:
    return report_of(scenario)


@pytest.fixture
def make_report() -> Callable[..., OwnershipReport]:
    """`make_report(root, **build_ownership options)`."""
    return report_of
