"""``[tool.mldebt.data]``: inputs and outputs declared by hand in pyproject.toml."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mldebt.declarations.harvest import Harvest
from mldebt.declarations.yamlfile import START, Position
from mldebt.targets import classify

SOURCE = "pyproject.toml"
_HEADER = "[tool.mldebt.data]"
_ROLES = (("inputs", "input"), ("outputs", "output"))


def collect_pyproject(harvest: Harvest, data: Mapping[str, Sequence[str]]) -> None:
    """Declare the repo-relative paths, URIs and globs listed under ``inputs`` and ``outputs``."""
    # The config loader hands over values, not positions; the text finds the line to cite.
    text = harvest.text(SOURCE) or ""
    for key, role in _ROLES:
        values = data.get(key) or ()
        for raw in [values] if isinstance(values, str) else values:
            harvest.declare(
                classify(raw),
                role=role,
                origin="pyproject",
                source=SOURCE,
                where=_position(text, raw),
                owner="",
            )


def _position(text: str, value: str) -> Position:
    """Where ``value`` is written as a TOML string, preferring the data table."""
    after = max(text.find(_HEADER), 0)
    for quote in ('"', "'"):
        found = text.find(f"{quote}{value}{quote}", after)
        if found < 0:
            found = text.find(f"{quote}{value}{quote}")
        if found >= 0:
            line_start = text.rfind("\n", 0, found) + 1
            return (text.count("\n", 0, found) + 1, found - line_start + 2)
    return START
