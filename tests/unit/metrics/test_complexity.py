"""The complexity score's parts on small projects, each number worked out in a comment."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, analyse
from mldebt.metrics.complexity import complexity_parts


def _parts(root: Path, files: dict[str, str]) -> dict[str, float]:
    """The complexity parts of code made of ``files``, in a fresh project at ``root``."""
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for path, text in files.items():
        (root / path).write_text(text)
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    return complexity_parts(tuple(files), analysis.facts, analysis.graph)


def test_network_size_counts_methods_and_lines(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"net.py": (
        "from torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layer = nn.Linear(3, 4)\n\n    def forward(self, x):\n        return self.layer(x)\n"
    )})
    # 2 + 0.5 per method (2) + 7 lines / 50.
    assert parts["networks"] == 3.14


def test_features_count_distinct_used_columns_across_the_files(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {
        "features.py": "FEATURES = ['age', 'income', 'city']\n",
        "train.py": "from features import FEATURES\n\nX = df[['age', 'tenure']].drop(columns=['id'])\n",
    })
    # age, income, city, tenure; "id" is dropped, not used.
    assert parts["features"] == 0.4


def test_a_network_built_from_its_own_modules_is_not_counted_as_estimators(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"net.py": (
        "from torch import nn\n\n\nclass Block(nn.Module):\n    pass\n\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        self.blocks = [Block(), Block()]\n\n\n"
        "model = Net()\n"
    )})
    # Block: 2 + 2 lines / 50; Net: 2 + 0.5 for __init__ + 3 lines / 50. Constructing them
    # (Block() twice in Net, Net() once) adds no estimator.
    assert parts["estimators"] == 0 and parts["networks"] == 4.6


def test_wrappers_count_nothing_and_the_models_inside_them_do(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"m.py": (
        "from sklearn.decomposition import PCA\nfrom sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.pipeline import make_pipeline\n"
        "search = GridSearchCV(make_pipeline(PCA(), LogisticRegression()), {'logisticregression__C': [1, 10]})\n"
    )})
    assert parts["estimators"] == 2.0


def test_kedro_nodes_count_their_datasets_and_parameters(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"pipeline.py": (
        "from kedro.pipeline import Node, node, pipeline\n\n\ndef create_pipeline(**kwargs):\n"
        "    return pipeline([\n"
        "        node(split, ['features', 'params:split'], ['train', 'test']),\n"
        "        Node(func=fit, inputs=['train', 'params:model_options', 'parameters'], outputs='model'),\n"
        "    ])\n"
    )})
    # features, train, test, model: 0.5 each; three parameters: 0.25 each.
    assert (parts["data"], parts["hyperparameters"]) == (2.0, 0.75)


def test_an_ensemble_counts_double(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"m.py": (
        "from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.linear_model import LogisticRegression\n"
        "forest = RandomForestClassifier(n_estimators=10)\nlinear = LogisticRegression()\n"
    )})
    # 2 for the forest, 1 for the linear model; one hyperparameter.
    assert (parts["estimators"], parts["hyperparameters"]) == (3.0, 0.25)


def test_what_is_not_data_counts_no_data(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"train.py": (
        "import matplotlib.pyplot as plt\nimport pandas as pd\n\n"
        "frame = pd.read_csv('data/train.csv')\n"
        "frame.to_csv('tmp/sample.csv')\nsample = pd.read_csv('tmp/sample.csv')\n"
        "plt.savefig('loss.png')\n"
        "frame.to_parquet('data/features.parquet')\n"
    )})
    # data/train.csv and data/features.parquet; the figure, and the scratch file the script
    # writes and reads back itself, are not data it depends on.
    assert parts["data"] == 1.0


def test_an_estimator_built_again_counts_once(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"demo.py": (
        "from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.linear_model import LogisticRegression\n\n"
        "first = RandomForestClassifier(n_estimators=10)\n"
        "again = RandomForestClassifier(n_estimators=100, max_depth=4)\n"
        "baseline = LogisticRegression()\n"
    )})
    # The forest (2) once, with its most hyperparameters (2 x 0.25), and the regression (1).
    assert (parts["estimators"], parts["hyperparameters"]) == (3.0, 0.5)


def test_the_targets_of_a_loop_over_a_literal_list_count_as_one_dependency(tmp_path: Path) -> None:
    parts = _parts(tmp_path, {"evaluate.py": (
        "import os\nimport pandas as pd\n"
        "TASKS = ['algebra', 'anatomy', 'astronomy', 'biology']\nDATA = 'eval/mmlu/data/'\n"
        "def main():\n"
        "    for task in TASKS:\n"
        "        pd.read_csv(os.path.join(DATA, 'dev', task + '_dev.csv'))\n"
        "        pd.read_csv(os.path.join(DATA, 'test', task + '_test.csv'))\n"
        "    pd.read_csv('eval/mmlu/data/dev/algebra_dev.csv')\n"
        "if __name__ == '__main__':\n    main()\n"
    )})
    # Two calls of four files each, 0.5 each; the third call names one of them again: 0.5.
    assert parts["data"] == 1.5
