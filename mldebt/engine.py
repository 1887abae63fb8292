"""The one place that wires the pieces together:

discover -> extract facts (cached, parallel) -> declarations -> graph -> rules -> suppress
-> fingerprint -> RunResult.
"""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pathspec

from mldebt import __version__
from mldebt.baseline import Baseline, load_baseline, split
from mldebt.cache import FactCache, content_digest, extractor_digest
from mldebt.cachestore import CacheStore
from mldebt.catalogs import Catalog, load_catalog
from mldebt.catalogs.models import load_models, models_digest
from mldebt.config import ConfigError, Settings, load_settings
from mldebt.debt import debt_score
from mldebt.declarations import Declarations, load_declarations
from mldebt.discovery import Discovery, NoWorkTree, discover, find_root
from mldebt.discovery.templates import describe, generates_projects, is_template_source
from mldebt.findings import Finding, Location, RunResult, Summary, fingerprint, normalise_snippet
from mldebt.graph import DataGraph, build_graph
from mldebt.ownership.model import OwnershipReport
from mldebt.parse.facts import SYNTAX_ERROR, UNREADABLE, AnalysisProblem, FileFacts, Span, locate, module_name
from mldebt.revision import RevisionError, materialize, resolve_revision
from mldebt.rules import UNUSED_SUPPRESSION, all_rules, is_preview, rule_options
from mldebt.rules.base import Rule, RuleContext
from mldebt.safefile import MiB, Tree
from mldebt.targets import Target, TargetKind
from mldebt.vcs import GitError

if TYPE_CHECKING:
    from mldebt.history import History

# Starting worker processes (each imports libcst) costs about as much as parsing 16 average
# files, or 250 KB of source: below both, one process is faster.
_PARALLEL_FILES = 16
_PARALLEL_BYTES = 250_000


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


@dataclass
class Analysis:
    """Everything a check computed, for commands that need more than findings (graph)."""

    root: Path
    settings: Settings
    discovery: Discovery
    facts: dict[str, FileFacts]
    declarations: Declarations
    graph: DataGraph
    notes: list[str] = field(default_factory=list)
    cache_hits: int = 0
    # None with --no-cache, or when no cache can be had.
    store: CacheStore | None = None
    # Set by check: every finding of the repository before baseline and --new-since filtering,
    # and the baseline used, for --update-baseline and --fail-on-increase.
    all_findings: list[Finding] = field(default_factory=list)
    baseline: Baseline | None = None
    # As the command line gave it, or as the configuration did (relative to the root).
    baseline_path: Path | None = None
    baseline_configured: bool = False


def _worker_init(extension: Mapping[str, object]) -> None:
    global _WORKER_CATALOG
    _WORKER_CATALOG = load_catalog(extension)


_WORKER_CATALOG: Catalog | None = None


def _extract_in_worker(job: tuple[str, bytes, str]) -> FileFacts:
    from mldebt.parse.analyze import analyze_file

    path, data, digest = job
    assert _WORKER_CATALOG is not None
    return analyze_file(path, data, digest, _WORKER_CATALOG, load_models())


# Larger than any hand-written module or notebook with outputs; a file beyond it is reported
# as unreadable rather than read into memory.
MAX_SOURCE_BYTES = 64 * MiB


