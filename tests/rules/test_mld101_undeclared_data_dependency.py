"""MLD101 beyond its examples: inside DVC stages a stage's data must be among its own deps and
outs; what a hub, library or registry knows by name is seen, but reported only with `hub`."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, check

DVC = """\
stages:
  prepare:
    cmd: python prepare.py
    deps: [data/raw.csv]
    outs: [data/clean.csv]
  train:
    cmd: python train.py
    deps: [train.py, data/clean.csv]
    outs: [models/model.pkl]
  report:
    cmd: python report.py
    deps: [report.py]
"""


LOADERS = (
    "import mlflow\nfrom sklearn.datasets import load_iris, fetch_openml\nfrom torchvision import datasets\n"
    "if __name__ == '__main__':\n"
    "    load_iris()\n"
    "    fetch_openml('titanic')\n"
    "    datasets.MNIST('data', download=True)\n"
    "    mlflow.pyfunc.load_model('models:/churn/Production')\n"
)


def _findings(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> list[tuple[str, int, str]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + pyproject)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD101",))).result
    return [(f.location.path, f.location.line, f.message) for f in result.findings]


def test_each_stage_reads_and_writes_only_what_it_declares(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "prepare.py": "import pandas as pd\npd.read_csv('data/raw.csv').to_csv('data/clean.csv')\n",
        # Declared as train's own dep and out: nothing to say.
        "train.py": "import joblib\nimport pandas as pd\npd.read_csv('data/clean.csv')\njoblib.dump(0, 'models/model.pkl')\n",
        # report reads prepare's output and train's model, and declares neither.
        "report.py": "import joblib\nimport pandas as pd\npd.read_csv('data/clean.csv')\njoblib.load('models/model.pkl')\n",
    })
    assert found == [
        ("report.py", 3, "reads data `data/clean.csv` (pandas.read_csv) that stage `report` does not declare "
                         "(stage `prepare` declares it, dvc.yaml:5)"),
        ("report.py", 4, "reads data `models/model.pkl` (joblib.load) that stage `report` does not declare "
                         "(stage `train` declares it, dvc.yaml:9)"),
    ]


def test_a_module_shared_by_stages_may_use_what_either_declares(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "common.py": "import pandas as pd\n\ndef clean():\n    return pd.read_csv('data/clean.csv')\n",
        "prepare.py": "import common\n",
        "report.py": "import common\n",
        "train.py": "import pandas as pd\npd.read_csv('data/other.csv')\n",
    })
    # common.py runs in prepare, which declares data/clean.csv; train's read is undeclared.
    assert found == [("train.py", 2, "reads data `data/other.csv` (pandas.read_csv) that no manifest declares")]


def test_what_no_stage_owns_counts_for_every_stage(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "dvc.yaml": DVC,
        "pyproject.toml": "[project]\nname = 'x'\n\n[tool.mldebt.data]\ninputs = ['data/reference/*.csv']\n",
        "data/lookup.csv.dvc": "outs:\n- path: lookup.csv\n",
        "report.py": "import pandas as pd\npd.read_csv('data/reference/a.csv')\npd.read_csv('data/lookup.csv')\n",
    })
    assert found == []


def test_library_datasets_and_registry_models_are_not_undeclared_data(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"train.py": LOADERS}) == []


def test_the_hub_option_reports_them(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, {"train.py": LOADERS}, "[tool.mldebt.rules.undeclared-data-dependency]\nhub = true\n"
    )
    assert [(line, message.split(" (")[0]) for _, line, message in found] == [
        (5, "reads data `sklearn://iris`"),
        (6, "reads data `openml://titanic`"),
        (7, "reads data `torchvision://MNIST`"),
        (8, "reads data `models:/churn/Production`"),
    ]


JUDGEMENT_CALLS = {
    "setup.py": "from setuptools import setup\nsetup(install_requires=open('requirements.txt').read().split())\n",
    "requirements.txt": "pandas\n",
    "tests/data/a.csv": "a\n",
    "tests/test_a.py": "import pandas as pd\ndef test_a():\n    pd.read_csv('tests/data/a.csv')\n",
    "run.py": (
        "import pandas as pd\nimport matplotlib.pyplot as plt\nif __name__ == '__main__':\n"
        "    pd.DataFrame().to_csv('out/tmp.csv')\n    pd.read_csv('out/tmp.csv')\n    plt.savefig('out/loss.png')\n"
    ),
}


def test_what_is_not_data_is_reported_again_only_where_also_report_names_it(tmp_path: Path) -> None:
    for name in ("default", "every", "scratch"):
        (tmp_path / name).mkdir()
    assert _findings(tmp_path / "default", JUDGEMENT_CALLS) == []
    every = _findings(
        tmp_path / "every", JUDGEMENT_CALLS,
        '[tool.mldebt.rules.undeclared-data-dependency]\nalso-report = ["config", "tooling", "scratch", "figure"]\n',
    )
    # The scratch file's write and read are one dataset of one pipeline: one finding.
    assert [(path, line) for path, line, _ in every] == [
        ("run.py", 4), ("run.py", 6), ("setup.py", 2), ("tests/test_a.py", 3),
    ]
    scratch = _findings(
        tmp_path / "scratch", JUDGEMENT_CALLS, '[tool.mldebt.rules.undeclared-data-dependency]\nalso-report = ["scratch"]\n',
    )
    assert scratch == [("run.py", 4, "writes data `out/tmp.csv` (.to_csv) that no manifest declares; also at line 5")]


def test_also_report_takes_only_its_own_words(tmp_path: Path) -> None:
    import pytest

    from mldebt.config import ConfigError

    with pytest.raises(ConfigError) as raised:
        _findings(tmp_path, {"a.py": "x = 1\n"}, '[tool.mldebt.rules.undeclared-data-dependency]\nalso-report = ["scratch", "temp"]\n')
    assert raised.value.problems == [
        "'rules.undeclared-data-dependency.also-report' can hold only 'config', 'tooling', 'scratch', "
        "'figure'; not 'temp'"
    ]


def test_one_finding_per_dataset_per_pipeline_with_the_other_accesses_related(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    notebook = (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
        + ", ".join(
            '{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "%s"}' % source
            for source in ["import pandas as pd\\npd.read_csv(\'my_df.csv\')", "pd.read_csv(\'my_df.csv\')"] * 3
        )
        + "]}"
    )
    (tmp_path / "tour.ipynb").write_text(notebook)
    # A library two pipelines share joins them: one finding for the dataset, at its first access.
    (tmp_path / "lib.py").write_text("import pandas as pd\nRAW = 'data/raw.csv'\ndef load():\n    return pd.read_csv(RAW)\n")
    (tmp_path / "a.py").write_text("import pandas as pd\nfrom lib import load\nif __name__ == '__main__':\n    load()\n")
    (tmp_path / "b.py").write_text("import pandas as pd\nfrom lib import load\nif __name__ == '__main__':\n    load()\n    pd.read_csv('data/raw.csv')\n")
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False, select=("MLD101",))).result

    got = [(f.location.path, f.location.cell, f.location.line, f.message, [(r.path, r.cell, r.line) for r in f.related])
           for f in result.findings]
    assert got == [
        ("b.py", None, 5, "reads data `data/raw.csv` (pandas.read_csv) that no manifest declares; also at lib.py line 4",
         [("lib.py", None, 4)]),
        ("tour.ipynb", 1, 2, "reads data `my_df.csv` (pandas.read_csv) that no manifest declares; "
         "also at cell 2:1, cell 3:2, cell 4:1 and 2 more",
         [("tour.ipynb", 2, 1), ("tour.ipynb", 3, 2), ("tour.ipynb", 4, 1), ("tour.ipynb", 5, 2), ("tour.ipynb", 6, 1)]),
    ]


def test_a_loop_over_a_literal_list_is_one_finding_per_call(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "evaluate.py": (
            "import os\nimport pandas as pd\n"
            "TASKS = ['algebra', 'anatomy', 'astronomy']\nDATA = 'eval/mmlu/data/'\n"
            "def main():\n"
            "    for task in TASKS:\n"
            "        pd.read_csv(os.path.join(DATA, 'dev', task + '_dev.csv'))\n"
            "        pd.read_csv(os.path.join(DATA, 'test', task + '_test.csv'))\n"
            "    for url in ('https://x.org/a.parquet', 'https://x.org/b.parquet'):\n"
            "        pd.read_parquet(url)\n"
            "if __name__ == '__main__':\n    main()\n"
        ),
        # One target of the loop is declared: the other is reported as itself.
        "publish.py": (
            "import pandas as pd\nif __name__ == '__main__':\n"
            "    for split in ('train', 'test'):\n        pd.DataFrame().to_csv(f'out/{split}.csv')\n"
        ),
    }, "[tool.mldebt.data]\noutputs = ['out/train.csv']\n")

    assert found == [
        ("evaluate.py", 7, "reads 3 files like `eval/mmlu/data/dev/algebra_dev.csv` (pandas.read_csv) that no manifest declares"),
        ("evaluate.py", 8, "reads 3 files like `eval/mmlu/data/test/algebra_test.csv` (pandas.read_csv) that no manifest declares"),
        ("evaluate.py", 10, "reads 2 URIs like `https://x.org/a.parquet` (pandas.read_parquet) that no manifest declares"),
        ("publish.py", 4, "writes data `out/test.csv` (.to_csv) that no manifest declares"),
    ]


def test_one_sql_statement_is_one_finding_per_table(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "etl.py": (
            "import sqlite3\nconn = sqlite3.connect('data/warehouse.db')\n"
            "conn.cursor().execute('INSERT INTO a (x, y) SELECT b.x, c.y FROM b JOIN c ON b.id = c.id')\n"
        ),
    })
    assert found == [
        ("etl.py", 2, "writes data `data/warehouse.db` (sqlite3.connect) that no manifest declares"),
        ("etl.py", 3, "reads table `b` (.execute) that no manifest declares"),
        ("etl.py", 3, "reads table `c` (.execute) that no manifest declares"),
        ("etl.py", 3, "writes table `a` (.execute) that no manifest declares"),
    ]


SEED_SCRIPT = """\
import sqlite3

