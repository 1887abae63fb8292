"""Project templates (cookiecutter, Kedro starters, Copier) are skipped with one note, not
analysed as broken code."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mldebt.discovery import discover
from mldebt.engine import CheckOptions, check
from mldebt.vcs import git_argv

# cookiecutter-data-science's shape: the whole project lives under a templated directory.
_TEMPLATE_REPO = {
    "cookiecutter.json": '{"repo_name": "project", "module_name": "project"}\n',
    "{{ cookiecutter.repo_name }}/src/train.py": (
        "import pandas as pd\nfrom {{ cookiecutter.module_name }} import config\n\n"
        "pd.read_csv('data/raw/train.csv')\n"
    ),
    "{{ cookiecutter.repo_name }}/conf/base/catalog.yml": (
        "raw:\n  type: pandas.CSVDataset\n  filepath: data/{{ cookiecutter.dataset }}.csv\n"
    ),
    "{{ cookiecutter.repo_name }}/{{ cookiecutter.module_name }}/__init__.py": "",
    # A cookiecutter hook is rendered before it runs.
    "hooks/post_gen_project.py": (
        "import os\n\n{% if cookiecutter.use_dvc == 'n' %}\nos.remove('dvc.yaml')\n{% endif %}\n"
    ),
    # Copier's template suffix, and a templated file name.
    "template/settings.py.jinja": "NAME = '{{ project_name }}'\n",
    "template/{% if docker %}Dockerfile{% endif %}": "FROM python:3.12\n",
    "ansible/params.yaml.j2": "lr: {{ lr }}\n",
    # The repository's own code: a real syntax error stays one, and Jinja inside a string
    # (Airflow templates its operators' arguments) is code that parses.
    "tools/broken.py": "def render(:\n    return '{{ value }}'\n",
    "dags/report.py": (
        "from airflow import DAG\nfrom airflow.operators.bash import BashOperator\n\n"
        "with DAG('report') as dag:\n"
        "    BashOperator(task_id='t', bash_command='''\n{% for day in range(3) %}\necho {{ ds }}\n"
        "{% endfor %}\n''')\n"
    ),
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.mark.parametrize("mode", ["git", "walk"])
def test_templated_paths_are_left_out_while_listing(tmp_path: Path, mode: str) -> None:
    root = _write(tmp_path / "repo", _TEMPLATE_REPO)
    if mode == "git":
        for args in (["init", "-q"], ["add", "-A"]):
            subprocess.run(git_argv(args), cwd=root, check=True, capture_output=True)

    found = discover(root, exclude=["ansible/"], use_git=mode == "git")

    assert found.in_git is (mode == "git")
    assert found.templates == (
        "template/settings.py.jinja",
        "template/{% if docker %}Dockerfile{% endif %}",
        "{{ cookiecutter.repo_name }}/",
    )
    # Decided by contents, later: a source that does not parse.
    assert found.sources == ("dags/report.py", "hooks/post_gen_project.py", "tools/broken.py")


def test_a_template_is_one_note_naming_exclude_and_never_a_syntax_error(tmp_path: Path) -> None:
    root = _write(tmp_path, {"pyproject.toml": "[project]\nname = 't'\n", **_TEMPLATE_REPO})

    outcome = check(root, CheckOptions(jobs=1, use_cache=False, select=("MLD0", "MLD1")))
    result, analysis = outcome.result, outcome.analysis

    assert [(f.code, f.location.path, f.location.line) for f in result.findings] == [("MLD001", "tools/broken.py", 1)]
    assert sorted(analysis.facts) == ["dags/report.py", "tools/broken.py"]
    assert [note for note in result.notes if "template" in note] == [
        "skipped 5 templates (Jinja or cookiecutter: code only once rendered): ansible/params.yaml.j2, "
        "hooks/post_gen_project.py, template/settings.py.jinja, ...; "
        "add them to `exclude` in [tool.mldebt] to skip them without this note"
    ]
    # The templated catalog declares nothing and is not reported as broken.
    assert analysis.declarations.declarations == () and analysis.declarations.errors == ()


def test_outside_a_project_generator_jinja_in_broken_code_is_still_a_syntax_error(tmp_path: Path) -> None:
    """Otherwise a pull request could hide a file from the gate by writing `{{ x }}` into it."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "train.py").write_text("import pandas as pd\n{% if hidden %}\npd.read_csv('data/new.csv')\n")

    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result

    assert [f.code for f in result.findings] == ["MLD001"]
    assert not any("template" in note for note in result.notes)
