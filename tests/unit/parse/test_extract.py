"""The extractor, one API family at a time: which calls are data accesses, their direction,
and the value of their target as far as one file can tell."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable

import pytest

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file
from mldebt.parse.facts import FileFacts, locate
from mldebt.parse.values import evaluate, unanchor


def facts(code: str, path: str = "pkg/train.py") -> FileFacts:
    return analyze_file(path, textwrap.dedent(code).encode(), "digest", load_catalog(), load_models())


def local(value: list) -> str | None:
    """Evaluate a value that needs nothing from other modules; `__file__` paths repository-relative."""
    text = evaluate(value, lambda module, name: None)
    return None if text is None else unanchor(text)[0]


def accesses(code: str, path: str = "pkg/train.py") -> list[tuple[str, str, str | None]]:
    return [(a.api, a.direction, local(a.value)) for a in facts(code, path).accesses]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import pandas as pd\npd.read_csv('data/a.csv')", [("pandas.read_csv", "read", "data/a.csv")]),
        ("import pandas\npandas.read_parquet(path='data/a.pq')", [("pandas.read_parquet", "read", "data/a.pq")]),
        ("from pandas import read_json as rj\nrj('a.json')", [("pandas.read_json", "read", "a.json")]),
        ("df.to_csv('out/x.csv', index=False)", [("df.to_csv", "write", "out/x.csv")]),
        ("df.to_parquet(path='out/x.pq')", [("df.to_parquet", "write", "out/x.pq")]),
        ("import numpy as np\nnp.save('a.npy', x)\nnp.loadtxt('b.txt')", [("numpy.save", "write", "a.npy"), ("numpy.loadtxt", "read", "b.txt")]),
        # numpy appends the extension the path lacks, also to a path built from constants.
        (
            "import numpy as np\nOUT = 'out'\nnp.save(OUT + '/emb', x)\nnp.savez_compressed('out/arrays', a=x)",
            [("numpy.save", "write", "out/emb.npy"), ("numpy.savez_compressed", "write", "out/arrays.npz")],
        ),
        (
            "import urllib.request\nurllib.request.urlretrieve('https://x.org/d.zip', filename='data/d.zip')",
            [("urllib.request.urlretrieve", "read", "https://x.org/d.zip"), ("urllib.request.urlretrieve", "write", "data/d.zip")],
        ),
        ("arr.tofile('out/raw.bin')", [("arr.tofile", "write", "out/raw.bin")]),
        (
            "from fastai.vision.all import load_learner\nlearn.export('models/export.pkl')\nload_learner('models/export.pkl')",
            [("learn.export", "write", "models/export.pkl"), ("fastai.vision.all.load_learner", "read", "models/export.pkl")],
        ),
        (
            "from tensorflow import keras\nimport lightning.pytorch as pl\n"
            "keras.callbacks.ModelCheckpoint('ckpt/best.keras')\npl.callbacks.ModelCheckpoint(dirpath='checkpoints/')",
            [("tensorflow.keras.callbacks.ModelCheckpoint", "write", "ckpt/best.keras"),
             ("lightning.pytorch.callbacks.ModelCheckpoint", "write", "checkpoints/")],
        ),
        ("import numpy as np\nnp.savetxt('c.txt', x)", [("numpy.savetxt", "write", "c.txt")]),
        (
            "import numpy as np\nnp.memmap('a.bin', dtype='u2', mode='r')\nnp.memmap('b.bin', np.uint8, 'w+')",
            [("numpy.memmap", "read", "a.bin"), ("numpy.memmap", "write", "b.bin")],
        ),
        # memmap's mode is a word, not open()'s letters: "readonly" has an `a` but reads.
        (
            "import numpy as np\nnp.memmap('a.bin', mode='readonly')\nnp.memmap('b.bin', mode='c')\n"
            "np.memmap('c.bin', mode='copyonwrite')\nnp.memmap('d.bin')\nnp.memmap('e.bin', mode='readwrite')\n"
            "np.memmap('f.bin', mode='write')",
            [("numpy.memmap", "read", "a.bin"), ("numpy.memmap", "read", "b.bin"), ("numpy.memmap", "read", "c.bin"),
             ("numpy.memmap", "read", "d.bin"), ("numpy.memmap", "read", "e.bin"), ("numpy.memmap", "write", "f.bin")],
        ),
        ("import joblib\njoblib.dump(m, 'models/m.pkl')\njoblib.load('models/m.pkl')", [("joblib.dump", "write", "models/m.pkl"), ("joblib.load", "read", "models/m.pkl")]),
        ("import torch\ntorch.save(m.state_dict(), 'w.pt')\ntorch.load('w.pt')", [("torch.save", "write", "w.pt"), ("torch.load", "read", "w.pt")]),
        ("import pyarrow.parquet as pq\npq.write_table(t, 'a.pq')\npq.read_table('b.pq')", [("pyarrow.parquet.write_table", "write", "a.pq"), ("pyarrow.parquet.read_table", "read", "b.pq")]),
        ("import polars as pl\npl.scan_parquet('a.pq')\ndf.write_parquet('b.pq')", [("polars.scan_parquet", "read", "a.pq"), ("df.write_parquet", "write", "b.pq")]),
        ("from pathlib import Path\nPath('a.txt').read_text()\nPath('b.bin').write_bytes(b'')", [(".read_text", "read", "a.txt"), (".write_bytes", "write", "b.bin")]),
        ("import pandas as pd\npd.read_clipboard()", []),
        ("import os\nos.path.exists('a.csv')", []),
    ],
)
def test_api_families(code: str, expected: list) -> None:
    assert accesses(code) == expected


def test_open_modes_and_handles() -> None:
    code = """
    import json, pickle, yaml
    with open('cfg.json') as f:
        cfg = json.load(f)
    with open('out.json', 'w') as g:
        json.dump(cfg, g)
    with open('log.txt', mode='a') as h:
        h.write('x')
    params = yaml.safe_load(open('params.yaml'))
    model = pickle.load(open('m.pkl', 'rb'))
    """
    assert accesses(code) == [
        ("json.load", "read", "cfg.json"),
        ("json.dump", "write", "out.json"),
        ("open", "write", "log.txt"),
        ("yaml.safe_load", "read", "params.yaml"),
        ("pickle.load", "read", "m.pkl"),
    ]


def test_pathlib_open_is_a_handle() -> None:
    code = "import json\nfrom pathlib import Path\nwith Path('a.json').open('w') as f:\n    json.dump({}, f)\n"
    assert accesses(code) == [("json.dump", "write", "a.json")]


def test_a_file_opened_inside_the_call_that_reads_it_is_one_access() -> None:
    code = (
        "import json\nimport yaml\nimport pickle\nfrom pathlib import Path\n"
        "json.load(Path('a.json').open())\nyaml.safe_load(Path('b.yaml').read_text())\n"
        "pickle.dump(m, Path('m.pkl').open('wb'))\njson.load(fs.open('s3://b/c.json'))\n"
    )
    assert accesses(code) == [
        ("json.load", "read", "a.json"), (".read_text", "read", "b.yaml"), ("pickle.dump", "write", "m.pkl"),
        ("json.load", "read", "s3://b/c.json"),
    ]


def test_a_literal_list_of_one_path_is_that_path() -> None:
    code = (
        "import pandas as pd\nimport numpy as np\npd.read_csv(['data/a.csv'][0])\n"
        "for p in ['data/b.csv']:\n    pd.read_csv(p)\nfor q in ('data/c.csv',):\n    pd.read_csv(q)\n"
        "np.load(['data/d.npy'])\n"
        "for r in ['data/e.csv', 'data/f.csv']:\n    pd.read_csv(r)\nfor s in [*more]:\n    pd.read_csv(s)\n"
        "pd.read_csv(['data/g.csv', 'data/h.csv'][1])\n"
    )
    assert accesses(code) == [
        ("pandas.read_csv", "read", "data/a.csv"), ("pandas.read_csv", "read", "data/b.csv"),
        ("pandas.read_csv", "read", "data/c.csv"), ("numpy.load", "read", "data/d.npy"),
        # A loop over more elements takes each in turn (see test_data_apis' loops).
        ("pandas.read_csv", "read", "data/e.csv"), ("pandas.read_csv", "read", "data/f.csv"),
        ("pandas.read_csv", "read", None), ("pandas.read_csv", "read", None),
    ]


def test_open_of_a_name_is_no_path_open() -> None:
    """`zf.open("member.csv")` and mkdocs' virtual files take a name where pathlib takes a
    mode: "data.csv" has an `a`, which made it a write of the receiver."""
    code = (
        "import zipfile\nimport mkdocs_gen_files\nfrom pathlib import Path\n"
        "zf = zipfile.ZipFile('data/raw.zip')\nzf.open('data.csv')\nzf.open('member.csv', 'r')\n"
        "mkdocs_gen_files.open('reference/api.md', 'w')\nPath('out/a.txt').open('wb')\nPath('b.txt').open()\n"
    )
    assert accesses(code) == [
        ("zipfile.ZipFile", "read", "data/raw.zip"), (".open", "write", "out/a.txt"), (".open", "read", "b.txt"),
    ]


def test_sql_tables_and_spark() -> None:
    code = """
    import pandas as pd
    pd.read_sql("SELECT a FROM analytics.events JOIN dim.users u ON 1=1", con)
    pd.read_sql_table("raw_orders", con)
    df.to_sql("scores", con)
    spark.read.format("csv").option("header", True).load("s3://bucket/in.csv")
    spark.read.parquet("gs://b/x.parquet")
    df.write.mode("overwrite").parquet("abfs://c@acct.dfs.core.windows.net/out")
    df.write.saveAsTable("db.features")
    spark.table("db.labels")
    cursor.execute(query)
    df.query("a > 1")
    """
    got = accesses(code)
    assert ("pandas.read_sql", "read", "SELECT a FROM analytics.events JOIN dim.users u ON 1=1") in got
    assert ("pandas.read_sql_table", "read", "raw_orders") in got
    assert ("df.to_sql", "write", "scores") in got
    assert (".load", "read", "s3://bucket/in.csv") in got
    assert ("spark.read.parquet", "read", "gs://b/x.parquet") in got
    assert (".parquet", "write", "abfs://c@acct.dfs.core.windows.net/out") in got
    assert ("df.write.saveAsTable", "write", "db.features") in got
    assert ("spark.table", "read", "db.labels") in got
    # `execute(query)` with an unknown query and pandas' `query` are not data accesses.
    assert len(got) == 8


def test_hugging_face() -> None:
    code = """
    from transformers import AutoModel, AutoTokenizer
    from datasets import load_dataset
    tok = AutoTokenizer.from_pretrained("bert-base-uncased")
    model = AutoModel.from_pretrained("./models/finetuned")
    model.save_pretrained("models/out")
    ds = load_dataset("csv", data_files={"train": "data/train.csv", "test": ["data/t1.csv", "data/t2.csv"]})
    imdb = load_dataset("imdb")
    """
    f = facts(code)
    got = [(a.api, a.direction, a.interpret, local(a.value)) for a in f.accesses]
    assert ("AutoTokenizer.from_pretrained", "read", "hub", "bert-base-uncased") in got
    assert ("AutoModel.from_pretrained", "read", "hub", "./models/finetuned") in got
    assert ("model.save_pretrained", "write", "path", "models/out") in got
    for name in ("data/train.csv", "data/t1.csv", "data/t2.csv"):
        assert ("datasets.load_dataset", "read", "path", name) in got
    assert ("datasets.load_dataset", "read", "dataset", "imdb") in got


def test_uris_are_kept_whole() -> None:
    code = "import pandas as pd\nfor u in ['x']:\n    pass\npd.read_csv('https://example.org/a.csv?x=1')\npd.read_parquet('hdfs://nn:8020/p')\n"
    assert [v for _, _, v in accesses(code)] == ["https://example.org/a.csv?x=1", "hdfs://nn:8020/p"]


@pytest.mark.parametrize(
    ("code", "target"),
    [
        ("DATA = 'data'\nread_csv(f'{DATA}/raw.csv')", "data/raw.csv"),
        ("import os\nDATA = 'data'\nread_csv(os.path.join(DATA, 'raw', 'a.csv'))", "data/raw/a.csv"),
        ("from pathlib import Path\nROOT = Path('data')\nread_csv(ROOT / 'raw' / 'a.csv')", "data/raw/a.csv"),
        ("DATA = 'data/'\nread_csv(DATA + 'a' + '.csv')", "data/a.csv"),
        ("class Paths:\n    RAW = 'data/raw.csv'\nread_csv(Paths.RAW)", "data/raw.csv"),
        ("PATHS = {'raw': 'data/raw.csv'}\nread_csv(PATHS['raw'])", "data/raw.csv"),
        ("from pathlib import Path\nHERE = Path(__file__).parent\nread_csv(HERE / 'a.csv')", "pkg/a.csv"),
        ("from pathlib import Path\nROOT = Path(__file__).resolve().parents[1]\nread_csv(ROOT / 'data' / 'a.csv')", "data/a.csv"),
        ("import os\nHERE = os.path.dirname(os.path.abspath(__file__))\nread_csv(os.path.join(HERE, 'a.csv'))", "pkg/a.csv"),
        ("import os\nDATA = os.getenv('DATA_DIR', 'data')\nread_csv(DATA + '/a.csv')", "data/a.csv"),
        ("NAME = 'a'\nread_csv('data/{}.csv'.format(NAME))", "data/a.csv"),
        ("read_csv('data/{{x}}.csv')", "data/{{x}}.csv"),
        ("def f():\n    p = 'data/local.csv'\n    read_csv(p)", "data/local.csv"),
        ("P = 'data/mod.csv'\ndef f():\n    read_csv(P)", "data/mod.csv"),
    ],
)
def test_constant_propagation_within_a_file(code: str, target: str) -> None:
    code = "import pandas as pd\nread_csv = pd.read_csv\n" + code
    code = code.replace("read_csv(", "pd.read_csv(")
    assert [v for _, _, v in accesses(code)] == [target]


@pytest.mark.parametrize(
    "code",
    [
        "def f(path):\n    pd.read_csv(path)",
        "import sys\npd.read_csv(sys.argv[1])",
        "P = 'a.csv'\nP = 'b.csv'\npd.read_csv(P)",
        "import os\npd.read_csv(os.environ['DATA'])",
        "pd.read_csv(f'{x:>10}.csv')",
        "pd.read_csv(get_path())",
    ],
)
def test_unknowable_targets_are_dynamic(code: str) -> None:
    got = accesses("import pandas as pd\n" + code)
    assert [v for _, _, v in got] == [None]


def test_a_chain_of_constants_resolves_up_to_a_depth_and_is_unknown_past_it() -> None:
    """249 constants each built from the one before overflowed the interpreter's stack."""
    chain = "A0 = 'x'\n" + "".join(f"A{n} = A{n - 1} + 'x'\n" for n in range(1, 249))
    assert accesses(f"{chain}open(A248)\nopen(A20)\n") == [("open", "read", None), ("open", "read", "x" * 21)]
    aliases = "B0 = 'x'\n" + "".join(f"B{n} = B{n - 1}\n" for n in range(1, 249))
    assert accesses(f"{aliases}open(B248)\nopen(B20)\n") == [("open", "read", None), ("open", "read", "x")]


