"""Kedro nodes name their datasets as their pipelines do: a namespace prefixes every name but
those the pipeline's inputs=, outputs= and parameters= map or list, and parameters."""

from __future__ import annotations

import textwrap

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file


def _nodes(code: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    source = "from kedro.pipeline import Pipeline, node, pipeline\n" + textwrap.dedent(code)
    facts = analyze_file("pipeline.py", source.encode(), "d", load_catalog(), load_models())
    return [(p.name, p.inputs, p.outputs) for p in facts.pipelines if p.kind == "kedro-node"]


def test_a_namespace_prefixes_what_the_pipeline_does_not_map() -> None:
    assert _nodes("""
        def create_pipeline(**kwargs):
            return pipeline(
                [
                    node(f, inputs=["companies", "params:how"], outputs="typed", name="a"),
                    node(g, inputs={"left": "typed", "right": "shuttles@spark"}, outputs=["table", "report"], name="b"),
                    node(h, inputs=dict(x="table", y="parameters"), outputs="scores", name="c"),
                ],
                namespace="ingestion",
                inputs={"companies", "shuttles"},
                outputs={"table": "model_input_table"},
            )
    """) == [
        ("a", ("companies", "params:how"), ("ingestion.typed",)),
        # A mapped transcoding base keeps its transcoding.
        ("b", ("ingestion.typed", "shuttles@spark"), ("model_input_table", "ingestion.report")),
        ("c", ("model_input_table", "parameters"), ("ingestion.scores",)),
    ]


def test_a_template_reused_under_namespaces_has_each_instance_s_names() -> None:
    # The split node's outputs come from a name; the template is a function of the module,
    # wrapped twice under literal namespaces, then once more under an outer one.
    assert _nodes("""
        SPLITS = ["X_train", "y_train"]

        def template():
            return pipeline([node(train, inputs=["X_train", "y_train", "params:opts"], outputs="regressor", name="t")])

        def create_pipeline(**kwargs):
            split = pipeline([node(split_data, inputs="table", outputs=SPLITS, name="s")])
            models = pipeline(template(), namespace="linear", inputs={k: k for k in SPLITS}) + pipeline(
                template(), namespace="forest", inputs=SPLITS
            )
            return split + pipeline(models, namespace="train", inputs=SPLITS)
    """) == [
        ("t", ("X_train", "y_train", "params:opts"), ("train.linear.regressor", "train.forest.regressor")),
        ("s", ("table",), ("X_train", "y_train")),
    ]


def test_a_namespace_not_known_statically_is_a_wildcard() -> None:
    assert _nodes("""
        def create_pipeline(kinds):
            base = pipeline([node(train, inputs="table", outputs="model", name="t")])
            return sum(pipeline(base, namespace=kind, inputs="table") for kind in kinds)
    """) == [("t", ("table",), ("*.model",))]


def test_no_namespace_and_unprefixed_datasets_keep_the_names() -> None:
    assert _nodes("""
        a = Pipeline([node(f, "raw", "clean", name="a")], namespace="grouped", prefix_datasets_with_namespace=False)
        b = pipeline([node(g, "clean", "out", name="b")], namespace=None)
        loose = node(h, "out", "final", name="c")
    """) == [("a", ("raw",), ("clean",)), ("b", ("clean",), ("out",)), ("c", ("out",), ("final",))]


def test_a_name_holds_what_it_was_bound_to_before_it_is_read() -> None:
    # `p = pipeline(p, ...)` wraps the p bound before; `+=` adds to what the name holds.
    assert _nodes("""
        def create_pipeline(**kwargs):
            p = pipeline([node(f, "raw", "clean", name="a")])
            p = pipeline(p, namespace="x", inputs="raw")
            p += pipeline([node(g, "x.clean", "out", name="b")], inputs={"x.clean"})
            return pipeline(p, namespace="y")
    """) == [("a", ("y.raw",), ("y.x.clean",)), ("b", ("y.x.clean",), ("y.out",))]
