"""Constant propagation across modules: how a careful reader resolves imported paths."""

from __future__ import annotations

import json
import textwrap

import pytest

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.engine import CheckOptions, analyse, check
from mldebt.graph import build_graph
from mldebt.parse.analyze import analyze_file


def _targets(files: dict[str, str]) -> dict[str, list[str]]:
    facts = {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in files.items()
    }
    graph = build_graph(facts, Declarations())
    out: dict[str, list[str]] = {}
    for access in graph.accesses:
        out.setdefault(access.path, []).append(str(access.target))
    return out


def _directed(code: str) -> list[tuple[int, str, str]]:
    """(line, direction, target) of each access in one module, m.py."""
    facts = {"m.py": analyze_file("m.py", code.encode(), "d", load_catalog(), load_models())}
    return [(a.location.line, a.direction, str(a.target)) for a in build_graph(facts, Declarations()).accesses]


def test_bare_dotted_relative_and_aliased_imports() -> None:
    files = {
        "src/proj/settings.py": "import os\nBASE = 'data'\nRAW = os.path.join(BASE, 'raw')\n",
        "src/proj/io.py": "from .settings import RAW\nimport pandas as pd\npd.read_csv(RAW + '/a.csv')\n",
        "src/proj/train.py": "import proj.settings as s\nimport pandas as pd\npd.read_csv(f'{s.RAW}/b.csv')\n",
        "scripts/config.py": "OUT = 'reports'\n",
        "scripts/run.py": "from config import OUT\nimport pandas as pd\npd.DataFrame().to_csv(OUT + '/r.csv')\n",
    }
    got = _targets(files)
    assert got["src/proj/io.py"] == ["data/raw/a.csv"]
    assert got["src/proj/train.py"] == ["data/raw/b.csv"]
    assert got["scripts/run.py"] == ["reports/r.csv"]


def test_class_attributes_reexports_and_file_relative_paths() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/paths.py": "from pathlib import Path\nclass Paths:\n    ROOT = Path(__file__).parent.parent\n    DATA = ROOT / 'data'\n",
        "pkg/reexport.py": "from pkg.paths import Paths\nTRAIN = Paths.DATA / 'train.csv'\n",
        "pkg/job.py": "from pkg.reexport import TRAIN\nfrom pkg.paths import Paths\nimport pandas as pd\npd.read_csv(TRAIN)\npd.read_csv(Paths.DATA / 'test.csv')\n",
    }
    assert _targets(files)["pkg/job.py"] == ["data/train.csv", "data/test.csv"]


def test_cycles_and_unknown_modules_are_dynamic() -> None:
    files = {
        "a.py": "from b import X\nY = X\n",
        "b.py": "from a import Y\nX = Y\nimport pandas as pd\npd.read_csv(X)\n",
        "c.py": "from somewhere_else import PATH\nimport pandas as pd\npd.read_csv(PATH)\n",
    }
    got = _targets(files)
    assert got["b.py"] == ["<dynamic>"] and got["c.py"] == ["<dynamic>"]


def test_hub_ids_versus_local_paths_and_sql_tables() -> None:
    files = {
        "m.py": (
            "from transformers import AutoModel\nimport pandas as pd\n"
            "AutoModel.from_pretrained('bert-base-uncased')\nAutoModel.from_pretrained('org/model')\n"
            "AutoModel.from_pretrained('models/finetuned')\n"
            "pd.read_sql('INSERT INTO out_t SELECT * FROM in_t JOIN dim ON 1=1', con)\n"
        ),
    }
    assert _targets(files)["m.py"] == [
        "hf://models/bert-base-uncased", "hf://models/org/model", "models/finetuned",
        "table:in_t", "table:dim", "table:out_t",
    ]


def test_a_sql_statement_says_what_it_reads_and_writes() -> None:
    code = (
        "import sqlite3\ncon = sqlite3.connect(':memory:')\ncur = con.cursor()\n"
        "cur.execute('SELECT EXTRACT(YEAR FROM CAST(ts AS DATE)) FROM events')\n"
        "cur.executemany('INSERT INTO scores (id, s) VALUES (?, ?)', rows)\n"
        "cur.execute('DELETE FROM staging WHERE id = 1')\n"
        "cur.execute('INSERT INTO archive SELECT * FROM staging')\n"
    )
    assert [row for row in _directed(code) if row[2].startswith("table:")] == [
        (4, "read", "table:events"),
        (5, "write", "table:scores"),
        (6, "write", "table:staging"),
        (7, "read", "table:staging"),
        (7, "write", "table:archive"),
    ]


