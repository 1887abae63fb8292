"""MLD1xx: data dependencies that nothing declares, or that only work on one machine."""

from __future__ import annotations

from mldebt.graph import DataAccess


def verb_of(access: DataAccess) -> str:
    """How a message says what the access does."""
    return "reads" if access.direction == "read" else "writes"


def how_of(access: DataAccess) -> str:
    """The API, and the working directory mldebt assumed where nothing says it."""
    if access.assumed_cwd:
        return f"{access.access.api}, relative to the script's folder {access.assumed_cwd}/"
    return access.access.api
