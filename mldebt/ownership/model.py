"""The ownership report: plain frozen values, standard library only (and the date clamp of
mldebt.timestamps), so that renderers and rules depend on nothing else.

`OwnershipReport.to_json()` is the contract of `mldebt ownership --format json`. Times are unix
seconds here and ISO 8601 (UTC, `Z`) in JSON. Keys beyond the contract (`complexity_parts`,
`why`, `knowledge_lost`, `notes`, ...) may be added, never removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mldebt.timestamps import utc


def iso(timestamp: int | None) -> str | None:
    """Unix seconds as ISO 8601 in UTC, `2024-03-01T10:00:00Z`; None stays None."""
    if timestamp is None:
        return None
    return utc(timestamp).isoformat().replace("+00:00", "Z")


def iso_date(timestamp: int | None) -> str:
    """The day of ``timestamp`` (`2024-03-01`), or `-` when there is none: for tables."""
    text = iso(timestamp)
    return text[:10] if text else "-"


@dataclass(frozen=True)
class AuthorInfo:
    """A person in the history (bots are left out)."""

    name: str
    email: str
    commits: int
    first_commit: int
    last_commit: int
    active: bool  # committed within the activity window before `as_of`

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "email": self.email, "commits": self.commits,
            "first_commit": iso(self.first_commit), "last_commit": iso(self.last_commit), "active": self.active,
        }


@dataclass(frozen=True)
class Unattributable:
    """A machine's identity (`ubuntu <ubuntu@ip-10-0-0-1.ec2.internal>`, `root`, a localhost
    address) and the code it changed: nobody can say whose commits these are, so they make no
    pipeline owned, and no pipeline they wrote is called unowned."""

    name: str
    email: str
    commits: int
    files: tuple[str, ...]  # the code files it committed to

    @property
    def shown(self) -> str:
        """How a report names it: by its address alone when it has no name of its own."""
        return self.name if self.name == self.email or not self.email else f"{self.name} <{self.email}>"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "commits": self.commits, "files": list(self.files)}


@dataclass(frozen=True)
class IdentityMerge:
    """Why one identity ("Name <e-mail>") was taken for the same developer as another."""

    identity: str
    other: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"identity": self.identity, "other": self.other, "reason": self.reason}


@dataclass(frozen=True)
class DeveloperIdentities:
    """One developer (person, bot or machine) and the (name, e-mail, commits) identities it was
    merged from, with the reason of each merge: what `mldebt ownership --identities` shows."""

    name: str
    kind: str  # "person", "bot" or "machine"
    identities: tuple[tuple[str, str, int], ...]
    merges: tuple[IdentityMerge, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind,
            "identities": [{"name": n, "email": e, "commits": c} for n, e, c in self.identities],
            "merges": [m.to_json() for m in self.merges],
        }


@dataclass(frozen=True)
class FileOwnership:
    """Who authors one file. Its bus factor is its number of authors: all of them must go
    before it has none."""

    path: str
    bus_factor: int
    authors: tuple[str, ...]
    active_authors: tuple[str, ...]
    codeowners: tuple[str, ...]
    changes: int
    last_change: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "bus_factor": self.bus_factor, "authors": list(self.authors),
            "active_authors": list(self.active_authors), "codeowners": list(self.codeowners),
            "changes": self.changes, "last_change": iso(self.last_change),
            "active_bus_factor": len(self.active_authors),
        }


@dataclass(frozen=True)
class ModuleOwnership:
    """Truck factor of one directory, over every file below it."""

    path: str
    truck_factor: int
    authors: tuple[str, ...]  # the developers whose departure orphans most of it
    active_truck_factor: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "truck_factor": self.truck_factor, "authors": list(self.authors),
            "active_truck_factor": self.active_truck_factor,
        }


# The kind of a unit of shared code: the modules of one directory that many pipelines run.
SHARED_CODE = "shared-code"

# A pipeline at least this much of whose own code (by lines) only machine identities wrote is
# nobody's that can be told: no MLD4xx rule judges its ownership.
UNATTRIBUTABLE_SHARE = 0.5


@dataclass(frozen=True)
class PipelineOwnership:
    """One pipeline (DVC stage, Kedro pipeline, Airflow DAG, entry script, notebook), or the
    shared code of one directory (kind `shared-code`): who knows its own code, who keeps it up,
    how complex its models are, and the risk of it all.

    A pipeline's own code (`own_files`) is its entry and the repository modules that at most
    two pipelines run; modules more pipelines run are shared code, judged once, in units of
    their directory, and not again in each pipeline that runs them (`files` still lists every
    file it runs)."""

    name: str
    kind: str
    entry: str | None
    source: str  # where it is declared: dvc.yaml for a stage, the file itself for a script
    line: int
    files: tuple[str, ...]
    bus_factor: int
    bus_factor_authors: tuple[str, ...]  # the developers whose departure orphans it
    active_bus_factor: int
    authors: tuple[str, ...]
    active_authors: tuple[str, ...]
    codeowners: tuple[str, ...]
    complexity: float
    complexity_parts: dict[str, float]
    risk: float
    unowned: bool  # no CODEOWNERS owner, no active author, and no code by a machine identity
    ml_pipeline: bool  # declared pipeline, or code that builds, trains or loads a model
    last_change: int | None
    why: tuple[str, ...] = ()
    unattributable: tuple[str, ...] = ()  # machine identities among the authors of its files
    own_files: tuple[str, ...] = ()  # the code judged: its own, or the shared code of the unit
    # Developers with enough recent commits to its own files, whoever wrote them.
    maintainers: tuple[str, ...] = ()
    shared_by: int = 0  # shared code: how many pipelines run it
    # A notebook that no pipeline runs and whose outputs nothing reads: a tutorial, an exploration.
    exploratory: bool = False
    orphaned_share: float = 0.0  # of its own code, by lines: the share no active author wrote
    # Of its own code, by lines: the share of the files only machine identities author, which
    # are left out of its authors and bus factor.
    unattributable_share: float = 0.0

    @property
    def committed(self) -> bool:
        """Whether any of its files has a commit: uncommitted code has no history to judge."""
        return self.last_change is not None

    @property
    def attributable(self) -> bool:
        """Whether people wrote most of its own code: a notebook that a machine identity
        committed is nobody's that can be told, whoever wrote the module it imports."""
        return self.unattributable_share < UNATTRIBUTABLE_SHARE

    @property
    def caretakers(self) -> tuple[str, ...]:
        """The active authors, then the maintainers who are not among them. Where machine
        identities wrote most of the code, only its maintainers: the author of the helper a
        machine's notebook imports does not answer for the notebook."""
        authors = self.active_authors if self.attributable else ()
        return authors + tuple(m for m in self.maintainers if m not in authors)

    @property
    def ownership(self) -> int:
        """Who can answer for it: active authors and maintainers, plus one when CODEOWNERS
        names an owner."""
        return len(self.caretakers) + (1 if self.codeowners else 0)

    @property
    def owners(self) -> tuple[str, ...]:
        """The CODEOWNERS owners, then the active authors and maintainers; empty when nobody
        owns it."""
        return self.codeowners + self.caretakers

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "entry": self.entry, "files": list(self.files),
            "bus_factor": self.bus_factor, "active_bus_factor": self.active_bus_factor,
            "codeowners": list(self.codeowners), "complexity": self.complexity, "risk": self.risk,
            "unowned": self.unowned, "source": self.source, "line": self.line,
            "authors": list(self.authors), "active_authors": list(self.active_authors),
            "bus_factor_authors": list(self.bus_factor_authors),
            "complexity_parts": dict(self.complexity_parts), "ml_pipeline": self.ml_pipeline,
            "last_change": iso(self.last_change), "why": list(self.why),
            "unattributable": list(self.unattributable),
            "own_files": list(self.own_files), "maintainers": list(self.maintainers),
            "shared_by": self.shared_by, "exploratory": self.exploratory, "orphaned_share": self.orphaned_share,
            "unattributable_share": self.unattributable_share,
        }