def _read(tree: Tree, path: str) -> bytes | OSError:
    try:
        return tree.read(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        return exc


def extract_all(
    store: CacheStore | None,
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    jobs: int | None,
    meanwhile: Callable[[], None] | None = None,
    prune: bool = True,
) -> tuple[dict[str, FileFacts], int]:
    """Facts for every path, from the cache where the content is unchanged. Returns the facts
    and the number of cache hits. ``prune``: this run's files are all the repository's, so
    the cache's other entries are dead.

    ``meanwhile`` runs in this process while worker processes parse, or before parsing when
    there are no workers: they are forked first, so that no thread it starts is forked."""
    catalog = load_catalog(settings.catalog)
    salt = f"{__version__}\0{extractor_digest()}\0{catalog.digest}\0{models_digest()}"
    cache = FactCache(store, salt) if store is not None else None
    facts: dict[str, FileFacts] = {}
    todo: list[tuple[str, bytes, str]] = []
    with Tree(root) as tree:
        for path in paths:
            data = _read(tree, path)
            if isinstance(data, OSError):
                reason = data.strerror or type(data).__name__
                facts[path] = FileFacts(
                    path=path, module=module_name(path), digest="",
                    problems=(AnalysisProblem(UNREADABLE, f"cannot read file: {reason}", Span(1, 1, 1, 1)),),
                )
                continue
            digest = content_digest(data)
            cached = cache.get(path, digest) if cache else None
            if cached is not None:
                facts[path] = cached
            else:
                todo.append((path, data, digest))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if (
        workers > 1
        and len(todo) > 0
        and (
            # The main process has work of its own: one worker parsing even one file overlaps it.
            meanwhile is not None
            or (len(todo) > 1 and (len(todo) >= _PARALLEL_FILES or sum(len(job[1]) for job in todo) >= _PARALLEL_BYTES))
        )
    ):
        from concurrent.futures import ProcessPoolExecutor

        # Largest files first, so that one big file does not finish alone at the end.
        todo.sort(key=lambda job: -len(job[1]))
        with ProcessPoolExecutor(
            max_workers=min(workers, len(todo)), initializer=_worker_init, initargs=(dict(settings.catalog),)
        ) as pool:
            # map submits every job before it returns.
            pending = pool.map(_extract_in_worker, todo, chunksize=max(1, len(todo) // (workers * 8)))
            if meanwhile is not None:
                try:
                    meanwhile()
                except BaseException:
                    pool.shutdown(cancel_futures=True)
                    raise
            results = list(pending)
    else:
        if meanwhile is not None:
            meanwhile()
        if todo:
            # Imported only when something must be parsed: libcst costs a warm run a third of its time.
            from mldebt.parse.analyze import analyze_file

            models = load_models()
            results = [analyze_file(path, data, digest, catalog, models) for path, data, digest in todo]
        else:
            results = []
    for result in results:
        facts[result.path] = result
        if cache is not None:
            cache.put(result)
    if cache is not None and cache.misses and prune:
        cache.prune()
    return facts, cache.hits if cache else 0


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
    facts, hits = extract_all(
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
    graph = build_graph(facts, declarations, discovery.files)
    notes = [f"skipped {path}: {reason}" for path, reason in discovery.skipped]
    if discovery.templates or templated:
        notes.append(describe(sorted([*discovery.templates, *templated])))
    if generated:
        notes.append(
            f"skipped {len(generated)} file{'s' if len(generated) != 1 else ''} that manifests declare as outputs "
            f"(generated, not source): {', '.join(generated[:3])}{', ...' if len(generated) > 3 else ''}"
        )
    return Analysis(root, settings, discovery, facts, declarations, graph, notes, hits, store)


def _is_template(tree: Tree, file: FileFacts) -> bool:
    """Whether a module that does not parse is a template (see discovery.templates); notebooks
    never are, their spans being in the coordinates of their joined cells."""
    problem = next((p for p in file.problems if p.code == SYNTAX_ERROR), None)
    if problem is None or not file.path.endswith(".py"):
        return False
    data = _read(tree, file.path)
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


def selected_rules(settings: Settings) -> list[Rule]:
    return [rule() for rule in all_rules() if settings.is_selected(rule.code, rule.preview)]


@dataclass
class _RuleHistory:
    """The history the MLD4xx rules need, mined only when one of them is selected: `plan` is
    `analyse`'s ``meanwhile``, so that git log runs while worker processes parse."""

    history: History | None = None
    problem: str | None = None

    def plan(self, root: Path, settings: Settings, store: CacheStore | None) -> Callable[[], None] | None:
        if not any(rule.needs_history for rule in selected_rules(settings)):
            return None
        return lambda: self.mine(root, settings, store)

    def mine(self, root: Path, settings: Settings, store: CacheStore | None) -> None:
        from mldebt.history import NoHistory
        from mldebt.ownership.build import mine_configured

        try:
            self.history = mine_configured(root, settings.history, store)
        except NoHistory as exc:
            self.problem = str(exc)


def _ownership(analysis: Analysis, mined: _RuleHistory) -> OwnershipReport | None:
    """The ownership report for history-based rules, or None (with a note) without history."""
    from mldebt.ownership.build import build_ownership, history_options

    if mined.history is None and mined.problem is None:
        mined.mine(analysis.root, analysis.settings, analysis.store)
    if mined.history is None:
        analysis.notes.append(f"history-based rules (MLD4xx) skipped: {mined.problem}")
        return None
    report = build_ownership(
        analysis.root, analysis.graph, analysis.facts, cache=None, history=mined.history,
        **history_options(analysis.settings.history),
    )
    # A shallow clone or an unwritable cache: said once, with the other notes.
    analysis.notes.extend(f"history: {warning}" for warning in report.warnings)
    return report


def run_rules(
    analysis: Analysis, rules: Iterable[Rule], debug: bool, mined: _RuleHistory
) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    errors: list[str] = []
    rules = list(rules)
    ownership = _ownership(analysis, mined) if any(r.needs_history for r in rules) else None
    for rule in rules:
        if rule.needs_history and ownership is None:
            continue
        options = analysis.settings.rules.get(rule.name, rule.Options())
        ctx = RuleContext(analysis.facts, analysis.graph, analysis.declarations, options, ownership)
        try:
            findings.extend(rule.check(ctx))
        except Exception:
            if debug:
                raise
            errors.append(f"rule {rule.code} ({rule.name}) crashed:\n{traceback.format_exc()}")
    return findings, errors


def _per_file_ignored(settings: Settings) -> Callable[[str, str], bool]:
    specs = [
        (pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in settings.per_file_ignores
    ]

    def ignored(path: str, code: str) -> bool:
        return any(spec.match_file(path) and any(code.startswith(c) or c == "ALL" for c in codes) for spec, codes in specs)

    return ignored


def _apply_suppressions(
    findings: list[Finding], facts: Mapping[str, FileFacts], settings: Settings
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed) and add one for every unused suppression."""
    by_place: dict[tuple[str, int | None, int], list[tuple[tuple[str, ...], str, list[bool], Location]]] = defaultdict(list)
    for path, file in facts.items():
        for suppression in file.suppressions:
            location = locate(file, Span(suppression.line, 1, suppression.line, 1))
            entry = (suppression.codes, suppression.reason, [False], location)
            # A suppression covers its own line and the line below it.
            by_place[(path, location.cell, location.line)].append(entry)
            by_place[(path, location.cell, location.line + 1)].append(entry)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        loc = finding.location
        hit = None
        for codes, reason, used, _ in by_place.get((loc.path, loc.cell, loc.line), ()):
            if not codes or finding.code in codes:
                used[0] = True
                hit = reason
                break
        if hit is None:
            kept.append(finding)
        else:
            message = f"{finding.message} (suppressed: {hit})" if hit else finding.message
            suppressed.append(replace(finding, message=message))
    if settings.is_selected(UNUSED_SUPPRESSION.code):
        seen: set[int] = set()
        for entries in by_place.values():
            for codes, _, used, location in entries:
                if used[0] or id(used) in seen:
                    continue
                seen.add(id(used))
                if codes and not any(settings.is_selected(c) for c in codes):
                    continue
                label = f"[{', '.join(codes)}]" if codes else ""
                kept.append(
                    UNUSED_SUPPRESSION().finding(
                        location, f"unused suppression `# mldebt: ignore{label}`: nothing to suppress here",
                        snippet=f"ignore{label}",
                    )
                )
    return kept, suppressed


def _fingerprinted(findings: Sequence[Finding]) -> list[Finding]:
    """The findings, in the same order, with fingerprints: identical keys in one file are told
    apart by their order of occurrence."""
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    out = list(findings)
    for i in sorted(range(len(out)), key=lambda i: out[i].sort_key):
        finding = out[i]
        key = (finding.code, finding.location.path, finding.scope, normalise_snippet(finding.snippet or finding.message))
        out[i] = replace(finding, fingerprint=fingerprint(*key, occurrences[key]))
        occurrences[key] += 1
    return out


def _findings(
    analysis: Analysis, options: CheckOptions, mined: _RuleHistory
) -> tuple[list[Finding], list[Finding], list[str]]:
    """(reported, suppressed, internal errors) for the whole repository, fingerprinted."""
    settings = analysis.settings
    findings, internal_errors = run_rules(analysis, selected_rules(settings), options.debug, mined)
    kept, suppressed = _apply_suppressions(findings, analysis.facts, settings)
    # One numbering for both, so that adding a suppression does not renumber the others.
    numbered = _fingerprinted([*kept, *suppressed])
    kept, suppressed = numbered[: len(kept)], numbered[len(kept) :]
    ignored = _per_file_ignored(settings)
    kept = [f for f in kept if not ignored(f.location.path, f.code)]
    return kept, suppressed, internal_errors


def _fingerprints_at(root: Path, ref: str, options: CheckOptions, store: CacheStore | None) -> Counter[str]:
    """The fingerprints of the findings revision ``ref`` had, cached per commit in ``store``."""
    commit = resolve_revision(root, ref)
    salt = f"{__version__}\0{extractor_digest()}\0{options.select}\0{options.ignore}"
    entry = f"revisions/{commit}.json"
    raw = store.read(entry) if store is not None else None
    if raw is not None:
        try:
            cached = json.loads(raw)
            if cached.get("salt") == salt and isinstance(cached.get("fingerprints"), list):
                return Counter(str(f) for f in cached["fingerprints"])
        except (ValueError, AttributeError, RecursionError):
            pass
    with tempfile.TemporaryDirectory(prefix="mldebt-rev-") as tmp:
        try:
            materialize(root, commit, Path(tmp))
        except GitError as exc:
            raise RevisionError(
                f"revision {ref!r} ({commit}) cannot be read: {exc}. Objects are missing from this clone "
                "(a partial clone, or a damaged one): a full `git clone` has them."
            ) from None
        # The past revision shares this cache, or has none: never one of its own.
        past_options = replace(options, paths=(), config=None, new_since=None, use_cache=store is not None)
        try:
            past = analyse(Path(tmp), past_options, shared_store=store, detached=True)
        except ConfigError as exc:
            raise RevisionError(f"the configuration at {ref} is invalid: {'; '.join(exc.problems)}") from None
        # The files have no history of their own; git is not run among the temporary directory's parents.
        no_history = _RuleHistory(problem="a past revision is analysed without history")
        kept, _, _ = _findings(past, past_options, no_history)
    fingerprints = [f.fingerprint for f in kept]
    if store is not None:
        store.write(entry, json.dumps({"salt": salt, "fingerprints": fingerprints}).encode())
    return Counter(fingerprints)


def check(start: Path, options: CheckOptions) -> tuple[RunResult, Analysis]:
    """Run the whole check; the RunResult is what renderers see."""
    mined = _RuleHistory()
    analysis = analyse(start, options, meanwhile=mined.plan)
    kept, suppressed, internal_errors = _findings(analysis, options, mined)
    # Preview rules' findings are reported, but stay out of baselines and the debt score.
    analysis.all_findings = [f for f in kept if not is_preview(f.code)]
    total_debt = debt_score(analysis.all_findings)
    known = fixed = 0
    # A baseline the configuration names is relative to the root and must stay inside it.
    configured = options.baseline is None and bool(analysis.settings.baseline)
    baseline_path = options.baseline or (Path(analysis.settings.baseline) if configured else None)
    if baseline_path is not None and options.use_baseline:
        baseline = load_baseline(baseline_path, analysis.root, configured=configured)
        analysis.baseline_configured = configured
        parts = split(kept, baseline)
        kept = list(parts.new)
        known += len(parts.known)
        fixed = sum(e.count for e in parts.fixed)
        analysis.baseline, analysis.baseline_path = baseline, baseline_path
    if options.new_since:
        before = _fingerprints_at(analysis.root, options.new_since, options, analysis.store)
        fresh: list[Finding] = []
        for finding in kept:
            if before[finding.fingerprint] > 0:
                before[finding.fingerprint] -= 1
                known += 1
            else:
                fresh.append(finding)
        kept = fresh
    reported = report_filter(analysis.root, options.paths)
    kept = [f for f in kept if reported(f.location.path)]
    suppressed = [f for f in suppressed if reported(f.location.path)]
    accesses = analysis.graph.accesses
    summary = Summary(
        files_analyzed=len(analysis.facts),
        files_with_errors=sum(1 for f in analysis.facts.values() if f.problems),
        data_accesses=len(accesses),
        dynamic_targets=sum(1 for a in accesses if a.target.kind is TargetKind.DYNAMIC),
        findings=len(kept),
        suppressed=len(suppressed),
        known=known,
        fixed=fixed,
        debt_score=total_debt,
        by_code=dict(Counter(f.code for f in kept)),
    )
    if analysis.store is not None and analysis.store.rejected:
        analysis.notes.append(analysis.store.rejection_note())
    result = RunResult(
        findings=tuple(sorted(kept, key=lambda f: f.sort_key)),
        summary=summary,
        suppressed=tuple(suppressed),
        notes=tuple(analysis.notes),
        internal_errors=tuple(internal_errors),
    )
    return result, analysis