@pytest.mark.parametrize(
    "code",
    [
        # Each line doubles the string: forty lines would make a terabyte.
        "A0 = 'x'\n" + "".join(f"A{n} = A{n - 1} + A{n - 1}\n" for n in range(1, 40)) + "open(A39)\n",
        # A million `..` above the path.
        "from pathlib import Path\nopen(Path('a/b').parents[1000000])\n",
    ],
    ids=["doubling-constants", "far-parent"],
)
def test_paths_too_long_to_be_real_are_unknown(code: str) -> None:
    started = time.perf_counter()
    assert accesses(code) == [("open", "read", None)]
    assert time.perf_counter() - started < 1


def test_imported_constants_stay_references() -> None:
    f = facts("from .config import DATA_DIR\nimport settings as s\nimport pandas as pd\npd.read_csv(DATA_DIR + '/a.csv')\npd.read_csv(s.RAW)\n", "pkg/train.py")
    assert [a.value for a in f.accesses] == [
        ["c", [["r", "pkg.config", "DATA_DIR"], ["s", "/a.csv"]]],
        ["r", "settings", "RAW"],
    ]
    assert f.constants["DATA_DIR"] == ["r", "pkg.config", "DATA_DIR"]


def test_models_definitions_and_complexity() -> None:
    code = """
    import torch.nn as nn
    import xgboost as xgb
    import lightgbm as lgb
    from sklearn.ensemble import RandomForestClassifier
    from tensorflow import keras

    class Net(nn.Module):
        def forward(self, x):
            if x is None or x.ndim == 0:
                return x
            for layer in self.layers:
                x = layer(x) if layer else x
            return x

    def train(X, y):
        rf = RandomForestClassifier(n_estimators=100, max_depth=5, n_jobs=-1)
        rf.fit(X, y)
        clf = xgb.XGBClassifier()
        booster = lgb.train(params, data)
        net = Net()
        loss.backward()
        keras.Sequential([])
    """
    f = facts(code)
    kinds = [(m.kind, m.api, m.hyperparameters) for m in f.models]
    assert ("construct", "sklearn.ensemble.RandomForestClassifier", 3) in kinds
    assert ("fit", "fit", 0) in kinds
    assert ("construct", "xgboost.XGBClassifier", 0) in kinds
    assert ("fit", "lightgbm.train", 0) in kinds
    assert ("construct", "Net", 0) in kinds
    assert ("train-loop", "backward", 0) in kinds
    assert ("construct", "tensorflow.keras.Sequential", 0) in kinds
    defs = {d.qualname: d for d in f.definitions}
    assert defs["Net"].bases == ("torch.nn.Module",)
    # 1 + if + `or` + for + conditional expression
    assert defs["Net.forward"].complexity == 5
    assert defs["train"].complexity == 1
    assert defs["Net.forward"].span.line == 9


