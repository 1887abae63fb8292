"""Pipeline definitions the code declares: Airflow DAGs (`DAG("etl")`, an `@dag` function),
Kedro nodes with their dataset names (as their pipelines' namespaces make them, see
collectors.kedro), and Kedro pipelines; the flows, jobs and pipelines of Prefect, Dagster, ZenML
and Metaflow, with their tasks, ops, assets and steps; Dagster's `Definitions` of assets."""

from __future__ import annotations

import dataclasses

import libcst as cst

from mldebt.catalogs import Catalog
from mldebt.catalogs.models import ModelCatalog
from mldebt.parse import values as v
from mldebt.parse.collectors.kedro import DYNAMIC_NAMESPACE, KedroNames
from mldebt.parse.facts import PipelineDef
from mldebt.parse.positions import UNPLACED, Places
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.syntax import argument, dotted

# What a decorator makes of a function: a flow, job or pipeline that runs as a unit, or a task,
# op, asset or step that runs in one (see facts.STEP_KINDS).
_DECORATOR_KINDS = {
    "prefect.flow": "prefect-flow",
    "prefect.task": "prefect-task",
    "dagster.job": "dagster-job",
    "dagster.op": "dagster-op",
    "dagster.asset": "dagster-asset",
    "dagster.multi_asset": "dagster-asset",
    "zenml.pipeline": "zenml-pipeline",
    "zenml.pipelines.pipeline": "zenml-pipeline",
    "zenml.step": "zenml-step",
    "zenml.steps.step": "zenml-step",
    "metaflow.step": "metaflow-step",
}
# A Metaflow flow is a class: a FlowSpec whose `@step` methods are its steps.
_FLOW_BASES = {"metaflow.FlowSpec": "metaflow-flow"}
# Dagster's code location: `Definitions(assets=[...])` is what `dagster dev` loads and
# materializes, the unit its assets run in (its jobs, if any, are pipelines of their own).
_DEFINITIONS = frozenset({"dagster.Definitions"})


def is_pipeline_api(models: ModelCatalog, qualified: str) -> bool:
    """Whether a call of ``qualified`` declares a pipeline (and so is no data access)."""
    return qualified in models.airflow_dags or qualified in models.kedro_nodes or qualified in models.kedro_pipelines


class PipelineCollector:
    def __init__(self, semantic: SemanticModel, catalog: Catalog, models: ModelCatalog) -> None:
        self.semantic = semantic
        self.catalog = catalog
        self.models = models
        # Each definition with where it is: (True, a call's index) or (False, a definition's).
        self._pipelines: list[tuple[bool, int, PipelineDef]] = []
        # Kedro's node calls by id, with where their definitions are among _pipelines.
        self._kedro_nodes: dict[int, int] = {}
        self._kedro = KedroNames()

    def pipelines(self, places: Places) -> tuple[PipelineDef, ...]:
        definitions = [
            dataclasses.replace(pipeline, span=places.calls[index] if by_call else places.defs[index])
            for by_call, index, pipeline in self._pipelines
        ]
        for call, (inputs, outputs) in self._kedro.names().items():
            position = self._kedro_nodes[call]
            definitions[position] = dataclasses.replace(definitions[position], inputs=inputs, outputs=outputs)
        return tuple(definitions)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            if isinstance(target.target, cst.Name):
                self._kedro.bind(target.target.value, original_node.value, self.semantic.scope)

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        if isinstance(original_node.target, cst.Name):
            self._kedro.bind(original_node.target.value, original_node.value, self.semantic.scope, extends=True)

    def leave_Return(self, original_node: cst.Return) -> None:
        function = self.semantic.scope.function()
        if original_node.value is not None and function is not None:
            self._kedro.returns(function.qualname, original_node.value, self.semantic.scope)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.semantic.scope
        for decorator in node.decorators:
            name = self._decorator_name(decorator)
            kind = "airflow-dag" if name in self.models.airflow_dags else _DECORATOR_KINDS.get(name)
            if kind is not None:
                # `@flow(name="etl")` names the flow; without a name it is the function's.
                label = self._label(decorator) if kind != "airflow-dag" else None
                definition = PipelineDef(kind, label or node.name.value, UNPLACED, function=scope.qualname)
                self._pipelines.append((False, scope.def_index, definition))
                return

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        scope = self.semantic.scope
        kind = next((_FLOW_BASES[base] for base in scope.bases if base in _FLOW_BASES), None)
        if kind is not None:
            self._pipelines.append((False, scope.def_index, PipelineDef(kind, node.name.value, UNPLACED, function=scope.qualname)))

    def _decorator_name(self, decorator: cst.Decorator) -> str:
        target = decorator.decorator
        if isinstance(target, cst.Call):
            target = target.func
        return self.semantic.qualify(target) or ""

    def _label(self, decorator: cst.Decorator) -> str | None:
        """The literal `name=` a framework's decorator gives its flow or step."""
        call = decorator.decorator
        label = argument(call, None, ("name",)) if isinstance(call, cst.Call) else None
        return v.text_of(self.semantic.value_of(label)) if label is not None else None

    def visit_Call(self, node: cst.Call) -> None:
        semantic = self.semantic
        qualified = semantic.call_name
        if qualified in _DEFINITIONS and argument(node, None, ("assets",)) is not None:
            definitions = PipelineDef("dagster-definitions", semantic.scope.qualname or semantic.module, UNPLACED)
            self._pipelines.append((True, semantic.call_index, definitions))
            return
        # A data API first: its call is an access, not a pipeline.
        if qualified is None or not is_pipeline_api(self.models, qualified) or self.catalog.function(qualified):
            return
        index, value_of = semantic.call_index, semantic.value_of
        models = self.models
        if qualified in models.airflow_dags:
            dag_id = argument(node, 0, ("dag_id",))
            name = v.text_of(value_of(dag_id)) if dag_id is not None else None
            self._pipelines.append((True, index, PipelineDef("airflow-dag", name or "", UNPLACED)))
        elif qualified in models.kedro_nodes:
            func = argument(node, 0, ("func",))
            label = argument(node, 3, ("name",))
            label_text = v.text_of(value_of(label)) if label is not None else None
            node_def = PipelineDef(
                "kedro-node",
                label_text if label_text is not None else (dotted(func) or "") if func else "",
                UNPLACED,
                function=semantic.qualify(func) or "" if func is not None else "",
            )
            self._kedro_nodes[id(node)] = len(self._pipelines)
            self._kedro.node(node, semantic.scope)
            self._pipelines.append((True, index, node_def))
        else:
            self._kedro.pipeline(node, self._namespace(node), semantic.scope)
            self._pipelines.append((True, index, PipelineDef("kedro-pipeline", semantic.scope.qualname or semantic.module, UNPLACED)))

    def _namespace(self, node: cst.Call) -> str | None:
        """The namespace a Kedro pipeline call prefixes its datasets with; None for none
        (also Kedro 1.0's `prefix_datasets_with_namespace=False`)."""
        namespace = argument(node, None, ("namespace",))
        prefixes = argument(node, None, ("prefix_datasets_with_namespace",))
        if namespace is None or dotted(namespace) == "None" or dotted(prefixes) == "False":
            return None
        text = v.text_of(self.semantic.value_of(namespace))
        return text if text is not None else DYNAMIC_NAMESPACE

