"""YAML manifests parsed with PyYAML's safe constructors, every string remembering its position.

Positions are what make a broken manifest, or a declaration, point at a real line. Strings
carry them because every path, key and command in a manifest is a string, and a key's position
is a good enough place to report a wrong value of any other type.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

Position = tuple[int, int]
"""A 1-based (line, column) in a manifest."""

START: Position = (1, 1)


class Located(str):
    """A YAML string scalar that knows where it starts in its file."""

    line: int
    column: int


class YamlProblem(Exception):
    """The text is not a YAML document the safe loader accepts."""

    def __init__(self, message: str, where: Position) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _construct_located(loader: Any, node: Any) -> Located:
    value = Located(loader.construct_scalar(node))
    value.line = node.start_mark.line + 1
    value.column = node.start_mark.column + 1
    return value


@functools.cache
def _loader() -> Any:
    """PyYAML, imported on the first manifest: most repositories have none, and the import
    costs a warm run 10-15 ms."""
    import yaml

    try:
        from yaml import CSafeLoader as base
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        from yaml import SafeLoader as base

    loader: Any = type("_LocatingLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:str", _construct_located)
    return yaml, loader


def parse_yaml(text: str) -> Any:
    """The single document in ``text`` (an empty document is ``{}``); raises YamlProblem."""
    yaml, loader = _loader()
    try:
        # A SafeLoader subclass: unknown tags such as !!python/object are refused, never run.
        document = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else START
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {problem}", where) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", START) from exc
    except RecursionError as exc:
        raise YamlProblem("invalid YAML: nested too deeply", START) from exc
    return {} if document is None else document


def position(value: object, fallback: Position = START) -> Position:
    """Where ``value`` was read, or ``fallback`` for values that do not carry a position."""
    if isinstance(value, Located):
        return (value.line, value.column)
    return fallback


def key_position(mapping: Mapping[Any, Any], key: str, fallback: Position = START) -> Position:
    """Where ``key`` is written in ``mapping``: the place to report a bad value under it."""
    for candidate in mapping:
        if candidate == key:
            return position(candidate, fallback)
    return fallback