PARAMETERS = """\
import pandas as pd
DATA = "data"

def load(path, sep=","):
    return pd.read_csv(path, sep=sep)

def save(frame, out="reports/out.csv"):
    frame.to_csv(out)

def twice(p):
    return pd.read_parquet(p)

def unknown(p):
    return pd.read_json(p)

class SpamDataset:
    def __init__(self, csv_file, max_length=None):
        self.data = pd.read_csv(csv_file)

def main(argument):
    frame = load(f"{DATA}/raw.csv")
    save(frame)
    twice("a.parquet")
    twice("b.parquet")
    unknown("a.json")
    unknown(argument)
    SpamDataset(csv_file="train.csv")
    SpamDataset("test.csv", max_length=3)
"""


def test_the_parameters_of_a_script_take_what_its_calls_pass() -> None:
    script = PARAMETERS + "\nif __name__ == '__main__':\n    main(input())\n"
    # One caller passes a path; a default stands when no caller passes one; two callers
    # passing two literals read each in turn; one unknown argument leaves the parameter
    # unknown. A class's constructor takes its calls' arguments, after `self`.
    assert [(api, local_value) for api, _, local_value in accesses(script)] == [
        ("pandas.read_csv", "data/raw.csv"), ("frame.to_csv", "reports/out.csv"),
        ("pandas.read_parquet", "a.parquet"), ("pandas.read_parquet", "b.parquet"), ("pandas.read_json", None),
        ("pandas.read_csv", "train.csv"), ("pandas.read_csv", "test.csv"),
    ]
    # A library module's callers are elsewhere: nothing is bound.
    assert [local_value for _, _, local_value in accesses(PARAMETERS)] == [None] * 5


