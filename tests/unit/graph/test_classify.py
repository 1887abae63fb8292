"""Each access's status is decided once, in a fixed order, and the data rules agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mldebt.engine import CheckOptions, analyse, check
from mldebt.graph import Status
from mldebt.graph.classify import is_local_service

NOTEBOOK = (
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {},'
    ' "outputs": [], "execution_count": null, "source": "import pandas as pd\\npd.read_csv(\'../../x.csv\')"}]}'
)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_every_status_in_one_repository(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": "[tool.mldebt.data]\ninputs = ['data/declared.csv']\n",
        "settings.py": "X = 1\n",
        "prepare.py": (
            "import sys, joblib, mlflow\nimport pandas as pd\n"
            "if __name__ == '__main__':\n"
            "    pd.read_csv(sys.argv[1])\n"                       # 4 dynamic
            "    pd.read_csv('/tmp/scratch.csv')\n"                # 5 system
            "    pd.read_csv('/mnt/shared/x.csv')\n"               # 6 outside, absolute
            "    pd.read_csv('~/x.csv')\n"                         # 7 outside, user home
            "    pd.read_csv('../x.csv')\n"                        # 8 unanchored: a script may run anywhere
            "    pd.read_csv('data/declared.csv')\n"               # 9 declared
            "    exec(open('settings.py').read())\n"               # 10 code
            "    mlflow.pyfunc.load_model('models:/churn')\n"      # 11 named
            "    pd.read_csv('data/raw.csv')\n"                    # 12 undeclared
            "    pd.DataFrame().to_csv('data/clean.csv')\n"        # 13 undeclared (a write)
        ),
        "train.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.read_csv('data/clean.csv')\n",
        "notebooks/eda.ipynb": NOTEBOOK,
    })
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {(a.path, a.location.line, str(a.target)): (c.status, c.outside) for a, c in graph.classified()}

    assert got == {
        ("prepare.py", 4, "<dynamic>"): (Status.DYNAMIC, ""),
        ("prepare.py", 5, "/tmp/scratch.csv"): (Status.SYSTEM, ""),
        ("prepare.py", 6, "/mnt/shared/x.csv"): (Status.OUTSIDE, "absolute path"),
        ("prepare.py", 7, "~/x.csv"): (Status.OUTSIDE, "user-home path"),
        ("prepare.py", 8, "../x.csv"): (Status.UNANCHORED, ""),
        ("prepare.py", 9, "data/declared.csv"): (Status.DECLARED, ""),
        ("prepare.py", 10, "settings.py"): (Status.CODE, ""),
        ("prepare.py", 11, "models:/churn"): (Status.NAMED, ""),
        ("prepare.py", 12, "data/raw.csv"): (Status.UNDECLARED, ""),
        ("prepare.py", 13, "data/clean.csv"): (Status.UNDECLARED, ""),
        ("train.py", 3, "data/clean.csv"): (Status.CONSUMER_READ, ""),
        # A notebook runs in its own directory: two levels up leaves the repository.
        ("notebooks/eda.ipynb", 2, "../x.csv"): (Status.OUTSIDE, "path outside the repository"),
    }

    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result
    reported = {(f.code, f.location.path, f.location.line) for f in result.findings if f.code.startswith("MLD1")}
    assert reported == {
        ("MLD102", "prepare.py", 6), ("MLD102", "prepare.py", 7), ("MLD102", "notebooks/eda.ipynb", 2),
        ("MLD101", "prepare.py", 12), ("MLD101", "prepare.py", 13), ("MLD103", "train.py", 3),
    }


def test_a_declaration_by_another_stage_is_carried_with_the_undeclared_status(tmp_path: Path) -> None:
    _write(tmp_path, {
        "dvc.yaml": (
            "stages:\n  prepare:\n    cmd: python prepare.py\n    outs: [data/clean.csv]\n"
            "  train:\n    cmd: python train.py\n    deps: [train.py]\n"
        ),
        "prepare.py": "import pandas as pd\npd.DataFrame().to_csv('data/clean.csv')\n",
        "train.py": "import pandas as pd\npd.read_csv('data/clean.csv')\n",
    })
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {a.path: c for a, c in graph.classified()}

    assert got["prepare.py"].status is Status.DECLARED
    assert (got["prepare.py"].declaration.source, got["prepare.py"].declaration.line) == ("dvc.yaml", 4)
    assert got["train.py"].status is Status.UNDECLARED and got["train.py"].declaration is None
    assert (got["train.py"].elsewhere.owner, got["train.py"].elsewhere.line) == ("prepare", 4)


def test_the_answers_are_computed_once(tmp_path: Path) -> None:
    _write(tmp_path, {"a.py": "import pandas as pd\npd.read_csv('data/x.csv')\n"})
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph

    assert graph.undeclared_consumers is graph.undeclared_consumers
    assert [id(c) for _, c in graph.classified()] == [id(c) for _, c in graph.classified()]
    assert graph.graph is graph.graph


def _nb(*cells: str) -> str:
    import json

    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c} for c in cells],
    })


def _statuses(root: Path) -> dict[tuple[str, int, str], Status]:
    graph = analyse(root, CheckOptions(jobs=1, use_cache=False)).graph
    return {(a.path, a.location.line, str(a.target)): c.status for a, c in graph.classified()}


def test_configuration_packaging_and_what_tooling_reads_are_not_data(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "pandas\n",
        "requirements/dev.txt": "pytest\n",
        "configs/train.yaml": "lr: 0.1\n",
        "package.json": "{}\n",
        "docs/assets/logo.json": "{}\n",
        "tests/fixtures/sample.csv": "a\n1\n",
        "setup.py": (
            "import json\nfrom setuptools import setup\n"
            "reqs = open('requirements.txt').read().splitlines()\n"
            "meta = json.load(open('package.json'))\n"
            "setup(install_requires=reqs + open('requirements/dev.txt').read().splitlines())\n"
        ),
        "docs/build.py": "import json\njson.load(open('docs/assets/logo.json'))\n",
        "tests/test_io.py": "import pandas as pd\ndef test_read():\n    pd.read_csv('tests/fixtures/sample.csv')\n",
        "train.py": (
            "import yaml, pandas as pd\nif __name__ == '__main__':\n"
            "    cfg = yaml.safe_load(open('configs/train.yaml'))\n"
            "    pd.read_csv('tests/fixtures/sample.csv')\n"
            "    pd.read_csv('data/train.csv')\n"
            "    style = open('styles/custom.css').read()\n"
            "    open('build/theme.css').read()\n"
        ),
        "styles/custom.css": "body { margin: 0 }\n",
    })
    got = _statuses(tmp_path)

    assert got == {
        ("setup.py", 3, "requirements.txt"): Status.CONFIG,
        ("setup.py", 4, "package.json"): Status.CONFIG,
        ("setup.py", 5, "requirements/dev.txt"): Status.CONFIG,
        ("docs/build.py", 2, "docs/assets/logo.json"): Status.TOOLING,
        ("tests/test_io.py", 3, "tests/fixtures/sample.csv"): Status.TOOLING,
        ("train.py", 3, "configs/train.yaml"): Status.CONFIG,
        # A pipeline reading a committed CSV still depends on data; an uncommitted one too.
        ("train.py", 4, "tests/fixtures/sample.csv"): Status.UNDECLARED,
        ("train.py", 5, "data/train.csv"): Status.UNDECLARED,
        # A committed stylesheet is how a page looks; one nobody committed is still something to declare.
        ("train.py", 6, "styles/custom.css"): Status.TOOLING,
        ("train.py", 7, "build/theme.css"): Status.UNDECLARED,
    }


def test_dvc_s_own_files_and_their_temporary_copies_are_configuration(tmp_path: Path) -> None:
    _write(tmp_path, {
        "dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n",
        "dvc.lock": "schema: '2.0'\n",
        "data/raw.dvc": "outs:\n- path: raw\n",
        # Generates dvc.yaml through a temporary file, and reports what dvc.lock pins.
        "tools/gen_stages.py": (
            "import os, yaml\nif __name__ == '__main__':\n"
            "    yaml.safe_dump({'stages': {}}, open('dvc.yaml.tmp', 'w'))\n"
            "    os.replace('dvc.yaml.tmp', 'dvc.yaml')\n"
            "    print(yaml.safe_load(open('dvc.lock')), open('data/raw.dvc').read())\n"
            "    open('data/raw.csv.bak', 'w').write('')\n"
        ),
    })
    got = _statuses(tmp_path)

    assert got == {
        ("tools/gen_stages.py", 3, "dvc.yaml.tmp"): Status.CONFIG,
        ("tools/gen_stages.py", 5, "dvc.lock"): Status.CONFIG,
        ("tools/gen_stages.py", 5, "data/raw.dvc"): Status.CONFIG,
        # A backup of data is still data.
        ("tools/gen_stages.py", 6, "data/raw.csv.bak"): Status.UNDECLARED,
    }


def test_settings_and_credentials_by_name_or_packaging_role_are_configuration(tmp_path: Path) -> None:
    # None of them committed: a user makes them from a template, or a CLI generates them.
    _write(tmp_path, {
        "conf/base/catalog.yml": "companies:\n  type: pandas.CSVDataset\n  filepath: data/companies.csv\n",
        "notebooks/eval.ipynb": _nb(
            "import yaml\nfrom pathlib import Path\n"
            "with open(Path('../conf/local/credentials.yml')) as f:\n    creds = yaml.safe_load(f)"
        ),
        "chat.py": (
            "import json, yaml\nif __name__ == '__main__':\n"
            "    key = json.load(open('config.json'))['OPENAI_API_KEY']\n"
            "    db = yaml.full_load(open('database.yaml'))\n"
            "    yaml.safe_load(open('ci/recipe/meta.yaml'))\n"
            "    json.load(open('keys/gcp-credentials.json'))\n"
            "    json.dump({}, open('secrets.json', 'w'))\n"
            "    json.load(open('data/records.json'))\n"
            "    open('data/credentials.csv')\n"
        ),
    })
    got = _statuses(tmp_path)

    assert got == {
        ("notebooks/eval.ipynb", 4, "conf/local/credentials.yml"): Status.CONFIG,
        ("chat.py", 3, "config.json"): Status.CONFIG,
        ("chat.py", 4, "database.yaml"): Status.CONFIG,
        ("chat.py", 5, "ci/recipe/meta.yaml"): Status.CONFIG,
        ("chat.py", 6, "keys/gcp-credentials.json"): Status.CONFIG,
        ("chat.py", 7, "secrets.json"): Status.CONFIG,
        # Data by any name that says nothing of settings, or in a format settings are not in.
        ("chat.py", 8, "data/records.json"): Status.UNDECLARED,
        ("chat.py", 9, "data/credentials.csv"): Status.UNDECLARED,
    }


def test_a_pipeline_s_own_scratch_is_not_a_dependency_but_its_source_is(tmp_path: Path) -> None:
    _write(tmp_path, {
        "notebooks/a.ipynb": _nb(
            "import urllib.request, tarfile\nimport pandas as pd\n"
            "urllib.request.urlretrieve('https://example.com/housing.tgz', 'datasets/housing.tgz')",
            "pd.read_csv('datasets/housing.tgz')\npd.DataFrame().to_csv('my_model.csv')\npd.read_csv('my_model.csv')",
        ),
        "notebooks/b.ipynb": _nb(
            "import urllib.request\nimport pandas as pd\n"
            "urllib.request.urlretrieve('https://example.com/housing.tgz', 'datasets/housing.tgz')\n"
            "pd.read_csv('datasets/housing.tgz')",
        ),
        # Read, then written in place: the read is a real input.
        "update.py": (
            "import pandas as pd\nif __name__ == '__main__':\n"
            "    df = pd.read_csv('data/table.csv')\n    df.to_csv('data/table.csv')\n"
        ),
        "download.py": (
            "import os, urllib.request, pandas as pd\nCACHE = os.path.expanduser('~/.cache/proj/x.csv')\n"
            "if __name__ == '__main__':\n"
            "    urllib.request.urlretrieve('https://example.com/x.csv', CACHE)\n    pd.read_csv(CACHE)\n"
        ),
    })
    got = _statuses(tmp_path)
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result

    assert got == {
        ("notebooks/a.ipynb", 3, "https://example.com/housing.tgz"): Status.UNDECLARED,
        # A notebook runs in its own folder.
        ("notebooks/a.ipynb", 3, "notebooks/datasets/housing.tgz"): Status.SCRATCH,
        ("notebooks/a.ipynb", 1, "notebooks/datasets/housing.tgz"): Status.SCRATCH,
        ("notebooks/a.ipynb", 2, "notebooks/my_model.csv"): Status.SCRATCH,
        ("notebooks/a.ipynb", 3, "notebooks/my_model.csv"): Status.SCRATCH,
        ("notebooks/b.ipynb", 3, "https://example.com/housing.tgz"): Status.UNDECLARED,
        ("notebooks/b.ipynb", 3, "notebooks/datasets/housing.tgz"): Status.SCRATCH,
        ("notebooks/b.ipynb", 4, "notebooks/datasets/housing.tgz"): Status.SCRATCH,
        ("update.py", 3, "data/table.csv"): Status.UNDECLARED,
        ("update.py", 4, "data/table.csv"): Status.UNDECLARED,
        ("download.py", 4, "https://example.com/x.csv"): Status.UNDECLARED,
        ("download.py", 4, "~/.cache/proj/x.csv"): Status.SCRATCH,
        ("download.py", 5, "~/.cache/proj/x.csv"): Status.SCRATCH,
    }
    # Two notebooks that each download the file and open it are not coupled.
    assert not graph_consumers(tmp_path)
    assert {f.code for f in result.findings} == {"MLD101"}


def test_what_a_run_writes_and_hands_to_mlflow_is_its_own_scratch(tmp_path: Path) -> None:
    _write(tmp_path, {
        "train.py": (
            "import json, os, pickle, mlflow, mlflow.pyfunc\nimport matplotlib.pyplot as plt\n"
            "if __name__ == '__main__':\n"
            "    with mlflow.start_run():\n"
            "        json.dump({'acc': 1.0}, open('metrics.json', 'w'))\n"
            "        mlflow.log_artifact('metrics.json')\n"
            "        plt.savefig('plots/roc.png')\n"
            "        mlflow.log_artifacts('plots')\n"
            "        pickle.dump(model, open('model.pkl', 'wb'))\n"
            "        mlflow.pyfunc.log_model('model', python_model=Wrapper(), artifacts={'model': 'model.pkl'},"
            " registered_model_name='churn')\n"
        ),
    })
    got = _statuses(tmp_path)
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result

    assert got == {
        ("train.py", 5, "metrics.json"): Status.SCRATCH,
        ("train.py", 6, "metrics.json"): Status.SCRATCH,
        ("train.py", 7, "plots/roc.png"): Status.SCRATCH,
        ("train.py", 8, "plots"): Status.SCRATCH,
        ("train.py", 9, "model.pkl"): Status.SCRATCH,
        ("train.py", 10, "model.pkl"): Status.SCRATCH,
        # What the run hands on is the registered model, which the registry declares by name.
        ("train.py", 10, "models:/churn"): Status.NAMED,
    }
    assert result.findings == ()


def graph_consumers(root: Path) -> tuple:
    return analyse(root, CheckOptions(jobs=1, use_cache=False)).graph.undeclared_consumers


def test_an_extracted_archive_and_a_folder_of_written_files_are_scratch_too(tmp_path: Path) -> None:
    _write(tmp_path, {
        "fetch.py": (
            "import tarfile, shutil\nimport pandas as pd\nif __name__ == '__main__':\n"
            "    shutil.unpack_archive('data/raw.tgz', 'data/housing')\n"
            "    pd.read_csv('data/housing/sub/housing.csv')\n"
            "    pd.DataFrame().to_csv('out/images/a.csv')\n"
            "    shutil.copytree('out/images', 'backup')\n"
            # Only the folder a file is written into: not every directory above it.
            "    shutil.copytree('out', 'backup2')\n"
            "    shutil.copytree('template', '.')\n"
        ),
    })
    got = _statuses(tmp_path)

    assert got == {
        ("fetch.py", 4, "data/raw.tgz"): Status.UNDECLARED,
        ("fetch.py", 4, "data/housing"): Status.SCRATCH,
        ("fetch.py", 5, "data/housing/sub/housing.csv"): Status.SCRATCH,
        ("fetch.py", 6, "out/images/a.csv"): Status.SCRATCH,
        ("fetch.py", 7, "out/images"): Status.SCRATCH,
        ("fetch.py", 7, "backup"): Status.UNDECLARED,
        ("fetch.py", 8, "out"): Status.UNDECLARED,
        ("fetch.py", 8, "backup2"): Status.UNDECLARED,
        ("fetch.py", 9, "template"): Status.UNDECLARED,
        ("fetch.py", 9, "."): Status.EMPTY,
    }


def test_a_write_read_back_through_the_script_s_own_class_or_function_is_scratch(tmp_path: Path) -> None:
    _write(tmp_path, {
        "split.py": (
            "import pandas as pd\n"
            "class SpamDataset:\n"
            "    def __init__(self, csv_file):\n"
            "        self.data = pd.read_csv(csv_file)\n"
            "if __name__ == '__main__':\n"
            "    df = pd.read_csv('raw.tsv', sep='\\t')\n"
            "    df.to_csv('train.csv')\n"
            "    df.to_csv('test.csv')\n"
            "    train = SpamDataset(csv_file='train.csv')\n"
            "    test = SpamDataset('test.csv')\n"
        ),
    })
    got = _statuses(tmp_path)

    # Which of two functions of a file runs first is not known, as for two files: the
    # constructor's reads come back to what the script wrote.
    assert got == {
        ("split.py", 4, "train.csv"): Status.SCRATCH,
        ("split.py", 4, "test.csv"): Status.SCRATCH,
        ("split.py", 6, "raw.tsv"): Status.UNDECLARED,
        ("split.py", 7, "train.csv"): Status.SCRATCH,
        ("split.py", 8, "test.csv"): Status.SCRATCH,
    }


def test_a_script_its_readme_runs_from_its_folder_works_there(tmp_path: Path) -> None:
    _write(tmp_path, {
        "a/README.md": "# Lesson A\n\n```bash\npython prepare.py\n$ python train.py --epochs 1\n```\n",
        "a/prepare.py": (
            "import shutil, pandas as pd\nif __name__ == '__main__':\n"
            "    pd.DataFrame().to_csv('train.csv')\n    shutil.unpack_archive('x.zip', '.')\n"
        ),
        "a/train.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.read_csv('train.csv')\n",
        # Run from the root by its README: its paths are the root's.
        "README.md": "python b/prepare.py\n",
        "b/prepare.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('train.csv')\n",
        "c/train.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.read_csv('train.csv')\n",
    })
    got = _statuses(tmp_path)

    assert got == {
        ("a/prepare.py", 3, "a/train.csv"): Status.UNDECLARED,
        # The working directory itself is no dataset, wherever it is.
        ("a/prepare.py", 4, "a/x.zip"): Status.UNDECLARED,
        ("a/prepare.py", 4, "a"): Status.EMPTY,
        ("a/train.py", 3, "a/train.csv"): Status.CONSUMER_READ,
        ("b/prepare.py", 3, "train.csv"): Status.UNDECLARED,
        ("c/train.py", 3, "train.csv"): Status.CONSUMER_READ,
    }
    consumers = {(c.read.path, c.write.path) for c in graph_consumers(tmp_path)}
    assert consumers == {("a/train.py", "a/prepare.py"), ("c/train.py", "b/prepare.py")}


def test_restoring_a_committed_file_when_it_is_missing_produces_nothing(tmp_path: Path) -> None:
    fetch = (
        "import os, urllib.request\nfrom pathlib import Path\n"
        "if not os.path.exists('../data/{name}'):\n"
        "    urllib.request.urlretrieve('https://example.org/{name}', '../data/{name}')\n"
        "{var} = Path('../data/{name}.json')\n"
        "if not {var}.exists(): urllib.request.urlretrieve('https://example.org/{name}.json', {var})\n"
    )
    _write(tmp_path, {
        "data/verdict.txt": "text\n",
        "data/verdict.txt.json": "{}\n",
        "fetch/fetch.ipynb": _nb(fetch.format(name="verdict.txt", var="a") + fetch.format(name="missing.txt", var="b")),
        "data/reader.ipynb": _nb(
            "text = open('verdict.txt').read()\ntext = open('verdict.txt.json').read()\n"
            "text = open('missing.txt').read()\ntext = open('missing.txt.json').read()"
        ),
    })
    consumers = {(c.read.path, str(c.read.target)) for c in graph_consumers(tmp_path)}

    # The committed files are there in every clone: the notebook that fetches them when they
    # are missing does not produce them. What no clone holds, it does.
    assert consumers == {
        ("data/reader.ipynb", "data/missing.txt"), ("data/reader.ipynb", "data/missing.txt.json"),
    }
    assert _statuses(tmp_path)[("data/reader.ipynb", 1, "data/verdict.txt")] is Status.UNDECLARED


def test_the_repository_s_own_schema_declares_its_tables_and_its_sql_files_are_code(tmp_path: Path) -> None:
    _write(tmp_path, {
        "app/schema.py": (
            "import os\nfrom sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\n"
            "Base = declarative_base()\n"
            "class TriageRun(Base):\n"
            "    __tablename__ = 'triage_runs'\n"
            "    __table_args__ = {'schema': 'triage_metadata'}\n"
            "    id = Column(Integer, primary_key=True)\n"
            "with open(os.path.join(os.path.dirname(__file__), 'sql', 'proc.sql')) as f:\n"
            "    stmt = f.read()\n"
        ),
        "app/sql/proc.sql": "CREATE FUNCTION f() ...;\n",
        "report.ipynb": _nb(
            "import pandas as pd\n"
            "runs = pd.read_sql('select * from triage_metadata.triage_runs join other.runs using (id)', engine)"
        ),
    })
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {(a.path, str(a.target)): c for a, c in graph.classified()}

    declared = got[("report.ipynb", "table:triage_metadata.triage_runs")]
    assert (declared.status, declared.declaration and declared.declaration.source) == (Status.DECLARED, "app/schema.py")
    assert declared.declaration is not None and declared.declaration.line == 5
    assert got[("report.ipynb", "table:other.runs")].status is Status.UNDECLARED
    assert got[("app/schema.py", "app/sql/proc.sql")].status is Status.CODE


def test_a_test_or_library_class_that_downloads_a_file_and_opens_it_has_its_own_scratch(tmp_path: Path) -> None:
    _write(tmp_path, {
        "tests/test_generate.py": (
            "import urllib.request\n"
            "def test_generate():\n"
            "    urllib.request.urlretrieve('https://example.org/verdict.txt', 'verdict.txt')\n"
            "    text = open('verdict.txt').read()\n"
        ),
        "pkg/langid.py": (
            "import os, urllib.request, fasttext\n"
            "class LangId:\n"
            "    def __init__(self):\n"
            "        loc = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lid.ftz')\n"
            "        if not os.path.exists(loc):\n"
            "            urllib.request.urlretrieve('https://example.org/lid.ftz', loc)\n"
            "        self.model = fasttext.load_model(loc)\n"
        ),
    })
    got = _statuses(tmp_path)

    # Neither file is a pipeline: each is its own unit. The sources stay undeclared.
    assert got == {
        ("tests/test_generate.py", 3, "https://example.org/verdict.txt"): Status.UNDECLARED,
        ("tests/test_generate.py", 3, "verdict.txt"): Status.SCRATCH,
        ("tests/test_generate.py", 4, "verdict.txt"): Status.SCRATCH,
        ("pkg/langid.py", 6, "https://example.org/lid.ftz"): Status.UNDECLARED,
        ("pkg/langid.py", 6, "pkg/lid.ftz"): Status.SCRATCH,
        ("pkg/langid.py", 7, "pkg/lid.ftz"): Status.SCRATCH,
    }


def test_what_an_imported_helper_or_class_does_with_its_arguments_happens_at_the_call(tmp_path: Path) -> None:
    _write(tmp_path, {
        "lesson/helpers.py": (
            "import zipfile, requests\nimport pandas as pd\n"
            "def download_and_unzip(url, zip_path, extracted):\n"
            "    open(zip_path, 'wb').write(requests.get(url).content)\n"
            "    zipfile.ZipFile(zip_path).extractall(extracted)\n"
            "class SpamDataset:\n"
            "    def __init__(self, csv_file, *, sep=','):\n"
            "        self.data = pd.read_csv(csv_file, sep=sep)\n"
        ),
        "lesson/notebook.ipynb": _nb(
            "import pandas as pd\nfrom helpers import download_and_unzip, SpamDataset\n"
            "download_and_unzip('https://example.org/sms.zip', 'sms.zip', extracted='sms')\n"
            "df = pd.read_csv('sms/SMS.tsv', sep='\\t')\ndf.to_csv('train.csv')\n"
            "train = SpamDataset('train.csv')\n"
            "import pkg\nsearch = pkg.Search()\nsearch.save('search.pkl')\npkg.Search.load('search.pkl')"
        ),
        # A static method of a class that the package's __init__ imports from its module.
        "lesson/pkg/__init__.py": "from pkg.search import Search\n",
        "lesson/pkg/search.py": (
            "import pickle\n"
            "class Search:\n"
            "    @staticmethod\n"
            "    def load(file_path):\n"
            "        with open(file_path, 'rb') as f:\n"
            "            return pickle.load(f)\n"
        ),
    })
    got = _statuses_by_api(tmp_path)

    # The URL is the notebook's source; what it downloads, extracts and splits is its scratch.
    assert {key: status for key, status in got.items() if key[0] == "lesson/notebook.ipynb"} == {
        ("lesson/notebook.ipynb", 3, "https://example.org/sms.zip", "requests.get in helpers.download_and_unzip"):
            Status.UNDECLARED,
        ("lesson/notebook.ipynb", 3, "lesson/sms.zip", "open in helpers.download_and_unzip"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 3, "lesson/sms.zip", "zipfile.ZipFile in helpers.download_and_unzip"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 3, "lesson/sms", ".extractall in helpers.download_and_unzip"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 4, "lesson/sms/SMS.tsv", "pandas.read_csv"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 5, "lesson/train.csv", "df.to_csv"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 6, "lesson/train.csv", "pandas.read_csv in helpers.SpamDataset"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 9, "lesson/search.pkl", "search.save"): Status.SCRATCH,
        ("lesson/notebook.ipynb", 10, "lesson/search.pkl", "pickle.load in pkg.Search.load"): Status.SCRATCH,
    }
    # In the helpers themselves, the targets are whatever callers pass.
    assert {status for key, status in got.items() if key[0] != "lesson/notebook.ipynb"} == {Status.DYNAMIC}


def _statuses_by_api(root: Path) -> dict[tuple[str, int, str, str], Status]:
    graph = analyse(root, CheckOptions(jobs=1, use_cache=False)).graph
    return {(a.path, a.location.line, str(a.target), a.access.api): c.status for a, c in graph.classified()}


def test_a_figure_nobody_reads_is_for_people_not_data(tmp_path: Path) -> None:
    _write(tmp_path, {
        "plot.py": (
            "import matplotlib.pyplot as plt\nimport pandas as pd\nif __name__ == '__main__':\n"
            "    plt.savefig('images/loss.png')\n"
            "    pd.DataFrame().to_html('reports/table.html')\n"
            "    plt.savefig('images/used.png')\n"
            "    pd.DataFrame().to_csv('reports/table.csv')\n"
        ),
        "report.py": "from PIL import Image\nif __name__ == '__main__':\n    Image.open('images/used.png')\n",
    })
    got = _statuses(tmp_path)

    assert got == {
        ("plot.py", 4, "images/loss.png"): Status.FIGURE,
        ("plot.py", 5, "reports/table.html"): Status.FIGURE,
        # Another pipeline reads it: an undeclared consumer's data.
        ("plot.py", 6, "images/used.png"): Status.UNDECLARED,
        ("report.py", 3, "images/used.png"): Status.CONSUMER_READ,
        ("plot.py", 7, "reports/table.csv"): Status.UNDECLARED,
    }


def test_what_only_figure_apis_write_and_audio_for_listening_are_for_people(tmp_path: Path) -> None:
    _write(tmp_path, {
        "demo.py": (
            "import matplotlib.pyplot as plt\nimport soundfile as sf\nimport torchaudio\nif __name__ == '__main__':\n"
            "    plt.savefig('umap')\n"  # 5 matplotlib adds .png
            "    fig, ax = plt.subplots()\n"
            "    fig.savefig(fname='plots/attention')\n"  # 7
            "    torchaudio.save('generated.wav', wav, 24000)\n"  # 8 a demo's output to listen to
            "    sf.write('samples/demo.flac', wav, 22050)\n"  # 9
            "    sf.write('wavs/resampled.wav', wav, 22050)\n"  # 10 read by training: data
            "    sf.write('wavs/resampled.npy', wav, 22050)\n"  # 11 no media suffix: data
        ),
        "train.py": "import soundfile as sf\nif __name__ == '__main__':\n    sf.read('wavs/resampled.wav')\n",
    })
    got = _statuses(tmp_path)

    assert got == {
        ("demo.py", 5, "umap"): Status.FIGURE,
        ("demo.py", 7, "plots/attention"): Status.FIGURE,
        ("demo.py", 8, "generated.wav"): Status.FIGURE,
        ("demo.py", 9, "samples/demo.flac"): Status.FIGURE,
        ("demo.py", 10, "wavs/resampled.wav"): Status.UNDECLARED,
        ("train.py", 3, "wavs/resampled.wav"): Status.CONSUMER_READ,
        ("demo.py", 11, "wavs/resampled.npy"): Status.UNDECLARED,
    }


def test_an_http_service_on_this_machine_is_no_data(tmp_path: Path) -> None:
    _write(tmp_path, {
        "tests/test_serve.py": (
            "import requests\nimport pandas as pd\n"
            "def test_health():\n"
            "    status = requests.get('http://127.0.0.1:8000/health')\n"
            "    pd.read_csv('http://localhost:8000/export.csv')\n"
            "    status = requests.get('http://0.0.0.0:8000')\n"
            "    status = requests.get('http://[::1]:8000')\n"
            "    export = requests.get('https://api.example.com/v1/data')\n"
        ),
    })
    got = _statuses(tmp_path)

    assert got == {
        ("tests/test_serve.py", 4, "http://127.0.0.1:8000/health"): Status.SYSTEM,
        ("tests/test_serve.py", 5, "http://localhost:8000/export.csv"): Status.SYSTEM,
        ("tests/test_serve.py", 6, "http://0.0.0.0:8000"): Status.SYSTEM,
        ("tests/test_serve.py", 7, "http://[::1]:8000"): Status.SYSTEM,
        ("tests/test_serve.py", 8, "https://api.example.com/v1/data"): Status.UNDECLARED,
    }


@pytest.mark.parametrize(("uri", "local"), [
    ("http://127.0.0.1:8000/health", True),
    ("https://127.8.9.10/", True),
    ("ws://app.localhost:3000/socket", True),
    ("http://[::1", False),  # malformed: an unclosed IPv6 bracket
    ("http://10.0.0.5:8000/data.csv", False),  # another machine on the network
    ("http://localhost.example.com/x", False),
    ("s3://localhost/bucket", False),
    ("postgresql://localhost/sales", False),  # a database on this machine still holds data
    # The cloud instance's metadata service: about the machine, not a dataset.
    ("http://169.254.169.254/latest/meta-data/instance-type", True),
    ("http://169.254.170.2/v2/metadata", True),
    ("http://metadata.google.internal/computeMetadata/v1/instance/zone", True),
    ("http://[fd00:ec2::254]/latest/meta-data/", True),
    ("http://metadata.example.com/latest", False),
])
def test_local_services(uri: str, local: bool) -> None:
    assert is_local_service(uri) is local


def test_mlflow_s_own_stores_and_generated_documents_are_no_undeclared_data(tmp_path: Path) -> None:
    _write(tmp_path, {
        "deploy.py": (
            "import shutil\nif __name__ == '__main__':\n"
            "    shutil.copytree('mlruns/1', 'build/mlruns/1')\n"
            "    open('chapter08/mlartifacts/3/model.pkl', 'rb')\n"
            "    open('docs/arguments.md', 'w').write('## lr')\n"
            "    open('reports/summary.txt', 'w').write('ok')\n"
        ),
    })
    got = _statuses(tmp_path)
    assert got[("deploy.py", 3, "mlruns/1")] == Status.NAMED
    assert got[("deploy.py", 3, "build/mlruns/1")] == Status.NAMED
    assert got[("deploy.py", 4, "chapter08/mlartifacts/3/model.pkl")] == Status.NAMED
    # A document nobody reads is for people; a text file may be anybody's data.
    assert got[("deploy.py", 5, "docs/arguments.md")] == Status.FIGURE
    assert got[("deploy.py", 6, "reports/summary.txt")] == Status.UNDECLARED
