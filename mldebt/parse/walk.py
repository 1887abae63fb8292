"""A read-only walk over a libcst tree, several times cheaper than `Module.visit`.

libcst's visitor rebuilds every node it passes (its visit is a transform that happens to
return the same values), which costs about as much as the parse itself. Facts only need to
read the tree, so this walk calls the same `visit_<Node>`/`leave_<Node>` methods while just
reading the children. Children are visited in source order, as libcst does: the positions of
calls are paired with ast's by that order (see positions.py). Dataclass field order is source
order for every node type except the few listed in _SOURCE_ORDER.
"""

from __future__ import annotations

import dataclasses
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

# (visitor class, node class) -> (visit method, leave method, child fields), computed once.
_PLAN: dict[tuple[type[Any], type[Any]], tuple[str | None, str | None, tuple[str, ...]]] = {}


def _plan(cls: type[Any], visitor: object) -> tuple[str | None, str | None, tuple[str, ...]]:
    names = {f.name for f in dataclasses.fields(cls)}
    if cls in _SOURCE_ORDER:
        children = tuple(n for n in _SOURCE_ORDER[cls] if n in names)
    else:
        children = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in _TRIVIA and not f.name.startswith("whitespace")
        )
    visit = f"visit_{cls.__name__}"
    leave = f"leave_{cls.__name__}"
    return (visit if hasattr(visitor, visit) else None, leave if hasattr(visitor, leave) else None, children)


def walk(node: cst.CSTNode, visitor: object) -> None:
    """Call ``visitor.visit_<Type>(node)`` and ``leave_<Type>(node)`` around each node's
    children, in source order; a visit returning False skips the children."""
    cls = type(node)
    key = (type(visitor), cls)
    plan = _PLAN.get(key)
    if plan is None:
        plan = _PLAN[key] = _plan(cls, visitor)
    visit, leave, children = plan
    if visit is None or getattr(visitor, visit)(node) is not False:
        for name in children:
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                walk(value, visitor)
            elif isinstance(value, (tuple, list)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        walk(item, visitor)
    if leave is not None:
        getattr(visitor, leave)(node)