def test_the_tables_a_database_schema_defines() -> None:
    code = """
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.orm import declarative_base
    Base = declarative_base()

    class Run(Base):
        __tablename__ = "runs"
        __table_args__ = (sa.UniqueConstraint("a"), {"schema": "meta"})

    class Mixin:
        id = 1

    class Model(Base, Mixin):
        __tablename__ = "models"

    events = sa.Table("events", Base.metadata, schema="raw")

    def upgrade():
        op.create_table("scores", sa.Column("id", sa.Integer))
    """
    assert facts(code).tables == (("meta.runs", 7), ("models", 14), ("raw.events", 17), ("scores", 20))


def test_accesses_on_parameters_are_forwarded_and_calls_of_imported_names_kept() -> None:
    library = facts("""
    import pandas as pd
    def load(path, *, sep=","):
        return pd.read_csv(path, sep=sep)
    def rebound(path):
        path = path + ".csv"
        return pd.read_csv(path)
    class Frames:
        def __init__(self, csv_file):
            self.data = pd.read_csv(csv_file)
    """)
    assert [(f.function, f.parameter, f.position, f.api, f.direction) for f in library.forwards] == [
        ("load", "path", 0, "pandas.read_csv", "read"), ("Frames", "csv_file", 0, "pandas.read_csv", "read"),
    ]
    caller = facts("""
    import logging
    from lib import load
    load("data/a.csv", sep=";")
    logging.info("Done, %s rows", 3)
    """)
    assert [(c.callee, c.arguments) for c in caller.calls] == [
        ("lib.load", (("0", ["s", "data/a.csv"]), ("sep", ["s", ";"]))),
    ]


