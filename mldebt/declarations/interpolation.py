"""``${...}`` interpolation as DVC and Kedro (OmegaConf) write it, resolved statically.

A manifest value is resolved only from literal data (vars, params files, globals): nothing is
evaluated, and an expression that cannot be resolved stays visible to the caller, who decides
whether it becomes a wildcard (paths) or stays as written (commands).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

MISSING = object()
"""What a lookup returns for an expression it cannot resolve."""

Resolver = Callable[[str], object]

_EXPRESSION = re.compile(r"\$\{\s*([^${}]*?)\s*\}")
_KEY_PART = re.compile(r"[^.\[\]]+")
# Enough passes for `${globals:${env}}`-style nesting; a cycle cannot loop forever.
_MAX_PASSES = 4


def scalar_text(value: object) -> str | None:
    """How a scalar is rendered inside a string (YAML spelling for booleans); None otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def render(text: str, resolve: Resolver, unresolved: str | None) -> str:
    """``text`` with every ``${expr}`` replaced by its resolved scalar; an expression that does
    not resolve to a scalar becomes ``unresolved``, or stays as written when that is None."""

    def replace(match: re.Match[str]) -> str:
        rendered = scalar_text(resolve(match.group(1)))
        if rendered is not None:
            return rendered
        return match.group(0) if unresolved is None else unresolved

    for _ in range(_MAX_PASSES):
        replaced = _EXPRESSION.sub(replace, text)
        if replaced == text:
            break
        text = replaced
    return text


def whole_value(text: object, resolve: Resolver) -> object:
    """The value of a string that is exactly one ``${expr}`` (a list or mapping stays one);
    ``text`` itself when it is not an interpolation; MISSING when it does not resolve."""
    if not isinstance(text, str):
        return text
    match = _EXPRESSION.fullmatch(text.strip())
    if match is None:
        return text
    return resolve(match.group(1))


def lookup(data: Mapping[str, object], expression: str) -> object:
    """``a.b[0].c`` looked up in nested mappings and lists; MISSING when any step is absent."""
    parts = _KEY_PART.findall(expression)
    value: object = data
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part, MISSING)
        elif isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value if parts else MISSING
