"""An API the column catalog does not know never makes a frame's set exact: whatever known
steps come before it, and whatever steps after it that do not name the frame's columns anew."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file

# Steps the catalog knows, any of them: selections may make the set exact.
_KNOWN = [
    "df = df[['a', 'b', 'c']]",
    "df = df.drop(columns=['a'])",
    "df = df.rename(columns={'b': 'd'})",
    "df['e'] = df['c'] * 2",
    "df = df.fillna(0)",
    "df = df[df['c'] > 1]",
    "df = df.sort_values('c')",
    "df = df.assign(f=1)",
    "df = df.merge(other, on='a')",
    "df = pd.concat([df, other])",
    "df = df.select('a', 'c')",
]
# Steps after the unknown one: they add, drop, rename or keep columns, never name them all.
_KEEPING = [step for step in _KNOWN if not step.startswith(("df = df[['", "df = df.select("))]
# Calls nobody catalogued, as methods, functions, attributes and chains.
_UNKNOWN = [
    "df = df.frobnicate()",
    "df = transmogrify(df)",
    "df = df.pipe(clean)",
    "df = np.asarray(df)",
    "df = df.T",
    "df = df.apply(f, axis=1).dropna()",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_KNOWN), max_size=4),
    st.sampled_from(_UNKNOWN),
    st.lists(st.sampled_from(_KEEPING), max_size=4),
    st.booleans(),
)
def test_an_unknown_api_never_makes_a_set_exact(before: list[str], unknown: str, after: list[str], branch: bool) -> None:
    steps = [*before, unknown, *after]
    if branch:
        # In one branch only: where the branches join, the set is no more exact than either.
        steps = [*before, "if flag:", f"    {unknown}", *after]
    code = "\n".join([
        "import numpy as np",
        "import pandas as pd",
        "from sklearn.linear_model import LogisticRegression",
        "df = pd.read_csv('data/train.csv')",
        "other = pd.read_csv('data/other.csv', usecols=['a', 'g'])",
        *steps,
        "LogisticRegression().fit(df, y)",
    ])
    file = analyze_file("train.py", code.encode(), "digest", load_catalog(), load_models())
    (fit,) = file.model_inputs
    assert not fit.features.columns.is_exact, code
