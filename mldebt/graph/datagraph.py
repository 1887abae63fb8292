"""The graph's questions, each answered once: which pipelines a file belongs to, which stages run
it, what declares an access's target, who consumes undeclared data, and what each access is
(``classify``). Rules and reports turn the answers into findings; they do not recompute them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING

from mldebt.declarations import Declaration, Declarations
from mldebt.declarations.patterns import ancestors
from mldebt.graph.assemble import assemble
from mldebt.graph.classify import Classification, classify
from mldebt.graph.model import Consumer, DataAccess, NodeId, NodeKind, Pipeline, Site
from mldebt.graph.pipelines import is_tooling
from mldebt.parse.facts import FileFacts
from mldebt.parse.values import literal
from mldebt.targets import Target, TargetKind

if TYPE_CHECKING:
    import networkx as nx


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
        files: frozenset[str] = frozenset(),
    ) -> None:
        self._facts = facts
        # Every file of the repository (sources, manifests, committed data and assets).
        self._files = files
        self._imports = imports
        self.accesses = accesses
        self.pipelines = pipelines
        self.declarations = declarations
        self._pipelines_by_file: dict[str, list[Pipeline]] = defaultdict(list)
        for pipeline in pipelines:
            for path in pipeline.files:
                self._pipelines_by_file[path].append(pipeline)
        self._stages: dict[str, tuple[tuple[str, str], ...]] = {}

    @property
    def files(self) -> frozenset[str]:
        """Every file of the repository: sources, manifests, committed data and assets."""
        return self._files

    @cached_property
    def graph(self) -> nx.DiGraph:
        return assemble(self._facts, self._imports, self.accesses, self.pipelines, self.declarations)

    def pipelines_of(self, path: str) -> tuple[Pipeline, ...]:
        return tuple(self._pipelines_by_file.get(path, ()))

    def resolved_accesses(self) -> Iterator[DataAccess]:
        return (a for a in self.accesses if a.target.kind is not TargetKind.DYNAMIC)

    def is_declared(self, target: Target) -> bool:
        return self.declarations.covering(target) is not None

    def stages_of(self, path: str) -> tuple[tuple[str, str], ...]:
        """The DVC stages that run ``path``, as (dvc.yaml, stage name)."""
        if path not in self._stages:
            self._stages[path] = tuple((p.source, p.name) for p in self.pipelines_of(path) if p.kind == "dvc-stage")
        return self._stages[path]

    def _declaration_of(self, access: DataAccess) -> tuple[Declaration | None, Declaration | None]:
        """(what declares the access's target for the code making it, else another stage's
        declaration of it). Code that DVC stages run must find its data among those stages'
        own deps and outs (or what no stage owns); other code, anywhere."""
        stages = self.stages_of(access.path)
        own = self.declarations.covering(access.target, stages or None)
        return own, (self.declarations.covering(access.target) if own is None and stages else None)

    @cached_property
    def _classifications(self) -> tuple[Classification, ...]:
        consumer_reads = {id(consumer.read) for consumer in self.undeclared_consumers}
        scratch = self._scratch
        read = {a.target for a in self.resolved_accesses() if a.direction == "read"}
        tooling = {path for path, file in self._facts.items() if is_tooling(path, file)}
        folder_runs = frozenset(self.declarations.folder_runs)
        found = []
        for access in self.accesses:
            declaration, elsewhere = self._declaration_of(access)
            target = access.target
            found.append(classify(
                target,
                # A notebook runs in its own directory, a DVC stage where its `wdir` says, a
                # script where its README runs it.
                anchored=access.path.endswith(".ipynb") or bool(self.stages_of(access.path))
                or access.path in folder_runs,
                declaration=declaration,
                elsewhere=elsewhere,
                committed=target.value in self._files or target.value in self._facts,
                by_tooling=access.path in tooling,
                round_trip=id(access) in scratch,
                unread_write=access.direction == "write" and target not in read
                and not any(folder in read for folder in _folders(target)),
                consumer_read=id(access) in consumer_reads,
                figure_api=access.access.interpret == "figure",
                working_directory=access.access.value == _HERE,
            ))
        return tuple(found)

    @cached_property
    def _scratch(self) -> frozenset[int]:
        """The accesses (by ``id``) through which a pipeline (or a file that none runs) writes
        data and reads it back itself: a read of a target that the pipeline writes, or writes a
        directory holding (an archive it extracts), or of the directory it writes files into,
        and those writes. Which
        of two files runs first is not known, nor which of two functions of one file (a
        `Dataset` class whose constructor reads what the script wrote before building it);
        in one scope, the write must come before the read (a script that reads a table and
        then rewrites it has the table as its input)."""
        writes: dict[str, list[DataAccess]] = defaultdict(list)
        reads: dict[str, list[DataAccess]] = defaultdict(list)
        for access in self.resolved_accesses():
            side = writes if access.direction == "write" else reads
            # A file that no pipeline runs (a test module, a library class) round-trips on its
            # own: a test that downloads a file and opens it, a class caching its download.
            for unit in [p.id for p in self.pipelines_of(access.path)] or [access.path]:
                side[unit].append(access)
        found: set[int] = set()
        for pipeline, written in writes.items():
            # Each written target, and the directory each written path lies in, with its writes.
            by_target: dict[Target, list[DataAccess]] = defaultdict(list)
            inside: dict[Target, list[DataAccess]] = defaultdict(list)
            for write in written:
                by_target[write.target].append(write)
                for folder in islice(_folders(write.target), 1):
                    inside[folder].append(write)
            for read in reads.get(pipeline, ()):
                candidates = [*by_target.get(read.target, ()), *inside.get(read.target, ())]
                for folder in _folders(read.target):
                    candidates.extend(by_target.get(folder, ()))
                if read.target.is_in_repo:
                    # What code at the root extracts into the directory it runs in (a
                    # notebook's `!unzip a.zip`) lies there, as it does below a subfolder's.
                    candidates.extend(w for w in by_target.get(_ROOT, ()) if w.access.value == _HERE)
                earlier = [
                    w for w in candidates
                    if w.path != read.path or w.access.scope != read.access.scope or w.place < read.place
                ]
                if earlier:
                    found.add(id(read))
                    found.update(map(id, earlier))
        return frozenset(found)

    def models_downstream_of(self, node: NodeId) -> list[str]:
        """The models a change to ``node`` (a file, data or pipeline node id) can reach."""
        import networkx as nx

        if node not in self.graph:
            return []
        return sorted(
            n for n in nx.descendants(self.graph, node) if self.graph.nodes[n].get("kind") == NodeKind.MODEL.value
        )

    @cached_property
    def _sites(self) -> dict[int, Site]:
        """The accesses (by ``id``) whose call stands for several targets, with that call's
        site: a loop over a literal list (`for task in TASKS: pd.read_csv(task + ".csv")`)
        or a call given a list of files. The tables of one SQL statement are one access's,
        and a call's second path (a download's file) has its own direction: neither counts."""
        made: dict[Site, set[int]] = defaultdict(set)
        for access in self.accesses:
            made[_site(access)].add(id(access.access))
        return {id(a): _site(a) for a in self.accesses if len(made[_site(a)]) > 1}

    def site_of(self, access: DataAccess) -> Site | None:
        """The call site that ``access`` shares with the other targets of its call (see
        ``_sites``): one place to fix, however many files it names; None for a call of one
        target."""
        return self._sites.get(id(access))

    def classified(self) -> Iterator[tuple[DataAccess, Classification]]:
        """Every access, in order, with what it is (mldebt.graph.classify)."""
        return zip(self.accesses, self._classifications, strict=True)

    @cached_property
    def _by_access(self) -> dict[int, Classification]:
        return {id(access): what for access, what in self.classified()}

    def classification_of(self, access: DataAccess) -> Classification:
        """What one of the graph's accesses is."""
        return self._by_access[id(access)]

    @cached_property
    def undeclared_consumers(self) -> tuple[Consumer, ...]:
        """Every read of an undeclared target that a different pipeline writes, once per
        (read, writer pipeline); the first write of that pipeline stands for it. A pipeline that
        writes the target itself reads its own data (two notebooks that each download a file
        and open it are not coupled), whoever else writes it too. Restoring a committed file
        when it is missing (`if not os.path.exists(p): urlretrieve(url, p)`) produces nothing
        that a clone of the repository lacks."""
        writes: dict[Target, list[DataAccess]] = defaultdict(list)
        for access in self.resolved_accesses():
            if access.direction == "write" and not (access.restores and access.target.value in self._files):
                writes[access.target].append(access)
        found: list[Consumer] = []
        for read in self.resolved_accesses():
            # A registry's name (`models:/churn`) is declared by publishing under it (MLD103's docs).
            if read.direction != "read" or read.target not in writes or read.target.is_named or self.is_declared(read.target):
                continue
            readers = self.pipelines_of(read.path)
            if not readers or any(w.path in r.files for w in writes[read.target] for r in readers):
                continue
            seen: set[str] = set()
            for write in writes[read.target]:
                for writer in self.pipelines_of(write.path):
                    if writer.id not in seen:
                        seen.add(writer.id)
                        found.append(Consumer(read, write, readers[0], writer))
        return tuple(found)


def _site(access: DataAccess) -> Site:
    return (access.path, access.access.span, access.access.api, access.direction)


# What code writes into when it names the directory it runs in: `extractall(".")`.
_HERE = literal(".")
_ROOT = Target(TargetKind.PATH, ".")


def _folders(target: Target) -> Iterator[Target]:
    """The directories above a repository or user-home path, innermost first; neither the root
    nor the home directory itself."""
    if target.kind is not TargetKind.PATH or (not target.is_in_repo and not target.is_user_home):
        return
    for folder in ancestors(target.value, TargetKind.PATH):
        if folder != "~":
            yield Target(TargetKind.PATH, folder)
