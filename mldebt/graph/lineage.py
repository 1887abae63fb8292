"""Feature lineage into models, across files: dataset -> column -> model (issue 11, item 1-2).

Each file's facts hold its fit-like calls (``ModelInput``): the feature and label columns,
each direct (the values flow) or indirect (a filter, join or sort key decided the rows), and the
reads they came from, by position. Here those reads become the datasets they resolved to, the
column lists other modules define (`from features import FEATURES`) become their columns, and
the graph gains a column node per dataset and column, `data -> column -> model` edges, and a
`data -> model` edge for a dataset that trains a model whatever its columns.

A column whose flow has no dataset (a frame a function was given, a read of a path nobody can
tell) is the unqualified column node, the one the code's own naming of it already made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from mldebt.graph.model import DataAccess, NodeId, NodeKind, column_node, data_node, file_node, model_node
from mldebt.graph.resolve import ModuleIndex
from mldebt.lineage.columnset import ABSENT, ColumnSet
from mldebt.parse.facts import FileFacts, ModelInput
from mldebt.targets import TargetKind

if TYPE_CHECKING:
    import networkx as nx

# How many lists deep a list built from others is followed (`ALL = BASE + EXTRA`).
_MAX_DEPTH = 8


class ColumnLists:
    """The columns of a list reference (`features.FEATURES`): the list its module binds, or its
    string constant (`TARGET = "churned"`), through the lists it is built from and the modules
    that import it again (`from .config import FEATURES` in a package's `__init__`)."""

    def __init__(self, index: ModuleIndex) -> None:
        self._index = index

    def members(self, reference: str, importer: str, depth: int = 0) -> tuple[str, ...] | None:
        module, _, name = reference.rpartition(".")
        file = self._index.find(module, importer) if module else None
        if file is None or depth > _MAX_DEPTH:
            return None
        listed = file.column_lists.get(name)
        if listed is not None:
            resolved = listed.resolve(partial(self.members, importer=file.path, depth=depth + 1))
            return tuple(n for n, _ in resolved.columns) if resolved.is_exact else None
        constant = file.constants.get(name)
        if constant is not None and constant[0] == "s":
            return (str(constant[1]),)
        for imported in file.imports:
            if imported.alias == name and imported.name not in (None, "*"):
                return self.members(f"{imported.module}.{imported.name}", file.path, depth + 1)
        return None


def resolved(columns: ColumnSet, lists: ColumnLists, path: str) -> ColumnSet:
    """``columns`` of the file at ``path`` with the list references other modules define
    replaced by their columns."""
    return columns.resolve(partial(lists.members, importer=path))


def link_lineage(graph: nx.DiGraph, facts: Mapping[str, FileFacts], accesses: tuple[DataAccess, ...]) -> None:
    """Column nodes by dataset, and the edges that take each into the models it trains."""
    lists = ColumnLists(ModuleIndex(facts.values()))
    reads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for access in accesses:
        if access.direction == "read" and access.target.kind is not TargetKind.DYNAMIC:
            span = access.access.span
            reads[access.path, f"{span.line}:{span.column}"].add(access.target.value)
    for path, file in sorted(facts.items()):
        for fit in file.model_inputs:
            model = _model_of(graph, path, file, fit)
            if model is None:
                continue
            for role, flow in (("feature", fit.features), ("label", fit.label)):
                if flow is None:
                    continue
                datasets = sorted({target for source in flow.sources for target in reads.get((path, source), ())})
                for dataset in datasets:
                    graph.add_edge(data_node(dataset), model, kind="trains")
                for columns, how in ((flow.columns, "direct"), (flow.indirect, "indirect")):
                    for name in _named(resolved(columns, lists, path)):
                        for dataset in datasets or [""]:
                            _feed(graph, name, dataset, model, role, how)


def _model_of(graph: nx.DiGraph, path: str, file: FileFacts, fit: ModelInput) -> NodeId | None:
    """The model node of a fit: its estimator's construction, else the fit itself (a model
    built elsewhere, `xgb.train`); None when the fit is no model's (a scaler's)."""
    uses = list(enumerate(file.models))
    for number, use in uses:
        if use.kind == "construct" and use.span == fit.model:
            return model_node(path, use.scope, use.api, number)
    for number, use in uses:
        if use.kind == "fit" and use.span == fit.span:
            node = model_node(path, use.scope, use.api, number)
            if node not in graph:
                graph.add_node(node, kind=NodeKind.MODEL.value, api=use.api, path=path, scope=use.scope)
                graph.add_edge(file_node(path), node, kind="trains")
            return node
    return None


def _named(columns: ColumnSet) -> list[str]:
    """The columns a set names as (possibly) there."""
    return [name for name, status in columns.columns if status != ABSENT]


def _feed(graph: nx.DiGraph, name: str, dataset: str, model: NodeId, role: str, how: str) -> None:
    node = column_node(name, dataset)
    if node not in graph:
        graph.add_node(node, kind=NodeKind.COLUMN.value, name=name, dataset=dataset)
    if dataset:
        graph.add_edge(data_node(dataset), node, kind="has-column")
    edge = graph.get_edge_data(node, model)
    if edge is None:
        graph.add_edge(node, model, kind=role, flow=how)
        return
    # One edge per column and model: a direct flow says more than an indirect one, and a
    # column that is both a feature and the label is both.
    if edge["kind"] != role:
        edge["kind"] = "feature+label"
    if how == "direct":
        edge["flow"] = "direct"
