"""MLD1xx: data dependencies that nothing declares, or that only work on one machine."""

from __future__ import annotations

from mldebt.graph import DataAccess


def verb_of(access: DataAccess) -> str:
    """How a message says what the access does."""
    return "reads" if access.direction == "read" else "writes"