def test_fastai_fit_methods_train() -> None:
    uses = facts("learn = tabular_learner(dls)\nlearn.fit_one_cycle(5)\nlearn.fine_tune(2)\n").models
    assert [(m.kind, m.api) for m in uses] == [("fit", "fit_one_cycle"), ("fit", "fine_tune")]


def test_backward_on_an_expression_is_a_training_loop() -> None:
    # Mixed precision: the loss is scaled before backward (nanoGPT, most AMP loops).
    uses = facts("for batch in loader:\n    scaler.scale(loss_fn(batch)).backward()\n").models
    assert [(m.kind, m.api, m.scope) for m in uses] == [("train-loop", "backward", "")]


def test_pipelines_and_entry_points() -> None:
    code = """
    from kedro.pipeline import node, pipeline
    from airflow import DAG
    from .nodes import clean

    def create_pipeline():
        return pipeline([node(clean, inputs="raw", outputs=["clean", "stats"], name="clean_node")])

    with DAG("daily_scoring") as dag:
        pass

    if __name__ == "__main__":
        create_pipeline()
    """
    f = facts(code, "src/proj/pipelines/cleaning/pipeline.py")
    pipes = {(p.kind, p.name) for p in f.pipelines}
    assert ("kedro-node", "clean_node") in pipes
    assert ("kedro-pipeline", "create_pipeline") in pipes
    assert ("airflow-dag", "daily_scoring") in pipes
    node_def = next(p for p in f.pipelines if p.kind == "kedro-node")
    assert node_def.inputs == ("raw",) and node_def.outputs == ("clean", "stats")
    assert node_def.function == "src.proj.pipelines.cleaning.nodes.clean"
    assert f.has_main


