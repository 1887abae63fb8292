"""Columns: the input features a file names, where feature lineage will start."""

from __future__ import annotations

import textwrap

import pytest

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file


def columns(code: str) -> list[tuple[str, str]]:
    file = analyze_file("pkg/train.py", textwrap.dedent(code).encode(), "digest", load_catalog(), load_models())
    return [(c.name, c.via) for c in file.columns]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # A list of names in a subscript: only a data frame is indexed by a list.
        ("X = df[['age', 'income']]", [("age", "subscript"), ("income", "subscript")]),
        ("X = df.loc[:, ('age',)]", [("age", "subscript")]),
        # A list under a feature-like name, and the same list used later.
        (
            "NUMERIC_FEATURES = ['age']\ncat_cols = ('city',)\nX = df[NUMERIC_FEATURES + cat_cols]",
            [("age", "list:NUMERIC_FEATURES"), ("city", "list:cat_cols"), ("age", "subscript"), ("city", "subscript")],
        ),
        # One string on a frame that pandas read; not on a dict.
        (
            "import json\nimport pandas as pd\ndf = pd.read_csv('a.csv')\nconfig = json.load(open('c.json'))\n"
            "y = df['churned']\nlr = config['lr']",
            [("churned", "subscript")],
        ),
        # Keywords that name columns, a single string included.
        ("import pandas as pd\npd.read_csv('a.csv', usecols=['a', 'b'])", [("a", "keyword:usecols"), ("b", "keyword:usecols")]),
        ("import lightgbm as lgb\nlgb.Dataset(X, categorical_feature='city')", [("city", "keyword:categorical_feature")]),
        # Dropped columns are recorded, and told apart.
        ("X = df.drop(columns=['id', 'y'])", [("id", "drop:columns"), ("y", "drop:columns")]),
        # ColumnTransformer's column lists, by literal or by name.
        (
            "from sklearn.compose import ColumnTransformer, make_column_transformer\n"
            "NUM = ['age']\n"
            "ColumnTransformer([('num', StandardScaler(), NUM), ('cat', OneHotEncoder(), ['city'])])\n"
            "make_column_transformer((StandardScaler(), ['balance']))",
            [("age", "transformer:ColumnTransformer"), ("city", "transformer:ColumnTransformer"),
             ("balance", "transformer:make_column_transformer")],
        ),
    ],
    ids=["list-subscript", "loc-tuple", "named-lists", "frame-string", "usecols", "lightgbm", "drop", "column-transformer"],
)
def test_columns_the_code_names(code: str, expected: list[tuple[str, str]]) -> None:
    assert columns(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "settings = {'a': 1}\nsettings['a']",  # a dict's key is not a column
        "names = ['alice', 'bob']\nprint(names)",  # a list of strings under another name
        "df[[name for name in cols]]",  # not a literal
        "x = ['a', 1]\ndf[x]",  # not only strings
    ],
)
def test_not_columns(code: str) -> None:
    assert columns(code) == []


def test_a_column_named_twice_in_one_scope_is_one_fact() -> None:
    assert columns("def f(df):\n    a = df[['age']]\n    b = df[['age']]\n") == [("age", "subscript")]
