"""`mldebt impact` on the demo repository, whose pipeline is known by construction:

    data/raw/customers.csv -> src/prepare.py (stage prepare) -> data/processed/{train,test}.parquet
    train.parquet -> src/train.py (stage train) -> models/churn_model.joblib, three estimators
    test.parquet + the model -> src/evaluate.py (stage evaluate) -> reports/scores.csv -> src/report.py
    src/features.py is imported by train.py and evaluate.py; the notebook reads customers.csv too.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main
from mldebt.demo.history import Commit, build_history
from mldebt.demo.write import write_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("impact") / "demo")


def _impact(root: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["impact", "--no-cache", "-C", str(root), *args])
    return done.exit_code, done.output


def _json(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    code, out = _impact(root, "--format", "json", *args)
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def _names(document: dict, key: str) -> set[str]:  # type: ignore[type-arg]
    return {entry["name"] for entry in document[key]}


def test_a_raw_dataset_reaches_every_stage_downstream_and_the_models(demo: Path) -> None:
    found = _json(demo, "data/raw/customers.csv")
    assert (found["target"], found["kind"]) == ("data/raw/customers.csv", "data")
    assert _names(found, "pipelines") == {"prepare", "train", "evaluate", "src/report.py", "notebooks/exploration.ipynb"}
    assert {name.split(" ")[0] for name in _names(found, "models")} == {
        "sklearn.ensemble.GradientBoostingClassifier", "sklearn.ensemble.RandomForestClassifier",
        "sklearn.ensemble.VotingClassifier",
    }
    assert {"models/churn_model.joblib", "reports/scores.csv", "metrics.json"} <= _names(found, "datasets")
    assert _names(found, "files") == {
        "src/prepare.py", "src/train.py", "src/evaluate.py", "src/report.py", "notebooks/exploration.ipynb",
    }
    report = next(e for e in found["pipelines"] if e["name"] == "src/report.py")
    # One shortest path, from the target: through prepare's test split, evaluate's scores.
    assert report["via"] == [
        "data/raw/customers.csv", "src/prepare.py", "data/processed/test.parquet", "src/evaluate.py",
        "reports/scores.csv", "src/report.py", "script src/report.py",
    ]
    owners = {o["pipeline"]: o for o in found["owners"]}
    assert owners["train"]["unowned"] and owners["prepare"]["codeowners"] == ["@sam-chen"]
    assert owners["evaluate"]["active_authors"] == ["Dev Patel"]


def test_a_module_reaches_its_importers_and_not_the_rest(demo: Path) -> None:
    found = _json(demo, "src.features")
    assert found["kind"] == "module"
    assert _names(found, "pipelines") == {"train", "evaluate", "src/report.py"}
    assert "prepare" not in _names(found, "pipelines") and "src/prepare.py" not in _names(found, "files")


def test_upstream_is_what_a_pipeline_depends_on(demo: Path) -> None:
    found = _json(demo, "--upstream", "train")
    assert {"data/raw/customers.csv", "params.yaml", "data/processed/train.parquet"} <= _names(found, "datasets")
    assert {"src/train.py", "src/features.py", "src/config.py", "src/prepare.py"} <= _names(found, "files")
    assert "reports/scores.csv" not in _names(found, "datasets")
    code, text = _impact(demo, "--upstream", "train")
    assert code == 0 and "  data/raw/customers.csv  via dvc-stage train <- " in text


def test_a_repository_file_nothing_reads_reaches_nothing(demo: Path) -> None:
    found = _json(demo, "README.md")
    assert found["kind"] == "file" and all(found[key] == [] for key in ("models", "pipelines", "datasets", "files"))
    code, text = _impact(demo, "README.md")
    assert code == 0 and "`README.md` (file) reaches:\n  nothing" in text


def test_a_target_that_names_nothing_is_an_error_with_the_closest_names(demo: Path) -> None:
    code, out = _impact(demo, "src/featurs.py")
    assert code == 2
    assert "`src/featurs.py` names no file, module, dataset, pipeline, column, parameter or shared constant" in out
    assert "did you mean `src/features.py`" in out


def test_new_since_reaches_what_the_branch_changed(tmp_path: Path) -> None:
    base = {
        "pyproject.toml": "[project]\nname = 'x'\n", "lib.py": "X = 1\n",
        "a.py": "import lib\n\nif __name__ == '__main__':\n    open('out.txt', 'w')\n",
        "b.py": "if __name__ == '__main__':\n    print(open('out.txt').read())\n",
    }
    root = build_history(tmp_path / "repo", [
        Commit("Ann", "ann@example.org", "2025-01-01T12:00:00+00:00", "base", base),
        Commit("Ann", "ann@example.org", "2025-01-02T12:00:00+00:00", "change", {"lib.py": "X = 2\n"}),
    ])
    subprocess.run(["git", "-C", str(root), "tag", "base", "HEAD~1"], check=True)
    found = _json(root, "--new-since", "base")
    assert found["kind"] == "changes"
    assert _names(found, "files") == {"a.py", "b.py"}
    assert _names(found, "datasets") == {"out.txt"}
    code, markdown = _impact(root, "--new-since", "base", "--format", "markdown")
    assert code == 0 and markdown.startswith("### `changes since base` (changes) reaches:")
    assert _impact(root)[0] == 2


def test_a_parameter_key_reaches_the_stages_that_declare_it_and_their_models(demo: Path) -> None:
    # dvc.yaml: prepare declares `prepare.test_size`, train the whole `train` section.
    found = _json(demo, "train.learning_rate")
    assert found["kind"] == "param"
    assert _names(found, "pipelines") == {"train", "evaluate", "src/report.py"}
    assert {name.split(" ")[0] for name in _names(found, "models")} == {
        "sklearn.ensemble.GradientBoostingClassifier", "sklearn.ensemble.RandomForestClassifier",
        "sklearn.ensemble.VotingClassifier",
    }
    assert next(e for e in found["pipelines"] if e["name"] == "train")["via"] == ["train", "dvc-stage train"]
    # Through prepare's declared output directory, into the stages that read files inside it.
    prepared = _json(demo, "prepare.test_size")
    assert _names(prepared, "pipelines") == {
        "prepare", "train", "evaluate", "src/report.py",
    }
    assert "data/processed/train.parquet" in _names(prepared, "datasets")
    # A section names the keys inside it; upstream, a stage lists the parameters it declares.
    assert _names(_json(demo, "prepare"), "params") == set()
    assert _names(_json(demo, "--upstream", "prepare"), "params") == {"prepare.test_size"}


def test_kedro_parameters_are_targets_and_their_changes_are_found_by_key(tmp_path: Path) -> None:
    pipeline = (
        "from kedro.pipeline import node, pipeline\n\n"
        "def create_pipeline(**kwargs):\n"
        "    return pipeline([\n"
        "        node(split, ['model_input', 'params:split'], ['X_train', 'X_test']),\n"
        "        node(train, ['X_train', 'params:model_options'], 'regressor'),\n"
        "    ])\n"
    )
    base = {
        "pyproject.toml": "[tool.kedro]\npackage_name = 'proj'\n",
        "conf/base/catalog.yml": (
            "regressor:\n  type: pickle.PickleDataset\n  filepath: data/06_models/regressor.pickle\n"
            "model_input:\n  type: pandas.ParquetDataset\n  filepath: data/03_primary/model_input.parquet\n"
        ),
        "conf/base/parameters.yml": "prep:\n  fill: 0\nsplit:\n  test_size: 0.2\nmodel_options:\n  alpha: 1.0\n",
        "src/proj/pipelines/ds/pipeline.py": pipeline,
        "src/proj/pipelines/prep/pipeline.py": pipeline.replace(
            "node(split, ['model_input', 'params:split'], ['X_train', 'X_test']),\n"
            "        node(train, ['X_train', 'params:model_options'], 'regressor'),",
            "node(prep, ['raw', 'params:prep'], 'model_input'),",
        ),
    }
    root = build_history(tmp_path / "repo", [
        Commit("Ann", "ann@example.org", "2025-01-01T12:00:00+00:00", "base", base),
        Commit("Ann", "ann@example.org", "2025-01-02T12:00:00+00:00", "tune",
               {"conf/base/parameters.yml": "prep:\n  fill: 0\nsplit:\n  test_size: 0.2\nmodel_options:\n  alpha: 0.5\n"}),
    ])
    subprocess.run(["git", "-C", str(root), "tag", "base", "HEAD~1"], check=True)
    alpha = _json(root, "params:model_options.alpha")
    assert alpha["kind"] == "param" and "data/06_models/regressor.pickle" in _names(alpha, "datasets")
    assert "data/03_primary/model_input.parquet" in _names(_json(root, "prep.fill"), "datasets")
    # The branch changed model_options.alpha, not prep.fill: the ds pipeline's outputs (a
    # pipeline is the unit, its nodes' outputs all), not prep's.
    changed = _json(root, "--new-since", "base")
    assert _names(changed, "datasets") == {"data/06_models/regressor.pickle", "kedro://X_train", "kedro://X_test"}
    assert {entry["via"][0] for entry in changed["datasets"]} == {"model_options"}


def test_changed_keys_are_the_leaves_that_differ() -> None:
    from mldebt.graph.impact import changed_keys

    old = {"train": {"lr": 0.1, "depth": 3}, "seed": 1, "layers": [1, 2]}
    new = {"train": {"lr": 0.2, "depth": 3, "extra": True}, "seed": 1, "layers": [1, 3]}
    assert changed_keys(old, new) == {"train.lr", "train.extra", "layers"}
    assert changed_keys(None, {"a": {"b": 1}}) == {"a.b"}
    assert changed_keys({"a": {"b": 1, "c": 2}}, {}) == {"a.b", "a.c"}
    assert changed_keys({"a": 1}, {"a": 1}) == set()


def test_a_shared_constant_reaches_the_modules_that_read_it_and_not_every_importer(
    tmp_path: Path, files_at: Callable[[dict[str, str]], Path]
) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "pkg/__init__.py": "",
        # SEED is read by config itself (through SPLIT_SEED) and by star.py, THRESHOLD only by its readers.
        "pkg/config.py": "SEED = 1\nSPLIT_SEED = SEED + 1\nTHRESHOLD = 0.5\nLABEL = 'y'\n",
        "pkg/split.py": "from pkg.config import SPLIT_SEED\n\nif __name__ == '__main__':\n    open('split.csv', 'w')\n",
        "pkg/score.py": "import pkg.config as cfg\n\nif __name__ == '__main__':\n    print(cfg.THRESHOLD)\n    open('scores.csv', 'w')\n",
        "pkg/report.py": "from pkg.config import LABEL\n\nif __name__ == '__main__':\n    open('report.csv', 'w')\n",
        "pkg/star.py": "from pkg.config import *\n\nif __name__ == '__main__':\n    open('star.csv', 'w')\n",
    }
    files_at(files)
    threshold = _json(tmp_path, "THRESHOLD")
    assert threshold["kind"] == "constant"
    assert _names(threshold, "files") == {"pkg/score.py", "pkg/star.py"}
    assert _names(threshold, "datasets") == {"scores.csv", "star.csv"}
    assert _names(_json(tmp_path, "config.LABEL"), "files") == {"pkg/report.py", "pkg/star.py"}
    # Read by config itself: a change of SEED is a change of config, which reaches its importers.
    assert _names(_json(tmp_path, "pkg.config.SEED"), "files") >= {"pkg/config.py", "pkg/split.py", "pkg/score.py"}
    code, out = _impact(tmp_path, "THRESHOLDS")
    assert code == 2 and "did you mean `pkg.config.THRESHOLD`" in out


def test_first_order_reach_stops_where_a_pipeline_writes_for_the_next(demo: Path) -> None:
    from mldebt.engine import CheckOptions, analyse
    from mldebt.graph.impact import first_order

    graph = analyse(demo, CheckOptions(use_cache=False, jobs=1)).graph.graph
    pipelines = {
        graph.nodes[n]["name"] for n in first_order(graph, "data:data/raw/customers.csv")
        if graph.nodes[n]["kind"] == "pipeline"
    }
    # The raw data feeds prepare and the notebook; train only through prepare's outputs.
    assert pipelines == {"prepare", "notebooks/exploration.ipynb"}
    # train.py and evaluate.py import the features; report.py only reads what evaluate writes.
    reached = first_order(graph, "file:src/features.py")
    assert {graph.nodes[n]["name"] for n in reached if graph.nodes[n]["kind"] == "pipeline"} == {"train", "evaluate"}
    models = [n for n in reached if graph.nodes[n]["kind"] == "model"]
    assert len(models) == 3 and reached[models[0]][0] == "file:src/features.py"
