"""MLD1xx: data dependencies that nothing declares, or that only work on one machine."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from mldebt.findings import Category, Finding
from mldebt.graph import DataAccess, Status
from mldebt.rules.base import Invalid, Rule, RuleContext
from mldebt.targets import TargetKind

def _verb(access: DataAccess) -> str:
    return "reads" if access.direction == "read" else "writes"


def _how(access: DataAccess) -> str:
    """The API, and the working directory mldebt assumed where nothing says it."""
    if access.assumed_cwd:
        return f"{access.access.api}, relative to the script's folder {access.assumed_cwd}/"
    return access.access.api


class UndeclaredDataDependency(Rule):
    """
    ## What it does
    Flags data that code reads or writes, with a target known statically (a path, URI or SQL
    table), that no manifest declares: no `dvc.yaml` stage or `.dvc` file, no Kedro catalog
    entry, no `[tool.mldebt.data]` input or output covers it.

    Code that a DVC stage runs must find its data among that stage's own `deps`, `outs`,
    `params`, `metrics` and `plots` (or in a `.dvc` file, a Kedro catalog or
    `[tool.mldebt.data]`): another stage's `outs` do not make it a dependency of this one.

    ## Why is this bad?
    Undeclared data dependencies are invisible to lineage, review and retraining: DVC does
    not rerun a stage when an undeclared input changes, a reviewer cannot see that a change
    to a file reaches a model, and nobody knows who consumes an output before deleting it
    (Sculley et al., "Hidden Technical Debt in Machine Learning Systems": data dependencies
    cost more than code dependencies).

    Paths built from literals, module constants (also imported from other modules),
    `os.path.join`, pathlib `/`, f-strings and `+` are resolved, and so are command-line
    arguments (`sys.argv[1]`, argparse's `args.data`): from the `dvc.yaml` command that runs
    the script, else the option's default; in a script or notebook, so is a function's
    parameter that every call passes the same value. A target that cannot be known statically
    (a parameter callers disagree on, an option without a default) is counted in the summary,
    never flagged.
    Absolute and user-home paths are MLD102's; a read of data another pipeline writes is
    MLD103's. What a hub, library or registry knows by name is not flagged unless the `hub`
    option is set: Hugging Face Hub ids (`from_pretrained("bert-base-uncased")`,
    `hf_hub_download`), library datasets (`load_iris()` is `sklearn://iris`,
    `fetch_openml("titanic")` `openml://titanic`, `tfds.load("mnist")` `tfds://mnist`, Keras',
    torchvision's, torchaudio's and torchtext's datasets, `torch.hub.load`), MLflow runs and
    registered models (`runs:/...`, `models:/churn`), Weights & Biases artifacts (`wandb://...`)
    and Kedro catalog names (`catalog.load("companies")` is `kedro://companies`). This is a
    judgement call: the name is the dependency's declaration, and the registry keeps its
    versions and lineage; the directory a library downloads such a dataset into (`data_home`,
    torchvision's `root` with `download=True`) is its cache and is not reported at all. A
    directory read as it lies (`ImageFolder("data/train")`) is a path like any other.

    ## Example
    ```python
    import pandas as pd

    df = pd.read_csv("data/raw/customers.csv")
    ```

    ## Use instead
    Declare it, for instance as a dependency of the stage that runs this code:
    ```yaml
    stages:
      prepare:
        cmd: python prepare.py
        deps: [data/raw/customers.csv]
    ```
    or in pyproject.toml:
    ```toml
    [tool.mldebt.data]
    inputs = ["data/raw/*.csv"]
    ```

    ## Options
    - `ignore-targets` (list of globs, default `[]`): targets never reported, e.g. `["logs/**"]`.
    - `hub` (bool, default `false`): also report what a hub, library or registry knows by
      name (Hugging Face Hub, library datasets, MLflow, Weights & Biases, Kedro catalog names).

    ## References
    - Sculley et al., NeurIPS 2015, section 3 (Data Dependencies Cost More than Code Dependencies)
    - DVC: stage dependencies and outputs (dvc.yaml)
    """

    code = "MLD101"
    name = "undeclared-data-dependency"
    category = Category.UNDECLARED_DATA_DEPENDENCY
    options = {"ignore-targets": [], "hub": False}
    VALID = [
        {
            "dvc.yaml": "stages:\n  prepare:\n    cmd: python prepare.py\n    deps: [data/raw.csv]\n",
            "prepare.py": "import pandas as pd\ndf = pd.read_csv('data/raw.csv')\n",
        },
        {"train.py": "import sys\nimport pandas as pd\ndf = pd.read_csv(sys.argv[1])\n"},
        {
            "pyproject.toml": "[tool.mldebt.data]\noutputs = ['models/*.pkl']\n",
            "train.py": "import joblib\nMODEL = 'models/model.pkl'\njoblib.dump(object(), MODEL)\n",
        },
    ]
    INVALID = [
        Invalid({"train.py": "import pandas as pd\n\ndf = pd.read_csv('s3://bucket/x.csv')\n"}, path="train.py", line=3),
        Invalid(
            {
                "config.py": "import os\nDATA = 'data'\nRAW = os.path.join(DATA, 'raw.csv')\n",
                "prepare.py": "import pandas as pd\nfrom config import RAW\npd.read_csv(RAW)\n",
            },
            path="prepare.py",
            line=3,
        ),
        # `train` reads what `prepare` writes, but its deps do not say so: DVC would not rerun it.
        Invalid(
            {
                "dvc.yaml": (
                    "stages:\n  prepare:\n    cmd: python prepare.py\n    outs: [data/clean.csv]\n"
                    "  train:\n    cmd: python train.py\n    deps: [train.py]\n"
                ),
                "prepare.py": "import pandas as pd\npd.DataFrame().to_csv('data/clean.csv')\n",
                "train.py": "import pandas as pd\npd.read_csv('data/clean.csv')\n",
            },
            path="train.py",
            line=2,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ignore_targets = [str(p) for p in ctx.options.get("ignore-targets", [])]
        include_hub = bool(ctx.options.get("hub", False))
        for access, status in ctx.graph.classified():
            if status.status is not Status.UNDECLARED and not (status.status is Status.NAMED and include_hub):
                continue
            target = access.target
            if any(fnmatch.fnmatchcase(target.value, p) for p in ignore_targets):
                continue
            elsewhere = status.elsewhere
            loc = access.location
            what = "table" if target.kind is TargetKind.TABLE else "data"
            shown = target.value.removeprefix("table:")
            if elsewhere is None:
                unsaid = "that no manifest declares"
            else:
                stages = ctx.graph.stages_of(access.path)
                names = ", ".join(f"`{name}`" for _, name in stages)
                stage = "stage" if len(stages) == 1 else "stages"
                verb = "does" if len(stages) == 1 else "do"
                unsaid = (
                    f"that {stage} {names} {verb} not declare (stage `{elsewhere.owner}` declares it, "
                    f"{elsewhere.source}:{elsewhere.line})"
                )
            yield self.finding(
                loc,
                f"{_verb(access)} {what} `{shown}` ({_how(access)}) {unsaid}",
                scope=access.access.scope,
                snippet=access.access.snippet,
            )


class HardCodedDataPath(Rule):
    """
    ## What it does
    Flags a data read or write whose target is a hard-coded absolute path (`/mnt/data/x.csv`,
    `C:\\data\\x.csv`), a user-home path (`~/datasets/x.csv`), or a relative path that leaves
    the repository (`../shared/x.csv`) from code whose working directory is known: a notebook,
    or a script a `dvc.yaml` stage runs. (Any other script may be run from a subdirectory, where
    the same path stays inside.)

    ## Why is this bad?
    The code works on one machine only. Training on another host, in CI or in a container
    silently reads other data or fails, and the dependency cannot be declared or versioned
    with the repository: an unstable data dependency. Scratch and device paths (`/tmp`,
    `/dev`, `/proc`, `/sys`) are not reported.

    ## Example
    ```python
    df = pd.read_csv("/home/alice/data/train.csv")
    ```

    ## Use instead
    Keep the data under the repository (and declare it), or take its location from
    configuration:
    ```python
    df = pd.read_csv(params["train_path"])
    ```
    """

    code = "MLD102"
    name = "hard-coded-data-path"
    category = Category.UNSTABLE_DATA_DEPENDENCY
    VALID = [
        {"a.py": "import pandas as pd\npd.read_csv('/tmp/scratch.csv')\n"},
        {"a.py": "import pandas as pd\npd.read_csv('data/x.csv')  # mldebt: ignore[MLD101]\n"},
        # Sphinx runs docs/source/conf.py in docs/source: the path stays inside the repository.
        {"docs/source/conf.py": "exec(open('../../pkg/release.py').read())\n"},
    ]
    INVALID = [
        Invalid({"a.py": "import pandas as pd\npd.read_csv('/mnt/shared/x.csv')\n"}, path="a.py", line=2),
        Invalid({"a.py": "import numpy as np\nfrom pathlib import Path\nnp.save(Path.home() / 'x.npy', 1)\n"}, path="a.py", line=3),
        # A notebook runs in its own directory: two levels up from notebooks/ leaves the repository.
        Invalid({"notebooks/eda.ipynb": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "import pandas as pd\\npd.read_csv(\'../../shared/x.csv\')"}]}'}, path="notebooks/eda.ipynb", line=2, cell=1),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for access, status in ctx.graph.classified():
            if status.status is not Status.OUTSIDE:
                continue
            yield self.finding(
                access.location,
                f"{_verb(access)} hard-coded {status.outside} `{access.target.value}` ({access.access.api})",
                scope=access.access.scope,
                snippet=access.access.snippet,
            )


class UndeclaredConsumer(Rule):
    """
    ## What it does
    Flags a read of data that a different pipeline writes, when no manifest declares that
    data: the two pipelines are coupled and neither side says so. A pipeline is a DVC stage,
    a Kedro pipeline, an Airflow DAG, an entry script (`if __name__ == "__main__":`, or work
    at module level in a module nothing imports) or a notebook, together with the repository
    modules it imports.

    ## Why is this bad?
    Sculley et al. call these undeclared consumers: the producing pipeline's owners cannot
    know who depends on its output, so a change to its format or schedule silently breaks
    the consumer, and nothing reruns the consumer when the data changes.

    A judgement call: what a registry knows by name (an MLflow registered model, a Weights &
    Biases artifact, a Kedro catalog dataset, a Hugging Face Hub repository) is not an
    undeclared coupling: publishing under that name is the declaration, and the registry
    records who produced and who used each version.

    ## Example
    ```python
    # evaluate.py (its own pipeline)
    scores.to_csv("reports/scores.csv")
    # report.py (another pipeline)
    scores = pd.read_csv("reports/scores.csv")
    ```

    ## Use instead
    Declare the data as an output of the producer and an input of the consumer (`outs` and
    `deps` in dvc.yaml, a Kedro catalog entry, or `[tool.mldebt.data]`).

    ## References
    - Sculley et al., NeurIPS 2015, section 2 (Undeclared Consumers)
    """

    code = "MLD103"
    name = "undeclared-consumer"
    category = Category.UNDECLARED_CONSUMER
    VALID = [
        {
            "a.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('out/x.csv')\n    pd.read_csv('out/x.csv')  # mldebt: ignore[MLD101]\n",
        }
    ]
    INVALID = [
        Invalid(
            {
                "evaluate.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('reports/scores.csv')  # mldebt: ignore[MLD101]\n",
                "report.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.read_csv('reports/scores.csv')\n",
            },
            path="report.py",
            line=4,
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for consumer in ctx.graph.undeclared_consumers:
            read, write = consumer.read, consumer.write
            shown = read.target.value.removeprefix("table:")
            yield self.finding(
                read.location,
                f"reads `{shown}`, which {consumer.writer.kind} `{consumer.writer.name}` writes "
                f"({write.path}:{write.location.line}); neither declares it",
                scope=read.access.scope,
                snippet=read.access.snippet,
            )
