"""Ownership of a repository, its modules and its ML pipelines, from git history and CODEOWNERS.

Who knows a file is decided by degree of authorship (mldebt.history.authorship), read as
`model` says; a developer with no commit in the `active_months` before `as_of` (default: the
HEAD commit's date) is inactive. A pipeline's files are the ones it runs: its entry and every
repository module the entry imports; a DVC stage whose command runs no Python file of the
repository is known by its dvc.yaml. It is judged on its own code: its entry and the modules
that at most `FEW_PIPELINES` pipelines run. Modules that more pipelines run are shared code,
judged once, one unit per directory, or as the pipelines that claim them: their entry (a
`__main__` self-test), or the code a stage's deps name. Bus factor (of a file, a pipeline) and
truck factor (of the repository, a module) are the same greedy measure over different sets of
files, a pipeline's weighted by the files' lines; the active variant counts inactive developers
as gone before starting. A pipeline's maintainers are the developers with at least
`maintainer_commits` commits to its own files in the activity window: a pipeline they keep up
is not unowned, whoever wrote it.

A pipeline's complexity and risk are computed by mldebt.metrics.complexity and
mldebt.metrics.risk, where their formulas are documented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from mldebt.cachestore import CacheStore
from mldebt.catalogs.models import load_models
from mldebt.config import HistorySettings
from mldebt.graph import DataGraph, Pipeline
from mldebt.history import (
    DEFAULT_BOTS,
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    DEFAULT_MAINTAINER_COMMITS,
    DEFAULT_MODEL,
    MODELS,
    AuthorshipModel,
    Codeowners,
    FileChurn,
    History,
    activity_window,
    authorship,
    churn,
    inactive_developers,
    load_codeowners,
    maintainers,
    mine_history,
    module_truck_factors,
    select_files,
    truck_factor,
)
from mldebt.history.truck import DEFAULT_ACTIVE_MONTHS
from mldebt.metrics.complexity import complexity_parts
from mldebt.metrics.risk import DAY, recency_factor, risk_score
from mldebt.ownership.model import (
    SHARED_CODE,
    UNATTRIBUTABLE_SHARE,
    AuthorInfo,
    DeveloperIdentities,
    FileOwnership,
    IdentityMerge,
    ModuleOwnership,
    OwnershipReport,
    PipelineOwnership,
    Unattributable,
    iso_date,
)
from mldebt.parse.facts import FileFacts
from mldebt.targets import Target

# Declared pipelines are ML plumbing by definition, and so are the pipelines of ML workflow
# frameworks (ZenML, Metaflow); scripts, notebooks and general workflow engines' flows (Prefect,
# Dagster) count when they build, train or load a model.
_PIPELINE_KINDS = frozenset({"dvc-stage", "kedro-pipeline", "airflow-dag", "zenml-pipeline", "metaflow-flow"})

# A module that more pipelines than this run is shared code, not any one pipeline's own.
FEW_PIPELINES = 2


def history_options(settings: HistorySettings) -> dict[str, Any]:
    """`[tool.mldebt.history]` as keyword arguments of `build_ownership`: active_months,
    maintainer_commits, bots, aliases, include, exclude, model."""
    return {
        "active_months": settings.active_months,
        "maintainer_commits": settings.maintainer_commits,
        "bots": settings.bots,
        "aliases": dict(settings.aliases),
        "include": settings.include,
        "exclude": settings.exclude,
        "model": MODELS[settings.authorship_model],
    }


def mine_configured(
    root: Path,
    settings: HistorySettings,
    cache: CacheStore | None,
    progress: Callable[[int], None] | None = None,
    revision: str = "HEAD",
) -> History:
    """The history of ``root`` up to ``revision`` as `[tool.mldebt.history]` (``settings``) asks
    for it, kept in ``cache`` if there is one (HEAD's only). Raises NoHistory without git history."""
    return mine_history(
        root, cache, bots=settings.bots, progress=progress, aliases=dict(settings.aliases), revision=revision,
        max_changeset_size=settings.max_changeset_size,
    )


def parse_as_of(text: str) -> datetime:
    """`--as-of` as a date or datetime (ISO 8601); a date alone means the end of that day, UTC.
    Raises ValueError with a message for the user."""
    stripped = text.strip()
    try:
        moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--as-of {text!r} is not a date (YYYY-MM-DD or ISO 8601)") from None
    if len(stripped) == 10:
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def build_ownership(
    root: Path,
    graph: DataGraph,
    facts: Mapping[str, FileFacts],
    *,
    cache: CacheStore | None,
    as_of: datetime | None = None,
    active_months: int = DEFAULT_ACTIVE_MONTHS,
    maintainer_commits: int = DEFAULT_MAINTAINER_COMMITS,
    bots: Sequence[str] = DEFAULT_BOTS,
    aliases: Mapping[str, Sequence[str]] | None = None,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    model: AuthorshipModel = MODELS[DEFAULT_MODEL],
    progress: Callable[[int], None] | None = None,
    history: History | None = None,
) -> OwnershipReport:
    """The ownership report of the repository at ``root``.

    ``history`` is mined here (cached in ``cache``, ``progress`` called with the commits
    parsed so far) unless the caller already has it. Raises the history library's NoHistory
    when there is no git history to mine.

    Machine identities (mldebt.history.identities) author files as anyone does, but they are
    nobody: they are left out of every author list, bus and truck factor, and a pipeline they
    wrote part of is neither owned by them nor called unowned.
    """
    history = history or mine_history(root, cache, bots=bots, progress=progress, aliases=aliases)
    end = int(as_of.timestamp()) if as_of else history.head_time
    gone = inactive_developers(history, active_months, as_of)
    tracked = select_files(history.files, include, exclude)
    at_head = set(history.files)
    # A pipeline's entry is judged even where the filter leaves it out (a script under docs/);
    # the modules it imports follow the filter. A stage that runs no Python file of the
    # repository is known by its manifest.
    own = {p.entry if p.entry and p.files else p.source for p in graph.pipelines} & at_head - set(tracked)
    machines = {d.name for d in history.developers if d.machine}
    authorships = authorship(history, (*tracked, *sorted(own)), model)
    authors_of = {path: tuple(a for a in entry.authors if a not in machines) for path, entry in authorships.items()}
    machine_of = {path: tuple(a for a in entry.authors if a in machines) for path, entry in authorships.items()}
    counts = history.commit_counts()
    changes = churn(history, list(authors_of))
    codeowners = load_codeowners(root)
    people = tuple(
        AuthorInfo(d.name, d.emails[0] if d.emails else "", d.commits, d.first_commit, d.last_commit, d.name not in gone)
        for d in sorted(history.developers, key=lambda d: (-d.commits, d.name))
        if not d.bot and not d.machine
    )
    code = {path: authors_of[path] for path in tracked}
    repo_tf = truck_factor(code, counts)
    files = tuple(
        FileOwnership(
            path=path,
            bus_factor=len(code[path]),
            authors=code[path],
            active_authors=tuple(a for a in code[path] if a not in gone),
            codeowners=_owners(codeowners, [path]),
            changes=changes[path].commits if path in changes else 0,
            last_change=changes[path].last_change if path in changes else None,
        )
        for path in sorted(code)
    )
    active_modules = module_truck_factors(code, counts, gone)
    modules = tuple(
        ModuleOwnership(path, tf.value, tf.removed, active_modules[path].value)
        for path, tf in module_truck_factors(code, counts).items()
    )
    own, shared = own_code(graph.pipelines)
    scope = _Scope(
        facts, graph, history, authors_of, machine_of, counts, gone, codeowners, changes,
        activity_window(history, active_months, as_of), maintainer_commits,
    )
    units = [scope.pipeline(p, own[p.id]) for p in graph.pipelines]
    units += [scope.pipeline(unit, unit.files, runs) for unit, runs in shared]
    # Production code first: a tutorial notebook ranks below every pipeline that runs for real.
    pipelines = tuple(sorted(units, key=lambda p: (p.exploratory, -p.risk, p.name, p.source)))
    return OwnershipReport(
        head=history.head,
        as_of=end,
        partial=history.partial,
        truck_factor=repo_tf.value,
        truck_factor_authors=repo_tf.removed,
        active_truck_factor=truck_factor(code, counts, gone=gone).value,
        authors=people,
        files=files,
        modules=modules,
        pipelines=pipelines,
        warnings=history.warnings + _codeowners_warnings(codeowners, history.files),
        knowledge_lost=tuple(path for path in sorted(code) if code[path] and all(a in gone for a in code[path])),
        active_months=active_months,
        authorship_model=next(name for name, known in MODELS.items() if known == model),
        inactive=gone,
        unattributable=_unattributable(history, tracked),
        identities=identity_groups(history),
        coders=_coders(history, tracked),
    )


def _coders(history: History, code: Sequence[str]) -> tuple[str, ...]:
    """The people (not bots, not machines) with a commit to one of ``code``, by name."""
    people = history.developers
    found = {i for path in code if path in history.paths for i in history.paths[path].changes}
    return tuple(sorted(people[i].name for i in found if not people[i].bot and not people[i].machine))


def _unattributable(history: History, code: Sequence[str]) -> tuple[Unattributable, ...]:
    """The machine identities, each with the code files it committed to."""
    found = []
    for i, developer in enumerate(history.developers):
        if developer.machine:
            files = tuple(path for path in sorted(code) if path in history.paths and i in history.paths[path].changes)
            email = developer.emails[0] if developer.emails else ""
            found.append(Unattributable(developer.name, email, developer.commits, files))
    return tuple(found)


def identity_groups(history: History) -> tuple[DeveloperIdentities, ...]:
    """Every developer merged from more than one identity, and every bot and machine, with the
    identities and the reason of each merge; most commits first."""
    members: dict[int, list[tuple[str, str, int]]] = {}
    for name, email, developer, commits in history.identities:
        members.setdefault(developer, []).append((name, email, commits))
    merges: dict[int, list[IdentityMerge]] = {}
    for merge in history.merges:
        identity, other = history.identities[merge.identity], history.identities[merge.other]
        merges.setdefault(identity[2], []).append(
            IdentityMerge(_identity_text(identity[0], identity[1]), _identity_text(other[0], other[1]), merge.reason)
        )
    groups = [
        DeveloperIdentities(
            name=developer.name,
            kind=developer.kind.value,
            identities=tuple(sorted(members.get(i, []), key=lambda m: (-m[2], m[0], m[1]))),
            merges=tuple(merges.get(i, [])),
        )
        for i, developer in enumerate(history.developers)
        if len(members.get(i, [])) > 1 or developer.bot or developer.machine
    ]
    return tuple(sorted(groups, key=lambda g: (g.kind != "person", -sum(c for _, _, c in g.identities), g.name)))


def _identity_text(name: str, email: str) -> str:
    return f"{name} <{email}>"


def _codeowners_warnings(codeowners: Codeowners | None, files: Sequence[str]) -> tuple[str, ...]:
    """Lines GitHub would skip, and patterns that match no file: an owner who thinks a
    directory is theirs while the report says nobody owns it should hear why."""
    if codeowners is None:
        return ()
    warnings = [f"{codeowners.path}:{p.line}: {p.message}" for p in codeowners.problems]
    for rule in codeowners.rules:
        if not any(rule.matches(path) for path in files):
            hint = f" (GitHub's patterns have no leading `./`: `{rule.pattern[1:]}`)" if rule.pattern.startswith("./") else ""
            warnings.append(f"{codeowners.path}:{rule.line}: `{rule.pattern}` matches no file{hint}")
    return tuple(warnings)


def _owners(codeowners: Codeowners | None, paths: Sequence[str]) -> tuple[str, ...]:
    if codeowners is None:
        return ()
    found: dict[str, None] = {}
    for path in paths:
        found.update(dict.fromkeys(codeowners.owners_of(path)))
    return tuple(found)


def own_code(
    pipelines: Sequence[Pipeline],
) -> tuple[dict[str, tuple[str, ...]], list[tuple[Pipeline, frozenset[str]]]]:
    """Each pipeline's own files (by pipeline id), and the units of shared code with the ids of
    the pipelines that run each. A module more than `FEW_PIPELINES` other pipelines run is shared:
    none of theirs. A shared module that a pipeline claims, as its entry (a library module with a
    `__main__` self-test) or as a code dependency its stage declares (`deps: [src/train.py]`,
    when the command runs a dispatcher), is the own code of the pipelines that claim it alone;
    the other shared modules of a directory make one unit (`utils/`), and a shared module at the
    root is a unit of its own. A pipeline's thin launchers are none of its own code: whoever
    wrote the script that starts a training run does not own the training."""
    runs: dict[str, set[str]] = {}
    claimed: dict[str, set[str]] = {}  # a module -> the pipelines it is the entry or a declared dependency of
    for pipeline in pipelines:
        for path in pipeline.files:
            runs.setdefault(path, set()).add(pipeline.id)
            if path == pipeline.entry or path in pipeline.declared:
                claimed.setdefault(path, set()).add(pipeline.id)
    shared = {path for path, ids in runs.items() if len(ids - claimed.get(path, set())) > FEW_PIPELINES}
    own = {
        p.id: tuple(
            path for path in p.files
            if (path not in shared or p.id in claimed.get(path, ())) and path not in p.launchers
        )
        for p in pipelines
    }
    directories: dict[str, list[str]] = {}
    for path in sorted(shared - set(claimed)):
        folder = path.rpartition("/")[0]
        directories.setdefault(f"{folder}/" if folder else path, []).append(path)
    # A directory with one shared module is named by the module.
    directories = {files[0] if len(files) == 1 else name: files for name, files in directories.items()}
    units = [
        (
            Pipeline(f"{SHARED_CODE}:{name}", SHARED_CODE, name, None, files[0], 1, tuple(files)),
            frozenset().union(*(runs[path] for path in files)),
        )
        for name, files in directories.items()
    ]
    return own, units


@dataclass(frozen=True)
class _Scope:
    """What every pipeline's ownership is computed from."""

    facts: Mapping[str, FileFacts]
    graph: DataGraph
    history: History
    authors_of: Mapping[str, tuple[str, ...]]
    machine_of: Mapping[str, tuple[str, ...]]
    counts: Mapping[str, int]
    gone: frozenset[str]
    codeowners: Codeowners | None
    changes: Mapping[str, FileChurn]
    window: tuple[int, int]  # the activity window, unix seconds
    maintainer_commits: int

    def pipeline(self, pipeline: Pipeline, own: Sequence[str], runs: frozenset[str] = frozenset()) -> PipelineOwnership:
        """The ownership of ``pipeline``, judged on its ``own`` files; for a unit of shared code,
        ``runs`` are the pipelines that run it."""
        shared_by = len(runs)
        # A stage's owners are those of the code it runs; its dvc.yaml's only when it runs none.
        known_by = tuple(own) or (pipeline.source,)
        authored = {p: self.authors_of[p] for p in known_by if p in self.authors_of}
        # Each file weighs its lines: a constants module is not half of a training pipeline.
        sizes = {p: max(1, self.facts[p].line_count) if p in self.facts else 1 for p in authored}
        # A file only machine identities author may be anyone's: it is set aside, neither
        # orphaned nor owned, and the pipeline is judged on what people wrote.
        machine_made = {p for p, names in authored.items() if not names and self.machine_of.get(p)}
        known = {p: names for p, names in authored.items() if p not in machine_made}
        weights = {p: sizes[p] for p in known}
        tf = truck_factor(known, self.counts, weights=weights)
        active_tf = truck_factor(known, self.counts, gone=self.gone, weights=weights)
        authors = tuple(sorted({a for names in known.values() for a in names}))
        active = tuple(a for a in authors if a not in self.gone)
        keepers = maintainers(self.history, known_by, self.window, self.maintainer_commits)
        owners = _owners(self.codeowners, known_by)
        machines = tuple(sorted({m for p in known_by for m in self.machine_of.get(p, ())}))
        parts = complexity_parts(own, self.facts, self.graph)
        complexity = round(sum(parts.values()), 2)
        last_change = max((self.changes[p].last_change for p in known_by if p in self.changes), default=None)
        recency = recency_factor(last_change, self.end)
        total = sum(weights.values())
        orphaned = sum(w for p, w in weights.items() if all(a in self.gone for a in known[p]))
        machine_share = round(sum(sizes[p] for p in machine_made) / sum(sizes.values()), 2) if machine_made else 0.0
        # As PipelineOwnership.caretakers: a machine's code is not its helper's author's to answer for.
        caretakers = len(set(active if machine_share < UNATTRIBUTABLE_SHARE else ()) | set(keepers))
        return PipelineOwnership(
            name=pipeline.name,
            kind=pipeline.kind,
            entry=pipeline.entry,
            source=pipeline.source,
            line=pipeline.line,
            files=pipeline.files,
            bus_factor=tf.value,
            bus_factor_authors=tf.removed,
            active_bus_factor=active_tf.value,
            authors=authors,
            active_authors=active,
            codeowners=owners,
            complexity=complexity,
            complexity_parts=parts,
            risk=risk_score(complexity, caretakers + (1 if owners else 0), recency),
            # Unowned: most of its own code has no active author, nobody keeps it up, and no
            # CODEOWNERS entry names an owner. Code not committed yet has no history to judge;
            # code a machine identity wrote may well be an active developer's.
            unowned=not owners and not keepers and not active_tf.value and last_change is not None and not machines,
            # What a pipeline runs decides whether it is ML (a script that trains the shared
            # network is); shared code is ML when it defines, builds, trains or loads a model itself.
            ml_pipeline=pipeline.kind in _PIPELINE_KINDS or self._uses_models(pipeline.files),
            last_change=last_change,
            why=self._why(
                authors, active, keepers, owners, machines, machine_share, last_change, complexity, parts, shared_by
            ),
            unattributable=machines,
            own_files=tuple(own),
            maintainers=keepers,
            shared_by=shared_by,
            exploratory=self._exploratory(pipeline),
            orphaned_share=round(orphaned / total, 2) if total else 0.0,
            unattributable_share=machine_share,
        )

    @property
    def end(self) -> int:
        return self.window[1]

    def _exploratory(self, pipeline: Pipeline) -> bool:
        """A notebook that no other pipeline runs, and nothing reads or declares what it writes."""
        if pipeline.kind != "notebook" or pipeline.entry is None:
            return False
        notebook = pipeline.entry
        if any(notebook in p.files for p in self.graph.pipelines if p.entry != notebook):
            return False
        written = self._writes.get(notebook, set())
        return not any(self._readers.get(target, set()) - {notebook} for target in written) and not any(
            self.graph.is_declared(target) for target in written
        )

    @cached_property
    def _writes(self) -> dict[str, set[Target]]:
        """The targets each file writes: one pass over the accesses for every notebook asked."""
        found: dict[str, set[Target]] = {}
        for access in self.graph.accesses:
            if access.direction == "write":
                found.setdefault(access.path, set()).add(access.target)
        return found

    @cached_property
    def _readers(self) -> dict[Target, set[str]]:
        """The files that read each target."""
        found: dict[Target, set[str]] = {}
        for access in self.graph.accesses:
            if access.direction == "read":
                found.setdefault(access.target, set()).add(access.path)
        return found

    def _uses_models(self, files: Sequence[str]) -> bool:
        """Whether the code defines, builds or trains a model, or loads one to score with it."""
        catalog = load_models()
        facts = [self.facts[p] for p in files if p in self.facts]
        if any(
            file.models or any(d.kind == "class" and set(d.bases) & catalog.model_bases for d in file.definitions)
            for file in facts
        ):
            return True
        member = set(files)
        return any(
            a.path in member
            and a.direction == "read"
            and catalog.loads_model(a.access.api, a.target.value)
            for a in self.graph.accesses
        )

    def _why(
        self,
        authors: tuple[str, ...],
        active: tuple[str, ...],
        keepers: tuple[str, ...],
        owners: tuple[str, ...],
        machines: tuple[str, ...],
        machine_share: float,
        last_change: int | None,
        complexity: float,
        parts: Mapping[str, float],
        shared_by: int,
    ) -> tuple[str, ...]:
        why = [f"shared code of {shared_by} pipelines"] if shared_by else []
        why.append(f"CODEOWNERS: {', '.join(owners)}" if owners else "no CODEOWNERS entry")
        if machine_share >= UNATTRIBUTABLE_SHARE:
            why.append(
                f"{machine_share:.0%} of its code by machine identities nobody can be held to ({', '.join(machines)}): "
                "not judged"
            )
        elif machines:
            why.append(f"written in part by machine identities nobody can be held to ({', '.join(machines)})")
        if last_change is None:
            why.append("not committed yet")
        elif not authors:
            why.append("no author in the history")
        elif not active:
            why.append(f"no active author ({', '.join(authors)} inactive)")
        else:
            why.append(f"{len(active)} active author{'s' if len(active) > 1 else ''} ({', '.join(active)})")
        if keepers:
            why.append(f"maintained by {', '.join(keepers)}")
        if last_change is not None:
            months = max(0, self.end - last_change) // (30 * DAY)
            why.append(f"last change {iso_date(last_change)}" + (f", {months} months before" if months else ""))
        if complexity:
            why.append(f"complexity {complexity:g} = " + " + ".join(f"{k} {v:g}" for k, v in parts.items() if v))
        return tuple(why)
