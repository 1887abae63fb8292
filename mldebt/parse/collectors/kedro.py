"""The dataset names of a module's Kedro nodes, as the pipelines wrapping them name them.

A `pipeline(base, namespace="x")` prefixes the names of the nodes it wraps (`x.name`), except
the names its `inputs=`, `outputs=` and `parameters=` map or list, and parameters (`params:...`,
`parameters`), as Kedro's modular pipelines do. It wraps what its first argument holds: node and
pipeline calls, in lists, sums (`a + b`, `sum(pipes)`) and comprehensions, through names bound
to them before and functions of the module returning them. A namespace not known statically
(a loop's variable) is `*` (`*.name`). A node several pipelines wrap (a template instantiated
twice) has the names of every instance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from mldebt.parse.semantic import Scope
from mldebt.parse.syntax import argument, dotted, elements, evaluated

# How far names, functions and wrappers are followed.
_MAX_DEPTH = 24
# The namespace of a pipeline call whose namespace is not known statically.
DYNAMIC_NAMESPACE = "*"

Names = tuple[tuple[str, ...], tuple[str, ...]]
# A node's id with its (inputs, outputs).
Instance = tuple[int, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class _Pipeline:
    """A `pipeline(...)` call: what it renames, and the expression holding its members."""

    namespace: str | None
    members: cst.BaseExpression | None
    mappings: tuple[cst.BaseExpression, ...]
    scope: Scope
    order: int


@dataclass(frozen=True)
class _Node:
    """A `node(...)` call: the expressions naming its datasets."""

    inputs: cst.BaseExpression | None
    outputs: cst.BaseExpression | None
    scope: Scope
    order: int


@dataclass(frozen=True)
class _Binding:
    """A name bound to an expression; `extends`: by `+=`, so it holds what it held too."""

    value: cst.BaseExpression
    order: int
    extends: bool


class KedroNames:
    """What the walk tells about a module's Kedro nodes and pipelines, in walk order."""

    def __init__(self) -> None:
        self._order = 0
        self._nodes: dict[int, _Node] = {}
        self._pipelines: dict[int, _Pipeline] = {}
        self._bound: dict[tuple[int, str], list[_Binding]] = {}
        self._returns: dict[str, list[tuple[cst.BaseExpression, Scope, int]]] = {}

    def _next(self) -> int:
        self._order += 1
        return self._order

    def node(self, call: cst.Call, scope: Scope) -> None:
        self._nodes[id(call)] = _Node(argument(call, 1, ("inputs",)), argument(call, 2, ("outputs",)), scope, self._next())

    def pipeline(self, call: cst.Call, namespace: str | None, scope: Scope) -> None:
        mappings = (argument(call, None, (key,)) for key in ("inputs", "outputs", "parameters"))
        self._pipelines[id(call)] = _Pipeline(
            namespace, argument(call, 0, ("pipe", "nodes")), tuple(m for m in mappings if m is not None), scope, self._next(),
        )

    def bind(self, name: str, value: cst.BaseExpression, scope: Scope, extends: bool = False) -> None:
        """After the walk has seen ``value``: ``name`` holds it from now on."""
        self._bound.setdefault((id(scope), name), []).append(_Binding(value, self._next(), extends))

    def returns(self, function: str, value: cst.BaseExpression, scope: Scope) -> None:
        self._returns.setdefault(function, []).append((value, scope, self._next()))

    def names(self) -> dict[int, Names]:
        """Each node call's (inputs, outputs), by the call's id, as the outermost pipelines that
        wrap it name them; a node no pipeline wraps keeps its own names."""
        own = {id_: (self._names(n.inputs, n.scope, n.order), self._names(n.outputs, n.scope, n.order))
               for id_, n in self._nodes.items()}
        wrapped = {m for p in self._pipelines.values() for m in self._members(p.members, p.scope, p.order)}
        found: dict[int, tuple[dict[str, None], dict[str, None]]] = {}
        for id_ in self._pipelines:
            if id_ not in wrapped:
                for node, inputs, outputs in self._instances(id_, own, frozenset()):
                    names = found.setdefault(node, ({}, {}))
                    names[0].update(dict.fromkeys(inputs))
                    names[1].update(dict.fromkeys(outputs))
        return {id_: (tuple(found[id_][0]), tuple(found[id_][1])) if id_ in found else own[id_] for id_ in own}

    def _instances(self, id_: int, own: dict[int, Names], within: frozenset[int]) -> Iterator[Instance]:
        """(node id, inputs, outputs) of each node a node or pipeline call holds, renamed by
        the pipelines on the way; ``within``: those pipelines, never entered again."""
        if id_ in own:
            yield id_, *own[id_]
            return
        if id_ in within or len(within) > _MAX_DEPTH:
            return
        pipeline = self._pipelines[id_]
        mapping: dict[str, str] = {}
        for expression in pipeline.mappings:
            mapping.update(self._mapping(expression, pipeline.scope, pipeline.order, 0))
        for member in self._members(pipeline.members, pipeline.scope, pipeline.order):
            for node, inputs, outputs in self._instances(member, own, within | {id_}):
                yield (
                    node,
                    tuple(_renamed(n, mapping, pipeline.namespace) for n in inputs),
                    tuple(_renamed(n, mapping, pipeline.namespace) for n in outputs),
                )

    def _members(self, node: cst.BaseExpression | None, scope: Scope, before: int, depth: int = 0) -> list[int]:
        """The node and pipeline calls an expression holds, read at ``before``."""
        if node is None or depth > _MAX_DEPTH:
            return []
        depth += 1
        if isinstance(node, cst.Call):
            if id(node) in self._nodes or id(node) in self._pipelines:
                return [id(node)]
            name = dotted(node.func)
            if name == "sum":
                return [m for arg in node.args[:1] for m in self._members(arg.value, scope, before, depth)]
            return [m for value, inner, at in self._returned(name, scope) for m in self._members(value, inner, at, depth)]
        if isinstance(node, cst.Name):
            return [m for value, inner, at in self._bound_to(node.value, scope, before) for m in self._members(value, inner, at, depth)]
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return [m for e in node.elements for m in self._members(e.value, scope, before, depth)]
        if isinstance(node, cst.BinaryOperation):
            return self._members(node.left, scope, before, depth) + self._members(node.right, scope, before, depth)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return self._members(node.elt, scope, before, depth)
        return []

    def _returned(self, name: str | None, scope: Scope) -> list[tuple[cst.BaseExpression, Scope, int]]:
        """What the module's function that ``name`` calls returns, found as Python finds the
        name: nested in an enclosing function, else at module level (class bodies skipped)."""
        inner: Scope | None = scope
        while name is not None and inner is not None:
            if inner.kind != "class":
                returned = self._returns.get(f"{inner.qualname}.{name}" if inner.qualname else name)
                if returned:
                    return returned
            inner = inner.parent
        return []

    def _bound_to(self, name: str, scope: Scope, before: int) -> list[tuple[cst.BaseExpression, Scope, int]]:
        """What a name holds where it is read: in its own scope, the last binding before
        ``before`` (with those a `+=` adds to); in a scope around it, the last binding."""
        inner: Scope | None = scope
        while inner is not None:
            bindings = [b for b in self._bound.get((id(inner), name), ()) if inner is not scope or b.order < before]
            if bindings:
                held = []
                for binding in reversed(bindings):
                    held.append((binding.value, inner, binding.order))
                    if not binding.extends:
                        break
                return held
            inner = inner.parent
        return []

    def _names(self, node: cst.BaseExpression | None, scope: Scope, before: int, depth: int = 0) -> tuple[str, ...]:
        """Dataset names from a node's inputs/outputs: a string, a list, a dict
        (`{"arg": "name"}`, `dict(arg="name")`), or a name bound to one."""
        if node is None or depth > _MAX_DEPTH:
            return ()
        depth += 1
        if isinstance(node, cst.Name):
            return tuple(n for value, inner, at in self._bound_to(node.value, scope, before)[:1]
                         for n in self._names(value, inner, at, depth))
        if isinstance(node, cst.Call) and dotted(node.func) == "dict":
            return tuple(n for arg in node.args if arg.keyword is not None for n in self._names(arg.value, scope, before, depth))
        if isinstance(node, cst.SimpleString):
            value = evaluated(node)
            return (value,) if isinstance(value, str) else ()
        if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
            return tuple(n for e in elements(node) for n in self._names(e, scope, before, depth))
        return ()

    def _mapping(self, node: cst.BaseExpression, scope: Scope, before: int, depth: int) -> dict[str, str]:
        """A pipeline's `inputs=`, `outputs=` or `parameters=` as old name -> new name: a dict
        (literal, `dict(...)`, `{k: k for k in names}`) maps; a string or a collection of them
        keeps those names as they are."""
        if depth > _MAX_DEPTH:
            return {}
        depth += 1
        if isinstance(node, cst.Name):
            bound = self._bound_to(node.value, scope, before)[:1]
            return {k: n for value, inner, at in bound for k, n in self._mapping(value, inner, at, depth).items()}
        if isinstance(node, cst.Dict):
            pairs = [(_text(e.key), _text(e.value)) for e in node.elements if isinstance(e, cst.DictElement)]
        elif isinstance(node, cst.Call) and dotted(node.func) == "dict":
            pairs = [(a.keyword.value, _text(a.value)) for a in node.args if a.keyword is not None]
        elif (
            isinstance(node, cst.DictComp) and isinstance(node.for_in.target, cst.Name)
            and dotted(node.key) == dotted(node.value) == node.for_in.target.value
        ):
            return self._mapping(node.for_in.iter, scope, before, depth)
        else:
            return {name: name for name in self._names(node, scope, before, depth)}
        return {old: new for old, new in pairs if old is not None and new is not None}


def _text(node: cst.BaseExpression) -> str | None:
    value = evaluated(node) if isinstance(node, cst.SimpleString) else None
    return value if isinstance(value, str) else None


def _renamed(name: str, mapping: dict[str, str], namespace: str | None) -> str:
    """A dataset name as a pipeline call renames it (Kedro's rules): a mapped name, or a mapped
    transcoding base (`x@pandas`), takes the new name; a parameter stays; any other name takes
    the namespace."""
    if name in mapping:
        return mapping[name]
    if name == "parameters" or name.startswith("params:"):
        return name
    base, at, transcoding = name.partition("@")
    if at and base in mapping:
        return f"{mapping[base]}@{transcoding}"
    return f"{namespace}.{name}" if namespace else name
