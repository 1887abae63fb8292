"""A read-only walk over a libcst tree, several times cheaper than `Module.visit`.

libcst's visitor rebuilds every node it passes (its visit is a transform that happens to
return the same values), which costs about as much as the parse itself. Facts only need to
read the tree, so this walk calls the same `visit_<Node>`/`leave_<Node>` methods while just
reading the children, and it calls them on several visitors in the one traversal. Children
are visited in source order, as libcst does: the positions of calls are paired with ast's by
that order (see positions.py). Dataclass field order is source order for every node type
except the few listed in _SOURCE_ORDER.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

# Node types whose syntactic children come in another order than their dataclass fields.
_SOURCE_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.Arg: ("keyword", "value"),
    cst.TypeAlias: ("name", "type_parameters", "value"),
}
# Fields that hold only whitespace and punctuation: never a call, a definition or a name.
_TRIVIA = {"lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "comma", "semicolon",
           "equal", "colon", "dot", "lbracket", "rbracket", "lbrace", "rbrace", "newline", "indent", "asynchronous",
           "operator", "first_colon", "second_colon", "whitespace_between", "star", "posonly_ind", "conversion",
           "relative", "default_comma"}

# Node class -> the fields that hold its children, in source order; computed once.
_CHILDREN: dict[type[Any], tuple[str, ...]] = {}
# (the visitors' classes, a node class) -> which visitors have its visit and its leave method.
_METHODS: dict[tuple[tuple[type[Any], ...], type[Any]], tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _node_classes(cls: type[Any]) -> set[type[Any]]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _node_classes(sub)
    return found


# Every libcst node class: a set lookup of a child's exact type is several times cheaper than
# isinstance against CSTNode, an abstract class, on the walk's hottest line.
_NODES = frozenset(_node_classes(cst.CSTNode))

# Per node class: the visitors' visit methods, their leave methods, the child fields.
_Plan = tuple[tuple[Callable[[Any], object], ...], tuple[Callable[[Any], object], ...], tuple[str, ...]]


def _children(cls: type[Any]) -> tuple[str, ...]:
    names = {f.name for f in dataclasses.fields(cls)}
    if cls in _SOURCE_ORDER:
        return tuple(n for n in _SOURCE_ORDER[cls] if n in names)
    return tuple(
        f.name for f in dataclasses.fields(cls) if f.name not in _TRIVIA and not f.name.startswith("whitespace")
    )


# The nodes whose bodies are not module level: what a `module_level_only` visitor is not shown.
_DEFINITIONS = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def walk(node: cst.CSTNode, visitors: Sequence[object]) -> None:
    """One traversal of ``node`` for all ``visitors``, as Fixit batches its rules: around each
    node's children, in source order, call ``visit_<Type>(node)`` of every visitor that has
    one, in the order given, then ``leave_<Type>(node)`` in the reverse order, so that the
    first visitor (the semantic model) enters a scope before the others and leaves it after.

    A visitor sees the node and whatever state the visitors before it share; it cannot skip
    the children, which the others still need (what a visit returns is ignored). Anything
    with such methods plugs in: the collectors, and rules that visit the same walk. A visitor
    whose ``module_level_only`` is true sees each definition (`def`, `class`, `lambda`) but
    none of the nodes inside it.
    """
    inner = tuple(v for v in visitors if not getattr(v, "module_level_only", False))
    _walker(visitors, None if len(inner) == len(visitors) else _walker(inner, None))(node)


def _walker(visitors: Sequence[object], into_definitions: Callable[[Any], None] | None) -> Callable[[Any], None]:
    """The walk of ``visitors``; the children of a definition are walked with
    ``into_definitions`` instead, when given."""
    kinds = tuple(type(v) for v in visitors)
    plans: dict[type[Any], _Plan] = {}

    def plan(cls: type[Any]) -> _Plan:
        children = _CHILDREN.get(cls)
        if children is None:
            children = _CHILDREN[cls] = _children(cls)
        visit, leave = f"visit_{cls.__name__}", f"leave_{cls.__name__}"
        methods = _METHODS.get((kinds, cls))
        if methods is None:
            methods = _METHODS[kinds, cls] = (
                tuple(i for i, kind in enumerate(kinds) if hasattr(kind, visit)),
                tuple(i for i, kind in reversed(tuple(enumerate(kinds))) if hasattr(kind, leave)),
            )
        made = plans[cls] = (
            tuple(getattr(visitors[i], visit) for i in methods[0]),
            tuple(getattr(visitors[i], leave) for i in methods[1]),
            children,
        )
        return made

    def enter(node: cst.CSTNode) -> None:
        cls = type(node)
        visits, leaves, children = plans.get(cls) or plan(cls)
        for method in visits:
            method(node)
        child = into_definitions if into_definitions is not None and cls in _DEFINITIONS else enter
        for name in children:
            value = getattr(node, name)
            kind = type(value)
            if kind in _NODES:
                child(value)
            elif kind is tuple or kind is list:
                for item in value:
                    if type(item) in _NODES:
                        child(item)
        for method in leaves:
            method(node)

    return enter
