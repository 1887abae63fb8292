"""The graph's named questions, asked of a small project whose answers are known."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, analyse


def test_models_downstream_of_follow_data_and_imports(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "features.py").write_text("import pandas as pd\nFRAME = pd.read_csv('data/a.csv')\n")
    (tmp_path / "train.py").write_text(
        "from sklearn.linear_model import LogisticRegression\nimport features\n\n"
        "model = LogisticRegression().fit(features.FRAME, features.FRAME)\n"
    )
    (tmp_path / "report.py").write_text("import pandas as pd\npd.read_csv('data/b.csv')\n")
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph

    [model] = [node for node, kind in graph.graph.nodes(data="kind") if kind == "model"]
    assert model.startswith("model:train.py::sklearn.linear_model.LogisticRegression:")
    assert graph.models_downstream_of("data:data/a.csv") == [model]
    assert graph.models_downstream_of("file:features.py") == [model]
    assert graph.models_downstream_of("data:data/b.csv") == []
    assert graph.models_downstream_of("data:nowhere.csv") == []