def test_positions_are_character_columns_and_spans() -> None:
    code = "import pandas as pd\nx = 'é'; pd.read_csv(\n    'a.csv',\n)\n"
    (access,) = facts(code).accesses
    assert (access.span.line, access.span.column, access.span.end_line, access.span.end_column) == (2, 10, 4, 2)


def test_suppressions() -> None:
    f = facts("x = 1  # mldebt: ignore[MLD101, mld102] legacy data\ny = 2  # mldebt: ignore\n")
    assert [(s.line, s.codes, s.reason) for s in f.suppressions] == [
        (1, ("MLD101", "MLD102"), "legacy data"),
        (2, (), ""),
    ]


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"x = 1\ndef f(:\n", "MLD001", 2),
        (b"# -*- coding: utf-8 -*-\nx = 'caf\xe9'\n", "MLD002", 2),
        (b"# -*- coding: no-such-codec -*-\n", "MLD002", 1),
        # Codecs that exist but do not decode bytes to text, or refuse everything.
        (b"# coding: rot13\nk = 1\n", "MLD002", 1),
        (b"#!/usr/bin/env python\n# -*- coding: zlib -*-\n", "MLD002", 1),
        (b"# coding: undefined\nk = 1\n", "MLD002", 1),
        (b"# coding: utf-16\nk = 1\n", "MLD002", 2),
        (b"(" * 5000 + b")" * 5000 + b"\n", None, None),
        # Nesting deep enough to crash libcst's native parser (SIGSEGV), then a syntax error.
        (b"y = " + b"not " * 9000 + b"1\nprint 'x'\n", "MLD005", 1),
        (b"y = " + b'f"{' * 1200 + b"1" + b'}"' * 1200 + b"\nprint 'x'\n", "MLD005", 1),
        # CPython compiles no source with a NUL byte, even in a comment; libcst parses one.
        (b"x = 1\ny = 'a\x00b'\n", "MLD001", 2),
        (b"x = 1  # \x00\n", "MLD001", 1),
    ],
)
def test_bad_input_becomes_a_problem(data: bytes, code: str | None, line: int | None) -> None:
    f = analyze_file("a.py", data, "d", load_catalog(), load_models())
    if code is None:
        assert all(p.code in ("MLD001", "MLD005") for p in f.problems)
        return
    assert [(p.code, p.span.line) for p in f.problems] == [(code, line)]


