"""MLD101 inside DVC stages: a stage's data must be among its own deps and outs."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, check

DVC = """\
stages:
  prepare:
    cmd: python prepare.py
    deps: [data/raw.csv]
    outs: [data/clean.csv]
  train:
    cmd: python train.py
    deps: [train.py, data/clean.csv]
    outs: [models/model.pkl]
  report:
    cmd: python report.py
    deps: [report.py]
"""


def _findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD101",))).result
    return [(f.location.path, f.location.line, f.message) for f in result.findings]


def test_each_stage_reads_and_writes_only_what_it_declares(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "prepare.py": "import pandas as pd\npd.read_csv('data/raw.csv').to_csv('data/clean.csv')\n",
        # Declared as train's own dep and out: nothing to say.
        "train.py": "import joblib\nimport pandas as pd\npd.read_csv('data/clean.csv')\njoblib.dump(0, 'models/model.pkl')\n",
        # report reads prepare's output and train's model, and declares neither.
        "report.py": "import joblib\nimport pandas as pd\npd.read_csv('data/clean.csv')\njoblib.load('models/model.pkl')\n",
    })
    assert found == [
        ("report.py", 3, "reads data `data/clean.csv` (pandas.read_csv) that stage `report` does not declare "
                         "(stage `prepare` declares it, dvc.yaml:5)"),
        ("report.py", 4, "reads data `models/model.pkl` (joblib.load) that stage `report` does not declare "
                         "(stage `train` declares it, dvc.yaml:9)"),
    ]


def test_a_module_shared_by_stages_may_use_what_either_declares(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "common.py": "import pandas as pd\n\ndef clean():\n    return pd.read_csv('data/clean.csv')\n",
        "prepare.py": "import common\n",
        "report.py": "import common\n",
        "train.py": "import pandas as pd\npd.read_csv('data/other.csv')\n",
    })
    # common.py runs in prepare, which declares data/clean.csv; train's read is undeclared.
    assert found == [("train.py", 2, "reads data `data/other.csv` (pandas.read_csv) that no manifest declares")]


def test_what_no_stage_owns_counts_for_every_stage(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "pyproject.toml": "[project]\nname = 'x'\n\n[tool.mldebt.data]\ninputs = ['data/reference/*.csv']\n",
        "data/lookup.csv.dvc": "outs:\n- path: lookup.csv\n",
        "report.py": "import pandas as pd\npd.read_csv('data/reference/a.csv')\npd.read_csv('data/lookup.csv')\n",
    })
    assert found == []