def test_a_filename_template_a_library_fills_in_is_any_such_file() -> None:
    code = "from tensorflow import keras\nkeras.callbacks.ModelCheckpoint('ckpt/mnist-epoch-{epoch:02d}-{val_loss:.2f}.keras')\n"
    assert _directed(code) == [(2, "write", "ckpt/mnist-epoch-*-*.keras")]


def test_scripts_that_drop_and_rebuild_tables_and_scratch_databases() -> None:
    code = (
        "import sqlite3\nimport shutil\ncon = sqlite3.connect(':memory:')\n"
        "con.executescript('DROP TABLE IF EXISTS summary; CREATE TABLE summary AS SELECT * FROM raw')\n"
        "con.execute('SELECT name FROM sqlite_master')\n"
        "shutil.copy('data/a.csv', 'backup/a.csv')\n"
    )
    assert _directed(code) == [
        (4, "read", "table:raw"),
        (4, "write", "table:summary"),
        (6, "read", "data/a.csv"),
        (6, "write", "backup/a.csv"),
    ]


def test_a_database_a_module_connects_to_and_then_changes_is_written() -> None:
    seed = (
        "import sqlite3\ncon = sqlite3.connect('data/app.db')\n"
        "con.execute('CREATE TABLE IF NOT EXISTS users (id INTEGER)')\n"
    )
    report = "import sqlite3\ncon = sqlite3.connect('data/app.db')\ncon.execute('SELECT id FROM users')\n"
    assert _directed(seed) == [(2, "write", "data/app.db"), (3, "write", "table:users")]
    assert _directed(report) == [(2, "read", "data/app.db"), (3, "read", "table:users")]


def test_a_copy_into_the_working_directory_writes_the_root() -> None:
    code = "import shutil\nshutil.copytree('data/raw', '.')\nshutil.copytree('data/raw', './')\n"
    assert _directed(code) == [(2, "read", "data/raw"), (2, "write", "."), (3, "read", "data/raw"), (3, "write", ".")]


def test_generic_method_names_count_only_for_files() -> None:
    files = {
        "m.py": (
            "loader.load_model(path='model_de/ohe', run_id=r)\n"
            "model.save('my_model.h5')\n"
            "img.save(path)\n"
            "booster.load_model('s3://bucket/xgb')\n"
            "session.save()\n"
        ),
    }
    assert _targets(files)["m.py"] == ["my_model.h5", "s3://bucket/xgb"]


def test_sys_argv_resolves_through_the_dvc_command_that_runs_the_script(tmp_path) -> None:
    from mldebt.engine import CheckOptions, analyse

    files = {
        "pyproject.toml": "[project]\nname='x'\n",
        "dvc.yaml": (
            "stages:\n"
            "  prepare:\n    cmd: python src/prepare.py data/raw.xml data/prepared\n"
            "    deps: [data/raw.xml]\n    outs: [data/prepared]\n"
            "  train:\n    wdir: src\n    cmd: python -m train ../data/prepared --seed 3\n"
        ),
        "src/prepare.py": (
            "import sys, os\nimport pandas as pd\n"
            "if __name__ == '__main__':\n"
            "    raw = sys.argv[1]\n    pd.read_xml(raw)\n"
            "    pd.DataFrame().to_csv(os.path.join(sys.argv[2], 'train.tsv'))\n"
            "    open(sys.argv[5])\n"
        ),
        "src/train.py": "import sys\nimport pandas as pd\npd.read_csv(sys.argv[1] + '/train.tsv')\n",
        "src/other.py": "import sys\nimport pandas as pd\npd.read_csv(sys.argv[1])\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    graph = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph
    got = {(a.path, str(a.target)) for a in graph.accesses}
    assert ("src/prepare.py", "data/raw.xml") in got
    assert ("src/prepare.py", "data/prepared/train.tsv") in got
    # An argument the command does not give, and a script no manifest runs, stay dynamic.
    assert ("src/prepare.py", "<dynamic>") in got
    assert ("src/other.py", "<dynamic>") in got
    # `python -m train` in wdir src: arguments are relative to where the command runs.
    assert ("src/train.py", "data/prepared/train.tsv") in got


def _notebook(*cells: str) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c} for c in cells],
    })


