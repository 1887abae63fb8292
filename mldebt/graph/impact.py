"""What a change reaches: `mldebt impact`.

The graph's edges point the way influence flows (mldebt.graph.assemble): data -> the code that
reads it, code -> the data it writes, an imported module -> its importer, code -> the pipeline
it belongs to and the models it builds, a pipeline -> its declared outputs, a column -> the code
that uses it. What changing a node reaches is every node downstream of it; what it depends on
(`upstream`), every node upstream. Each node reached is given with one shortest path that
links it, so that a reader can check why.

A target is named as a user knows it: a repository file (`src/train.py`), a folder of them
(`src/features/`), a module (`src.features`), a dataset as the code or a manifest names it
(`data/raw.csv`, `s3://bucket/x.parquet`), a Kedro catalog name (`companies`), a pipeline
(`train`, a DVC stage or a script's path) or a column (`tenure_months`).
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mldebt.graph.model import NodeKind, column_node, data_node, file_node

if TYPE_CHECKING:
    import networkx as nx


class NoTarget(Exception):
    """A target that names nothing in the graph; ``close`` are the names nearest to it."""

    def __init__(self, target: str, close: list[str]) -> None:
        self.target = target
        self.close = close
        hint = f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
        super().__init__(f"`{target}` names no file, module, dataset, pipeline or column of the repository{hint}")


@dataclass(frozen=True)
class Reached:
    """A node a change reaches, and the path from the target (node ids, the target first)."""

    node: str
    kind: str  # a NodeKind value
    name: str  # how a user names it: a path, a dataset, a pipeline's name, a column
    via: tuple[str, ...]


@dataclass(frozen=True)
class Impact:
    target: str
    kind: str  # what the target was taken for: "file", "module", "folder", "data", "pipeline", "column"
    starts: tuple[str, ...]  # the nodes it names
    reached: tuple[Reached, ...]  # nearest first

    def of_kind(self, kind: NodeKind) -> tuple[Reached, ...]:
        return tuple(r for r in self.reached if r.kind == kind.value)


def name_of(graph: nx.DiGraph, node: str) -> str:
    """How a user names ``node``."""
    data = graph.nodes[node]
    kind = data.get("kind")
    if kind == NodeKind.FILE.value:
        return str(data["path"])
    if kind == NodeKind.DATA.value:
        return str(data.get("target", node.partition(":")[2]))
    if kind in (NodeKind.PIPELINE.value, NodeKind.COLUMN.value):
        return str(data.get("name", node.partition(":")[2]))
    if kind == NodeKind.MODEL.value:
        return f"{data.get('api', '')} ({data.get('path', '')})"
    return node


def resolve_target(graph: nx.DiGraph, target: str, kedro_names: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """(what ``target`` was taken for, the nodes it names); raises NoTarget. ``kedro_names``
    maps each Kedro catalog name to its entry's file or URI."""
    text = target.strip().removeprefix("./")
    files = {n: d for n, d in graph.nodes(data=True) if d.get("kind") == NodeKind.FILE.value}
    if file_node(text) in files:
        return "file", (file_node(text),)
    modules = tuple(n for n, d in files.items() if d.get("module") == text)
    if modules:
        return "module", modules
    folder = text.rstrip("/") + "/"
    inside = tuple(sorted(n for n, d in files.items() if str(d["path"]).startswith(folder)))
    if inside:
        return "folder", inside
    for value in (text, kedro_names.get(text), f"kedro://{text}"):
        if value is not None and data_node(value) in graph:
            return "data", (data_node(value),)
    pipelines = tuple(
        sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == NodeKind.PIPELINE.value and d.get("name") == text)
    )
    if pipelines:
        return "pipeline", pipelines
    if column_node(text) in graph:
        return "column", (column_node(text),)
    names = {name_of(graph, n) for n in graph.nodes} | set(kedro_names)
    raise NoTarget(target, difflib.get_close_matches(text, sorted(names), n=3, cutoff=0.6))


def impact(graph: nx.DiGraph, target: str, kind: str, starts: Iterable[str], upstream: bool = False) -> Impact:
    """Every node downstream (or ``upstream``) of ``starts``, each with a shortest path to it."""
    begin = tuple(starts)
    step = graph.predecessors if upstream else graph.successors
    parent: dict[str, str | None] = dict.fromkeys(begin)
    order: list[str] = []
    queue = deque(begin)
    while queue:
        node = queue.popleft()
        for other in sorted(step(node)):
            if other not in parent:
                parent[other] = node
                order.append(other)
                queue.append(other)
    reached = []
    for node in order:
        path = [node]
        while (previous := parent[path[-1]]) is not None:
            path.append(previous)
        reached.append(Reached(node, str(graph.nodes[node].get("kind", "")), name_of(graph, node), tuple(reversed(path))))
    return Impact(target, kind, begin, tuple(reached))


def step_label(graph: nx.DiGraph, node: str) -> str:
    """A node on a path as a reader follows it: a pipeline with its kind (`dvc-stage train`),
    since a script's pipeline has its file's name."""
    data = graph.nodes[node]
    if data.get("kind") == NodeKind.PIPELINE.value:
        return f"{data.get('pipeline_kind', 'pipeline')} {name_of(graph, node)}"
    return name_of(graph, node)
