"""Which files are pipelines: declared stages, `__main__` scripts, notebooks, and scripts that
do their work at module level, as `python train.py` scripts often do."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
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
    assert graph.edges["column:age", "file:prep.py"]["kind"] == "uses-column"
    assert graph.edges["column:id", "file:prep.py"]["kind"] == "drops-column"


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


def test_unit_test_modules_are_not_pipelines_and_do_not_make_a_script_a_library() -> None:
    scripts = _scripts({
        "train.py": "import pandas as pd\n\ndef fit():\n    pd.read_csv('data/train.csv')\n\n"
                    "if __name__ == '__main__':\n    fit()\n",
        # A scoring script: loads the pickled model and scores with it, at module level.
        "predict.py": """
            import joblib
            import pandas as pd
            model = joblib.load("models/model.pkl")
            pd.DataFrame(model.predict(pd.read_csv("data/new.csv"))).to_csv("data/scores.csv")
        """,
        # `test.py` evaluates on the test split: a pipeline, whatever its name.
        "test.py": "import torch\n\nif __name__ == '__main__':\n    torch.load('ckpt/best.pt')\n",
        "tests/test_train.py": """
            import unittest
            from train import fit
            from predict import model
            class TrainTest(unittest.TestCase):
                def test_fit(self):
                    fit()
            if __name__ == "__main__":
                unittest.main()
        """,
        "tests/make_fixtures.py": "import pandas as pd\n\nif __name__ == '__main__':\n"
                                  "    pd.DataFrame().to_csv('tests/data/f.csv')\n",
        # Named like no test, but a TestCase module all the same.
        "checks/model_checks.py": "from absl.testing import absltest\nimport joblib\n\n"
                                  "class ModelTest(absltest.TestCase):\n    pass\n\n"
                                  "MODEL = joblib.load('models/model.pkl')\n\n"
                                  "if __name__ == '__main__':\n    absltest.main()\n",
    })
    assert scripts == {"predict.py": ("predict.py",), "test.py": ("test.py",), "train.py": ("train.py",)}


def test_a_library_module_with_a_self_test_or_a_demo_main_is_not_a_pipeline() -> None:
    scripts = _scripts({
        "lib/metrics.py": '''
            def rmse(a, b):
                """
                >>> rmse([1.0], [1.0])
                0.0
                """
                return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5
            if __name__ == "__main__":
                import doctest
                doctest.testmod()
        ''',
        "lib/text.py": "def clean(s):\n    return s.strip()\n\nif __name__ == '__main__':\n"
                       "    import unittest\n    unittest.main()\n",
        # A network module that train.py imports, checking its output shape when run.
        "models/net.py": """
            import torch
            class Net(torch.nn.Module):
                pass
            if __name__ == "__main__":
                print(Net()(torch.randn(1, 3)).shape)
        """,
        # A library module whose guard does work, here or in what it imports: a pipeline.
        "features.py": "import pandas as pd\n\ndef build(df):\n    return df\n\nif __name__ == '__main__':\n"
                       "    build(pd.read_csv('data/raw.csv')).to_parquet('data/features.parquet')\n",
        "pkg/cli.py": "from train import fit\n\nif __name__ == '__main__':\n    fit()\n",
        "pkg/__init__.py": "from pkg.cli import fit\n",
        "train.py": "import pandas as pd\nfrom features import build\nfrom models.net import Net\n\n"
                    "def fit():\n    build(pd.read_csv('data/train.csv'))\n    Net()\n",
        # Nothing imports it: an entry point by its guard alone, whatever it runs.
        "demo.py": "from lib.metrics import rmse\n\nif __name__ == '__main__':\n    print(rmse([1.0], [2.0]))\n",
        # A model module nothing imports (a registry builds it by name), whose guard calls its
        # own factory on random input: a model library all the same.
        "models/resnet.py": """
            import torch
            from torch import nn
            class ResNet(nn.Module):
                def forward(self, x):
                    return x
            def resnet18():
                return ResNet()
            if __name__ == "__main__":
                net = resnet18()
                print(net(torch.randn(2, 3, 32, 32)).size())
        """,
        # Nothing imports it and it defines its network, but its guard trains it: a pipeline.
        "mnist.py": """
            import torch
            class Net(torch.nn.Module):
                pass
            def main():
                net = Net()
                for x, y in loader:
                    loss_fn(net(x), y).backward()
            if __name__ == "__main__":
                main()
        """,
    })
    assert scripts == {
        "demo.py": ("demo.py", "lib/metrics.py"),
        "features.py": ("features.py",),
        "mnist.py": ("mnist.py",),
        "pkg/cli.py": ("features.py", "models/net.py", "pkg/cli.py", "train.py"),
    }


def test_the_kedro_registry_is_not_a_pipeline() -> None:
    facts = {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in {
            "src/proj/pipeline_registry.py": """
                from kedro.pipeline import Pipeline, pipeline
                from proj.pipelines import training

                def register_pipelines() -> dict[str, Pipeline]:
                    training_pipeline = training.create_pipeline()
                    return {"__default__": pipeline([training_pipeline]), "training": training_pipeline}
            """,
            # Kedro 0.17's registry: a hook method.
            "src/proj/hooks.py": """
                from kedro.framework.hooks import hook_impl
                from kedro.pipeline import Pipeline

                class ProjectHooks:
                    @hook_impl
                    def register_pipelines(self):
                        return {"__default__": Pipeline([])}
            """,
            "src/proj/pipelines/__init__.py": "",
            "src/proj/pipelines/training/__init__.py": "from .pipeline import create_pipeline\n",
            "src/proj/pipelines/training/pipeline.py": """
                from kedro.pipeline import node, pipeline
                from .nodes import fit

                def create_pipeline(**kwargs):
                    return pipeline([node(fit, "features", "model")])
            """,
            "src/proj/pipelines/training/nodes.py": "def fit(frame):\n    return frame\n",
            # A one-module project whose registry defines its nodes: that is its pipeline.
            "small/src/tiny/pipeline_registry.py": """
                from kedro.pipeline import node, pipeline

                def register_pipelines():
                    return {"__default__": pipeline([node(len, "raw", "size")])}
            """,
        }.items()
    }
    kedro = [p for p in build_graph(facts, Declarations()).pipelines if p.kind == "kedro-pipeline"]
    assert [(p.source, p.name) for p in kedro] == [
        ("small/src/tiny/pipeline_registry.py", "register_pipelines"),
        ("src/proj/pipelines/training/pipeline.py", "training"),
    ]


def test_sources_a_manifest_calls_data_are_still_analysed(tmp_path: Path) -> None:
    """A `.dvc` file or a stage that names code as its output would otherwise hide that code's
    findings from the gate: only a notebook a stage executes from another one is skipped."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("import pandas as pd\npd.read_csv('data/new.csv')\n")
    (tmp_path / "src.dvc").write_text("outs:\n- path: src\n")
    (tmp_path / "dvc.yaml").write_text("stages:\n  gen:\n    cmd: make\n    outs: [gen.ipynb]\n")
    (tmp_path / "gen.ipynb").write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 1"}],
    }))

    analysis = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False))

    assert sorted(analysis.facts) == ["gen.ipynb", "src/train.py"]