@pytest.mark.parametrize(
    "literal",
    ["'\\N{NO SUCH NAME}'", "b'caf\u00e9'", "'\\x4'", "Path('a').parents[" + "9" * 5000 + "]"],
)
def test_literals_cpython_refuses_in_a_file_libcst_parses(literal: str) -> None:
    """CPython rejects the file for its literal, libcst parses it (as it would syntax newer
    than this Python), and the literal does not evaluate."""
    code = f"import pandas as pd\nfrom pathlib import Path\nv = {literal}\npd.read_csv(v)\npd.read_csv('a.csv')\n"
    assert accesses(code) == [("pandas.read_csv", "read", None), ("pandas.read_csv", "read", "a.csv")]


def test_a_quadratic_codec_is_refused_before_decoding() -> None:
    """Punycode decodes in quadratic time: 200 KiB of it would take seconds, 4 MiB minutes."""
    data = b"# coding: punycode\n" + ("\u00e9" * 200_000).encode("punycode")
    started = time.perf_counter()
    f = analyze_file("a.py", data, "d", load_catalog(), load_models())
    assert time.perf_counter() - started < 1
    assert [(p.code, p.message) for p in f.problems] == [
        ("MLD002", "bad encoding declaration: punycode is not a source encoding")
    ]


def test_a_syntax_error_costs_about_what_a_valid_file_costs() -> None:
    """The fallback parse of a file CPython rejects runs in this process, once."""
    body = "import pandas as pd\n\ndef load(path):\n    return pd.read_csv(path)\n\n" * 40
    valid, broken = (f"{body}print({'x'!r})\n".encode(), f"{body}print {'x'!r}\n".encode())
    catalog, models = load_catalog(), load_models()

    def seconds(data: bytes) -> float:
        started = time.perf_counter()
        for number in range(20):
            analyze_file(f"m{number}.py", data, "d", catalog, models)
        return time.perf_counter() - started

    seconds(valid)
    assert [p.code for p in analyze_file("m.py", broken, "d", catalog, models).problems] == ["MLD001"]
    assert seconds(broken) < 3 * seconds(valid)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("def f(:\n    pass\n", "MLD001"),
        ("x = 'a\x00b'\n", "MLD001"),
        # CPython accepts it; libcst refuses, at the line after the cell.
        ("x = " + "'a' " * 10_000 + "\n", "MLD001"),
        ("x = " + "(" * 300 + ")" * 300 + "\n", "MLD005"),
        ("x = " + "not " * 1500 + "1\n", "MLD005"),
    ],
    ids=["syntax-error", "nul", "libcst-only", "deep-brackets", "deep-nots"],
)
def test_a_broken_cell_costs_only_that_cell(notebook: Callable[..., bytes], cell: str, code: str) -> None:
    reads = [f"import pandas as pd\npd.read_csv('data/{n}.csv')\n" for n in "abc"]
    f = analyze_file("nb.ipynb", notebook(reads[0], cell, reads[1], reads[2]), "d", load_catalog(), load_models())
    assert [local(a.value) for a in f.accesses] == ["data/a.csv", "data/b.csv", "data/c.csv"]
    assert [(p.code, locate(f, p.span).cell) for p in f.problems] == [(code, 2)]


