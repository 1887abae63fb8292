"""Symbolic values: how a target path is built, evaluated once every module's constants are known.

Extraction turns an expression such as ``os.path.join(DATA_DIR, "raw", f"{NAME}.csv")`` into a
small JSON-shaped tree (see ``mldebt.parse.facts.Value``); ``evaluate`` folds it to a string, or
None when any part is dynamic. References to other modules are looked up through a callback,
so this module knows nothing about files or imports.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from mldebt.parse.facts import Value

DYNAMIC: Value = ["d"]
# Deep enough for real constant chains, shallow enough to stop reference cycles quickly.
MAX_DEPTH = 24

Lookup = Callable[[str, str], "Value | None"]


def literal(text: str) -> Value:
    return ["s", text]


def is_dynamic(value: Value) -> bool:
    return value[0] == "d"


def concat(parts: list[Value]) -> Value:
    if any(is_dynamic(p) for p in parts):
        return DYNAMIC
    if all(p[0] == "s" for p in parts):
        return literal("".join(p[1] for p in parts))
    return ["c", parts]


def join(parts: list[Value]) -> Value:
    if not parts:
        return literal("")
    if any(is_dynamic(p) for p in parts):
        return DYNAMIC
    if all(p[0] == "s" for p in parts):
        return literal(_join_strings([p[1] for p in parts]))
    return ["j", parts]


def parent(value: Value, levels: int = 1) -> Value:
    if is_dynamic(value):
        return DYNAMIC
    for _ in range(levels):
        value = literal(_parent(value[1])) if value[0] == "s" else ["P", value]
    return value


def _parent(path: str) -> str:
    folded = posixpath.normpath(posixpath.join(path or ".", ".."))
    return "" if folded == "." else folded


def _join_strings(parts: list[str]) -> str:
    joined = ""
    for part in parts:
        joined = posixpath.join(joined, part) if joined else part
    return joined


def evaluate(value: Value, lookup: Lookup, depth: int = 0) -> str | None:
    """The string a value denotes, or None when it cannot be known statically."""
    if depth > MAX_DEPTH:
        return None
    tag = value[0]
    if tag == "s":
        return str(value[1])
    if tag == "d":
        return None
    if tag == "h":
        return "~"
    if tag == "r":
        target = lookup(value[1], value[2])
        return None if target is None else evaluate(target, lookup, depth + 1)
    if tag == "P":
        inner = evaluate(value[1], lookup, depth + 1)
        return None if inner is None else _parent(inner)
    parts = [evaluate(p, lookup, depth + 1) for p in value[1]]
    if any(p is None for p in parts):
        return None
    strings = [p for p in parts if p is not None]
    if tag == "c":
        return "".join(strings)
    if tag == "j":
        return _join_strings(strings)
    return None
