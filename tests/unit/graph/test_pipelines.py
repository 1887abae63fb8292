"""Which files are pipelines: declared stages, `__main__` scripts, notebooks, and scripts that
do their work at module level, as `python train.py` scripts often do."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.engine import CheckOptions, analyse
from mldebt.graph import build_graph
from mldebt.parse.analyze import analyze_file


def _scripts(files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    facts = {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in files.items()
    }
    return {p.entry or p.source: p.files for p in build_graph(facts, Declarations()).pipelines if p.kind == "script"}


def test_a_script_without_a_main_guard_is_a_pipeline() -> None:
    scripts = _scripts({
        # nanoGPT's shape: the training loop at module level, the network in a module.
        "train.py": """
            import torch
            from model import GPT
            model = GPT()
            for batch in loader:
                scaler.scale(model(batch)).backward()
            torch.save(model.state_dict(), "out/ckpt.pt")
        """,
        "model.py": "import torch\nclass GPT(torch.nn.Module):\n    pass\n",
        "guarded.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.read_csv('a.csv')\n",
        # pytorch/examples' super_resolution/main.py: a top-level loop over its own functions.
        "main.py": """
            import torch
            def train(epoch):
                loss.backward()
            def checkpoint(epoch):
                torch.save(model, f"model_epoch_{epoch}.pth")
            for epoch in range(10):
                train(epoch)
                checkpoint(epoch)
        """,
    })
    assert scripts == {
        "train.py": ("model.py", "train.py"), "guarded.py": ("guarded.py",), "main.py": ("main.py",),
    }


def test_modules_packages_and_tests_with_top_level_work_are_not_scripts() -> None:
    scripts = _scripts({
        # Imported by another module: a library that reads its configuration at import.
        "settings.py": "import json\nCONFIG = json.load(open('config.json'))\n",
        "app.py": "from settings import CONFIG\n\ndef run():\n    return CONFIG\n",
        "pkg/__init__.py": "import pandas as pd\nTABLE = pd.read_csv('t.csv')\n",
        "tests/test_data.py": "import pandas as pd\nFRAME = pd.read_csv('tests/f.csv')\n",
        "tests/conftest.py": "import pandas as pd\nFRAME = pd.read_csv('tests/f.csv')\n",
        # Nothing at module level but definitions.
        "helpers.py": "import pandas as pd\n\ndef load():\n    return pd.read_csv('a.csv')\n",
        # Calls its own function at import, but does no data or model work anywhere.
        "setup_logging.py": "import logging\n\ndef configure():\n    logging.basicConfig()\n\nconfigure()\n",
    })
    assert scripts == {}


def test_a_kedro_module_is_one_pipeline_however_many_pipeline_calls_build_it() -> None:
    facts = {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in {
            "src/proj/pipelines/training/pipeline.py": """
                from kedro.pipeline import Pipeline, node, pipeline
                from .nodes import fit

                def create_pipeline(**kwargs) -> Pipeline:
                    base = pipeline([node(fit, "features", "model")])
                    return pipeline(pipe=base, namespace="lstm") + pipeline(pipe=base, namespace="ebm")
            """,
            "src/proj/pipelines/training/nodes.py": "def fit(frame):\n    return frame\n",
        }.items()
    }
    kedro = [p for p in build_graph(facts, Declarations()).pipelines if p.kind == "kedro-pipeline"]
    assert [(p.name, p.line) for p in kedro] == [("training", 6)]


def test_the_graph_marks_what_is_declared_and_the_columns_files_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.mldebt.data]\ninputs = ['data/raw/']\n")
    (tmp_path / "conf" / "base").mkdir(parents=True)
    (tmp_path / "conf" / "base" / "catalog.yml").write_text("scores:\n  type: pandas.CSVDataset\n  filepath: data/scores.csv\n")
    (tmp_path / "prep.py").write_text(
        "import pandas as pd\nFEATURES = ['age']\n\nif __name__ == '__main__':\n"
        "    pd.read_csv('data/raw/a.csv').drop(columns=['id']).to_csv('data/out.csv')\n"
    )
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.graph

    assert graph.nodes["data:data/raw/a.csv"]["declared"] and graph.nodes["data:data/raw/a.csv"]["declared_in"] == "pyproject.toml:5"
    assert graph.nodes["data:data/out.csv"]["declared"] is False
    assert graph.nodes["data:data/scores.csv"] == {
        "kind": "data", "target_kind": "path", "target": "data/scores.csv", "declared": True,
        "declared_in": "conf/base/catalog.yml:3", "origin": "kedro",
    }
    assert graph.edges["file:prep.py", "column:age"]["kind"] == "uses-column"
    assert graph.edges["file:prep.py", "column:id"]["kind"] == "drops-column"


def test_a_notebook_a_stage_writes_is_an_output_not_a_second_pipeline(tmp_path: Path) -> None:
    notebook = json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": "import pandas as pd\npd.read_csv('../data/a.csv')"}],
    })
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for folder in ("notebooks", "outputs"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "train.ipynb").write_text(notebook)
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  train:\n    cmd: papermill notebooks/train.ipynb outputs/train.ipynb\n"
        "    deps: [notebooks/train.ipynb, data/a.csv]\n    outs: [outputs/train.ipynb]\n"
    )
    analysis = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False))

    assert sorted(analysis.facts) == ["notebooks/train.ipynb"]
    assert any("skipped 1 file that manifests declare as outputs" in note and "outputs/train.ipynb" in note
               for note in analysis.notes)
