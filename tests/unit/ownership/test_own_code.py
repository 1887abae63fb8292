"""A pipeline is judged on its own code, kept up by its maintainers, and ranked against the
repository's other pipelines: a repository built at test time where each is known by construction.

    models/net.py   a network, imported by train.py, evaluate.py and export.py: shared code
    seed.py         two lines by Bob (active), imported by train.py alone: train.py's own
    train.py        Old Timer's (inactive); Bob's two lines do not make it owned
    evaluate.py     Old Timer's (five commits), but Carol has kept it up with three this year
    export.py       Ann's, active
    explore.ipynb   a notebook that fits a model and writes nothing anyone reads
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse, check
from mldebt.ownership.build import build_ownership, own_code
from mldebt.ownership.model import OwnershipReport, PipelineOwnership

NET = """\
import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def forward(self, x):
        return self.layer(x)
"""


def _script(body: str) -> str:
    return "import torch\n\nfrom models.net import Net\n\n" + body + "\nif __name__ == '__main__':\n    main()\n"


TRAIN = _script(
    "from seed import SEED\n\n\ndef main():\n    torch.manual_seed(SEED)\n    net = Net()\n"
    "    for epoch in range(10):\n        if epoch % 2:\n            net.train()\n"
    "    torch.save(net.state_dict(), 'models/net.pt')\n"
)
EVALUATE = _script("def main():\n    net = Net()\n    net.load_state_dict(torch.load('models/net.pt'))\n")
EXPORT = _script("def main():\n    torch.onnx.export(Net(), torch.zeros(1, 4), 'models/net.onnx')\n")
NOTEBOOK = json.dumps({
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [
        "from sklearn.ensemble import RandomForestClassifier\n",
        "RandomForestClassifier(n_estimators=10).fit([[0]], [0])\n",
    ]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
})


def _commit(who: str, date: str, files: dict[str, str]) -> Commit:
    return Commit(who, f"{who.split()[0].lower()}@example.org", f"{date}T12:00:00+00:00", "work", files)


HISTORY = [
    _commit("Old Timer", "2022-01-10", {
        "pyproject.toml": "[project]\nname = 'x'\n", "models/__init__.py": "", "models/net.py": NET,
        "train.py": TRAIN, "evaluate.py": EVALUATE,
    }),
    *(_commit("Old Timer", f"2022-0{i}-10", {"evaluate.py": EVALUATE + "\n" * i}) for i in range(2, 6)),
    _commit("Bob Active", "2024-09-01", {"seed.py": "SEED = 0\nN_JOBS = 2\n"}),
    *(_commit("Carol Keeper", f"2024-1{i}-01", {"evaluate.py": EVALUATE + "#" * (i + 1) + "\n"}) for i in range(3)),
    _commit("Ann Active", "2025-01-15", {"export.py": EXPORT, "explore.ipynb": NOTEBOOK}),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_history(tmp_path_factory.mktemp("own") / "repo", HISTORY)


@pytest.fixture(scope="module")
def report(repo: Path) -> OwnershipReport:
    analysis = analyse(repo, CheckOptions(jobs=1, use_cache=False))
    return build_ownership(repo, analysis.graph, analysis.facts, cache=None)


def _unit(report: OwnershipReport, name: str) -> PipelineOwnership:
    return next(p for p in report.pipelines if p.name == name)


def test_a_module_three_pipelines_run_is_shared_code_judged_once(report: OwnershipReport) -> None:
    shared = _unit(report, "models/net.py")
    assert (shared.kind, shared.own_files, shared.shared_by, shared.source) == ("shared-code", ("models/net.py",), 3, "models/net.py")
    # The network is counted where it is defined, once: not again in each script that runs it.
    assert shared.complexity_parts["networks"] > 0 and shared.ml_pipeline
    for name in ("train.py", "evaluate.py", "export.py"):
        unit = _unit(report, name)
        assert "models/net.py" in unit.files and "models/net.py" not in unit.own_files
        assert unit.complexity_parts["networks"] == 0
    assert _unit(report, "train.py").own_files == ("seed.py", "train.py")


def test_a_small_module_by_an_active_developer_does_not_own_the_pipeline(report: OwnershipReport) -> None:
    train = _unit(report, "train.py")
    assert train.authors == ("Bob Active", "Old Timer") and train.active_authors == ("Bob Active",)
    assert (train.bus_factor, train.bus_factor_authors, train.active_bus_factor) == (1, ("Old Timer",), 0)
    assert train.unowned and train.orphaned_share == 0.89


def test_a_pipeline_its_maintainer_keeps_up_is_not_unowned(report: OwnershipReport) -> None:
    evaluate = _unit(report, "evaluate.py")
    assert evaluate.authors == ("Old Timer",) and evaluate.active_authors == ()
    assert evaluate.maintainers == ("Carol Keeper",) and not evaluate.unowned
    assert evaluate.ownership == 1 and "maintained by Carol Keeper" in evaluate.why


def test_an_exploratory_notebook_ranks_below_every_pipeline(report: OwnershipReport) -> None:
    notebook = _unit(report, "explore.ipynb")
    assert notebook.exploratory and notebook.ml_pipeline
    assert report.pipelines[-1] is notebook and notebook.risk > min(p.risk for p in report.pipelines[:-1])
    assert not any(p.exploratory for p in report.pipelines[:-1])


def test_the_findings(repo: Path) -> None:
    result = check(repo, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert sorted((f.code, f.location.path, f.message) for f in result.findings) == [
        ("MLD401", "models/net.py", "shared module `models/net.py` (run by 3 pipelines) has no owner: no CODEOWNERS entry, no maintainer, and its "
         "authors (Old Timer) are inactive"),
        ("MLD401", "train.py", "script `train.py` has no owner: no CODEOWNERS entry, no maintainer, and 89% of its code "
         "is by authors who are inactive (Old Timer); Bob Active wrote the rest"),
        ("MLD402", "evaluate.py", "script `evaluate.py` is maintained by Carol Keeper, but its authors have left "
         "(Old Timer): most of its code has no active author"),
        ("MLD402", "explore.ipynb", "notebook `explore.ipynb` has bus factor 1: without Ann Active most of its code has no author"),
        ("MLD402", "export.py", "script `export.py` has bus factor 1: without Ann Active most of its code has no author"),
    ]
    # The network stands out against the scripts (0.5 each), but nobody owns it: it is MLD401's,
    # and not MLD403's (a preview rule) too.
    preview = check(repo, CheckOptions(jobs=1, use_cache=False, select=("MLD403",), preview=True)).result
    assert preview.findings == ()


def test_own_code_without_history() -> None:
    from mldebt.graph.model import Pipeline

    pipelines = [
        Pipeline(f"script:{name}", "script", name, name, name, 1, (name, "lib/a.py", "lib/b.py", "top.py", "solo/x.py"))
        for name in ("one.py", "two.py", "three.py")
    ] + [Pipeline("script:four.py", "script", "four.py", "four.py", "four.py", 1, ("four.py", "lib/a.py", "pair.py"))]
    own, shared = own_code(pipelines)
    assert own["script:one.py"] == ("one.py",) and own["script:four.py"] == ("four.py", "pair.py")
    assert [(unit.name, unit.files, len(runs)) for unit, runs in shared] == [
        ("lib/", ("lib/a.py", "lib/b.py"), 4), ("solo/x.py", ("solo/x.py",), 3), ("top.py", ("top.py",), 3)
    ]


@pytest.mark.parametrize("stage", [False, True], ids=["script", "stage-runs-the-launcher"])
def test_a_thin_launcher_is_judged_with_what_it_launches_once(tmp_path: Path, stage: bool) -> None:
    """Old Timer wrote the training script and left; Ann, active, added a launcher that only
    calls its main() for the cluster (and, maybe, a DVC stage that runs it). One pipeline, its
    owners those of the training code."""
    train = _script("def main():\n    net = Net()\n    torch.save(net.state_dict(), 'models/net.pt')\n")
    launcher = "from train.train import main\n\nif __name__ == '__main__':\n    main()\n"
    repo = build_history(tmp_path / "repo", [
        _commit("Old Timer", "2022-01-10", {
            "pyproject.toml": "[project]\nname = 'x'\n", "models/__init__.py": "", "models/net.py": NET,
            "train/__init__.py": "", "train/train.py": train,
        }),
        _commit("Ann Active", "2025-01-15", {
            "run/train/train.py": launcher,
            **({"dvc.yaml": "stages:\n  train:\n    cmd: python run/train/train.py\n"} if stage else {}),
        }),
    ])
    where, what = ("dvc.yaml", "dvc-stage `train`") if stage else ("train/train.py", "script `train/train.py`")
    result = check(repo, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    # Not a second pipeline (a second MLD401, at run/train/train.py), and Ann's launcher makes
    # her no author of the training: the risk is that of code untouched since 2022.
    assert sorted((f.code, f.location.path, f.message) for f in result.findings) == [
        ("MLD401", where, f"{what} has no owner: no CODEOWNERS entry, no maintainer, and its authors (Old Timer) are inactive"),
    ]
    analysis = analyse(repo, CheckOptions(jobs=1, use_cache=False))
    (unit,) = build_ownership(repo, analysis.graph, analysis.facts, cache=None).pipelines
    assert (unit.own_files, unit.authors) == (("models/net.py", "train/train.py"), ("Old Timer",))
    assert "run/train/train.py" in unit.files


def test_a_shared_module_with_a_self_test_is_its_own_pipeline_and_none_of_its_importers(tmp_path: Path) -> None:
    """13b P19: pkg/big.py, Bob's, has a `__main__` self-test; a.py, b.py and c.py, Ann's, import
    it and each build a model. It is shared code for them (before: each "has bus factor 1:
    without Bob", its lines counted in every importer's own code), and its own pipeline only."""
    big = "def tokenize(text):\n" + "".join(f"    text = text.replace('{i}', ' ')\n" for i in range(40)) + "    return text.split()\n"
    script = "import torch\n\nfrom pkg.big import tokenize\n\nif __name__ == '__main__':\n    torch.nn.Linear(2, 2)\n"
    root = build_history(tmp_path / "repo", [
        _commit("Bob Active", "2024-10-01", {"pyproject.toml": "[project]\nname = 'x'\n", "pkg/__init__.py": "",
                                            "pkg/big.py": big + "\nif __name__ == '__main__':\n    print(tokenize('self test'))\n"}),
        _commit("Ann Active", "2025-01-15", {f"{name}.py": script for name in ("a", "b", "c")}),
    ])
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    report = build_ownership(root, analysis.graph, analysis.facts, cache=None)
    assert {p.name: p.own_files for p in report.pipelines} == {
        "a.py": ("a.py",), "b.py": ("b.py",), "c.py": ("c.py",), "pkg/big.py": ("pkg/big.py",),
    }
    assert {p.bus_factor_authors for p in report.pipelines if p.name != "pkg/big.py"} == {("Ann Active",)}


def test_the_code_a_stage_declares_is_its_own_when_its_command_runs_a_dispatcher() -> None:
    """13a P1: every stage runs `tagger <command>`, the typer app that imports the whole package,
    so every module is shared; the module a stage's deps name is that stage's own code (and no
    shared unit's), the rest stays shared."""
    from mldebt.graph.model import Pipeline

    package = ("tagger/__main__.py", "tagger/evaluate.py", "tagger/train.py", "tagger/utils.py")
    stages = [
        Pipeline(f"dvc:dvc.yaml:{name}", "dvc-stage", name, "tagger/__main__.py", "dvc.yaml", line, package, declared)
        for name, line, declared in (
            ("train", 2, ("data/x.csv", "tagger/train.py", "models/m.pkl")),
            ("evaluate", 6, ("tagger/evaluate.py", "models/m.pkl")),
            ("report", 9, ("models/m.pkl",)),
            ("score", 12, ("models/m.pkl",)),
        )
    ]
    own, shared = own_code(stages)
    assert own == {
        "dvc:dvc.yaml:train": ("tagger/__main__.py", "tagger/train.py"),
        "dvc:dvc.yaml:evaluate": ("tagger/__main__.py", "tagger/evaluate.py"),
        "dvc:dvc.yaml:report": ("tagger/__main__.py",),
        "dvc:dvc.yaml:score": ("tagger/__main__.py",),
    }
    assert [(unit.name, unit.files) for unit, _ in shared] == [("tagger/utils.py", ("tagger/utils.py",))]
