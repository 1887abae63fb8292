"""The orchestrators' pipelines: Prefect flows, Dagster jobs and Definitions of assets, ZenML
pipelines and Metaflow flows are pipelines, as Airflow DAGs are; their tasks, ops, assets and
steps are parts of them."""

from __future__ import annotations

import textwrap

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.graph import build_graph
from mldebt.parse.analyze import analyze_file

FILES = {
    "flows/etl.py": """
        import pandas as pd
        from prefect import flow, task

        @task
        def extract():
            return pd.read_csv("data/raw.csv")

        @task(retries=2)
        def load(df):
            df.to_parquet("data/clean.parquet")

        @flow(name="daily-etl")
        def etl():
            load(extract())

        @flow
        def backfill():
            load(extract())

        if __name__ == "__main__":
            etl()
    """,
    "assets.py": """
        import dagster
        from dagster import asset, op, job

        @asset
        def raw():
            return 1

        @op
        def clean():
            return 2

        @dagster.job(name="nightly")
        def build():
            clean()

        defs = dagster.Definitions(jobs=[build])
    """,
    "orders/assets.py": """
        import pandas as pd
        from dagster import asset, multi_asset

        @asset
        def raw_orders():
            return pd.read_csv("data/orders.csv")

        @multi_asset(outs={})
        def split(raw_orders):
            raw_orders.to_parquet("data/train.parquet")
    """,
    "orders/definitions.py": """
        from dagster import Definitions, load_assets_from_modules
        from orders import assets

        defs = Definitions(assets=load_assets_from_modules([assets]))
    """,
    "zen.py": """
        from zenml import pipeline, step
        from zenml.steps import step as old_step

        @step
        def trainer():
            pass

        @old_step
        def evaluator():
            pass

        @pipeline
        def training():
            trainer()
    """,
    "train_flow.py": """
        from metaflow import FlowSpec, step

        class TrainFlow(FlowSpec):
            @step
            def start(self):
                self.next(self.end)

            @step
            def end(self):
                pass

        if __name__ == "__main__":
            TrainFlow()
    """,
}


def _facts() -> dict:
    return {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in FILES.items()
    }


def test_each_framework_declares_its_flows_and_their_steps() -> None:
    facts = _facts()
    assert {path: [(d.kind, d.name, d.function, d.span.line) for d in file.pipelines] for path, file in facts.items()} == {
        "flows/etl.py": [
            ("prefect-task", "extract", "extract", 6), ("prefect-task", "load", "load", 10),
            ("prefect-flow", "daily-etl", "etl", 14), ("prefect-flow", "backfill", "backfill", 18),
        ],
        "assets.py": [("dagster-asset", "raw", "raw", 6), ("dagster-op", "clean", "clean", 10), ("dagster-job", "nightly", "build", 14)],
        "orders/assets.py": [("dagster-asset", "raw_orders", "raw_orders", 6), ("dagster-asset", "split", "split", 10)],
        "orders/definitions.py": [("dagster-definitions", "orders.definitions", "", 5)],
        "zen.py": [("zenml-step", "trainer", "trainer", 6), ("zenml-step", "evaluator", "evaluator", 10), ("zenml-pipeline", "training", "training", 14)],
        "train_flow.py": [
            ("metaflow-flow", "TrainFlow", "TrainFlow", 4), ("metaflow-step", "start", "TrainFlow.start", 6),
            ("metaflow-step", "end", "TrainFlow.end", 10),
        ],
    }


def test_a_flow_is_a_pipeline_and_its_tasks_are_not() -> None:
    # The module that defines a flow runs as that flow, under its `__main__` guard too: no
    # script besides it; a task, op or step is no pipeline of its own. Dagster's assets run in
    # the Definitions that loads them; a Definitions of jobs alone adds none to the jobs.
    pipelines = build_graph(_facts(), Declarations()).pipelines
    assert sorted((p.id, p.kind, p.name, p.line) for p in pipelines) == [
        ("dagster-definitions:orders/definitions.py:orders.definitions", "dagster-definitions", "orders.definitions", 5),
        ("dagster-job:assets.py:nightly", "dagster-job", "nightly", 14),
        ("metaflow-flow:train_flow.py:TrainFlow", "metaflow-flow", "TrainFlow", 4),
        ("prefect-flow:flows/etl.py:backfill", "prefect-flow", "backfill", 18),
        ("prefect-flow:flows/etl.py:daily-etl", "prefect-flow", "daily-etl", 14),
        ("zenml-pipeline:zen.py:training", "zenml-pipeline", "training", 14),
    ]
    definitions = next(p for p in pipelines if p.kind == "dagster-definitions")
    assert definitions.files == ("orders/assets.py", "orders/definitions.py")
