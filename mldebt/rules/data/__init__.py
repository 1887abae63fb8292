"""MLD1xx: data dependencies that nothing declares, or that only work on one machine."""

from __future__ import annotations

from mldebt.graph import DataAccess
from mldebt.targets import TargetKind

# What several targets of one call are, by their kind.
_PLURALS = {TargetKind.PATH: "files", TargetKind.URI: "URIs", TargetKind.TABLE: "tables"}


def verb_of(access: DataAccess) -> str:
    """How a message says what the access does."""
    return "reads" if access.direction == "read" else "writes"


def how_of(access: DataAccess) -> str:
    """The API, and the working directory mldebt assumed where nothing says it."""
    if access.assumed_cwd:
        return f"{access.access.api}, relative to the script's folder {access.assumed_cwd}/"
    return access.access.api


def several(accesses: list[DataAccess]) -> str:
    """How a message names the targets of one call that stands for several (a loop over a
    literal list): "3 files like", or "" for one target."""
    many = len({a.target for a in accesses})
    return f"{many} {_PLURALS[accesses[0].target.kind]} like" if many > 1 else ""
