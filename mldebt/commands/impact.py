"""`mldebt impact`: what changing a file, module, dataset, pipeline, column, parameter or constant reaches (or, with
--upstream, what it depends on), each with the path that links it, and who owns the pipelines
reached; with --new-since, the same for everything a branch changed."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldebt.commands import EXIT_CLEAN, error, reporting_errors
from mldebt.engine import Analysis, CheckOptions, analyse
from mldebt.escaping import printable_line
from mldebt.graph.impact import (
    Impact,
    NoTarget,
    Reached,
    changed_keys,
    impact,
    param_nodes,
    resolve_target,
    step_label,
)
from mldebt.graph.model import NodeKind, data_node, file_node
from mldebt.history import NoHistory
from mldebt.ownership.model import OwnershipReport, PipelineOwnership
from mldebt.report.output import write_report

if TYPE_CHECKING:
    import networkx as nx

# The JSON keys, and the node kinds listed under each.
_SECTIONS = (
    ("models", NodeKind.MODEL), ("pipelines", NodeKind.PIPELINE), ("datasets", NodeKind.DATA),
    ("features", NodeKind.COLUMN), ("files", NodeKind.FILE), ("params", NodeKind.PARAM),
)


def run_impact(
    targets: Sequence[str], start: Path, fmt: str, output: Path | None, upstream: bool, new_since: str | None,
    options: CheckOptions,
) -> int:
    if not targets and new_since is None:
        return error(
            "name a target (a file, module, folder, dataset, Kedro dataset, pipeline, column, parameter or constant), or --new-since REF"
        )

    def run() -> int:
        analysis = analyse(start, options)
        graph = analysis.graph.graph
        kedro = {d.owner: d.pattern for d in analysis.declarations.declarations if d.origin == "kedro" and d.owner}
        found: list[Impact] = []
        for target in targets:
            try:
                kind, starts = resolve_target(graph, target, kedro, analysis.graph.files)
            except NoTarget as exc:
                return error(str(exc))
            found.append(impact(graph, target, kind, starts, upstream))
        if new_since is not None:
            changed = _changed_nodes(analysis, new_since)
            if isinstance(changed, int):
                return changed
            found.append(impact(graph, f"changes since {new_since}", "changes", changed, upstream))
        owners = _owners(analysis, found)
        write_report(_render(graph, found, owners, fmt, upstream), output, analysis.root)
        return EXIT_CLEAN

    return reporting_errors(run)


def _changed_nodes(analysis: Analysis, ref: str) -> tuple[str, ...] | int:
    """The graph's nodes for the files changed since the merge base of REF, the work tree's
    changes included: code files, and committed data (params.yaml, a CSV) the code reads."""
    from mldebt.engine.revision import RevisionError, resolve_revision
    from mldebt.vcs import GitError, run_git

    try:
        commit = resolve_revision(analysis.root, ref)
        listed = run_git(analysis.root, ["diff", "--name-only", "--no-renames", "-z", "--merge-base", commit, "--"])
    except RevisionError as exc:
        return error(str(exc))
    except GitError as exc:
        return error(f"--new-since {ref}: {exc}")
    graph = analysis.graph.graph
    nodes = []
    params = _params_files(analysis)
    for path in filter(None, listed.split("\0")):
        for node in (file_node(path), data_node(path)):
            if node in graph:
                nodes.append(node)
        if path in params or (_KEDRO_PARAMETERS.search(path) and path.endswith((".yml", ".yaml", ".json"))):
            for key in sorted(changed_keys(_document(analysis.root, f"{commit}:{path}", path, old=True),
                                           _document(analysis.root, path, path, old=False))):
                nodes.extend(n for n in param_nodes(graph, key) if n not in nodes)
    return tuple(nodes)


def _params_files(analysis: Analysis) -> set[str]:
    """The params files of DVC stages: `params.yaml` beside dvc.yaml, and the files of
    `{file: [keys]}` entries. Kedro's are found by their paths (`_KEDRO_PARAMETERS`)."""
    declared = {d.pattern for d in analysis.declarations.declarations if d.role == "params"}
    return declared | {p for s in analysis.declarations.pipelines for p in s.inputs if p.rsplit("/", 1)[-1] == "params.yaml"}


# conf/base/parameters.yml, conf/local/parameters_data_science.yml, conf/base/parameters/x.yml.
_KEDRO_PARAMETERS = re.compile(r"(?:^|/)conf/[^/]+/(?:parameters[^/]*\.\w+$|parameters/)")