SCHEMA = '''
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT);
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER);
'''

with sqlite3.connect("data/app.db") as conn:
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO users VALUES (1, 'ada')")
"""


def test_a_seed_script_s_ddl_is_one_finding_for_its_database(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"seed.py": SEED_SCRIPT}) == [
        ("seed.py", 10, "writes database `data/app.db` (conn.executescript: tables `orders`, `users`) "
                        "that no manifest declares; also at line 9, line 11"),
    ]


def test_a_seed_of_a_server_database_names_the_database_its_connection_opens(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "seed.py": (
            "import psycopg2\n\n"
            "def seed():\n"
            "    conn = psycopg2.connect(host='db.internal', dbname='shop', user='app')\n"
            "    with conn.cursor() as cur:\n"
            "        cur.execute('CREATE TABLE products (id SERIAL, name TEXT)')\n"
            "        cur.execute(\"INSERT INTO products (name) VALUES ('tea')\")\n"
            "        cur.execute('SELECT * FROM suppliers')\n\n"
            "if __name__ == '__main__':\n    seed()\n"
        ),
    })
    # The read of a table the script does not define stays a finding of its own.
    assert found == [
        ("seed.py", 6, "writes database `postgresql://db.internal/shop` (cur.execute: table `products`) "
                       "that no manifest declares; also at line 7"),
        ("seed.py", 8, "reads table `suppliers` (cur.execute) that no manifest declares"),
    ]


def test_a_seed_s_connection_opened_from_a_parameter_or_passed_to_a_function_keeps_its_database(
    tmp_path: Path,
) -> None:
    found = _findings(tmp_path, {
        "seed.py": (
            "import sqlite3\n\n"
            "def create_db(db_path='data/other.db'):\n"
            "    conn = sqlite3.connect(db_path)\n"
            "    conn.executescript('CREATE TABLE claim (id INTEGER); CREATE TABLE doc (id INTEGER);')\n\n"
            "if __name__ == '__main__':\n    create_db(db_path='data/app.db')\n"
        ),
        "metrics.py": (
            "import psycopg\n\n"
            "def insert_metrics(curr):\n"
            "    curr.execute('insert into dummy_metrics values (%s)', (1,))\n\n"
            "def main():\n"
            "    with psycopg.connect('host=localhost port=5432 dbname=test user=postgres password=example') as conn:\n"
            "        conn.execute('create table dummy_metrics (v int)')\n"
            "        with conn.cursor() as curr:\n"
            "            insert_metrics(curr)\n\n"
            "if __name__ == '__main__':\n    main()\n"
        ),
    })
    # One finding per database, named without the connection string's credentials.
    assert found == [
        ("metrics.py", 8, "writes database `postgresql://localhost:5432/test` (conn.execute: table `dummy_metrics`) "
                          "that no manifest declares; also at line 4"),
        ("seed.py", 5, "writes database `data/app.db` (conn.executescript: tables `claim`, `doc`) "
                       "that no manifest declares; also at line 4"),
    ]


def test_declaring_a_seed_s_database_declares_its_tables(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"seed.py": SEED_SCRIPT}, "\n[tool.mldebt.data]\noutputs = ['data/app.db']\n")
    assert found == []


def test_the_code_of_a_kedro_project_in_a_folder_runs_there(tmp_path: Path) -> None:
    # `kedro run` runs in kedro/, where the catalog's relative paths start too.
    nodes = (
        "import pandas as pd\n\n"
        "def report(model):\n"
        "    frame = pd.read_csv('data/05_model_input/x.csv')\n"
        "    frame.to_csv('data/08_reporting/report.csv')\n"
    )
    found = _findings(tmp_path, {
        "kedro/pyproject.toml": "[tool.kedro]\npackage_name = 'proj'\n",
        "kedro/conf/base/catalog.yml": "x:\n  type: pandas.CSVDataset\n  filepath: data/05_model_input/x.csv\n",
        "kedro/src/proj/pipelines/rep/nodes.py": nodes,
    })
    assert found == [("kedro/src/proj/pipelines/rep/nodes.py", 5, "writes data `kedro/data/08_reporting/report.csv` (frame.to_csv) that no manifest declares")]


def test_an_mlflow_entry_point_gives_its_script_its_parameters_defaults(tmp_path: Path) -> None:
    train = (
        "import argparse\nimport pandas as pd\n"
        "if __name__ == '__main__':\n"
        "    parser = argparse.ArgumentParser()\n    parser.add_argument('--data')\n"
        "    args = parser.parse_args()\n    pd.read_csv(args.data)\n"
    )
    found = _findings(tmp_path, {
        "MLproject": "entry_points:\n  main:\n    parameters:\n      data: {type: path, default: data/train.csv}\n"
                     "    command: python train.py --data {data}\n",
        "train.py": train,
    })
    assert found == [("train.py", 7, "reads data `data/train.csv` (pandas.read_csv) that no manifest declares")]


def test_dvc_api_paths_start_at_the_repository_s_root_wherever_the_code_runs(tmp_path: Path) -> None:
    import json

    notebook = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{
        "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
        "source": "import dvc.api\nimport pandas as pd\nurl = dvc.api.get_url(path='data/ab.csv')\n"
                  "raw = dvc.api.read('data/other.csv')\n",
    }]})
    found = _findings(tmp_path, {
        "data/ab.csv.dvc": "outs:\n- md5: 1ae1\n  path: ab.csv\n",
        "notebooks/eda.ipynb": notebook,
    })
    # Not notebooks/data/ab.csv, the notebook's folder being where a relative path of its own starts.
    assert found == [("notebooks/eda.ipynb", 4, "reads data `data/other.csv` (dvc.api.read) that no manifest declares")]


def _notebook(*cells: str) -> str:
    import json

    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": cell} for cell in cells
    ]})


def test_a_notebooks_shell_download_is_its_read_and_what_it_extracts_its_own_scratch(tmp_path: Path) -> None:
    """`!wget URL` then `!unzip a.zip -d data`: the URL is the data the notebook reads, once;
    the extracted files are its own scratch (trial 14, P-shell)."""
    found = _findings(tmp_path, {"climate.ipynb": _notebook(
        "!wget https://example.org/data/climate.csv.zip\n!unzip -q climate.csv.zip -d data",
        "with open('data/climate.csv') as f:\n    data = f.read()",
        "GLOVE = 'https://example.org'\n!curl -L {GLOVE}/glove.zip -o glove.zip\n!unzip glove.zip -d glove\n"
        "open('glove/glove.6B.50d.txt')",
    )})
    assert found == [
        ("climate.ipynb", 1, "reads data `https://example.org/data/climate.csv.zip` (shell wget) that no manifest declares"),
        ("climate.ipynb", 2, "reads data `https://example.org/glove.zip` (shell curl) that no manifest declares"),
    ]


def test_a_folder_filled_by_a_copy_loop_is_the_notebooks_own_scratch(tmp_path: Path) -> None:
    """`os.makedirs(d / c)` then `shutil.copy(src, d / c / f)` for files not known statically
    writes the folder, as `shutil.copytree(src, d)` does: read back, it is the notebook's own
    (trial 14, P-copyloop)."""
    found = _findings(tmp_path, {"imdb.ipynb": _notebook(
        "import os, pathlib, shutil\nimport keras\n"
        "src = pathlib.Path('aclImdb/train')\ntrain_dir = pathlib.Path('imdb_train')\n"
        "for category in ('neg', 'pos'):\n    os.makedirs(train_dir / category, exist_ok=True)\n"
        "    for file in os.listdir(src / category):\n        shutil.copy(src / category / file, train_dir / category / file)",
        "ds = keras.utils.text_dataset_from_directory(train_dir)",
    )})
    assert found == []


def test_a_kaggle_download_is_known_by_its_name(tmp_path: Path) -> None:
    """`!kaggle competitions download -c dogs-vs-cats` reads what Kaggle names, reported only
    with `hub`; the archive it leaves, extracted and read, is the notebook's own."""
    notebook = _notebook(
        "!kaggle competitions download -c dogs-vs-cats -p data\n!unzip -qq data/dogs-vs-cats.zip -d data/train",
        "import os\nopen('data/train/cat.1.jpg', 'rb')",
    )
    assert _findings(tmp_path, {"cats.ipynb": notebook}) == []
    assert _findings(
        tmp_path, {"cats.ipynb": notebook}, "[tool.mldebt.rules.undeclared-data-dependency]\nhub = true\n"
    ) == [("cats.ipynb", 1, "reads data `kaggle://competitions/dogs-vs-cats` (shell kaggle) that no manifest declares")]


def test_what_a_root_notebook_extracts_where_it_runs_is_its_own(tmp_path: Path) -> None:
    """`!unzip a.zip` with no -d fills the directory the notebook runs in: a file it then reads
    there is its own, at the root as below a folder (trial 14, P-shell's example)."""
    cells = (
        "!wget https://example.org/data/climate.csv.zip\n!unzip climate.csv.zip",
        "with open('climate.csv') as f:\n    data = f.read()",
    )
    expected = "reads data `https://example.org/data/climate.csv.zip` (shell wget) that no manifest declares"
    assert _findings(tmp_path, {"climate.ipynb": _notebook(*cells), "sub/climate.ipynb": _notebook(*cells)}) == [
        ("climate.ipynb", 1, expected), ("sub/climate.ipynb", 1, expected),
    ]
