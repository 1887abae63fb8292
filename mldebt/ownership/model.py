"""The ownership report: plain values, standard library only, so renderers depend on nothing else.

`OwnershipReport.to_json()` is the contract of `mldebt ownership --format json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def iso(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class AuthorInfo:
    name: str
    email: str
    commits: int
    first_commit: int
    last_commit: int
    active: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "email": self.email, "commits": self.commits,
            "first_commit": iso(self.first_commit), "last_commit": iso(self.last_commit), "active": self.active,
        }


@dataclass(frozen=True)
class FileOwnership:
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
        }


@dataclass(frozen=True)
class ModuleOwnership:
    path: str
    truck_factor: int
    authors: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "truck_factor": self.truck_factor, "authors": list(self.authors)}


@dataclass(frozen=True)
class PipelineOwnership:
    name: str
    kind: str
    entry: str | None
    source: str
    line: int
    files: tuple[str, ...]
    bus_factor: int
    bus_factor_authors: tuple[str, ...]
    active_bus_factor: int
    authors: tuple[str, ...]
    active_authors: tuple[str, ...]
    codeowners: tuple[str, ...]
    complexity: float
    complexity_parts: dict[str, float]
    risk: float
    unowned: bool
    ml_pipeline: bool
    last_change: int | None
    why: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "entry": self.entry, "files": list(self.files),
            "bus_factor": self.bus_factor, "active_bus_factor": self.active_bus_factor,
            "codeowners": list(self.codeowners), "complexity": self.complexity, "risk": self.risk,
            "unowned": self.unowned, "source": self.source, "line": self.line,
            "authors": list(self.authors), "active_authors": list(self.active_authors),
            "bus_factor_authors": list(self.bus_factor_authors),
            "complexity_parts": self.complexity_parts, "ml_pipeline": self.ml_pipeline,
            "last_change": iso(self.last_change), "why": list(self.why),
        }


@dataclass(frozen=True)
class OwnershipReport:
    head: str
    as_of: int
    partial: bool
    truck_factor: int
    truck_factor_authors: tuple[str, ...]
    active_truck_factor: int
    authors: tuple[AuthorInfo, ...]
    files: tuple[FileOwnership, ...]
    modules: tuple[ModuleOwnership, ...]
    pipelines: tuple[PipelineOwnership, ...]
    warnings: tuple[str, ...] = ()
    # Files whose authors have all gone: the knowledge already lost.
    knowledge_lost: tuple[str, ...] = field(default_factory=tuple)

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
        }
