"""The networkx DiGraph over files, data, pipelines, models and columns.

Edges point the way influence flows: data -> the code that reads it, code -> the data it
writes, an imported module -> its importer, code -> the pipeline it belongs to, code -> the
models it builds or trains, a column -> the code that uses or drops it. "What does changing X
reach" is then `descendants(X)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mldebt.declarations import Declarations
from mldebt.graph.model import (
    DataAccess,
    NodeKind,
    Pipeline,
    column_node,
    data_node,
    file_node,
    model_node,
    pipeline_node,
    stage_id,
)
from mldebt.parse.facts import FileFacts
from mldebt.targets import TargetKind

if TYPE_CHECKING:
    import networkx as nx


def assemble(
    facts: Mapping[str, FileFacts],
    imports: Mapping[str, set[str]],
    accesses: tuple[DataAccess, ...],
    pipelines: tuple[Pipeline, ...],
    declarations: Declarations,
) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    for path, file in sorted(facts.items()):
        graph.add_node(file_node(path), kind=NodeKind.FILE.value, path=path, module=file.module)
    for path in sorted(facts):
        for imported in sorted(imports[path]):
            graph.add_edge(file_node(imported), file_node(path), kind="import")
    for access in accesses:
        target = access.target
        if target.kind is TargetKind.DYNAMIC:
            continue
        node = data_node(target)
        # Declared when a manifest covers it (exactly, by a directory or by a glob).
        covering = declarations.covering(target)
        where = f"{covering.source}:{covering.line}" if covering else ""
        graph.add_node(
            node, kind=NodeKind.DATA.value, target_kind=target.kind.value, target=target.value,
            declared=covering is not None, declared_in=where,
        )
        edge = (node, file_node(access.path)) if access.direction == "read" else (file_node(access.path), node)
        graph.add_edge(*edge, kind=access.direction, api=access.access.api, line=access.location.line)
    for path, file in sorted(facts.items()):
        for number, model in enumerate(file.models):
            if model.kind == "construct":
                node = model_node(path, model.scope, model.api, number)
                graph.add_node(node, kind=NodeKind.MODEL.value, api=model.api, path=path, scope=model.scope)
                graph.add_edge(file_node(path), node, kind="builds")
        # The columns a file names: where feature lineage into models will start. A change to a
        # column reaches the code that uses or drops it.
        for column in file.columns:
            graph.add_node(column_node(column.name), kind=NodeKind.COLUMN.value, name=column.name)
            graph.add_edge(
                column_node(column.name), file_node(path), kind="uses-column" if column.used else "drops-column",
                via=column.via,
            )
    # What no stage owns: .dvc files, Kedro catalog entries, [tool.mldebt.data].
    for declaration in declarations.declarations:
        if declaration.origin == "dvc" and declaration.owner:
            continue
        node = data_node(declaration.pattern)
        if node not in graph:
            graph.add_node(node, kind=NodeKind.DATA.value, target_kind=declaration.kind.value, target=declaration.pattern)
        graph.nodes[node].update(
            declared=True, declared_in=f"{declaration.source}:{declaration.line}", origin=declaration.origin,
        )
    for pipeline in pipelines:
        node = pipeline_node(pipeline)
        graph.add_node(node, kind=NodeKind.PIPELINE.value, pipeline_kind=pipeline.kind, name=pipeline.name, source=pipeline.source)
        for path in pipeline.files:
            graph.add_edge(file_node(path), node, kind="member")
    for stage in declarations.pipelines:
        node = pipeline_node(stage_id(stage.source, stage.name))
        for pattern in (*stage.inputs, *stage.outputs):
            graph.add_node(data_node(pattern), kind=NodeKind.DATA.value, target=pattern)
            graph.nodes[data_node(pattern)].update(declared=True, declared_in=f"{stage.source}:{stage.line}")
        for pattern in stage.inputs:
            graph.add_edge(data_node(pattern), node, kind="declared-input")
        for pattern in stage.outputs:
            graph.add_edge(node, data_node(pattern), kind="declared-output")
    return graph
