"""The values every part of mldebt exchanges: findings, their locations, and a run's result.

Plain frozen dataclasses and enums, standard library only, so that renderers, the baseline and
later capabilities can depend on this module without pulling in the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Category(str, Enum):
    """The fixed vocabulary of finding categories, shared by every rule family."""

    ANALYSIS_ERROR = "analysis-error"
    UNDECLARED_DATA_DEPENDENCY = "undeclared-data-dependency"
    UNSTABLE_DATA_DEPENDENCY = "unstable-data-dependency"
    UNDECLARED_CONSUMER = "undeclared-consumer"
    UNDERUTILIZED_DATA_DEPENDENCY = "underutilized-data-dependency"
    CACE_HOTSPOT = "cace-hotspot"
    GLUE_CODE = "glue-code"
    PIPELINE_JUNGLE = "pipeline-jungle"
    DEAD_EXPERIMENTAL_CODEPATH = "dead-experimental-codepath"
    CONFIGURATION_DEBT = "configuration-debt"
    PROTOTYPE_SMELL = "prototype-smell"
    MULTIPLE_LANGUAGE_SMELL = "multiple-language-smell"
    UNOWNED_PIPELINE = "unowned-pipeline"
    LOW_BUS_FACTOR = "low-bus-factor"
    COMPLEXITY_OWNERSHIP_RISK = "complexity-ownership-risk"
    ML_CODE_SMELL = "ml-code-smell"


@dataclass(frozen=True, order=True)
class Location:
    """A span in a repository file: repo-relative POSIX path, 1-based lines and columns.

    For a notebook, ``line`` and ``end_line`` count within the code cell ``cell`` (1-based
    index among the notebook's code cells); for every other file ``cell`` is None.
    """

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    cell: int | None = None


def _place(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column, "cell": loc.cell}


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    category: Category
    severity: Severity
    location: Location
    message: str
    # What identifies the finding across edits: the enclosing qualified name and the
    # normalised flagged text. The engine turns them, with an occurrence index, into
    # ``fingerprint``; neither contains a line number.
    scope: str = ""
    snippet: str = ""
    fingerprint: str = ""
    # Other places of the same thing to fix (MLD101: the dataset's other accesses in the
    # pipeline), in source order.
    related: tuple[Location, ...] = ()

    @property
    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.path, loc.cell or 0, loc.line, loc.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category.value,
            "severity": self.severity.value,
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "cell": loc.cell,
            "message": self.message,
            "fingerprint": self.fingerprint,
        } | ({"related": [_place(r) for r in self.related]} if self.related else {})


@dataclass(frozen=True)
class Summary:
    files_analyzed: int = 0
    files_with_errors: int = 0
    data_accesses: int = 0
    dynamic_targets: int = 0
    findings: int = 0
    suppressed: int = 0
    # Findings not reported because the baseline or the --new-since revision already had them,
    # and baseline entries no longer found.
    known: int = 0
    fixed: int = 0
    # The repository's total debt (mldebt.metrics.debt), over every finding, reported or known.
    debt_score: float = 0.0
    by_code: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_analyzed": self.files_analyzed,
            "files_with_errors": self.files_with_errors,
            "data_accesses": self.data_accesses,
            "dynamic_targets": self.dynamic_targets,
            "findings": self.findings,
            "suppressed": self.suppressed,
            "known": self.known,
            "fixed": self.fixed,
            "debt_score": self.debt_score,
            "by_code": dict(sorted(self.by_code.items())),
        }


@dataclass(frozen=True)
class RunResult:
    """What a check produced; renderers see only this."""

    findings: tuple[Finding, ...]
    summary: Summary
    suppressed: tuple[Finding, ...] = ()
    # Messages for stderr: things the run could not do (no git history, ...), said once.
    notes: tuple[str, ...] = ()
    # Our own bugs: a rule that raised. The run finishes, and exits 2.
    internal_errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleMeta:
    """What renderers and docs need to know about a rule, without importing the rule."""

    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    # The rule's documentation, in Markdown with ruff's sections.
    docs: str = ""

    @property
    def help_uri(self) -> str:
        return f"{DOCS_BASE_URI}/{self.code}-{self.name}.md"


# Where the generated rule pages (rules/MLDxxx-name.md) are published.
DOCS_BASE_URI = "https://github.com/mldebt/mldebt/blob/main/rules"
