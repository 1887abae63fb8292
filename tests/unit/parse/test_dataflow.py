"""Column dataflow: the columns of each frame on the file's walk, and what reaches each model."""

from __future__ import annotations

import json
import textwrap

import pytest

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.lineage.columnset import EMPTY, MAYBE, UNKNOWN, ColumnSet
from mldebt.parse.analyze import analyze_file
from mldebt.parse.facts import FileFacts, ModelInput

HEADER = "import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\n"
# The read on line 3 of every example: `df = pd.read_csv(...)`, whose call starts at column 6.
READ = "df = pd.read_csv('data/train.csv')\n"
SOURCE = "3:6"


def analyzed(code: str, path: str = "pkg/train.py") -> FileFacts:
    source = HEADER + READ + textwrap.dedent(code)
    return analyze_file(path, source.encode(), "digest", load_catalog(), load_models())


def fits(code: str) -> tuple[ModelInput, ...]:
    return analyzed(code).model_inputs


def only_fit(code: str) -> ModelInput:
    (found,) = fits(code)
    return found


def features(code: str) -> ColumnSet:
    return only_fit(code).features.columns


def test_a_selection_by_a_constant_is_exact_and_the_label_apart() -> None:
    fit = only_fit(
        """
        FEATURES = ["age", "income"]
        TARGET = "churned"
        model = RandomForestClassifier()
        model.fit(df[FEATURES], df[TARGET])
        """
    )
    assert fit.features.columns == ColumnSet.exact(["age", "income"])
    assert fit.features.columns.is_exact
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["churned"])
    assert fit.features.sources == fit.label.sources == (SOURCE,)
    assert fit.features.indirect == EMPTY
    # The fit is linked to the estimator's construction, on the line above it.
    assert fit.model is not None and fit.model.line == fit.span.line - 1
    assert fit.api == "fit"


def test_a_drop_then_fit_is_all_of_the_source_but_the_dropped() -> None:
    found = features(
        """
        X = df.drop(columns=["id", "churned"])
        RandomForestClassifier().fit(X, df["churned"])
        """
    )
    assert found == ColumnSet.from_source(SOURCE).drop(["id", "churned"])
    assert not found.is_exact


def test_a_list_imported_from_another_module_is_a_reference() -> None:
    code = "from .features import FEATURES\nimport config\nRandomForestClassifier().fit(df[FEATURES + config.EXTRA], df['y'])\n"
    assert features(code) == ColumnSet.exact([], ["pkg.features.FEATURES", "config.EXTRA"])


def test_an_api_the_catalog_does_not_know_makes_the_set_unknown() -> None:
    fit = only_fit("X = df[['a', 'b']].frobnicate()\nRandomForestClassifier().fit(X, df['y'])\n")
    assert fit.features.columns == UNKNOWN
    # Where the data came from is still known.
    assert fit.features.sources == (SOURCE,)


def test_rebinding_creating_and_renaming() -> None:
    found = features(
        """
        df = df[["a", "b"]]
        df["ratio"] = df["a"] / df["b"]
        df = df.rename(columns={"b": "c"})
        df.drop(columns=["a"], inplace=True)
        RandomForestClassifier().fit(df, df['c'])
        """
    )
    assert found == ColumnSet.exact(["c", "ratio"])


def test_branches_join() -> None:
    found = features(
        """
        if wide:
            X = df[["a", "b"]]
        else:
            X = df[["a"]]
        RandomForestClassifier().fit(X, df['y'])
        """
    )
    assert found.status("a") == "present"
    assert found.status("b") == MAYBE
    assert not found.is_exact


def test_a_loop_may_not_run() -> None:
    found = features(
        """
        X = df[["a", "b"]]
        for name in drop:
            X = X.drop(columns=[name])
        RandomForestClassifier().fit(X, df['y'])
        """
    )
    assert not found.is_exact and found.status("a") == MAYBE


