"""The data/feature/model graph: built once from the facts and the manifests, then asked named
questions by rules and later capabilities (CACE, impact, lineage).

Edges point the way influence flows: data -> the code that reads it, code -> the data it
writes, an imported module -> its importer, code -> the pipeline it belongs to, code -> the
models it builds or trains. "What does changing X reach" is then `descendants(X)`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mldebt.declarations import Declaration, Declarations
from mldebt.findings import Location
from mldebt.graph.resolve import ModuleIndex, Resolver
from mldebt.parse.facts import Access, FileFacts, locate
from mldebt.targets import Target, TargetKind

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class DataAccess:
    """A read or write with its resolved target and where it happens."""

    path: str
    access: Access
    target: Target
    location: Location
    # "read" or "write": the access's, except for a SQL statement, whose tables say (an
    # `execute` of an INSERT writes).
    direction: str = ""

    def __post_init__(self) -> None:
        if not self.direction:
            object.__setattr__(self, "direction", self.access.direction)


@dataclass(frozen=True)
class Pipeline:
    """Something that runs as a unit: a DVC stage, a Kedro pipeline, an Airflow DAG, an entry
    script (`if __name__ == "__main__"`) or a notebook."""

    id: str
    kind: str  # "dvc-stage" | "kedro-pipeline" | "airflow-dag" | "script" | "notebook"
    name: str
    entry: str | None
    source: str
    line: int
    # The entry file and every repository module it imports, transitively.
    files: tuple[str, ...]
    declared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consumer:
    """Data that one pipeline writes and another reads, declared by nobody."""

    read: DataAccess
    write: DataAccess
    reader: Pipeline
    writer: Pipeline


def file_node(path: str) -> str:
    return f"file:{path}"


def data_node(target: Target) -> str:
    return f"data:{target.value}"


def pipeline_node(pipeline: Pipeline) -> str:
    return f"pipeline:{pipeline.id}"


class DataGraph:
    """The resolved accesses and pipelines, one networkx DiGraph over them, and the questions
    asked of both. The DiGraph is built on first use: the MLD1xx rules answer from the
    accesses alone, and a warm run should not pay for importing networkx."""

    def __init__(
        self,
        facts: Mapping[str, FileFacts],
        imports: Mapping[str, set[str]],
        accesses: tuple[DataAccess, ...],
        pipelines: tuple[Pipeline, ...],
        declarations: Declarations,
    ) -> None:
        self._facts = facts
        self._imports = imports
        self._graph: nx.DiGraph | None = None
        self.accesses = accesses
        self.pipelines = pipelines
        self.declarations = declarations
        self._pipelines_by_file: dict[str, list[Pipeline]] = defaultdict(list)
        for pipeline in pipelines:
            for path in pipeline.files:
                self._pipelines_by_file[path].append(pipeline)

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            self._graph = _assemble(self._facts, self._imports, self.accesses, self.pipelines, self.declarations)
        return self._graph

    def pipelines_of(self, path: str) -> tuple[Pipeline, ...]:
        return tuple(self._pipelines_by_file.get(path, ()))

    def resolved_accesses(self) -> Iterable[DataAccess]:
        return (a for a in self.accesses if a.target.kind is not TargetKind.DYNAMIC)

    def is_declared(self, target: Target) -> bool:
        return self.declarations.covering(target) is not None

    def stages_of(self, path: str) -> tuple[tuple[str, str], ...]:
        """The DVC stages that run ``path``, as (dvc.yaml, stage name)."""
        return tuple((p.source, p.name) for p in self.pipelines_of(path) if p.kind == "dvc-stage")

    def declaration_of(self, access: DataAccess) -> tuple[Declaration | None, Declaration | None]:
        """(what declares the access's target for the code making it, else another stage's
        declaration of it). Code that DVC stages run must find its data among those stages'
        own deps and outs (or what no stage owns); other code, anywhere."""
        stages = self.stages_of(access.path)
        own = self.declarations.covering(access.target, stages or None)
        return own, (self.declarations.covering(access.target) if own is None and stages else None)

    def undeclared_consumers(self) -> list[Consumer]:
        """Every read of an undeclared target that a different pipeline writes, once per
        (read, writer pipeline); the first write of that pipeline stands for it."""
        writes: dict[Target, list[DataAccess]] = defaultdict(list)
        for access in self.resolved_accesses():
            if access.direction == "write":
                writes[access.target].append(access)
        found: list[Consumer] = []
        for read in self.resolved_accesses():
            # A registry's name (`models:/churn`) is declared by publishing under it (MLD103's docs).
            if read.direction != "read" or read.target not in writes or read.target.is_named or self.is_declared(read.target):
                continue
            readers = self.pipelines_of(read.path)
            seen: set[str] = set()
            for write in writes[read.target]:
                for writer in self.pipelines_of(write.path):
                    if writer.id in seen or any(writer.id == r.id for r in readers):
                        continue
                    for reader in readers:
                        if write.path in reader.files:
                            # The reader pipeline writes it itself: internal, not a consumer.
                            break
                    else:
                        if readers:
                            seen.add(writer.id)
                            found.append(Consumer(read, write, readers[0], writer))
        return found

    def models_downstream_of(self, node: str) -> list[str]:
        """The models a change to ``node`` (a file, data or pipeline node id) can reach."""
        import networkx as nx

        if node not in self.graph:
            return []
        return sorted(n for n in nx.descendants(self.graph, node) if self.graph.nodes[n].get("kind") == "model")


def _imports_of(file: FileFacts, index: ModuleIndex) -> set[str]:
    """Repository files this file imports."""
    out: set[str] = set()
    for imp in file.imports:
        candidates = [imp.module]
        if imp.name and imp.name != "*":
            candidates.insert(0, f"{imp.module}.{imp.name}")
        for module in candidates:
            target = index.find(module, file.path) if module else None
            if target is not None and target.path != file.path:
                out.add(target.path)
                break
    return out


def _closure(entry: str, imports: Mapping[str, set[str]]) -> tuple[str, ...]:
    seen = {entry}
    stack = [entry]
    while stack:
        for nxt in imports.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return tuple(sorted(seen))


def _pipelines(
    facts: Mapping[str, FileFacts], declarations: Declarations, imports: Mapping[str, set[str]]
) -> list[Pipeline]:
    pipelines: list[Pipeline] = []
    stage_entries: set[str] = set()
    tests = {path for path, file in facts.items() if _is_test_module(path, file)}
    # A module only tests import is still nobody's library: `tests/test_predict.py` importing
    # `predict.py` does not stop that script from being a pipeline.
    imported = {path for importer, targets in imports.items() if importer not in tests for path in targets}
    for stage in declarations.pipelines:
        entry = stage.entry if stage.entry in facts else None
        if entry:
            stage_entries.add(entry)
        pipelines.append(
            Pipeline(
                id=f"dvc:{stage.source}:{stage.name}",
                kind=stage.kind,
                name=stage.name,
                entry=entry,
                source=stage.source,
                line=stage.line,
                files=_closure(entry, imports) if entry else (),
                declared=tuple(stage.inputs) + tuple(stage.outputs),
            )
        )
    for path, file in sorted(facts.items()):
        kedro_seen = _is_kedro_registry(file)
        for definition in file.pipelines:
            if definition.kind == "kedro-node":
                continue
            if definition.kind == "kedro-pipeline":
                # One per module: its `pipeline(...)` calls, namespaced wrappers included, build
                # the one pipeline that `create_pipeline` returns.
                if kedro_seen:
                    continue
                kedro_seen = True
                parts = path.split("/")
                name = parts[-2] if len(parts) >= 2 and parts[-1] == "pipeline.py" else definition.name
            else:
                name = definition.name or path
            pipelines.append(
                Pipeline(
                    id=f"{definition.kind}:{path}:{name}",
                    kind=definition.kind,
                    name=name,
                    entry=path,
                    source=path,
                    line=definition.span.line,
                    files=_closure(path, imports),
                )
            )
        if path in stage_entries or path in tests:
            continue
        if path.endswith(".ipynb"):
            pipelines.append(Pipeline(f"notebook:{path}", "notebook", path, path, path, 1, _closure(path, imports)))
        elif _runs_as_main(path, file, path in imported, facts, imports) or (
            path not in imported and _runs_at_top_level(path, file)
        ):
            pipelines.append(Pipeline(f"script:{path}", "script", path, path, path, 1, _closure(path, imports)))
    return pipelines


_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$")
# The frameworks whose import, in a module that is not a test, makes its `__main__` guard a
# self-test (`doctest.testmod()`, `unittest.main()`, `pytest.main([__file__])`).
_SELF_TEST = frozenset({"doctest", "unittest", "pytest"})
# The functions Kedro calls to collect a project's pipelines: `register_pipelines` (0.17 and
# later, in pipeline_registry.py or a hooks class) and `create_pipelines` (0.16's pipeline.py).
_KEDRO_REGISTRIES = frozenset({"register_pipelines", "create_pipelines"})


def _is_test_module(path: str, file: FileFacts) -> bool:
    """A unit-test module is never a pipeline, even when it calls training code: a file pytest
    collects by its default names (`test_*.py`, `*_test.py`, `conftest.py`), any module under a
    `tests/` directory (helpers and fixture builders of the suite), or one defining a
    `TestCase` class (unittest, absltest, `tf.test`). `test.py` alone is not one: in ML
    repositories it is the script that evaluates on the test split."""
    if _TEST_FILE.search(path) or path.startswith("tests/") or "/tests/" in path:
        return not path.endswith(".ipynb")
    return any(
        base.rpartition(".")[2].endswith("TestCase")
        for definition in file.definitions if definition.kind == "class" for base in definition.bases
    )


def _is_kedro_registry(file: FileFacts) -> bool:
    """Kedro's registry (`register_pipelines`) assembles the pipelines that modular pipelines
    define, which are pipelines of their own: it is not one more, unless it defines nodes itself
    (a one-module project)."""
    built = [d for d in file.pipelines if d.kind == "kedro-pipeline"]
    return (
        bool(built)
        and all(d.name.rpartition(".")[2] in _KEDRO_REGISTRIES for d in built)
        and not any(d.kind == "kedro-node" for d in file.pipelines)
    )


def _runs_as_main(
    path: str, file: FileFacts, imported: bool, facts: Mapping[str, FileFacts], imports: Mapping[str, set[str]]
) -> bool:
    """Whether the module's `__main__` guard makes it a pipeline.

    A module nothing imports is an entry point by its guard alone: what it runs may lie in code
    mldebt does not see (an installed package). Not when the guard is a self-test: the module
    imports doctest, unittest or pytest. A library module (another module imports it) is one
    only when running it does a pipeline's work: it, or a repository module it imports, reads or
    writes data or trains a model. A guard that builds a network to print its shape, or
    demonstrates a helper on a literal, is a demo of the library, not a pipeline."""
    if not file.has_main or any(imp.module.partition(".")[0] in _SELF_TEST for imp in file.imports):
        return False
    if not imported:
        return True
    return any(
        facts[member].accesses or any(use.kind != "construct" for use in facts[member].models)
        for member in _closure(path, imports) if member in facts
    )


def _runs_at_top_level(path: str, file: FileFacts) -> bool:
    """A script without a `__main__` guard (`python train.py` with the work at module level):
    a module no other repository module imports, that reads or writes data or builds, trains
    or loads a model outside any function, or whose module-level code calls its own functions
    and does such work in them. Packages are never scripts."""
    if path.endswith("__init__.py"):
        return False
    if file.runs_own_code:
        return bool(file.accesses or file.models)
    return any(access.scope == "" for access in file.accesses) or any(use.scope == "" for use in file.models)


def build_graph(
    facts: Mapping[str, FileFacts], declarations: Declarations, local_roots: frozenset[str] = frozenset()
) -> DataGraph:
    """Resolve every access's target across modules and find the pipelines."""
    index = ModuleIndex(facts.values())
    resolver = Resolver(index, local_roots, _script_arguments(declarations))
    accesses: list[DataAccess] = []
    imports: dict[str, set[str]] = {}
    for path, file in sorted(facts.items()):
        imports[path] = _imports_of(file, index)
        resolved: list[DataAccess] = []
        for access in file.accesses:
            targets = resolver.targets(
                file, access.value, access.interpret, access.direction, access.weak, access.api, access.cwd
            )
            resolved.extend(
                DataAccess(path, access, target, locate(file, access.span), direction)
                for target, direction in targets
            )
        accesses.extend(_databases_changed(resolved))
    pipelines = _pipelines(facts, declarations, imports)
    return DataGraph(facts, imports, tuple(accesses), tuple(pipelines), declarations)


