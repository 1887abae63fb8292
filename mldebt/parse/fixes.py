"""What a file rule reports during the walk, and the fixes it offers: edits of the tree it read.

A fix is a value, not a text patch: ``Replace(node, replacement)`` names a node of the parsed
tree and the node to put in its place. libcst writes the edited tree back out, so the source
around the edit, comments and formatting included, stays as it was. Only ``mldebt check
--fix`` builds and applies fixes (mldebt.engine.fix); the facts cache keeps the findings,
never the trees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # Imported by the rules on every run; libcst only where a file is parsed.
    import libcst as cst


@dataclass(frozen=True)
class Replace:
    """Put ``replacement`` where ``node`` is."""

    node: cst.CSTNode
    replacement: cst.CSTNode


@dataclass(frozen=True)
class Report:
    """One finding of a file rule: on ``node``, with the fix that would remove it, if any."""

    code: str
    node: cst.CSTNode
    message: str
    fix: Replace | None = None


class Reporter(Protocol):
    """A visitor of the walk that reports: what mldebt.rules.base.FileRule is to extraction.
    ``crash``: what it raised, if it did; it then stopped visiting, and its reports are void."""

    code: str
    reports: list[Report]
    crash: str | None