def test_an_import_inside_a_function_comes_with_that_function_only() -> None:
    big = "import torch\nclass BigNet(torch.nn.Module):\n    pass\n"
    scripts = _scripts({
        "models/big.py": big,
        "models/small.py": big.replace("Big", "Small"),
        "models/onnx_tools.py": "import torch\nclass Exporter:\n    def run(self):\n        from models.small import SmallNet\n",
        "utils.py": """
            import random
            def seed_everything(seed):
                random.seed(seed)
            def export_big(path):
                from models.big import BigNet
                return BigNet()
        """,
        # Takes only seed_everything: export_big's lazy import never runs.
        "train.py": """
            import pandas as pd
            from utils import seed_everything
            if __name__ == "__main__":
                seed_everything(0)
                pd.read_csv("data/train.csv")
        """,
        # Takes export_big, and a class whose method imports lazily.
        "export.py": """
            from utils import export_big
            from models.onnx_tools import Exporter
            if __name__ == "__main__":
                Exporter().run()
                export_big("model.onnx")
        """,
        # Imports utils whole, and imports lazily in its own function.
        "serve.py": """
            import utils
            def main():
                from models.small import SmallNet
                utils.seed_everything(0)
            if __name__ == "__main__":
                main()
        """,
    })
    assert scripts == {
        "train.py": ("train.py", "utils.py"),
        "export.py": ("export.py", "models/big.py", "models/onnx_tools.py", "models/small.py", "utils.py"),
        "serve.py": ("models/big.py", "models/small.py", "serve.py", "utils.py"),
    }


_TRAIN = (
    "import torch\nfrom models.net import Net\n\n\ndef main():\n    torch.save(Net().state_dict(), 'out/net.pt')\n\n\n"
    "if __name__ == '__main__':\n    main()\n"
)
_NET = "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n"
_LAUNCHER = "import sys\n\nsys.path.insert(0, '.')\nfrom train.train import main\n\nif __name__ == '__main__':\n    main()\n"


