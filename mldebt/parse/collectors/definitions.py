"""Functions and classes, each with its cyclomatic complexity: one point, plus one per branch
(if, loop, except, boolean operator, comprehension clause, match case) in its body. A branch
counts for the innermost function around it, through class bodies; one outside every
function, for none."""

from __future__ import annotations

import libcst as cst

from mldebt.parse.facts import Definition
from mldebt.parse.positions import Places
from mldebt.parse.semantic import Scope, SemanticModel


class DefinitionCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        # In walk order, so that a scope's def_index is its position here.
        self._scopes: list[Scope] = []
        self._complexity: list[int] = []

    def definitions(self, places: Places) -> tuple[Definition, ...]:
        return tuple(
            Definition(scope.kind, scope.qualname, places.defs[scope.def_index], complexity, scope.bases)
            for scope, complexity in zip(self._scopes, self._complexity, strict=True)
        )

    def _define(self) -> None:
        self._scopes.append(self.semantic.scope)
        self._complexity.append(1)

    def _point(self, points: int = 1) -> None:
        function = self.semantic.scope.function()
        if function is not None:
            self._complexity[function.def_index] += points

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._define()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._define()

    def _branch(self, node: cst.CSTNode) -> None:
        self._point()

    visit_If = visit_IfExp = visit_For = visit_While = _branch
    visit_ExceptHandler = visit_ExceptStarHandler = visit_BooleanOperation = visit_MatchCase = _branch

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._point(1 + len(node.ifs))