def test_filters_sorts_and_join_keys_are_indirect() -> None:
    fit = only_fit(
        """
        other = pd.read_parquet("data/extra.parquet", columns=["id", "score"])
        df = df[df["age"] > 18].sort_values("signup").merge(other, on="id")
        RandomForestClassifier().fit(df[["score", "age"]], df["y"])
        """
    )
    assert fit.features.columns == ColumnSet.exact(["age", "score"])
    assert fit.features.indirect == ColumnSet.exact(["age", "id", "signup"])
    assert fit.features.sources == (SOURCE, "5:9")


def test_a_string_filter_expression_is_not_a_column() -> None:
    fit = only_fit("X = df.query('age > 30')[['a']]\nRandomForestClassifier().fit(X, df['y'])\n")
    assert fit.features.columns == ColumnSet.exact(["a"])
    assert not fit.features.indirect.is_exact


def test_usecols_is_exact() -> None:
    code = "raw = pd.read_csv('x.csv', usecols=['a', 'b'])\nRandomForestClassifier().fit(raw, df['y'])\n"
    assert features(code) == ColumnSet.exact(["a", "b"])


def test_xgboost_train_on_a_dmatrix() -> None:
    fit = only_fit(
        """
        import xgboost as xgb
        dtrain = xgb.DMatrix(df[["a", "b"]], label=df["y"])
        booster = xgb.train({"eta": 0.1}, dtrain)
        """
    )
    assert fit.api == "xgboost.train"
    assert fit.features.columns == ColumnSet.exact(["a", "b"])
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["y"])
    # The booster is the model: the train call builds it.
    assert fit.model == fit.span


def test_lightgbm_dataset_and_keras_keywords() -> None:
    found = fits(
        """
        import lightgbm as lgb
        lgb.train({}, lgb.Dataset(df[["a"]], df["y"]))
        net.fit(x=df[["b"]], y=df["y"], epochs=3)
        """
    )
    assert [(f.api, f.features.columns, f.label.columns if f.label else None) for f in found] == [
        ("lightgbm.train", ColumnSet.exact(["a"]), ColumnSet.exact(["y"])),
        ("fit", ColumnSet.exact(["b"]), ColumnSet.exact(["y"])),
    ]
    # A network nobody saw built: no model to link.
    assert found[1].model is None


def test_a_column_transformer_decides_the_features_of_its_pipeline() -> None:
    found = fits(
        """
        from sklearn.compose import ColumnTransformer
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler
        pre = ColumnTransformer([("num", StandardScaler(), ["age"]), ("cat", OneHotEncoder(), ["city"]), ("x", "drop", ["id"])])
        pipe = Pipeline([("pre", pre), ("model", RandomForestClassifier())])
        pipe.fit(df, df["y"])
        wide = ColumnTransformer([("num", StandardScaler(), ["age"])], remainder="passthrough")
        wide.fit_transform(df)
        """
    )
    assert [f.features.columns for f in found] == [
        ColumnSet.exact(["age", "city"]),
        ColumnSet.from_source(SOURCE),
    ]
    assert found[1].label is None


def test_a_scaled_frame_keeps_its_columns_into_the_model() -> None:
    found = fits(
        """
        from sklearn.preprocessing import StandardScaler
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(df[["a", "b"]], df["y"], test_size=0.2)
        scaler = StandardScaler()
        X_scaled = scaler.fit_transform(X_train)
        RandomForestClassifier().fit(X_scaled, y_train)
        """
    )
    assert [(f.features.columns, f.label.columns if f.label else None) for f in found] == [
        (ColumnSet.exact(["a", "b"]), None),
        (ColumnSet.exact(["a", "b"]), ColumnSet.exact(["y"])),
    ]


def test_functions_have_their_own_frames_and_say_what_they_return() -> None:
    found = fits(
        """
        def load():
            return pd.read_csv("data/other.csv", usecols=["a", "y"])

        def train(df):
            RandomForestClassifier().fit(df[["a"]], df["y"])
            data = load()
            RandomForestClassifier().fit(data.drop(columns=["y"]), data["y"])
        """
    )
    # The parameter hides the module's frame: where its data came from is unknown here.
    assert found[0].features.sources == ()
    assert found[1].features.columns == ColumnSet.exact(["a"])
    assert found[1].features.sources == ("6:12",)