def test_a_notebook_runs_in_its_own_directory() -> None:
    got = _targets({
        "notebooks/eda.ipynb": _notebook(
            "import pandas as pd\nDATA = '../data'\npd.read_csv(f'{DATA}/raw.csv')",
            "pd.read_csv('cache.csv')",
            # Another module's relative constant is relative to where the notebook runs, as in
            # Python; one built from that module's __file__ is anchored at the repository.
            "from proj.paths import RAW, ANCHORED\npd.read_csv(RAW)\npd.read_csv(ANCHORED)",
        ),
        "src/proj/paths.py": (
            "from pathlib import Path\nRAW = 'data/raw/b.csv'\n"
            "ANCHORED = Path(__file__).parents[2] / 'data' / 'c.csv'\n"
        ),
    })
    assert got["notebooks/eda.ipynb"] == ["data/raw.csv", "notebooks/cache.csv", "notebooks/data/raw/b.csv", "data/c.csv"]


def test_a_notebook_that_changes_directory_moves_its_relative_paths() -> None:
    got = _targets({
        "notebooks/train.ipynb": _notebook(
            "import os\nimport pandas as pd\nos.chdir('..')",
            "pd.read_csv('data/a.csv')",
            "%cd data",
            "pd.read_csv('b.csv')",
        ),
    })
    assert got["notebooks/train.ipynb"] == ["data/a.csv", "data/b.csv"]


def test_a_script_a_stage_runs_starts_in_the_stage_directory(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "A03" / "src").mkdir(parents=True)
    (tmp_path / "A03" / "dvc.yaml").write_text("stages:\n  download:\n    cmd: python src/download.py\n")
    (tmp_path / "A03" / "src" / "download.py").write_text(
        "import yaml\nimport pandas as pd\nfrom pathlib import Path\n"
        "yaml.safe_load(open('params.yaml'))\n"
        "pd.read_csv(Path(__file__).parent / 'local.csv')\n"
    )
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses
    assert [str(a.target) for a in accesses] == ["A03/params.yaml", "A03/src/local.csv"]


def test_a_sibling_package_wins_over_a_module_of_the_same_name_elsewhere() -> None:
    # pytorch/examples: distributed/FSDP/T5_training.py imports its own utils package, not
    # distributed/FSDP2/utils.py.
    files = {
        "distributed/FSDP/utils/__init__.py": "from .paths import OUT\n",
        "distributed/FSDP/utils/paths.py": "OUT = 'out/fsdp.csv'\n",
        "distributed/FSDP2/utils.py": "OUT = 'out/fsdp2.csv'\n",
        "distributed/FSDP/T5_training.py": "import pandas as pd\nfrom utils import OUT\npd.DataFrame().to_csv(OUT)\n",
        "distributed/FSDP2/train.py": "import pandas as pd\nfrom utils import OUT\npd.DataFrame().to_csv(OUT)\n",
    }
    got = _targets(files)
    assert got["distributed/FSDP/T5_training.py"] == ["out/fsdp.csv"]
    assert got["distributed/FSDP2/train.py"] == ["out/fsdp2.csv"]


def test_from_pretrained_on_the_repositorys_own_class_is_not_a_hub_model() -> None:
    files = {
        "model.py": "class GPT:\n    @classmethod\n    def from_pretrained(cls, name):\n        return cls()\n",
        "train.py": (
            "from transformers import AutoModel\nfrom model import GPT\ninit_from = 'scratch'\n"
            "GPT.from_pretrained(init_from)\nAutoModel.from_pretrained('gpt2')\n"
        ),
    }
    assert _targets(files)["train.py"] == ["hf://models/gpt2"]


ARGPARSE_SCRIPT = """\
import argparse
import joblib
import pandas as pd


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", "--data", default="data/default.csv")
    parser.add_argument("--out", dest="model_path", default="models/default.pkl")
    parser.add_argument("--report", default="reports/r.csv")
    parser.add_argument("extra")
    return parser.parse_args()


def main(args):
    frame = pd.read_csv(args.data)
    pd.read_csv(args.extra)
    joblib.dump(frame, args.model_path)
    frame.to_csv(args.report)


if __name__ == "__main__":
    main(get_args())
"""


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        # The command gives --data, --out= and the positional; --report keeps its default; the
        # stage runs in wdir sub/, which prefixes what the command line names.
        (
            "python ../src/train.py -d data/prepared.csv --out=models/m.pkl data/extra.csv",
            ["sub/data/prepared.csv", "sub/data/extra.csv", "sub/models/m.pkl", "reports/r.csv"],
        ),
        # An interpolation left unresolved is not the default: unknown.
        ("python ../src/train.py --data ${missing.path} x.csv", ["<dynamic>", "sub/x.csv", "models/default.pkl", "reports/r.csv"]),
    ],
)
def test_argparse_options_come_from_the_stage_command_else_their_defaults(tmp_path, command, expected) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(ARGPARSE_SCRIPT)
    (tmp_path / "src" / "other.py").write_text(ARGPARSE_SCRIPT)
    (tmp_path / "dvc.yaml").write_text(f"stages:\n  train:\n    wdir: sub\n    cmd: {command}\n")
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses
    targets = {path: [str(a.target) for a in accesses if a.path == path] for path in ("src/train.py", "src/other.py")}
    assert targets["src/train.py"] == expected
    # Run by no manifest: the defaults, and the positional is unknown.
    assert targets["src/other.py"] == ["data/default.csv", "<dynamic>", "models/default.pkl", "reports/r.csv"]