def test_a_thin_launcher_is_folded_into_the_pipeline_it_launches() -> None:
    files = {
        "train/__init__.py": "", "train/train.py": _TRAIN, "models/__init__.py": "", "models/net.py": _NET,
        # For a cluster submitter: it only starts train/train.py's main. A launcher of the
        # launcher folds to the same end.
        "run/train/train.py": _LAUNCHER,
        "run/submit.py": "import submitit\nfrom run.train.train import main\n\nif __name__ == '__main__':\n"
                         "    submitit.AutoExecutor(folder='logs').submit(main)\n",
        # Not thin: it writes data of its own, so it is a pipeline (that also runs train's code).
        "run/train_and_log.py": "import json\nfrom train.train import main\n\nif __name__ == '__main__':\n"
                                "    main()\n    json.dump({}, open('out/log.json', 'w'))\n",
        # It launches two pipelines: an orchestrator, a pipeline of its own.
        "evaluate.py": "import torch\n\n\ndef main():\n    torch.load('out/net.pt')\n\n\nif __name__ == '__main__':\n    main()\n",
        "run/all.py": "import evaluate\nfrom train import train\n\nif __name__ == '__main__':\n    train.main()\n    evaluate.main()\n",
    }
    assert _scripts(files) == {
        "train/train.py": ("models/net.py", "run/submit.py", "run/train/train.py", "train/train.py"),
        "run/train_and_log.py": ("models/net.py", "run/train_and_log.py", "train/train.py"),
        "evaluate.py": ("evaluate.py",),
        "run/all.py": ("evaluate.py", "models/net.py", "run/all.py", "train/train.py"),
    }
    facts = {path: analyze_file(path, code.encode(), "d", load_catalog(), load_models()) for path, code in files.items()}
    assert {p.name: p.launchers for p in build_graph(facts, Declarations()).pipelines if p.launchers} == {
        "train/train.py": ("run/submit.py", "run/train/train.py"),
    }


def test_a_stage_that_runs_a_launcher_is_the_one_pipeline_of_what_it_launches(
    files_at: Callable[[dict[str, str]], Path],
) -> None:
    root = files_at({
        "pyproject.toml": "[project]\nname = 'x'\n", "train/__init__.py": "", "train/train.py": _TRAIN,
        "models/__init__.py": "", "models/net.py": _NET, "run/train/train.py": _LAUNCHER,
        "dvc.yaml": "stages:\n  train:\n    cmd: python run/train/train.py\n    outs: [out/net.pt]\n",
    })
    pipelines = analyse(root, CheckOptions(jobs=1, use_cache=False)).graph.pipelines

    assert [(p.kind, p.name, p.files, p.launchers) for p in pipelines] == [
        ("dvc-stage", "train", ("models/net.py", "run/train/train.py", "train/train.py"), ("run/train/train.py",)),
    ]


def test_a_console_script_is_a_pipeline_declared_where_it_is_named(
    files_at: Callable[[dict[str, str]], Path],
) -> None:
    """13b P13: `triage = triage.cli:execute` runs the library; its module has no `__main__`
    guard (or has one: still one pipeline). A stage that runs the script is the pipeline."""
    files = {
        "setup.py": 'from setuptools import setup\nsetup(entry_points={"console_scripts": ["triage=triage.cli:execute", '
                    '"triage-guarded=triage.guarded:main", "triage-staged=triage.staged:main"]})\n',
        "triage/__init__.py": "",
        "triage/experiments.py": "from sklearn.ensemble import RandomForestClassifier\n\ndef run():\n    return RandomForestClassifier().fit([[0]], [0])\n",
        "triage/cli.py": "from triage.experiments import run\n\ndef execute():\n    run()\n",
        "triage/guarded.py": "from triage.experiments import run\n\ndef main():\n    run()\n\nif __name__ == '__main__':\n    main()\n",
        "triage/staged.py": "from triage.experiments import run\n\ndef main():\n    run()\n",
        "dvc.yaml": "stages:\n  experiment:\n    cmd: triage-staged experiment.yaml\n",
    }
    pipelines = analyse(files_at(files), CheckOptions(jobs=1, use_cache=False)).graph.pipelines
    assert sorted((p.kind, p.name, p.entry, p.source, p.line, p.files) for p in pipelines) == [
        ("console-script", "triage", "triage/cli.py", "setup.py", 2, ("triage/cli.py", "triage/experiments.py")),
        ("console-script", "triage-guarded", "triage/guarded.py", "setup.py", 2, ("triage/experiments.py", "triage/guarded.py")),
        ("dvc-stage", "experiment", "triage/staged.py", "dvc.yaml", 2, ("triage/experiments.py", "triage/staged.py")),
    ]