def test_a_broken_cell_costs_about_what_a_valid_cell_costs(notebook: Callable[..., bytes]) -> None:
    cell = "import pandas as pd\n\ndef load(path):\n    return pd.read_csv(path)\n\n" * 5
    valid = notebook(*[cell + "print('x')\n"] * 20)
    broken = notebook(*[cell + "print 'x'\n"] * 20)
    catalog, models = load_catalog(), load_models()

    def seconds(data: bytes) -> float:
        started = time.perf_counter()
        analyze_file("nb.ipynb", data, "d", catalog, models)
        return time.perf_counter() - started

    seconds(valid)
    assert [p.code for p in analyze_file("nb.ipynb", broken, "d", catalog, models).problems] == ["MLD001"] * 20
    assert seconds(broken) < 4 * seconds(valid)


def _functions(size: int) -> bytes:
    return ("".join(f"def f{n}(a):\n    pass\n" for n in range(size)) + "".join(f"h{n}(1)\n" for n in range(size))).encode()


def _parameters(size: int) -> bytes:
    return ("def f(" + ", ".join(f"a{n}" for n in range(size)) + "):\n    pass\nf(1)\n").encode()


@pytest.mark.parametrize(
    ("module", "size"),
    [
        # Whether a module runs its own functions was a set of every call rebuilt per function:
        # 3,000 functions took six times ten modules of 300, 20,000 took 65 s.
        (_functions, 3_000),
        # Each parameter was looked up in the list of all of them.
        (_parameters, 10_000),
    ],
    ids=["functions", "parameters"],
)
def test_one_big_module_costs_what_its_size_in_small_modules_does(module: Callable[[int], bytes], size: int) -> None:
    catalog, models = load_catalog(), load_models()

    def seconds(files: list[bytes]) -> float:
        started = time.perf_counter()
        for number, data in enumerate(files):
            analyze_file(f"m{number}.py", data, "d", catalog, models)
        return time.perf_counter() - started

    assert seconds([module(size)]) < 3 * seconds([module(size // 10)] * 10)


def test_facts_round_trip_through_json() -> None:
    f = facts("import pandas as pd\nclass A:\n    X = 'a.csv'\npd.read_csv(A.X)  # mldebt: ignore[MLD101]\n")
    assert FileFacts.from_json(f.to_json()) == f


def test_suppression_text_inside_strings_suppresses_nothing() -> None:
    code = 'DOC = """\nUse `# mldebt: ignore[MLD101]` to suppress.\n"""\nx = 1  # mldebt: ignore[MLD102] real\n'
    assert [(s.line, s.codes) for s in facts(code).suppressions] == [(4, ("MLD102",))]
