"""What a hub, library or registry knows by name (`openml://titanic`, `models:/churn`,
`kedro://companies`): seen and listed, but not an undeclared dependency or consumer."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, check

LOADERS = (
    "import mlflow\nfrom sklearn.datasets import load_iris, fetch_openml\nfrom torchvision import datasets\n"
    "if __name__ == '__main__':\n"
    "    load_iris()\n"
    "    fetch_openml('titanic')\n"
    "    datasets.MNIST('data', download=True)\n"
    "    mlflow.pyfunc.load_model('models:/churn/Production')\n"
)


def _findings(tmp_path: Path, files: dict[str, str], select: str, pyproject: str = "") -> list[tuple[str, int, str]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + pyproject)
    for path, text in files.items():
        (tmp_path / path).write_text(text)
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=(select,))).result
    return [(f.location.path, f.location.line, f.message) for f in result.findings]


def test_library_datasets_and_registry_models_are_not_undeclared_data(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"train.py": LOADERS}, "MLD101") == []


def test_the_hub_option_reports_them(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, {"train.py": LOADERS}, "MLD101", "[tool.mldebt.rules.undeclared-data-dependency]\nhub = true\n"
    )
    assert [(line, message.split(" (")[0]) for _, line, message in found] == [
        (5, "reads data `sklearn://iris`"),
        (6, "reads data `openml://titanic`"),
        (7, "reads data `torchvision://MNIST`"),
        (8, "reads data `models:/churn/Production`"),
    ]


def test_a_registry_name_couples_no_pipelines(tmp_path: Path) -> None:
    files = {
        "train.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.register_model('runs:/0a1b/model', 'churn')\n    catalog.save('scores', df)\n",
        "serve.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.pyfunc.load_model('models:/churn')\n    catalog.load('scores')\n",
    }
    assert _findings(tmp_path, files, "MLD103") == []
