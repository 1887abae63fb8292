"""MLD103 beyond its examples: a name a registry knows couples no pipelines."""

from __future__ import annotations


def test_a_registry_name_couples_no_pipelines(repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "train.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.register_model('runs:/0a1b/model', 'churn')\n    catalog.save('scores', df)\n",
        "serve.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.pyfunc.load_model('models:/churn')\n    catalog.load('scores')\n",
    }
    assert repo(files, select=("MLD103",)).findings == ()
