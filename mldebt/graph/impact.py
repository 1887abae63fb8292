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
(`train`, a DVC stage or a script's path), a column (`tenure_months`, every dataset's; or one
dataset's, `data/train.csv#tenure_months`) or a parameter key that a pipeline declares
(`train.lr`, or Kedro's `params:model_options`). A key reaches the pipelines that declare it, a
section of it (`train` for `train.lr`) or a key inside it, and a Kedro node that takes all
`parameters`. A configuration constant that other modules read (`src.config.SEED`,
`config.SEED` or `SEED`) reaches the modules that read it.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mldebt.graph.model import NodeKind, data_node, file_node

if TYPE_CHECKING:
    import networkx as nx


class NoTarget(Exception):
    """A target that names nothing in the graph; ``close`` are the names nearest to it."""

    def __init__(self, target: str, close: list[str]) -> None:
        self.target = target
        self.close = close
        hint = f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
        super().__init__(f"`{target}` names no file, module, dataset, pipeline, column, parameter or shared constant of the repository{hint}")


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
    # What the target was taken for: "file", "module", "folder", "data", "pipeline", "column",
    # "param", "constant".
    kind: str
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
    if kind == NodeKind.COLUMN.value and data.get("dataset"):
        return f"{data['dataset']}#{data['name']}"
    if kind in (NodeKind.PIPELINE.value, NodeKind.COLUMN.value, NodeKind.PARAM.value, NodeKind.CONSTANT.value):
        return str(data.get("name", node.partition(":")[2]))
    if kind == NodeKind.MODEL.value:
        return f"{data.get('api', '')} ({data.get('path', '')})"
    return node


def resolve_target(
    graph: nx.DiGraph, target: str, kedro_names: dict[str, str], repository: frozenset[str] = frozenset()
) -> tuple[str, tuple[str, ...]]:
    """(what ``target`` was taken for, the nodes it names); raises NoTarget. ``kedro_names``
    maps each Kedro catalog name to its entry's file or URI; ``repository`` is every file of the
    repository, one of which names no node when nothing reads it."""
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
    columns = tuple(
        sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == NodeKind.COLUMN.value and text in (d.get("name"), name_of(graph, n)))
    )
    if columns:
        return "column", columns
    params = param_nodes(graph, text.removeprefix("params:"))
    if params:
        return "param", params
    constants = tuple(sorted(
        n for n, d in graph.nodes(data=True)
        if d.get("kind") == NodeKind.CONSTANT.value and (d["name"] == text or str(d["name"]).endswith("." + text))
    ))
    if constants:
        return "constant", constants
    if text in repository:
        # A file of the repository that no code reads and no manifest names: nothing it reaches.
        return "file", ()
    names = {name_of(graph, n) for n in graph.nodes} | set(kedro_names)
    raise NoTarget(target, difflib.get_close_matches(text, sorted(names), n=3, cutoff=0.6))


def param_nodes(graph: nx.DiGraph, key: str) -> tuple[str, ...]:
    """The parameter nodes a change of ``key`` changes: the key itself, the sections that hold
    it, the keys it holds; and all parameters (``""``), once any of those is declared."""
    if not key:
        return ()

    def related(name: str) -> bool:
        return name == key or key.startswith(name + ".") or name.startswith(key + ".")

    named = {n: str(d["name"]) for n, d in graph.nodes(data=True) if d.get("kind") == NodeKind.PARAM.value}
    if not named:
        return ()
    found = sorted(n for n, name in named.items() if name and related(name))
    return tuple(found + [n for n, name in named.items() if not name]) if found else ()


def changed_keys(old: object, new: object, prefix: str = "") -> set[str]:
    """The dotted keys whose values differ between two parameter documents (added and removed
    keys included), as `dvc params diff` lists them: the leaves, or a key whose value changed
    kind (a mapping became a list). A missing document or key is an empty mapping beside a
    mapping, so that each of the other side's leaves counts."""
    if old is None and isinstance(new, Mapping):
        old = {}
    if new is None and isinstance(old, Mapping):
        new = {}
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        changed: set[str] = set()
        for key in {*old, *new}:
            changed |= changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return changed
    return {prefix.rstrip(".")} if old != new and prefix else set()


def impact(graph: nx.DiGraph, target: str, kind: str, starts: Iterable[str], upstream: bool = False) -> Impact:
    """Every node downstream (or ``upstream``) of ``starts``, each with a shortest path to it."""
    begin = tuple(starts)
    step = graph.predecessors if upstream else graph.successors
    reached = tuple(
        Reached(node, str(graph.nodes[node].get("kind", "")), name_of(graph, node), path)
        for node, path in _breadth_first(begin, lambda node: sorted(step(node))).items()
    )
    return Impact(target, kind, begin, reached)


def _breadth_first(starts: Sequence[str], neighbours: Callable[[str], Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Every node reached from ``starts`` through ``neighbours`` (the starts left out), nearest
    first, each with a shortest path to it from a start."""
    parent: dict[str, str | None] = dict.fromkeys(starts)
    paths: dict[str, tuple[str, ...]] = {}
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        for other in neighbours(node):
            if other not in parent:
                parent[other] = node
                paths[other] = (*paths.get(node, (node,)), other)
                queue.append(other)
    return paths


def step_label(graph: nx.DiGraph, node: str) -> str:
    """A node on a path as a reader follows it: a pipeline with its kind (`dvc-stage train`),
    since a script's pipeline has its file's name."""
    data = graph.nodes[node]
    if data.get("kind") == NodeKind.PIPELINE.value:
        return f"{data.get('pipeline_kind', 'pipeline')} {name_of(graph, node)}"
    return name_of(graph, node)


# The edges a change crosses on its way to the first pipelines it changes: code into its
# importers and pipelines, a constant or parameter into its readers, data into the code that
# reads it, a pipeline into the models it trains; never a write, nor a pipeline's outputs,
# which lead on to the pipelines after it.
_FIRST_ORDER = frozenset({
    "import", "member", "builds", "trains", "reads-constant", "declared-param", "kedro-param",
    "read", "declared-input", "kedro-input", "contains", "names", "uses-column", "drops-column",
})


def first_order(graph: nx.DiGraph, node: str) -> dict[str, tuple[str, ...]]:
    """The pipelines and models a change of ``node`` reaches directly (not through what a
    pipeline writes for the next), each with a shortest path to it: where one change fans out."""

    def neighbours(current: str) -> list[str]:
        from_pipeline = graph.nodes[current].get("kind") == NodeKind.PIPELINE.value
        return sorted(
            other for _, other, kind in graph.out_edges(current, data="kind")
            if kind in _FIRST_ORDER and (not from_pipeline or kind == "trains")
        )

    ends = (NodeKind.PIPELINE.value, NodeKind.MODEL.value)
    return {
        reached: path for reached, path in _breadth_first((node,), neighbours).items()
        if graph.nodes[reached].get("kind") in ends
    }
