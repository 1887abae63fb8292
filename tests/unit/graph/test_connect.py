"""The graph connects: Kedro datasets to the pipelines that use them (by the names their
namespaces give them), DVC directory outputs to the files inside them, a stage's source
dependency to the file itself."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, analyse


def _graph(root: Path, files: dict[str, str]):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return analyse(root, CheckOptions(jobs=1, use_cache=False)).graph.graph


KEDRO_NODE = "from kedro.pipeline import node, pipeline\n"


def test_kedro_pipelines_chain_through_their_datasets(tmp_path: Path) -> None:
    graph = _graph(tmp_path, {
        "pyproject.toml": "[tool.kedro]\npackage_name = 'proj'\n",
        "conf/base/catalog.yml": (
            "companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv\n"
            "model_input_table:\n  type: pandas.ParquetDataset\n  filepath: data/03_primary/model_input_table.parquet\n"
        ),
        "src/proj/pipelines/processing/pipeline.py": KEDRO_NODE + (
            "def create_pipeline(**kwargs):\n    return pipeline([\n"
            "        node(clean, inputs='companies', outputs='clean_companies'),\n"
            "        node(join, inputs=['clean_companies', 'params:how'], outputs='model_input_table'),\n    ])\n"
        ),
        "src/proj/pipelines/science/pipeline.py": KEDRO_NODE + (
            "def create_pipeline(**kwargs):\n    return pipeline([\n"
            "        node(train, inputs=['model_input_table', 'parameters'], outputs='regressor'),\n    ])\n"
        ),
        "notebooks/look.ipynb": (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {},'
            ' "outputs": [], "execution_count": null, "source": "df = catalog.load(\\"model_input_table\\")"}]}'
        ),
    })
    processing = "pipeline:kedro-pipeline:src/proj/pipelines/processing/pipeline.py:processing"
    science = "pipeline:kedro-pipeline:src/proj/pipelines/science/pipeline.py:science"
    table = "data:data/03_primary/model_input_table.parquet"

    edges = {(a, b): d["kind"] for a, b, d in graph.edges(data=True) if d["kind"] in ("kedro-input", "kedro-output", "names")}
    assert edges == {
        ("data:data/01_raw/companies.csv", processing): "kedro-input",
        (processing, "data:kedro://clean_companies"): "kedro-output",
        ("data:kedro://clean_companies", processing): "kedro-input",
        (processing, table): "kedro-output",
        (table, science): "kedro-input",
        (science, "data:kedro://regressor"): "kedro-output",
        # The notebook loads the catalog's dataset by name.
        (table, "data:kedro://model_input_table"): "names",
    }
    assert graph.nodes["data:kedro://regressor"]["kind"] == "data"


def test_namespaced_kedro_datasets_meet_their_catalog_entries_and_factories(tmp_path: Path) -> None:
    graph = _graph(tmp_path, {
        "pyproject.toml": "[tool.kedro]\npackage_name = 'proj'\n",
        "conf/base/catalog.yml": (
            "companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv\n"
            "ingestion.typed:\n  type: pandas.ParquetDataset\n  filepath: data/02_int/typed.pq\n"
            "'{namespace}.features':\n  type: pandas.ParquetDataset\n  filepath: data/04_feature/{namespace}.pq\n"
            "'{anything}':\n  type: pandas.CSVDataset\n  filepath: data/other/{anything}.csv\n"
            "train.linear.model:\n  type: pickle.PickleDataset\n  filepath: data/06_models/linear.pkl\n"
            "train.forest.model:\n  type: pickle.PickleDataset\n  filepath: data/06_models/forest.pkl\n"
        ),
        "src/proj/pipelines/ingestion/pipeline.py": KEDRO_NODE + (
            "def create_pipeline(**kwargs):\n    return pipeline(\n"
            "        [node(clean, 'companies', 'typed'), node(feat, 'typed', 'features')],\n"
            "        namespace='ingestion', inputs='companies',\n    )\n"
        ),
        "src/proj/pipelines/train/pipeline.py": KEDRO_NODE + (
            "def create_pipeline(kinds):\n"
            "    base = pipeline([node(fit, 'ingestion.features', 'model')])\n"
            "    return pipeline(\n"
            "        sum(pipeline(base, namespace=k, inputs='ingestion.features') for k in kinds),\n"
            "        namespace='train', inputs='ingestion.features',\n    )\n"
        ),
    })
    ingestion = "pipeline:kedro-pipeline:src/proj/pipelines/ingestion/pipeline.py:ingestion"
    train = "pipeline:kedro-pipeline:src/proj/pipelines/train/pipeline.py:train"
    edges = {(a, b) for a, b, d in graph.edges(data=True) if d["kind"] in ("kedro-input", "kedro-output")}
    # The most specific factory makes `ingestion.features`; a namespace not known statically
    # (`train.*.model`) is every catalog entry it matches.
    assert edges == {
        ("data:data/01_raw/companies.csv", ingestion),
        (ingestion, "data:data/02_int/typed.pq"),
        ("data:data/02_int/typed.pq", ingestion),
        (ingestion, "data:data/04_feature/*.pq"),
        ("data:data/04_feature/*.pq", train),
        (train, "data:data/06_models/linear.pkl"),
        (train, "data:data/06_models/forest.pkl"),
    }


def test_a_dvc_directory_output_holds_the_files_written_and_read_in_it(tmp_path: Path) -> None:
    graph = _graph(tmp_path, {
        "dvc.yaml": (
            "stages:\n  prepare:\n    cmd: python src/prepare.py\n    deps: [src/prepare.py, src/schema.py]\n"
            "    outs: [data/prepared]\n"
            "  train:\n    cmd: python src/train.py\n    deps: [data/prepared]\n"
        ),
        "src/prepare.py": "import pandas as pd\npd.DataFrame().to_csv('data/prepared/train.csv')\n",
        "src/train.py": "import pandas as pd\npd.read_csv('data/prepared/train.csv')\n",
        "src/schema.py": "COLUMNS = ['a']\n",
    })

    assert graph.edges["data:data/prepared/train.csv", "data:data/prepared"]["kind"] == "inside"
    assert graph.edges["data:data/prepared", "data:data/prepared/train.csv"]["kind"] == "contains"
    # A stage's source dependency is the file itself, not a data node beside it; its entry
    # script stays its member.
    assert graph.edges["file:src/schema.py", "pipeline:dvc:dvc.yaml:prepare"]["kind"] == "declared-input"
    assert graph.edges["file:src/prepare.py", "pipeline:dvc:dvc.yaml:prepare"]["kind"] == "member"
    assert "data:src/prepare.py" not in graph and "data:src/schema.py" not in graph
