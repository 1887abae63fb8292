"""A repository analysed: its root and settings, every source file's facts, the declarations
of its manifests and the data graph built from both. Commands that need more than findings
(graph, accesses, ownership) start here; `check` runs the rules on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mldebt.cachestore import CacheStore
from mldebt.config import Settings, load_settings
from mldebt.declarations import ConfigFiles, Declarations, load_declarations
from mldebt.discovery import NoWorkTree, discover, find_root
from mldebt.discovery.origin import own_repositories
from mldebt.discovery.templates import describe, generates_projects, is_template_source
from mldebt.engine.extraction import extract_all, read_source
from mldebt.graph import DataGraph, build_graph
from mldebt.parse.facts import SYNTAX_ERROR, FileFacts
from mldebt.rules import rule_options
from mldebt.safefile import Tree
from mldebt.targets import Target, TargetKind


class UsageError(Exception):
    """Bad command-line input: exit 2 with this message."""


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[Path, ...] = ()
    config: Path | None = None
    jobs: int | None = None
    use_cache: bool = True
    # The repository's cache directory (default: the user's cache directory, see cachestore).
    cache_dir: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    debug: bool = False
    # Report only findings that this revision did not have.
    new_since: str | None = None
    # Report only findings not in this baseline (default: `baseline` from the configuration).
    baseline: Path | None = None
    use_baseline: bool = True
    # Run preview rules too (--preview).
    preview: bool = False


@dataclass(frozen=True)
class Analysis:
    """Everything known about a repository before any rule runs."""

    root: Path
    settings: Settings
    facts: Mapping[str, FileFacts]
    declarations: Declarations
    graph: DataGraph
    # What was skipped, and why: said once on stderr.
    notes: tuple[str, ...] = ()
    # None with --no-cache, or when no cache can be had.
    store: CacheStore | None = None


def report_filter(root: Path, paths: Sequence[Path]) -> Callable[[str], bool]:
    """Explicit PATH arguments restrict where findings are reported, not what is analysed."""
    if not paths:
        return lambda _: True
    prefixes: list[str] = []
    for path in paths:
        resolved = path.resolve()
        try:
            rel = resolved.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{path} is outside the repository at {root}") from None
        if not resolved.exists():
            raise UsageError(f"{path}: no such file or directory")
        prefixes.append("" if rel == "." else rel)
    return lambda p: any(not pre or p == pre or p.startswith(pre + "/") for pre in prefixes)


def analyse(
    start: Path,
    options: CheckOptions,
    shared_store: CacheStore | None = None,
    meanwhile: Callable[[Path, Settings, CacheStore | None], Callable[[], None] | None] | None = None,
    detached: bool = False,
) -> Analysis:
    """Discovery, facts, declarations and graph for the repository containing ``start``.
    ``shared_store`` is the cache when it is not the analysed root's own (a past revision
    shares the working tree's cache: unchanged files are not parsed again, and nothing is
    pruned). ``meanwhile``, given the root, its settings and its cache, returns work to do
    while files are parsed, or None (see `extract_all`). ``detached``: ``start`` is the root,
    in no git work tree (a past revision's files in a temporary directory, whose parents, such
    as a /tmp anyone may write to, must not decide where the root is or which git lists the
    files)."""
    try:
        root = start.resolve() if detached else find_root(start)
    except NoWorkTree as exc:
        raise UsageError(str(exc)) from None
    settings = load_settings(root, rule_options(), options.config)
    if options.select or options.ignore:
        settings = replace(
            settings,
            select=options.select or settings.select,
            ignore=settings.ignore + options.ignore,
        )
    if options.preview:
        settings = replace(settings, preview=True)
    discovery = discover(root, settings.exclude, use_git=not detached)
    declarations = load_declarations(root, discovery.files, settings.data)
    # A notebook papermill executed into a stage's outs is an output: the notebook that ran is
    # its source, analysed once.
    generated = [path for path in discovery.sources if _is_executed_notebook(declarations, path)]
    skipped = set(generated)
    sources = [path for path in discovery.sources if path not in skipped]
    store = shared_store
    if store is None and options.use_cache:
        store = CacheStore.open(root, options.cache_dir)
    facts, _ = extract_all(
        store, root, sources, settings, options.jobs,
        meanwhile=None if meanwhile is None else meanwhile(root, settings, store), prune=shared_store is None,
    )
    # Templates by their contents: only a source that failed to parse can be one, and only in a
    # project generator.
    templated: list[str] = []
    if generates_projects(discovery.files):
        with Tree(root) as tree:
            templated = [path for path, file in facts.items() if _is_template(tree, file)]
    for path in templated:
        del facts[path]
    graph = build_graph(facts, declarations, discovery.files, ConfigFiles(root, discovery.files), own_repositories(root))
    notes = [f"skipped {path}: {reason}" for path, reason in discovery.skipped]
    if discovery.templates or templated:
        notes.append(describe(sorted([*discovery.templates, *templated])))
    if generated:
        notes.append(
            f"skipped {len(generated)} file{'s' if len(generated) != 1 else ''} that manifests declare as outputs "
            f"(generated, not source): {', '.join(generated[:3])}{', ...' if len(generated) > 3 else ''}"
        )
    return Analysis(root, settings, facts, declarations, graph, tuple(notes), store)


def _is_template(tree: Tree, file: FileFacts) -> bool:
    """Whether a module that does not parse is a template (see discovery.templates); notebooks
    never are, their spans being in the coordinates of their joined cells."""
    problem = next((p for p in file.problems if p.code == SYNTAX_ERROR), None)
    if problem is None or not file.path.endswith(".py"):
        return False
    data = read_source(tree, file.path)
    return not isinstance(data, OSError) and is_template_source(data, problem.span.line)


def _is_executed_notebook(declarations: Declarations, path: str) -> bool:
    """Whether ``path`` is a notebook that a DVC stage writes from another notebook or script it
    depends on (papermill's case). Nothing looser: what is skipped has no findings, and a
    two-line `src.dvc` declaring `src` as data must not make a pull request's code vanish from
    the gate."""
    covering = declarations.covering(Target(TargetKind.PATH, path))
    if not path.endswith(".ipynb") or covering is None or covering.role != "output" or not covering.owner:
        return False
    return any(
        stage.name == covering.owner and any(i != path and i.endswith((".ipynb", ".py")) for i in stage.inputs)
        for stage in declarations.pipelines
    )
