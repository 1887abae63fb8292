"""Ownership of a repository, its modules and its ML pipelines, from git history and CODEOWNERS.

Model complexity of a pipeline (over the files it runs: its entry and the modules it imports):

    complexity = estimators + networks + hyperparameters + data + control

- estimators: 1 per model constructed, 2 for an ensemble (forests, boosting, voting, stacking);
- networks: per neural network class defined (a torch/keras/flax module subclass),
  2 + its lines / 50, a proxy for depth and width;
- hyperparameters: 0.25 per keyword argument set at construction;
- data: 0.5 per distinct resolved data target read or written, 0.25 per dynamic one;
- control: the cyclomatic complexity of the functions in files that build or train a model,
  beyond 1 each, divided by 5.
Input features are not counted yet (feature lineage is a later capability).

Risk weighs complexity against ownership:

    risk = complexity / (1 + active authors + 2 if CODEOWNERS names an owner)
           x 1.5 when the pipeline's code has not changed for 12 months

so a complex pipeline that nobody still here wrote, and that no CODEOWNERS entry covers,
ranks first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from mldebt.catalogs.models import load_models
from mldebt.graph import DataGraph, Pipeline
from mldebt.history import (
    DEFAULT_BOTS,
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    Codeowners,
    History,
    authorship,
    churn,
    inactive_developers,
    load_codeowners,
    mine_history,
    module_truck_factors,
    select_files,
    truck_factor,
)
from mldebt.ownership.model import (
    AuthorInfo,
    FileOwnership,
    ModuleOwnership,
    OwnershipReport,
    PipelineOwnership,
)
from mldebt.parse.facts import FileFacts
from mldebt.targets import TargetKind

_ENSEMBLE_WORDS = ("Forest", "Boost", "Voting", "Stacking", "Bagging", "Ensemble", "XGB", "LGBM", "CatBoost")
# A pipeline kind that always counts as ML plumbing; scripts and notebooks count when they
# build or train a model.
_PIPELINE_KINDS = {"dvc-stage", "kedro-pipeline", "airflow-dag"}
_STALE_SECONDS = 365 * 24 * 3600


def complexity_parts(files: Sequence[str], facts: Mapping[str, FileFacts], graph: DataGraph) -> dict[str, float]:
    models = load_models()
    estimators = networks = hyper = control = 0.0
    for path in files:
        file = facts.get(path)
        if file is None:
            continue
        for use in file.models:
            if use.kind == "construct":
                name = use.api.rpartition(".")[2]
                estimators += 2 if any(word in name for word in _ENSEMBLE_WORDS) else 1
                hyper += 0.25 * use.hyperparameters
        for definition in file.definitions:
            if definition.kind == "class" and any(b in models.model_bases for b in definition.bases):
                networks += 2 + (definition.span.end_line - definition.span.line + 1) / 50
        if file.models:
            control += sum(d.complexity - 1 for d in file.definitions if d.kind == "function") / 5
    member = set(files)
    resolved = {a.target for a in graph.accesses if a.path in member and a.target.kind is not TargetKind.DYNAMIC}
    dynamic = sum(1 for a in graph.accesses if a.path in member and a.target.kind is TargetKind.DYNAMIC)
    return {
        "estimators": round(estimators, 2),
        "networks": round(networks, 2),
        "hyperparameters": round(hyper, 2),
        "data": round(0.5 * len(resolved) + 0.25 * dynamic, 2),
        "control": round(control, 2),
    }


def _risk(complexity: float, active: int, owned: bool, stale: bool) -> float:
    return round(complexity / (1 + active + (2 if owned else 0)) * (1.5 if stale else 1.0), 2)


def _owners(codeowners: Codeowners | None, paths: Sequence[str]) -> tuple[str, ...]:
    if codeowners is None:
        return ()
    found: dict[str, None] = {}
    for path in paths:
        for owner in codeowners.owners_of(path):
            found[owner] = None
    return tuple(found)


def _trains(files: Sequence[str], facts: Mapping[str, FileFacts]) -> bool:
    return any(facts[p].models for p in files if p in facts)


def build_ownership(
    root: Path,
    graph: DataGraph,
    facts: Mapping[str, FileFacts],
    *,
    cache_dir: Path | None,
    as_of: datetime | None = None,
    active_months: int = 12,
    bots: Sequence[str] = DEFAULT_BOTS,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    progress: Callable[[int], None] | None = None,
    history: History | None = None,
) -> OwnershipReport:
    """The ownership report; raises NoHistory when there is no git history to mine."""
    history = history or mine_history(root, cache_dir, bots=bots, progress=progress)
    end = int(as_of.timestamp()) if as_of else history.head_time
    gone = inactive_developers(history, active_months, as_of)
    tracked = select_files(history.files, include, exclude)
    doa = authorship(history, tracked)
    authors_of = {path: entry.authors for path, entry in doa.items()}
    counts = history.commit_counts()
    changes = churn(history, tracked)
    codeowners = load_codeowners(root)
    people = tuple(
        AuthorInfo(d.name, d.emails[0] if d.emails else "", d.commits, d.first_commit, d.last_commit, d.name not in gone)
        for d in sorted(history.developers, key=lambda d: (-d.commits, d.name))
        if not d.bot
    )
    repo_tf = truck_factor(authors_of, counts)
    active_tf = truck_factor(authors_of, counts, gone=gone)
    files = tuple(
        FileOwnership(
            path=path,
            bus_factor=1 if authors_of.get(path) else 0,
            authors=tuple(authors_of.get(path, ())),
            active_authors=tuple(a for a in authors_of.get(path, ()) if a not in gone),
            codeowners=_owners(codeowners, [path]),
            changes=changes[path].commits if path in changes else 0,
            last_change=changes[path].last_change if path in changes else None,
        )
        for path in sorted(tracked)
    )
    modules = tuple(
        ModuleOwnership(path, tf.value, tf.removed) for path, tf in module_truck_factors(authors_of, counts).items()
    )
    pipelines = tuple(
        sorted(
            (_pipeline(p, facts, graph, authors_of, counts, gone, codeowners, changes, end) for p in graph.pipelines),
            key=lambda p: (-p.risk, p.name),
        )
    )
    lost = tuple(path for path in sorted(authors_of) if authors_of[path] and all(a in gone for a in authors_of[path]))
    return OwnershipReport(
        head=history.head,
        as_of=end,
        partial=history.partial,
        truck_factor=repo_tf.value,
        truck_factor_authors=repo_tf.removed,
        active_truck_factor=active_tf.value,
        authors=people,
        files=files,
        modules=modules,
        pipelines=pipelines,
        warnings=history.warnings,
        knowledge_lost=lost,
    )


def _pipeline(
    pipeline: Pipeline,
    facts: Mapping[str, FileFacts],
    graph: DataGraph,
    authors_of: Mapping[str, tuple[str, ...]],
    counts: Mapping[str, int],
    gone: frozenset[str],
    codeowners: Codeowners | None,
    changes: Mapping[str, object],
    end: int,
) -> PipelineOwnership:
    files = pipeline.files
    known = {p: authors_of[p] for p in files if p in authors_of}
    tf = truck_factor(known, counts)
    active_tf = truck_factor(known, counts, gone=gone)
    authors = tuple(sorted({a for names in known.values() for a in names}))
    active = tuple(a for a in authors if a not in gone)
    # A stage's owners are those of the code it runs; dvc.yaml's owner only when it runs none.
    owners = _owners(codeowners, files if files else [pipeline.source])
    parts = complexity_parts(files, facts, graph)
    complexity = round(sum(parts.values()), 2)
    last_change = max((getattr(changes[p], "last_change", 0) for p in files if p in changes), default=None)
    stale = last_change is not None and end - last_change > _STALE_SECONDS
    why: list[str] = []
    if not owners:
        why.append("no CODEOWNERS entry")
    if not active:
        why.append("no active author" if authors else "no author in the history")
    elif len(active) == 1:
        why.append(f"one active author ({active[0]})")
    if stale:
        why.append("unchanged for over a year")
    if complexity:
        why.append("complexity " + ", ".join(f"{k} {v:g}" for k, v in parts.items() if v))
    return PipelineOwnership(
        name=pipeline.name,
        kind=pipeline.kind,
        entry=pipeline.entry,
        source=pipeline.source,
        line=pipeline.line,
        files=files,
        bus_factor=tf.value,
        bus_factor_authors=tf.removed,
        active_bus_factor=active_tf.value,
        authors=authors,
        active_authors=active,
        codeowners=owners,
        complexity=complexity,
        complexity_parts=parts,
        risk=_risk(complexity, len(active), bool(owners), stale),
        unowned=not owners and not active,
        ml_pipeline=pipeline.kind in _PIPELINE_KINDS or _trains(files, facts),
        last_change=last_change,
        why=tuple(why),
    )


def parse_as_of(text: str) -> datetime:
    """`--as-of` as a date or datetime (ISO 8601); a date means its end, UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--as-of {text!r} is not a date (YYYY-MM-DD or ISO 8601)") from None
    if len(text.strip()) == 10:
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
