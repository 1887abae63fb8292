"""Build the graph once: resolve every access's target across modules, follow imports, find
the pipelines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from mldebt.declarations import ConfigFiles, Declaration, Declarations
from mldebt.declarations.kedro import CATALOG
from mldebt.declarations.patterns import ancestors
from mldebt.graph.datagraph import DataGraph
from mldebt.graph.model import DataAccess, ImportLink
from mldebt.graph.pipelines import find_pipelines
from mldebt.graph.resolve import ModuleIndex, Resolver
from mldebt.parse.facts import Access, FileFacts, Forward, Value, locate
from mldebt.parse.values import is_dynamic
from mldebt.targets import Target, TargetKind, table


def build_graph(
    facts: Mapping[str, FileFacts], declarations: Declarations, files: Sequence[str] = (),
    configs: ConfigFiles | None = None, repositories: frozenset[str] = frozenset(),
) -> DataGraph:
    """Resolve every access's target across modules and find the pipelines. ``files`` are every
    file of the repository, sources included; ``configs`` its configuration files, for the
    paths code reads from them (`cfg.data.path`); ``repositories``, the `owner/name` of the
    GitHub repositories it is a copy of (mldebt.discovery.origin)."""
    # Top-level directories: a module under one of them is the repository's own.
    local_roots = frozenset(p.split("/", 1)[0] for p in files if "/" in p)
    index = ModuleIndex(facts.values())
    existing = frozenset(files) | {folder for path in files for folder in ancestors(path, TargetKind.PATH)}
    resolver = Resolver(
        index, local_roots, _script_arguments(declarations), existing, configs, repositories,
        frozenset(declarations.folder_runs), _kedro_projects(declarations),
    )
    accesses: list[DataAccess] = []
    links: dict[str, tuple[ImportLink, ...]] = {}
    for path, file in sorted(facts.items()):
        links[path] = _links_of(file, index)
        resolved: list[DataAccess] = []
        for access in (*file.accesses, *_forwarded(file, index)):
            targets = resolver.targets(
                file, access.value, access.interpret, access.direction, access.weak, access.api, access.cwd
            )
            database = _database(resolver, file, access)
            missing = _missing(resolver, file, access)
            resolved.extend(
                DataAccess(
                    path, access, target, locate(file, access.span), direction, assumed_cwd,
                    database if target.kind is TargetKind.TABLE else None,
                    restores=direction == "write" and target == missing,
                )
                for target, direction, assumed_cwd in targets
            )
        accesses.extend(_databases_changed(resolved))
    imports = {path: {link.target for link in file_links} for path, file_links in links.items()}
    pipelines = find_pipelines(facts, declarations, links)
    return DataGraph(
        facts, imports, tuple(accesses), tuple(pipelines), declarations.adding(_schema_tables(facts)), frozenset(files)
    )


def _schema_tables(facts: Mapping[str, FileFacts]) -> tuple[Declaration, ...]:
    """The tables the repository's own database schema defines (an ORM model's
    `__tablename__`, alembic's `create_table`): declared there."""
    return tuple(
        Declaration(table(name).value, TargetKind.TABLE, "dataset", "schema", path, line, "")
        for path, file in sorted(facts.items()) for name, line in file.tables
    )


def _forwarded(file: FileFacts, index: ModuleIndex) -> list[Access]:
    """The accesses ``file``'s calls make through the repository's own functions and classes
    on what they pass (`fetch(url, "sms.zip")` of `def fetch(url, zip_path): open(zip_path,
    "wb")`), at the call, where the argument's value is known."""
    out: list[Access] = []
    for call in file.calls:
        arguments = dict(call.arguments)
        for order, forward in _forwards_of(call.callee, file, index):
            by_position = arguments.get(str(forward.position)) if forward.position >= 0 else None
            value = arguments.get(forward.parameter, by_position)
            # What the call passes without it being known is the callee's own dynamic access.
            if value is not None and not is_dynamic(value):
                out.append(Access(
                    f"{forward.api} in {call.callee}", forward.direction, forward.interpret, value, call.span,
                    call.scope, call.snippet, weak=forward.weak, cwd=call.cwd, order=order,
                ))
    return out


def _forwards_of(callee: str, caller: FileFacts, index: ModuleIndex) -> list[tuple[int, Forward]]:
    """The forwarded accesses of what a call names, each with its rank in that module: a
    function or class of another module (`helpers.fetch`), or a class's static or class method
    (`pkg.Search.load`), also where a package's `__init__` imports it from its module."""
    parts = callee.split(".")
    for owner in (1, 2):
        module, name = ".".join(parts[:-owner]), ".".join(parts[-owner:])
        found = index.find(module, caller.path) if module else None
        if found is None or found.path == caller.path:
            continue
        head, dot, rest = name.partition(".")
        # `from pkg.search import Search` in pkg/__init__.py: the module that defines it.
        reexported = next((i for i in found.imports if i.alias == head and i.name and i.name != "*"), None)
        if reexported is not None:
            defining = index.find(reexported.module, found.path)
            if defining is not None and defining.path != caller.path:
                found, name = defining, f"{reexported.name}{dot}{rest}"
        return [(order, f) for order, f in enumerate(found.forwards, start=1) if f.function == name]
    return []


def _database(resolver: Resolver, file: FileFacts, access: Access) -> Target | None:
    """The database a SQL access runs on, when its connection names one statically."""
    return _known(resolver, file, access, access.database, "database")


def _missing(resolver: Resolver, file: FileFacts, access: Access) -> Target | None:
    """The path whose absence an access waits for, when known statically."""
    return _known(resolver, file, access, access.missing, "path")


def _known(resolver: Resolver, file: FileFacts, access: Access, value: Value | None, interpret: str) -> Target | None:
    if value is None:
        return None
    found = resolver.targets(file, value, interpret, "write", cwd=access.cwd)
    return found[0][0] if found and found[0][0].kind is not TargetKind.DYNAMIC else None


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


def _links_of(file: FileFacts, index: ModuleIndex) -> tuple[ImportLink, ...]:
    """The imports of repository files by this file: `from pkg import mod` takes the whole
    module pkg/mod.py, `from mod import name` the name from mod.py."""
    out: dict[ImportLink, None] = {}
    for imp in file.imports:
        name = imp.name if imp.name and imp.name != "*" else ""
        candidates = [(f"{imp.module}.{name}", ""), (imp.module, name)] if name else [(imp.module, "")]
        for module, name in candidates:
            target = index.find(module, file.path) if module else None
            if target is not None and target.path != file.path:
                out[ImportLink(target.path, name, imp.scope)] = None
                break
    return tuple(out)


def _kedro_projects(declarations: Declarations) -> frozenset[str]:
    """The folders below the root that hold a Kedro project: where `kedro run` runs its nodes."""
    found = (CATALOG.match(d.source) for d in declarations.declarations if d.origin == "kedro")
    return frozenset(match["project"] for match in found if match is not None and match["project"])