# Calls that open a database file; what the code then does to its tables decides the direction.
_DATABASE_CONNECTS = frozenset({"sqlite3.connect", "duckdb.connect"})


def _databases_changed(accesses: list[DataAccess]) -> list[DataAccess]:
    """A database file that a module connects to and then changes (CREATE TABLE, INSERT) is
    written there, not read: a seed script produces its database. ``accesses`` are one
    module's."""
    changes = [a.access.span.line for a in accesses if a.target.kind is TargetKind.TABLE and a.direction == "write"]
    if not changes:
        return accesses
    last = max(changes)
    return [
        replace(a, direction="write") if a.access.api in _DATABASE_CONNECTS and a.access.span.line <= last else a
        for a in accesses
    ]


def _script_arguments(declarations: Declarations) -> dict[str, tuple[tuple[str, ...], str]]:
    """The command-line arguments of each script that exactly one manifest command runs (a
    script run by several stages with different arguments stays dynamic)."""
    runs: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for stage in declarations.pipelines:
        if stage.entry:
            runs[stage.entry].append((stage.argv, stage.cwd))
    return {entry: calls[0] for entry, calls in runs.items() if len(set(calls)) == 1}


def _assemble(
    facts: Mapping[str, FileFacts],
    imports: Mapping[str, set[str]],
    accesses: tuple[DataAccess, ...],
    pipelines: tuple[Pipeline, ...],
    declarations: Declarations,
) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    for path, file in sorted(facts.items()):
        graph.add_node(file_node(path), kind="file", path=path, module=file.module)
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
            node, kind="data", target_kind=target.kind.value, target=target.value,
            declared=covering is not None, declared_in=where,
        )
        edge = (node, file_node(access.path)) if access.direction == "read" else (file_node(access.path), node)
        graph.add_edge(*edge, kind=access.direction, api=access.access.api, line=access.location.line)
    for path, file in sorted(facts.items()):
        for number, model in enumerate(file.models):
            if model.kind == "construct":
                node = f"model:{path}:{model.scope}:{model.api}:{number}"
                graph.add_node(node, kind="model", api=model.api, path=path, scope=model.scope)
                graph.add_edge(file_node(path), node, kind="builds")
        # The columns a file names: where feature lineage into models will start.
        for column in file.columns:
            graph.add_node(f"column:{column.name}", kind="column", name=column.name)
            graph.add_edge(
                file_node(path), f"column:{column.name}", kind="uses-column" if column.used else "drops-column",
                via=column.via,
            )
    # What no stage owns: .dvc files, Kedro catalog entries, [tool.mldebt.data].
    for declaration in declarations.declarations:
        if declaration.origin == "dvc" and declaration.owner:
            continue
        node = f"data:{declaration.pattern}"
        if node not in graph:
            graph.add_node(node, kind="data", target_kind=declaration.kind.value, target=declaration.pattern)
        graph.nodes[node].update(
            declared=True, declared_in=f"{declaration.source}:{declaration.line}", origin=declaration.origin,
        )
    for pipeline in pipelines:
        node = pipeline_node(pipeline)
        graph.add_node(node, kind="pipeline", pipeline_kind=pipeline.kind, name=pipeline.name, source=pipeline.source)
        for path in pipeline.files:
            graph.add_edge(file_node(path), node, kind="member")
    for stage in declarations.pipelines:
        node = f"pipeline:dvc:{stage.source}:{stage.name}"
        for pattern in (*stage.inputs, *stage.outputs):
            graph.add_node(f"data:{pattern}", kind="data", target=pattern)
            graph.nodes[f"data:{pattern}"].update(declared=True, declared_in=f"{stage.source}:{stage.line}")
        for pattern in stage.inputs:
            graph.add_edge(f"data:{pattern}", node, kind="declared-input")
        for pattern in stage.outputs:
            graph.add_edge(node, f"data:{pattern}", kind="declared-output")
    return graph
