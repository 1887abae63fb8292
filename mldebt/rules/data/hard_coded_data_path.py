"""MLD102: data read or written at a path that only exists on one machine."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding
from mldebt.graph import Status
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid
from mldebt.rules.data import verb_of


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
        Valid({"a.py": "import pandas as pd\npd.read_csv('/tmp/scratch.csv')\n"}),
        Valid({"a.py": "import pandas as pd\npd.read_csv('data/x.csv')  # mldebt: ignore[MLD101]\n"}),
        # Sphinx runs docs/source/conf.py in docs/source: the path stays inside the repository.
        Valid({"docs/source/conf.py": "exec(open('../../pkg/release.py').read())\n"}),
    ]
    INVALID = [
        Invalid(
            {"a.py": "import pandas as pd\npd.read_csv('/mnt/shared/x.csv')\n"},
            path="a.py", line=2, column=1,
            message="reads hard-coded absolute path `/mnt/shared/x.csv` (pandas.read_csv)",
        ),
        Invalid(
            {"a.py": "import numpy as np\nfrom pathlib import Path\nnp.save(Path.home() / 'x.npy', 1)\n"},
            path="a.py", line=3, column=1,
            message="writes hard-coded user-home path `~/x.npy` (numpy.save)",
        ),
        # A notebook runs in its own directory: two levels up from notebooks/ leaves the repository.
        Invalid(
            {"notebooks/eda.ipynb": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "import pandas as pd\\npd.read_csv(\'../../shared/x.csv\')"}]}'},
            path="notebooks/eda.ipynb", line=2, column=1, cell=1,
            message="reads hard-coded path outside the repository `../shared/x.csv` (pandas.read_csv)",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for access, status in ctx.graph.classified():
            if status.status is not Status.OUTSIDE:
                continue
            yield self.finding(
                access.location,
                f"{verb_of(access)} hard-coded {status.outside} `{access.target.value}` ({access.access.api})",
                scope=access.access.scope,
                snippet=access.access.snippet,
            )