OTHER_ENTRY_POINTS = (
    "Entry scripts and notebooks that build, train or load no model (tools, documentation builders, demos): "
    "ranked the same way, but no MLD4xx rule judges them."
)


OTHER_SHARED_CODE = (
    "Modules that three or more pipelines run and that define, build, train or load no model: taken out of each "
    "pipeline's own code, one unit per directory; no MLD4xx rule judges them."
)


UNATTRIBUTABLE = (
    "Identities a machine gives (root, ubuntu, a localhost or cloud-internal address): nobody can say whose commits "
    "they are, so they make no pipeline owned, and no pipeline they wrote part of is reported unowned. "
    "Name the person in [tool.mldebt.history] aliases."
)


@dataclass(frozen=True)
class OwnershipReport:
    """Ownership of a repository, its modules and its pipelines (riskiest first)."""

    head: str
    as_of: int
    partial: bool  # a shallow clone: only part of the history was mined
    truck_factor: int
    truck_factor_authors: tuple[str, ...]
    active_truck_factor: int
    authors: tuple[AuthorInfo, ...]
    files: tuple[FileOwnership, ...]
    modules: tuple[ModuleOwnership, ...]
    pipelines: tuple[PipelineOwnership, ...]
    # How long an author stays active without a commit (its default: mldebt.config.HistorySettings).
    active_months: int
    warnings: tuple[str, ...] = ()
    # Files whose authors have all gone: the knowledge already lost.
    knowledge_lost: tuple[str, ...] = ()
    inactive: frozenset[str] = field(default_factory=frozenset)  # developers counted as gone
    unattributable: tuple[Unattributable, ...] = ()
    # Every developer merged from several identities, and every bot and machine.
    identities: tuple[DeveloperIdentities, ...] = ()
    # The people with a commit to a code file (of `files`): one, in a repository one person
    # wrote, whoever fixed its README.
    coders: tuple[str, ...] = ()
    # How a file's authors were read ([tool.mldebt.history] authorship-model).
    authorship_model: str = "reference"

    def is_active(self, name: str) -> bool:
        return name not in self.inactive

    @property
    def ml_pipelines(self) -> tuple[PipelineOwnership, ...]:
        """Declared pipelines and the entry points that build, train or load a model, riskiest first."""
        return tuple(p for p in self.pipelines if p.ml_pipeline)

    @property
    def other_entry_points(self) -> tuple[PipelineOwnership, ...]:
        """Entry scripts and notebooks that touch no model: tools, docs builders, demos."""
        return tuple(p for p in self.pipelines if not p.ml_pipeline and p.kind != SHARED_CODE)

    @property
    def other_shared_code(self) -> tuple[PipelineOwnership, ...]:
        """Shared code without a model (shared model code is among `ml_pipelines`)."""
        return tuple(p for p in self.pipelines if not p.ml_pipeline and p.kind == SHARED_CODE)

    def to_json(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "as_of": iso(self.as_of),
            "partial": self.partial,
            "truck_factor": self.truck_factor,
            "truck_factor_authors": list(self.truck_factor_authors),
            "active_truck_factor": self.active_truck_factor,
            "authors": [a.to_json() for a in self.authors],
            "files": [f.to_json() for f in self.files],
            "modules": [m.to_json() for m in self.modules],
            "pipelines": [p.to_json() for p in self.pipelines],
            "knowledge_lost": list(self.knowledge_lost),
            "warnings": list(self.warnings),
            "active_months": self.active_months,
            "unattributable": [u.to_json() for u in self.unattributable],
            "coders": list(self.coders),
            "authorship_model": self.authorship_model,
        }
