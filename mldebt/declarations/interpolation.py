"""``${...}`` interpolation as DVC and Kedro (OmegaConf) write it, resolved statically.

A manifest value is resolved only from literal data (vars, params files, globals): nothing is
evaluated, and an expression that cannot be resolved stays visible to the caller, who decides
whether it becomes a wildcard (paths) or stays as written (commands).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from mldebt.declarations.harvest import MAX_MANIFEST_BYTES

MISSING = object()
"""What a lookup returns for an expression it cannot resolve."""

Resolver = Callable[[str], object]

_EXPRESSION = re.compile(r"\$\{\s*([^${}]*?)\s*\}")
_KEY_PART = re.compile(r"[^.\[\]]+")
# Enough passes for `${globals:${env}}`-style nesting; a cycle cannot loop forever.
_MAX_PASSES = 4
# Values that refer to themselves or each other (`a: "${a}${a}"`) grow exponentially with each
# pass: a 248-byte dvc.yaml ran past five minutes, a 568-byte one reached 6 GB. Past these
# sizes, for one value or for all of one manifest's (a foreach multiplies them), a value is a
# bomb, not a path or a command. A manifest of the largest size read makes as much text.
MAX_RENDERED = 64 * 1024
MAX_RENDERED_PER_FILE = MAX_MANIFEST_BYTES


class Budget:
    """What interpolation may still produce for one manifest file, and the first value that
    would have produced more (the one to report), None while there is none."""

    def __init__(self) -> None:
        self.remaining = MAX_RENDERED_PER_FILE
        self.exceeded: str | None = None

    def message(self) -> str:
        return (
            f"interpolation expands past the analysis limit ({MAX_RENDERED // 1024} KiB for one value,"
            f" {MAX_RENDERED_PER_FILE // 2**20} MiB for the file); left unresolved"
        )


class _Exceeded(Exception):
    pass


def scalar_text(value: object) -> str | None:
    """How a scalar is rendered inside a string (YAML spelling for booleans); None otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def render(text: str, resolve: Resolver, unresolved: str | None, budget: Budget) -> str:
    """``text`` with every ``${expr}`` replaced by its resolved scalar; an expression that does
    not resolve to a scalar becomes ``unresolved``, or stays as written when that is None.

    Past the ``budget``, no expression of ``text`` resolves, and the budget keeps ``text``.
    """
    if _EXPRESSION.search(text) is None:
        return text
    original = text
    limit = min(MAX_RENDERED, budget.remaining)
    produced = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal produced
        rendered = scalar_text(resolve(match.group(1)))
        if rendered is None:
            rendered = match.group(0) if unresolved is None else unresolved
        produced += len(rendered)
        if produced > limit:
            raise _Exceeded  # stops the substitution before it builds the whole string
        return rendered

    try:
        for _ in range(_MAX_PASSES):
            produced = len(text)  # the text around the expressions, at most
            replaced = _EXPRESSION.sub(replace, text)
            if replaced == text:
                break
            text = replaced
    except _Exceeded:
        budget.remaining -= produced
        if budget.exceeded is None:
            budget.exceeded = original
        if unresolved is None:
            return original
        wildcard = unresolved
        return _EXPRESSION.sub(lambda _: wildcard, original)
    budget.remaining -= len(text)
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
