"""Reading libcst expressions: dotted names, a call's arguments, literals, literal lists.

Pure functions of a node, shared by the semantic model and every collector; what a name means
(through imports, in which scope) is the semantic model's business, not this module's.
"""

from __future__ import annotations

import libcst as cst


def dotted(node: cst.BaseExpression | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def evaluated(node: cst.SimpleString | cst.Integer) -> str | bytes | int | None:
    """What a literal evaluates to, None for one that does not evaluate.

    libcst parses some files CPython rejects (syntax newer than this Python), and with them
    literals CPython's compiler refuses: `"\\N{NO SUCH NAME}"`, `b"é"`, an integer of 5,000
    digits. Evaluating those raises.
    """
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError):
        return None


def argument(node: cst.Call, position: int | None, keywords: tuple[str, ...]) -> cst.BaseExpression | None:
    """The argument a call passes by one of ``keywords``, else at ``position`` (None: by
    keyword only); None when not given, or when a `*args` before it hides where it is."""
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    if position is None or position < 0:
        return None
    positional = 0
    for arg in node.args:
        if arg.keyword is not None:
            continue
        if arg.star:
            return None
        if positional == position:
            return arg.value
        positional += 1
    return None


def only_element(node: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The element of a literal list or tuple of exactly one (not starred), else None."""
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1 and isinstance(node.elements[0], cst.Element):
        return node.elements[0].value
    return None


def elements(node: cst.BaseExpression | None) -> list[cst.BaseExpression]:
    """The expressions a collection argument holds: one expression, a list/tuple/set's
    elements, or a dict's values (lists among them flattened)."""
    if node is None:
        return []
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        out: list[cst.BaseExpression] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                out += elements(element.value) if isinstance(element.value, (cst.List, cst.Tuple)) else [element.value]
        return out
    return [node]


def chain_names(node: cst.BaseExpression) -> list[str]:
    """Attribute names along a receiver chain, through calls: `spark.read.format("x")` ->
    ["format", "read", "spark"]."""
    names: list[str] = []
    for _ in range(32):
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Attribute):
            names.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Name):
            names.append(node.value)
            break
        else:
            break
    return names
