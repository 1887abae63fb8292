"""Feature lineage in the graph, on small projects whose lineage is known by construction:
dataset -> column -> model, with the column lists other modules define resolved."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from mldebt.cli import main
from mldebt.engine import CheckOptions, analyse
from mldebt.graph.export import to_dot, to_graphml, to_json


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


TRAIN = """\
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from pkg.features import FEATURES, TARGET

df = pd.read_csv("data/train.csv")
df = df[df["signup_year"] > 2019]
model = RandomForestClassifier()
model.fit(df[FEATURES], df[TARGET])
"""


@pytest.fixture
def churn(tmp_path: Path) -> Path:
    return _project(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/features.py": "NUMERIC = ['age', 'income']\nFEATURES = NUMERIC + ['city']\nTARGET = 'churned'\n",
        "pkg/train.py": TRAIN,
    })


def _graph(root: Path) -> nx.DiGraph:
    return analyse(root, CheckOptions(jobs=1, use_cache=False)).graph.graph


def _model(graph: nx.DiGraph) -> str:
    [model] = [n for n, kind in graph.nodes(data="kind") if kind == "model"]
    return model


def test_columns_of_a_list_imported_from_another_module_reach_the_model(churn: Path) -> None:
    graph = _graph(churn)
    model = _model(graph)
    feeding = {
        (source, data["kind"], data["flow"]) for source, _, data in graph.in_edges(model, data=True)
        if data["kind"] in ("feature", "label", "feature+label")
    }
    assert feeding == {
        ("column:data/train.csv#age", "feature", "direct"),
        ("column:data/train.csv#income", "feature", "direct"),
        ("column:data/train.csv#city", "feature", "direct"),
        ("column:data/train.csv#churned", "label", "direct"),
        # The filter decided which rows trained the model, for the features and the label.
        ("column:data/train.csv#signup_year", "feature+label", "indirect"),
    }
    assert graph.has_edge("data:data/train.csv", "column:data/train.csv#age")
    assert graph.nodes["column:data/train.csv#age"] == {"kind": "column", "name": "age", "dataset": "data/train.csv"}
    assert graph.edges["data:data/train.csv", model]["kind"] == "trains"


def test_a_drop_then_fit_names_no_column_but_the_dataset_trains_the_model(tmp_path: Path) -> None:
    root = _project(tmp_path, {"train.py": (
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
        "df = pd.read_csv('data/train.csv')\nX = df.drop(columns=['id', 'y'])\n"
        "LogisticRegression().fit(X, df['y'])\n"
    )})
    graph = _graph(root)
    model = _model(graph)
    assert graph.edges["data:data/train.csv", model]["kind"] == "trains"
    columns = {source for source, _, kind in graph.in_edges(model, data="kind") if kind in ("feature", "label")}
    # The dropped columns are absent, the others unnamed: only the label is a column node.
    assert columns == {"column:data/train.csv#y"}


def test_a_frame_of_unknown_origin_feeds_the_unqualified_column(tmp_path: Path) -> None:
    root = _project(tmp_path, {"train.py": (
        "from sklearn.linear_model import LogisticRegression\n"
        "def train(df):\n    LogisticRegression().fit(df[['age']], df['y'])\n"
    )})
    graph = _graph(root)
    assert graph.edges["column:age", _model(graph)] == {"kind": "feature", "flow": "direct"}


def test_every_export_has_the_lineage(churn: Path) -> None:
    graph = _graph(churn)
    model = _model(graph)
    edges = {(e["source"], e["target"]) for e in json.loads(to_json(graph))["edges"]}
    assert ("data:data/train.csv", "column:data/train.csv#age") in edges
    assert ("column:data/train.csv#age", model) in edges
    assert f'"column:data/train.csv#age" -> "{model}" [label="feature"];' in to_dot(graph)
    assert 'source="column:data/train.csv#age"' in to_graphml(graph)


def _impact(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    done = CliRunner().invoke(main, ["impact", "--no-cache", "-C", str(root), "--format", "json", *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)  # type: ignore[no-any-return]


def test_impact_of_a_column_reaches_the_model(churn: Path) -> None:
    found = _impact(churn, "income")
    assert found["kind"] == "column"
    [model] = found["models"]
    assert model["name"].startswith("sklearn.ensemble.RandomForestClassifier")
    assert model["via"][0] == "data/train.csv#income"
    # One dataset's column, by its qualified name.
    assert _impact(churn, "data/train.csv#income")["models"] == found["models"]
    assert {f["name"] for f in _impact(churn, "--upstream", "pkg/train.py")["features"]} >= {"age"}