def test_of_two_projects_utils_the_importers_own_wins() -> None:
    # A course repository: A01 and A03 each have utils/; A03/src/download.py runs with A03 as
    # its working directory, so its `utils` is A03's.
    files = {
        "A01/utils/paths.py": "OUT = 'a01_only/out.csv'\n",
        "A03/utils/paths.py": "OUT = 'data/a03_out.csv'\n",
        "A03/src/download.py": "import pandas as pd\nfrom utils.paths import OUT\npd.DataFrame().to_csv(OUT)\n",
    }
    assert _targets(files)["A03/src/download.py"] == ["data/a03_out.csv"]


def test_a_script_no_stage_runs_works_in_its_own_folder_where_only_that_has_the_path(tmp_path) -> None:
    for name, text in {
        "app/train.py": (
            "import shutil\nimport pandas as pd\npd.read_csv('data/x.csv')\npd.read_csv('shared/y.csv')\n"
            "pd.read_csv('new/z.csv')\nshutil.copytree('app/data', '.')\n"
        ),
        "app/data/x.csv": "a\n",
        "app/shared/y.csv": "a\n",
        "shared/y.csv": "a\n",
        "dvc.yaml": "stages:\n  fit:\n    cmd: python fit/fit.py\n",
        "fit/fit.py": "import pandas as pd\npd.read_csv('data/x.csv')\n",
        "fit/data/x.csv": "a\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses

    assert {(a.path, str(a.target), a.assumed_cwd) for a in accesses} == {
        # Only app/ has data/x.csv: the script runs there.
        ("app/train.py", "app/data/x.csv", "app"),
        # The root has shared/y.csv: the root it is.
        ("app/train.py", "shared/y.csv", ""),
        # Nothing has it: the root, as before.
        ("app/train.py", "new/z.csv", ""),
        # The root always exists.
        ("app/train.py", "app/data", ""),
        ("app/train.py", ".", ""),
        # A stage says where its script runs (the root, here).
        ("fit/fit.py", "data/x.csv", ""),
    }
    result = check(tmp_path, CheckOptions(jobs=1, use_cache=False)).result
    assert [f.message for f in result.findings if f.location.path == "app/train.py"][0] == (
        "reads data `app/data/x.csv` (pandas.read_csv, relative to the script's folder app/) that no manifest declares"
    )


@pytest.mark.parametrize("query", [
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM INFORMATION_SCHEMA.COLUMNS",
    "SELECT relname FROM pg_class",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM pg_stat_activity",
    "SELECT * FROM mysql.user",
    "SELECT * FROM performance_schema.events_statements_summary_by_digest",
    "SELECT * FROM sys.tables",
    "SELECT name FROM sqlite_master",
    "SELECT seq FROM sqlite_sequence",
])
def test_every_major_engine_s_catalog_is_not_data(query: str) -> None:
    code = f"import sqlite3\ncon = sqlite3.connect(':memory:')\ncon.execute({query!r})\n"
    assert _directed(code) == []


def test_a_user_table_that_only_looks_like_a_catalog_is_data() -> None:
    code = "import sqlite3\ncon = sqlite3.connect(':memory:')\ncon.execute('SELECT * FROM analytics.pg_orders JOIN system_log')\n"
    assert _directed(code) == [(3, "read", "table:analytics.pg_orders"), (3, "read", "table:system_log")]


def test_an_in_memory_buffer_is_no_access() -> None:
    code = (
        "import io\nimport numpy as np\nimport pandas as pd\nBUFFER = io.BytesIO()\n"
        "def f():\n    local = io.StringIO()\n    pd.DataFrame().to_csv(local)\n"
        "np.save(BUFFER, 1)\npd.read_csv(io.StringIO('a\\n1'))\npd.read_csv('data/a.csv')\n"
    )
    assert _directed(code) == [(10, "read", "data/a.csv")]


def test_a_bare_file_name_moves_to_the_script_folder_only_where_the_file_is(tmp_path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "c.py").write_text("open('requirements.txt').read()\nopen('notes.txt').read()\n")
    (tmp_path / "src" / "notes.txt").write_text("x\n")
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses

    assert {(str(a.target), a.assumed_cwd) for a in accesses} == {("requirements.txt", ""), ("src/notes.txt", "src")}


def test_a_call_of_the_repository_s_own_module_is_not_a_library_s(tmp_path) -> None:
    (tmp_path / "common.py").write_text("import pandas as pd\ndef to_json(path):\n    return pd.read_csv(path).to_json()\n")
    (tmp_path / "call.py").write_text(
        "import common, sys\nif __name__ == '__main__':\n    common.to_json('data/x.csv')\n"
        # What the call passes without it being known adds nothing to the callee's own access.
        "    common.to_json(sys.stdin.readline(), 'out/y.json')\n"
    )
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses

    # Not a pandas writer of data/x.csv: the read inside common.to_json, of its parameter,
    # which the call makes on what it passes.
    assert {(a.path, a.direction, str(a.target), a.access.api) for a in accesses} == {
        ("common.py", "read", "<dynamic>", "pandas.read_csv"),
        ("call.py", "read", "data/x.csv", "pandas.read_csv in common.to_json"),
    }


def test_paths_come_from_the_keys_of_the_configuration_files_code_loads(tmp_path) -> None:
    for name, text in {
        # Hydra: the config beside the code, a config group its defaults list picks, and
        # OmegaConf interpolations of its own keys.
        "conf/config.yaml": (
            "defaults:\n  - data: mnist\n  - _self_\npaths:\n  root: data\n"
            "out: ${paths.root}/out/${data.name}.csv\nfrom_env: ${oc.env:DATA}/x.csv\n"
        ),
        "conf/data/mnist.yaml": "name: mnist\nfile: data/mnist.npz\n",
        "src/train.py": """\
            import os
            import hydra
            import numpy as np
            import pandas as pd
            from hydra.utils import get_original_cwd, to_absolute_path

            def load(cfg):
                return np.load(to_absolute_path(cfg.data.file))

            @hydra.main(config_path="../conf", config_name="config", version_base=None)
            def main(cfg):
                pd.DataFrame(load(cfg)).to_csv(os.path.join(get_original_cwd(), cfg["out"]))
                pd.read_csv(cfg.from_env)
                pd.read_csv(cfg.data.missing)

            if __name__ == "__main__":
                main()
        """,
        # A YAML or JSON file loaded whole, from the directory the code runs in.
        "params.yaml": "prepare:\n  raw: data/raw.csv\n",
        "settings.json": '{"scores": "data/scores.csv"}',
        "prepare.py": """\
            import json
            import yaml
            import pandas as pd
            from omegaconf import OmegaConf

            if __name__ == "__main__":
                params = yaml.safe_load(open("params.yaml"))
                raw = params["prepare"]["raw"]
                frame = pd.read_csv(raw)
                with open("settings.json") as f:
                    settings = json.load(f)
                frame.to_csv(settings["scores"])
                pd.read_csv(OmegaConf.load("conf/config.yaml").paths.root + "/extra.csv")
                pd.read_csv(params.get("prepare").get("raw"))
        """,
        # Hydra's compose API, in a notebook: the config directory is relative to it.
        "notebooks/eda.ipynb": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": (
                "import pandas as pd\nfrom hydra import compose, initialize\n"
                "with initialize(version_base=None, config_path='../conf'):\n"
                "    cfg = compose(config_name='config')\npd.read_csv(cfg.data.file)"
            )},
        ]}),
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses

    assert sorted((a.path, a.location.line, a.direction, str(a.target)) for a in accesses) == [
        # A notebook runs in its own folder: the path the config gives starts there.
        ("notebooks/eda.ipynb", 5, "read", "notebooks/data/mnist.npz"),
        ("prepare.py", 7, "read", "params.yaml"),
        ("prepare.py", 9, "read", "data/raw.csv"),
        ("prepare.py", 11, "read", "settings.json"),
        ("prepare.py", 12, "write", "data/scores.csv"),
        ("prepare.py", 13, "read", "data/extra.csv"),
        ("prepare.py", 14, "read", "data/raw.csv"),
        ("src/train.py", 8, "read", "data/mnist.npz"),
        ("src/train.py", 12, "write", "data/out/mnist.csv"),
        # An environment variable, and a key the config does not have: not known statically.
        ("src/train.py", 13, "read", "<dynamic>"),
        ("src/train.py", 14, "read", "<dynamic>"),
    ]