def test_grouping_and_aggregating() -> None:
    found = features(
        """
        per_user = df.groupby("user").agg(total=("amount", "sum")).reset_index()
        RandomForestClassifier().fit(per_user, per_user["total"])
        """
    )
    assert found == ColumnSet.exact(["total", "user"])


def test_list_mutations_follow_the_list() -> None:
    found = features(
        """
        cols = ["a"]
        cols.append("b")
        cols += ["c"]
        RandomForestClassifier().fit(df[cols], df["y"])
        """
    )
    assert found == ColumnSet.exact(["a", "b", "c"])


def test_a_popped_label() -> None:
    fit = only_fit("y = df.pop('churned')\nRandomForestClassifier().fit(df, y)\n")
    assert fit.features.columns == ColumnSet.from_source(SOURCE).drop(["churned"])
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["churned"])


@pytest.mark.parametrize(
    "code",
    [
        "X = df[df.columns[:-1]]\nRandomForestClassifier().fit(X, df['y'])\n",
        "X = df[names]\nRandomForestClassifier().fit(X, df['y'])\n",
        "X = df.iloc[:, 1:]\nRandomForestClassifier().fit(X, df['y'])\n",
        "X = df[['a']].rename(columns=mapping)\nRandomForestClassifier().fit(X, df['y'])\n",
        "X = pd.get_dummies(df[['a']])\nRandomForestClassifier().fit(X, df['y'])\n",
    ],
    ids=["computed", "unknown-name", "by-position", "unknown-rename", "unknown-function"],
)
def test_what_the_code_does_not_say_is_never_exact(code: str) -> None:
    assert not features(code).is_exact


def test_module_column_lists_are_kept_for_other_modules() -> None:
    file = analyzed("from base import COMMON\nNUMERIC = ['a', 'b']\nALL = NUMERIC + COMMON\nLATER = ['x']\nLATER = ['y']\n")
    assert file.column_lists == {
        "NUMERIC": ColumnSet.exact(["a", "b"]),
        "ALL": ColumnSet.exact(["a", "b"], ["base.COMMON"]),
    }


def test_the_facts_round_trip_through_json() -> None:
    file = analyzed("FEATURES = ['a']\nxs = df.drop(columns=['id'])\nRandomForestClassifier().fit(xs, df['y'])\nm.fit(df[FEATURES])\n")
    assert len(file.model_inputs) == 2
    assert FileFacts.from_json(json.loads(json.dumps(file.to_json()))) == file


def test_a_condition_on_attribute_columns_and_a_dict_vectorizer() -> None:
    *_, fit = fits(
        """
        import pyarrow.parquet as pq
        from sklearn.feature_extraction import DictVectorizer
        trips = pq.read_table("data/trips.parquet").to_pandas()
        trips = trips[(trips.duration >= 1) & (trips.duration <= 60)]
        dv = DictVectorizer()
        X = dv.fit_transform(trips[["PU_DO", "trip_distance"]].to_dict(orient="records"))
        RandomForestClassifier().fit(X, trips["duration"].values)
        """
    )
    assert fit.features.columns == ColumnSet.exact(["PU_DO", "trip_distance"])
    assert fit.features.indirect == ColumnSet.exact(["duration"])
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["duration"])
    assert fit.features.sources == ("7:9",)


def test_the_frames_a_function_is_given_reach_the_fits_in_it() -> None:
    *_, fit = fits(
        """
        def read(path):
            trips = pd.read_parquet(path)
            return trips[trips.duration > 1]

        def split(frame):
            return frame[["a", "b"]], frame["y"]

        def train(X, y):
            model = RandomForestClassifier()
            model.fit(X, y)

        def main():
            X, y = split(read("data/trips.parquet"))
            train(X, y)

        main()
        """
    )
    assert fit.features.columns == ColumnSet.exact(["a", "b"])
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["y"])
    # The read in `read`, on line 6, through three calls.
    assert fit.features.sources == fit.label.sources == ("6:13",)
    assert fit.features.indirect == ColumnSet.exact(["duration"])