def _document(root: Path, spec: str, path: str, old: bool) -> object:
    """A parameter file's document, at the merge base (``old``: ``spec`` is `commit:path`) or in
    the work tree; None when it is missing or does not parse (then every key of the other side
    counts as changed)."""
    from mldebt.declarations.yamlfile import YamlProblem, parse_yaml
    from mldebt.safefile import MiB, read_inside
    from mldebt.tomlcompat import tomllib
    from mldebt.vcs import GitError, run_git

    try:
        text = run_git(root, ["show", spec]) if old else read_inside(root, path, 16 * MiB).decode("utf-8")
        if path.endswith(".toml"):
            return tomllib.loads(text)
        return parse_yaml(text)
    except (GitError, OSError, UnicodeDecodeError, YamlProblem, ValueError):
        return None


def _owners(analysis: Analysis, found: Sequence[Impact]) -> dict[str, PipelineOwnership] | None:
    """The ownership of each pipeline reached, by node id; None without git history."""
    if not any(r.kind == NodeKind.PIPELINE.value for i in found for r in i.reached):
        return {}
    from mldebt.ownership.build import build_ownership, history_options

    try:
        report = build_ownership(
            analysis.root, analysis.graph, analysis.facts, cache=analysis.store,
            **history_options(analysis.settings.history),
        )
    except NoHistory:
        return None
    return _by_node(analysis, report)


def _by_node(analysis: Analysis, report: OwnershipReport) -> dict[str, PipelineOwnership]:
    keyed = {(p.kind, p.name, p.source): p for p in report.pipelines}
    return {
        f"pipeline:{p.id}": keyed[(p.kind, p.name, p.source)]
        for p in analysis.graph.pipelines
        if (p.kind, p.name, p.source) in keyed
    }


def _entry(reached: Reached, names: dict[str, str]) -> dict[str, Any]:
    return {"name": reached.name, "node": reached.node, "via": [names.get(n, n) for n in reached.via]}


def _render(
    graph: nx.DiGraph, found: Sequence[Impact], owners: dict[str, PipelineOwnership] | None, fmt: str, upstream: bool
) -> str:
    names = {node: step_label(graph, node) for node in graph.nodes}
    if fmt == "json":
        documents = [_json(i, owners, names) for i in found]
        return json.dumps(documents if len(documents) > 1 else documents[0], indent=2) + "\n"
    lines: list[str] = []
    for i in found:
        lines += _text(i, owners, names, upstream, markdown=fmt == "markdown")
    return "".join(printable_line(line) + "\n" for line in lines)


def _json(found: Impact, owners: dict[str, PipelineOwnership] | None, names: dict[str, str]) -> dict[str, Any]:
    document: dict[str, Any] = {"target": found.target, "kind": found.kind}
    for key, kind in _SECTIONS:
        document[key] = [_entry(r, names) for r in found.of_kind(kind)]
    document["owners"] = None if owners is None else [
        _owner_json(r.name, owners[r.node]) for r in found.of_kind(NodeKind.PIPELINE) if r.node in owners
    ]
    return document


def _owner_json(name: str, p: PipelineOwnership) -> dict[str, Any]:
    return {
        "pipeline": name, "kind": p.kind, "codeowners": list(p.codeowners), "active_authors": list(p.active_authors),
        "maintainers": list(p.maintainers), "bus_factor": p.bus_factor, "active_bus_factor": p.active_bus_factor,
        "unowned": p.unowned,
    }


def _text(
    found: Impact, owners: dict[str, PipelineOwnership] | None, names: dict[str, str], upstream: bool, markdown: bool
) -> list[str]:
    verb = "depends on" if upstream else "reaches"
    title = f"`{found.target}` ({found.kind}) {verb}:"
    lines = [f"### {title}" if markdown else title]
    if not found.reached:
        lines.append("- nothing" if markdown else "  nothing")
    for key, kind in _SECTIONS:
        reached = found.of_kind(kind)
        if not reached:
            continue
        lines.append(f"**{key}** ({len(reached)})" if markdown else f"  {key} ({len(reached)}):")
        for r in reached:
            via = (" <- " if upstream else " -> ").join(names.get(n, n) for n in r.via)
            lines.append(f"- `{r.name}` via {via}" if markdown else f"    {r.name}  via {via}")
            if kind is NodeKind.PIPELINE and owners and r.node in owners:
                lines.append(("  - " if markdown else "      ") + _owner_text(owners[r.node]))
    if owners is None:
        lines.append("(no git history: the pipelines' owners are not known)")
    return lines + [""]


def _owner_text(p: PipelineOwnership) -> str:
    people = ", ".join(p.owners) or "nobody"
    state = "unowned" if p.unowned else f"owners {people}"
    return f"{state}; bus factor {p.bus_factor} (active {p.active_bus_factor})"

