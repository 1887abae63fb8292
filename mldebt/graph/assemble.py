"""The networkx DiGraph over files, data, pipelines, models and columns.

Edges point the way influence flows: data -> the code that reads it, code -> the data it
writes, an imported module -> its importer, code -> the pipeline it belongs to, code -> the
models it builds or trains, a pipeline -> the models its code builds, a column -> the code that uses or
drops it, a dataset -> its columns -> the models they train (mldebt.graph.lineage), a parameter key
-> the pipelines that declare it (a DVC stage's `params`, a Kedro node's `params:` inputs). "What
does changing X reach" is then `descendants(X)`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from mldebt.declarations import Declarations
from mldebt.graph.lineage import link_lineage
from mldebt.graph.model import (
    DataAccess,
    NodeKind,
    Pipeline,
    column_node,
    constant_node,
    data_node,
    file_node,
    model_node,
    param_node,
    pipeline_node,
    stage_id,
)
from mldebt.graph.resolve import ModuleIndex
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
    # (declared directory or glob, target inside it, direction): linked once every node exists.
    inside: list[tuple[str, str, str]] = []
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
        if covering is not None and covering.pattern != target.value:
            inside.append((covering.pattern, target.value, access.direction))
    built: dict[str, list[str]] = {}
    for path, file in sorted(facts.items()):
        for number, model in enumerate(file.models):
            if model.kind == "construct":
                node = model_node(path, model.scope, model.api, number)
                graph.add_node(node, kind=NodeKind.MODEL.value, api=model.api, path=path, scope=model.scope)
                graph.add_edge(file_node(path), node, kind="builds")
                built.setdefault(path, []).append(node)
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
            # What changes a run (a declared input or parameter) changes the models it trains.
            for model in built.get(path, ()):
                graph.add_edge(node, model, kind="trains")
    for stage in declarations.pipelines:
        node = pipeline_node(stage_id(stage.source, stage.name))
        # A dependency that is a repository source (`deps: [src/train.py]`) is that file's node.
        ends = {pattern: file_node(pattern) if pattern in facts else data_node(pattern)
                for pattern in (*stage.inputs, *stage.outputs)}
        for pattern, end in ends.items():
            if pattern not in facts:
                graph.add_node(end, kind=NodeKind.DATA.value, target=pattern)
                graph.nodes[end].update(declared=True, declared_in=f"{stage.source}:{stage.line}")
        for pattern in stage.inputs:
            # The stage's own code is already its member.
            if not graph.has_edge(ends[pattern], node):
                graph.add_edge(ends[pattern], node, kind="declared-input")
        for pattern in stage.outputs:
            graph.add_edge(node, ends[pattern], kind="declared-output")
        for key in stage.params:
            _add_param(graph, key)
            graph.add_edge(param_node(key), node, kind="declared-param")
    # A file read inside a declared directory (a DVC stage's `outs: [data/prepared]`) is part of
    # it: the directory reaches what reads the file, and what writes the file reaches the directory.
    for folder, target, direction in inside:
        if data_node(folder) not in graph:
            graph.add_node(data_node(folder), kind=NodeKind.DATA.value, target=folder)
        if direction == "read":
            graph.add_edge(data_node(folder), data_node(target), kind="contains")
        else:
            graph.add_edge(data_node(target), data_node(folder), kind="inside")
    # A stage's output directory holds every dataset under it, also where a later stage
    # declares the file itself (`deps: [data/prepared/train.csv]`), which `covering` prefers.
    folders = {out for stage in declarations.pipelines for out in stage.outputs if out not in facts}
    for node, data in list(graph.nodes(data=True)):
        target = data.get("target")
        if data.get("kind") != NodeKind.DATA.value or not isinstance(target, str):
            continue
        for folder in folders:
            if target.startswith(folder.rstrip("/") + "/") and not graph.has_edge(node, data_node(folder)):
                graph.add_edge(data_node(folder), node, kind="contains")
    _link_kedro(graph, facts, pipelines, declarations)
    _link_settings(graph, facts)
    link_lineage(graph, facts, accesses)
    return graph


def _link_settings(graph: nx.DiGraph, facts: Mapping[str, FileFacts]) -> None:
    """A configuration constant that another module reads (`from config import SEED`, `from
    config import *`, `config.SEED`) is a node between its module and its readers, so that
    changing it reaches those readers and not every importer of the module; and the module
    itself when it reads the constant too."""
    index = ModuleIndex(facts.values())
    defined = {path: dict(file.settings) for path, file in facts.items() if file.settings}
    readers: dict[tuple[str, str], set[str]] = {}

    def read(module: str, names: list[str], reader: str) -> None:
        found = index.find(module, reader) if module else None
        if found is None or found.path == reader or found.path not in defined:
            return
        for name in names:
            if name in defined[found.path]:
                readers.setdefault((found.path, name), set()).add(reader)

    for path, file in facts.items():
        for imported in file.imports:
            if imported.name == "*":
                found = index.find(imported.module, path) if imported.module else None
                read(imported.module, list(defined.get(found.path, {})) if found else [], path)
            elif imported.name:
                read(imported.module, [imported.name], path)
        for qualified in file.settings_read:
            module, _, name = qualified.rpartition(".")
            read(module, [name], path)
    for (path, name), paths in sorted(readers.items()):
        qualified = f"{facts[path].module}.{name}"
        node = constant_node(qualified)
        graph.add_node(node, kind=NodeKind.CONSTANT.value, name=qualified, path=path)
        graph.add_edge(file_node(path), node, kind="defines")
        for reader in sorted(paths | ({path} if defined[path][name] else set())):
            graph.add_edge(node, file_node(reader), kind="reads-constant")


# Kedro node inputs that are parameters, not datasets.
_KEDRO_PARAMETERS = ("params:", "parameters")


def _link_kedro(
    graph: nx.DiGraph, facts: Mapping[str, FileFacts], pipelines: tuple[Pipeline, ...], declarations: Declarations
) -> None:
    """Kedro nodes name their datasets: each modular pipeline takes its nodes' inputs and gives
    their outputs, by the names their namespaces give them (`ingestion.companies`). A catalog
    entry is its dataset's file (or table, or URI), and so is the dataset factory that matches
    a name (`"{namespace}.companies"`); a name the catalog lacks is a memory dataset,
    `kedro://<name>`, which chains the pipelines that share it. A name with a namespace not
    known statically (`*.regressor`) is every catalog entry it matches. A catalog name code
    loads or saves (`catalog.load("companies")`) is linked to its entry."""
    catalog: dict[str, str] = {}
    for declaration in declarations.declarations:
        if declaration.origin == "kedro" and declaration.owner:
            catalog.setdefault(declaration.owner, declaration.pattern)
    factories = _factories(catalog)

    def datasets(name: str) -> list[str]:
        if name in catalog:
            values = [catalog[name]]
        elif "*" in name:
            values = [p for entry, p in catalog.items() if "{" not in entry and fnmatch.fnmatchcase(entry, name)]
        else:
            values = next(([p] for factory, p in factories if factory.fullmatch(name)), [])
        values = values or [f"kedro://{name}"]
        for value in values:
            if data_node(value) not in graph:
                graph.add_node(data_node(value), kind=NodeKind.DATA.value, target_kind=TargetKind.URI.value, target=value)
        return [data_node(value) for value in values]

    for pipeline in pipelines:
        if pipeline.kind != "kedro-pipeline" or pipeline.entry not in facts:
            continue
        node = pipeline_node(pipeline)
        for definition in facts[pipeline.entry].pipelines:
            if definition.kind != "kedro-node":
                continue
            for name in definition.inputs:
                if name.startswith(_KEDRO_PARAMETERS):
                    key = name.removeprefix("params:") if name != "parameters" else ""
                    _add_param(graph, key)
                    graph.add_edge(param_node(key), node, kind="kedro-param")
                    continue
                for data in datasets(name):
                    graph.add_edge(data, node, kind="kedro-input")
            for name in definition.outputs:
                for data in datasets(name):
                    graph.add_edge(node, data, kind="kedro-output")
    for name, pattern in catalog.items():
        named = data_node(f"kedro://{name}")
        if named not in graph:
            continue
        loaded = any(graph.nodes[code].get("kind") == NodeKind.FILE.value for code in graph.successors(named))
        saved = any(graph.nodes[code].get("kind") == NodeKind.FILE.value for code in graph.predecessors(named))
        if loaded:
            graph.add_edge(data_node(pattern), named, kind="names")
        if saved:
            graph.add_edge(named, data_node(pattern), kind="names")


def _add_param(graph: nx.DiGraph, key: str) -> None:
    if param_node(key) not in graph:
        graph.add_node(param_node(key), kind=NodeKind.PARAM.value, name=key)


# A dataset factory's placeholder (`{namespace}`): any non-empty text, dots included.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _factories(catalog: Mapping[str, str]) -> list[tuple[re.Pattern[str], str]]:
    """The catalog's dataset factories as patterns of the names they make, with their targets,
    the one Kedro prefers first: the most characters outside placeholders, then the fewest
    placeholders, then by name."""
    entries = [entry for entry in catalog if _PLACEHOLDER.search(entry)]
    entries.sort(key=lambda e: (-len(_PLACEHOLDER.sub("", e)), len(_PLACEHOLDER.findall(e)), e))
    return [
        (re.compile("(?:.+)".join(re.escape(part) for part in _PLACEHOLDER.split(entry)), re.DOTALL), catalog[entry])
        for entry in entries
    ]
