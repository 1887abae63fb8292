"""MLD401-MLD403 through `check`, on the repository of conftest.py, and on their own."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from mldebt.demo.history import Commit, build_history
from mldebt.engine import CheckOptions, analyse, check
from mldebt.findings import Severity
from mldebt.ownership.build import build_ownership
from mldebt.ownership.model import OwnershipReport
from mldebt.rules.base import RuleContext
from mldebt.rules.ownership.complexity_ownership_risk import ComplexityOwnershipRisk
from mldebt.rules.ownership.low_bus_factor import LowBusFactor
from mldebt.rules.ownership.unowned_pipeline import UnownedPipeline

RULES = (UnownedPipeline, LowBusFactor, ComplexityOwnershipRisk)


def _findings(root: Path, preview: bool = False) -> list[tuple[str, str, int, str]]:
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",), preview=preview)).result
    return sorted((f.code, f.location.path, f.location.line, f.severity.value) for f in result.findings)


def test_findings_known_by_construction(scenario: Path) -> None:
    expected = [
        # Stage `train`: nobody owns it (its one author left: MLD401 says so, MLD402 does not
        # again), and its ensemble is far more complex than the other pipelines.
        ("MLD401", "dvc.yaml", 2, "error"),
        ("MLD402", "dvc.yaml", 6, "error"),  # stage `fetch`: owned by @platform, known by Old Timer only
        ("MLD402", "predict.py", 1, "warning"),  # Ann alone, still active
        # score.py: owned by @scoring, but Ann wrote most of its lines; Bob's and Cy's two-line
        # helpers are not half of it.
        ("MLD402", "score.py", 1, "warning"),
    ]
    assert _findings(scenario) == expected
    # MLD403 is a preview rule, and `train`, the complex one, is MLD401's: nobody answers for it.
    assert _findings(scenario, preview=True) == expected


def test_messages_name_the_people_and_the_parts(scenario: Path, tmp_path: Path) -> None:
    result = check(scenario, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    messages = {(f.code, f.location.line): f.message for f in result.findings if f.location.path == "dvc.yaml"}
    assert "Old Timer" in messages[("MLD401", 2)] and "no CODEOWNERS" in messages[("MLD401", 2)]
    assert "Old Timer (no longer active)" in messages[("MLD402", 6)]
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\nspread = 0.5\n")
    result = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD403",), preview=True)).result
    assert [f.message for f in result.findings] == [
        "script `predict.py`: risk 0.29, complexity 0.5, 0.7x the median of the repository's 4 ML pipelines (data 0.5); "
        "1 active author or maintainer (Ann Active), no CODEOWNERS: have a second developer take part in it, name its "
        "owners in CODEOWNERS, and declare and document the data it reads and writes"
    ]


def test_threshold_option(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    with (copy / "pyproject.toml").open("a") as config:
        config.write("\n[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 13\n")
    assert "MLD403" not in {code for code, *_ in _findings(copy, preview=True)}
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\n")
    flagged = {(path, line) for code, path, line, _ in _findings(copy, preview=True) if code == "MLD403"}
    # predict.py's risk 0.29 reaches it, but its complexity 0.5 is below twice the median, 0.75.
    assert flagged == set()
    (copy / "pyproject.toml").write_text("[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 0.25\nspread = 0.5\n")
    flagged = {(path, line) for code, path, line, _ in _findings(copy, preview=True) if code == "MLD403"}
    # Now it stands out enough; score.py's 0.2 and fetch's 0 do not reach the threshold.
    assert flagged == {("predict.py", 1)}


def test_no_history_no_findings_and_one_note(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "train.py").write_text(
        "from sklearn.ensemble import RandomForestClassifier\n\nif __name__ == '__main__':\n"
        "    RandomForestClassifier(n_estimators=10).fit([[0]], [0])\n"
    )
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert result.findings == ()
    assert [note for note in result.notes if "MLD4xx" in note]


def test_rules_yield_nothing_without_a_report(scenario: Path, report: OwnershipReport) -> None:
    analysis = analyse(scenario, CheckOptions(jobs=1, use_cache=False))
    ctx = RuleContext(
        analysis.facts, analysis.graph, analysis.declarations, ComplexityOwnershipRisk.Options(threshold=0.0, spread=0), None,
    )
    assert [f for rule in RULES for f in rule().check(ctx)] == []
    with_report = replace(ctx, ownership=report)
    assert all(list(rule().check(with_report)) for rule in RULES)


def test_pipelines_that_are_not_ml_are_left_alone(scenario: Path, report: OwnershipReport) -> None:
    analysis = analyse(scenario, CheckOptions(jobs=1, use_cache=False))
    plain = replace(report, pipelines=tuple(replace(p, ml_pipeline=False) for p in report.pipelines))
    ctx = RuleContext(analysis.facts, analysis.graph, analysis.declarations, ComplexityOwnershipRisk.Options(threshold=0.0), plain)
    assert [f for rule in RULES for f in rule().check(ctx)] == []


def test_fingerprints_survive_a_line_inserted_above(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    before = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD401",))).result
    dvc = "# pipeline\n" + (copy / "dvc.yaml").read_text()
    build_history(copy, [Commit("Dee New", "dee@example.org", "2025-01-16T12:00:00+00:00", "comment", {"dvc.yaml": dvc})])
    after = check(copy, CheckOptions(jobs=1, use_cache=False, select=("MLD401",))).result
    assert [f.location.line for f in after.findings] == [3]
    assert [f.fingerprint for f in after.findings] == [f.fingerprint for f in before.findings]


def test_declared_history_needs_and_docs() -> None:
    for rule in RULES:
        assert rule.needs_history
        assert "## Example" in rule.docs() and "## Use instead" in rule.docs()
    assert UnownedPipeline.severity is Severity.ERROR and LowBusFactor.severity is Severity.WARNING


def test_uncommitted_pipelines_are_not_judged(scenario: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(scenario, copy)
    (copy / "boost.py").write_text(
        "from xgboost import XGBClassifier\n\nif __name__ == '__main__':\n"
        "    XGBClassifier(max_depth=12, n_estimators=900, eta=0.01).fit([[0]], [0])\n"
    )
    assert "boost.py" not in {path for _, path, _, _ in _findings(copy)}


def test_the_pipelines_of_the_one_person_truck_factor_are_one_finding_the_others_their_own(tmp_path: Path) -> None:
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    root = build_history(tmp_path / "repo", [
        Commit("Ann Active", "ann@example.org", "2025-01-10T12:00:00+00:00", "ann", {
            "pyproject.toml": "[project]\nname = 'x'\n", "train.py": fit, "tune.py": fit, "score.py": fit,
        }),
        Commit("Bob Active", "bob@example.org", "2025-01-15T12:00:00+00:00", "bob", {"bobs.py": fit}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD402",))).result
    found = sorted((f.location.path, f.message.split(":")[0], len(f.related)) for f in result.findings)
    assert found == [
        ("bobs.py", "script `bobs.py` has bus factor 1", 0),
        ("score.py", "3 ML pipelines have bus factor 1, all of them Ann Active's, who alone is the repository's truck "
         "factor, the riskiest script `score.py` (`mldebt ownership` lists them)", 2),
    ]


_MACHINE = ("Ubuntu", "ubuntu@ip-10-60-51-132.eu-west-1.compute.internal")


def _notebook(*lines: str) -> str:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [f"{line}\n" for line in lines]}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _on(day: str) -> str:
    return f"{day}T12:00:00+00:00"


def test_a_notebook_a_machine_identity_wrote_is_nobodys_whoever_wrote_the_helper_it_imports(tmp_path: Path) -> None:
    """13a P4: `ubuntu@ip-...` committed a 200-line notebook that imports Dana's 30-line helper.
    Whose the notebook is nobody can say: no MLD4xx finding names Dana, and never an empty one."""
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    helper = "from sklearn.preprocessing import MultiLabelBinarizer\n\n" + "".join(f"LABEL_{i} = {i}\n" for i in range(28))
    notebook = _notebook(
        "import pickle", "from lib.binarizer import MultiLabelBinarizer", "from sklearn.linear_model import LogisticRegression",
        *(f"step_{i} = {i}" for i in range(195)),
        "model = LogisticRegression().fit([[0]], [0])", "pickle.dump(model, open('model.pkl', 'wb'))",
    )
    root = build_history(tmp_path / "repo", [
        Commit("Dana Dev", "dana@example.com", _on("2025-01-10"), "lib", {"lib/__init__.py": "", "lib/binarizer.py": helper}),
        Commit(*_MACHINE, _on("2025-01-12"), "nb", {"notebooks/train.ipynb": notebook}),
        # Eve's own pipeline: the repository is no one-author one.
        Commit("Eve Other", "eve@example.com", _on("2025-01-15"), "eve", {"train2.py": fit}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert [(f.code, f.location.path, f.message) for f in result.findings] == [
        ("MLD402", "train2.py", "script `train2.py` has bus factor 1: without Eve Other most of its code has no author"),
    ]
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    notebook_unit = next(p for p in build_ownership(root, analysis.graph, analysis.facts, cache=None).pipelines if p.kind == "notebook")
    assert notebook_unit.unattributable_share == 0.87 and not notebook_unit.attributable and not notebook_unit.unowned
    # Dana authors the helper, not the notebook: the report names no owner.
    assert notebook_unit.active_authors == ("Dana Dev",) and notebook_unit.owners == () and notebook_unit.ownership == 0
    # 1.5 complexity / (1 + nobody) * recency 1.01 (three days before HEAD): Dana does not halve it.
    assert notebook_unit.risk == 1.51
    # The machine's lines are set aside, not orphaned: Dana authors what people wrote.
    assert (notebook_unit.bus_factor, notebook_unit.active_bus_factor, notebook_unit.authors) == (1, 1, ("Dana Dev",))
    assert f"87% of its code by machine identities nobody can be held to ({_MACHINE[1]}): not judged" in notebook_unit.why


def test_departed_authors_beside_a_machine_identity_are_named_not_an_empty_list_of_keepers(tmp_path: Path) -> None:
    """The notebook a machine committed is a third of the code; Old A and Old B wrote the rest
    and left. Not unowned (the machine may be anyone, MLD401), but no active author: said in words."""
    module = "".join(f"VALUE_{i} = {i}\n" for i in range(40))
    notebook = _notebook(
        "from a import VALUE_0", "from b import VALUE_1", "from sklearn.linear_model import LogisticRegression",
        *(f"step_{i} = {i}" for i in range(25)), "LogisticRegression().fit([[VALUE_0]], [VALUE_1])",
    )
    root = build_history(tmp_path / "repo", [
        Commit("Old A", "a@example.com", _on("2021-01-10"), "a", {"a.py": module}),
        Commit("Old B", "b@example.com", _on("2021-01-11"), "b", {"b.py": module}),
        Commit(*_MACHINE, _on("2024-12-01"), "nb", {"explore.ipynb": notebook}),
        Commit("Ann Active", "ann@example.com", _on("2025-01-15"), "ann", {"README.md": "x\n"}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert [(f.code, f.message, f.severity) for f in result.findings] == [
        ("MLD402", "notebook `explore.ipynb` has no active author: its authors have left (Old A, Old B), and machine "
         f"identities wrote part of its code ({_MACHINE[1]})", Severity.ERROR),
    ]


def test_the_pipelines_resting_on_one_active_developer_are_one_finding_whoever_the_truck_factor_is(tmp_path: Path) -> None:
    """13b P12: Xena (active) and Yuri (gone since 2019) are the all-time truck factor; Xena
    alone wrote five recent pipelines, Zoe three: one finding each, not eight."""
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    library = {f"lib/part{i}.py": f"def part{i}(x):\n    return x + {i}\n" for i in range(6)}
    root = build_history(tmp_path / "repo", [
        Commit("Yuri Gone", "yuri@example.org", _on("2019-03-01"), "lib", {"pyproject.toml": "[project]\nname = 'x'\n", **library}),
        Commit("Xena Active", "xena@example.org", _on("2024-11-01"), "x", {f"train{i}.py": fit + "#" * i + "\n" for i in range(1, 6)}),
        Commit("Zoe Active", "zoe@example.org", _on("2025-01-15"), "z", {f"zoe/score{i}.py": fit for i in range(3)}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD402",))).result
    assert sorted((f.location.path, f.message, len(f.related)) for f in result.findings) == [
        ("train1.py", "5 ML pipelines have bus factor 1, all of them Xena Active's, one of the repository's truck factor of 2 "
         "(Yuri Gone, Xena Active), the riskiest script `train1.py` (`mldebt ownership` lists them)", 4),
        ("zoe/score0.py", "3 ML pipelines have bus factor 1, all of them Zoe Active's, the riskiest script `zoe/score0.py` "
         "(`mldebt ownership` lists them)", 2),
    ]


def test_the_pipelines_the_same_departure_orphaned_are_one_finding(tmp_path: Path) -> None:
    """13a (demo-bank, kedro-academy): one departed author, one fact; three pipelines are one
    MLD401, two stay two, and an active developer's pipeline does not make the fact another."""
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    root = build_history(tmp_path / "repo", [
        Commit("Old Timer", "old@example.org", _on("2021-05-01"), "old", {
            "pyproject.toml": "[project]\nname = 'x'\n", "split.py": fit, "train.py": fit, "evaluate.py": fit,
        }),
        Commit("Olga Gone", "olga@example.org", _on("2022-05-01"), "olga", {"nb/a.py": fit, "nb/b.py": fit}),
        Commit("Bob Active", "bob@example.org", _on("2025-01-15"), "bob", {"serve.py": fit}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD401",))).result
    assert sorted((f.location.path, f.message, len(f.related), f.severity) for f in result.findings) == [
        ("evaluate.py", "3 ML pipelines have no owner: no CODEOWNERS entry, no maintainer, and most of their code is by "
         "Old Timer, who is inactive, the riskiest script `evaluate.py` (`mldebt ownership` lists them)", 2, Severity.ERROR),
        ("nb/a.py", "script `nb/a.py` has no owner: no CODEOWNERS entry, no maintainer, and its authors (Olga Gone) are inactive",
         0, Severity.ERROR),
        ("nb/b.py", "script `nb/b.py` has no owner: no CODEOWNERS entry, no maintainer, and its authors (Olga Gone) are inactive",
         0, Severity.ERROR),
    ]


def test_a_stage_that_runs_the_project_s_console_script_is_judged_on_its_module_not_its_yaml(tmp_path: Path) -> None:
    """13a P1: `cmd: tagger ...` runs `tagger = tagger.__main__:app`, Dana's typer app and the
    training it imports; Eve wrote the dvc.yaml. Before: the stage had no code, and its bus
    factor was Eve, who wrote its YAML."""
    typer_app = "import typer\n\nfrom tagger.train import train\n\napp = typer.Typer()\napp.command()(train)\n"
    train = (
        "import joblib\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n\n"
        "def train(data_path: str, model_path: str):\n    frame = pd.read_csv(data_path)\n"
        "    joblib.dump(LogisticRegression().fit(frame[['a']], frame['y']), model_path)\n"
    )
    fit = "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n    LogisticRegression().fit([[0]], [0])\n"
    root = build_history(tmp_path / "repo", [
        Commit("Dana Dev", "dana@example.com", _on("2025-01-10"), "code", {
            "setup.py": 'from setuptools import setup\n\nsetup(name="tagger", entry_points={"console_scripts": "tagger=tagger.__main__:app"})\n',
            "tagger/__init__.py": "", "tagger/__main__.py": typer_app, "tagger/train.py": train,
        }),
        Commit("Eve Yaml", "eve@example.com", _on("2025-01-12"), "stage", {
            "pipelines/x/dvc.yaml": "stages:\n  train:\n    cmd: tagger ../../data/x.csv ../../models/m.pkl\n"
            "    deps: [../../tagger/train.py, ../../data/x.csv]\n    outs: [../../models/m.pkl]\n",
        }),
        Commit("Fay Other", "fay@example.com", _on("2025-01-15"), "fay", {"other.py": fit}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert sorted((f.code, f.location.path, f.message) for f in result.findings) == [
        ("MLD402", "other.py", "script `other.py` has bus factor 1: without Fay Other most of its code has no author"),
        ("MLD402", "pipelines/x/dvc.yaml", "dvc-stage `train` has bus factor 1: without Dana Dev most of its code has no author"),
    ]


def test_code_no_one_authors_is_not_called_the_code_of_inactive_authors(tmp_path: Path) -> None:
    """A bot committed the training script (bots author nothing); Dana, active, wrote the
    two-line module it imports. Unowned, and said so without an empty list of departed authors."""
    train = (
        "from helper import SEED\nfrom sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n"
        "    LogisticRegression(random_state=SEED).fit([[0]], [0])\n" + "".join(f"# step {i}\n" for i in range(60))
    )
    root = build_history(tmp_path / "repo", [
        Commit("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", _on("2025-01-10"),
               "generated", {"pyproject.toml": "[project]\nname = 'x'\n", "train.py": train}),
        Commit("Dana Dev", "dana@example.com", _on("2025-01-12"), "helper", {"helper.py": "SEED = 0\nN_JOBS = 2\n"}),
    ])
    result = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD4",))).result
    assert [(f.code, f.message) for f in result.findings] == [
        ("MLD401", "script `train.py` has no owner: no CODEOWNERS entry, no maintainer, and 97% of its code has no "
         "author in the history; Dana Dev wrote the rest"),
    ]
