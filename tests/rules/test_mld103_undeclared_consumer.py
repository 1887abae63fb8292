"""MLD103 beyond its examples: a name a registry knows couples no pipelines."""

from __future__ import annotations


def test_a_registry_name_couples_no_pipelines(repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "train.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.register_model('runs:/0a1b/model', 'churn')\n    catalog.save('scores', df)\n",
        "serve.py": "import mlflow\nif __name__ == '__main__':\n    mlflow.pyfunc.load_model('models:/churn')\n    catalog.load('scores')\n",
    }
    assert repo(files, select=("MLD103",)).findings == ()


def test_a_loop_that_reads_what_another_pipeline_writes_is_one_finding_per_writer(repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "prepare.py": (
            "import pandas as pd\nif __name__ == '__main__':\n"
            "    for month in ('03', '04', '05'):\n        pd.DataFrame().to_parquet(f'datasets/green_{month}.parquet')\n"
        ),
        "monitor.py": (
            "import pandas as pd\nif __name__ == '__main__':\n"
            "    for month in ('03', '04', '05'):\n        pd.read_parquet(f'datasets/green_{month}.parquet')\n"
            "    pd.read_parquet('datasets/green_03.parquet')\n"
        ),
    }
    found = [(f.location.path, f.location.line, f.message) for f in repo(files, select=("MLD103",)).findings]
    assert found == [
        ("monitor.py", 4, "reads 3 files like `datasets/green_03.parquet`, which script `prepare.py` writes (prepare.py:4); neither declares it"),
        ("monitor.py", 5, "reads `datasets/green_03.parquet`, which script `prepare.py` writes (prepare.py:4); neither declares it"),
    ]