def test_a_filter_before_the_call_decides_the_rows_of_the_fit_inside() -> None:
    *_, fit = fits(
        """
        def train(frame):
            RandomForestClassifier().fit(frame[["a"]], frame["y"])

        train(df[df["year"] > 2020])
        """
    )
    assert fit.features.indirect == ColumnSet.exact(["year"])
    assert fit.features.sources == (SOURCE,)


def test_an_attribute_column_is_the_label() -> None:
    fit = only_fit("RandomForestClassifier().fit(df[['a']], df.duration.values)\n")
    assert fit.label is not None and fit.label.columns == ColumnSet.exact(["duration"])
    assert fit.label.sources == (SOURCE,)


def test_a_parameters_attribute_is_no_column() -> None:
    (fit,) = fits("def train(data):\n    RandomForestClassifier().fit(data.X_train, data.y_train)\n")
    assert not fit.features.columns.is_exact
    assert fit.label is not None and not fit.label.columns.is_exact


def test_pyspark_and_polars_counterparts() -> None:
    spark_fit, polars_fit = fits(
        """
        import polars as pl
        from pyspark.sql import functions as F
        events = spark.read.parquet("data/events.parquet").withColumn("x2", F.col("x") * 2)
        events = events.withColumnRenamed("y", "label").filter(F.col("age") > 18)
        frame = pl.read_csv("data/a.csv").select(pl.col("a"), pl.col("b").alias("c")).with_columns(d=pl.lit(1))
        model.fit(events.select("x2"), events.select("label"))
        model.fit(frame, frame["c"])
        """
    )
    assert spark_fit.features.columns == ColumnSet.exact(["x2"])
    assert spark_fit.features.indirect == ColumnSet.exact(["age"])
    assert spark_fit.label is not None and spark_fit.label.columns == ColumnSet.exact(["label"])
    assert spark_fit.features.sources == ("7:10",)
    assert polars_fit.features.columns == ColumnSet.exact(["a", "c", "d"])


def test_what_a_method_nobody_catalogued_is_given_is_among_its_sources() -> None:
    fit = only_fit(
        """
        other = pd.read_csv("data/other.csv")
        both = df.combine_first(other)
        kept = both[both["id"].isin(ids)]
        RandomForestClassifier().fit(kept.drop(columns=["y"]), kept["y"])
        """
    )
    assert fit.features.columns == UNKNOWN.drop(["y"])
    assert fit.features.sources == (SOURCE, "5:9")
    assert fit.features.indirect == ColumnSet.exact(["id"])


@pytest.mark.parametrize("code, trains", [
    ("model.fit(X, y)\n", True),
    ("import xgboost as xgb\nbooster = xgb.train(params, dtrain)\n", True),
    ("from lightgbm import train as fit_booster\n", True),
    ("profit = fitness + trained\n", False),
    ("def fitting(): return 'cv_scores'\n", False),
])
def test_a_source_may_train_only_where_a_training_api_is_named(code: str, trains: bool) -> None:
    assert load_catalog().columns.may_train(code) is trains


def test_a_module_that_trains_nothing_keeps_its_column_lists_and_skips_its_functions() -> None:
    code = (
        "from base import COMMON\nNUMERIC = ['a', 'b']\nALL = NUMERIC + COMMON + ['c']\n"
        "def add():\n    NUMERIC = ['z']\n    frame = df[NUMERIC]\n    return frame\n"
        "class Config:\n    IDS = ['id']\n"
    )
    path = "pkg/features.py"
    file = analyze_file(path, code.encode(), "digest", load_catalog(), load_models())
    assert file.column_lists == {
        "NUMERIC": ColumnSet.exact(["a", "b"]),
        "ALL": ColumnSet.exact(["a", "b", "c"], ["base.COMMON"]),
    }
    # The same module with a fit in it: the whole walk, the same lists.
    fitted = analyze_file(path, (code + "m.fit(df[ALL])\n").encode(), "digest", load_catalog(), load_models())
    assert fitted.column_lists == file.column_lists
    assert len(fitted.model_inputs) == 1
