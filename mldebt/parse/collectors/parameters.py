"""A script's own calls: whether the module runs as a script (a `__main__` guard, or top-level
calls of its own functions), and the values those calls give its functions' parameters.

In a script or notebook, a parameter of a module-level function takes the values that the
calls of it in this module pass (`load("data/a.csv")` for `def load(path)`): one value, or each
of a few literals in turn (`load("train.csv")`, `load("test.csv")`), as a loop over them would.
A module-level class's constructor is called by the class's name, and its `__init__`'s
parameters take what those calls pass (`SpamDataset(csv_file="train.csv")`). A library
module's callers are elsewhere, so its parameters stay unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from mldebt.parse import values as v
from mldebt.parse.facts import Value
from mldebt.parse.semantic import Scope, SemanticModel
from mldebt.parse.syntax import evaluated


class ParameterCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        self.has_main = False
        # Module-level functions, and module-level classes by their `__init__`: name -> (the
        # function's scope, positional parameter names after `self`, defaults); and every call
        # of a plain name: name -> [(arguments, the caller's scope)].
        self._functions: dict[str, tuple[Scope, list[str], dict[str, Value]]] = {}
        self._name_calls: dict[str, list[tuple[Sequence[cst.Arg], Scope]]] = {}
        # Plain names called by module-level code (`train(epoch)` in a top-level loop).
        self._module_calls: set[str] = set()

    @property
    def runs_own_code(self) -> bool:
        """Module-level code calls a function this module defines: it runs its own code on import."""
        return any(name in self._module_calls for name in self._functions)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope, module = self.semantic.scope, self.semantic.module_scope
        params = node.params
        positional = [p.name.value for p in (*params.posonly_params, *params.params)]
        if scope.parent is module:
            name = node.name.value
        elif (
            node.name.value == "__init__" and scope.parent is not None and scope.parent.kind == "class"
            and scope.parent.parent is module
        ):
            # `SpamDataset("train.csv")` calls `__init__(self, csv_file)`.
            name, positional = scope.parent.qualname, positional[1:]
        else:
            return
        defaults = {
            p.name.value: self.semantic.value_of(p.default)
            for p in (*params.posonly_params, *params.params, *params.kwonly_params)
            if p.default is not None
        }
        self._functions[name] = (scope, positional, defaults)

    def visit_If(self, node: cst.If) -> None:
        if self.semantic.at_module_level and _is_main_guard(node.test):
            self.has_main = True

    def visit_Call(self, node: cst.Call) -> None:
        if self.semantic.call_covered or not isinstance(node.func, cst.Name):
            return
        # Evaluated in bind, for the functions this module turns out to define.
        self._name_calls.setdefault(node.func.value, []).append((node.args, self.semantic.scope))
        if self.semantic.at_module_level:
            self._module_calls.add(node.func.value)

    def bind(self) -> None:
        """Give each parameter the values its function's calls in this module pass: one, or
        each of them in turn; unknown when any call's is. Once the walk is over, and only for a
        script or a notebook."""
        value_of, resolve = self.semantic.value_of, self.semantic.resolve
        for name, (scope, positional, defaults) in self._functions.items():
            calls = self._name_calls.get(name)
            if not calls:
                continue
            # Each call's arguments by position and by keyword; None for one that unpacks *args.
            given_by_call: list[tuple[dict[str | int, Value] | None, Scope]] = [
                (
                    None if any(arg.star for arg in args) else {
                        arg.keyword.value if arg.keyword is not None else position: value_of(arg.value)
                        for position, arg in enumerate(args)
                    },
                    caller,
                )
                for args, caller in calls
            ]
            positions = {name: position for position, name in enumerate(positional)}
            for parameter in {*positional, *defaults}:
                if scope.assigns.get(parameter) != [v.DYNAMIC]:
                    continue
                index = positions.get(parameter, -1)
                passed: dict[str, Value] = {}
                for given, caller in given_by_call:
                    raw = (
                        v.DYNAMIC if given is None
                        else given.get(parameter, given.get(index, defaults.get(parameter, v.DYNAMIC)))
                    )
                    value = resolve(raw, caller) if caller is not scope else v.DYNAMIC
                    passed.setdefault(repr(value), value)
                scope.assigns[parameter] = [v.one_of(list(passed.values()))]


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left, right = test.left, test.comparisons[0].comparator
    names = {n.value for n in (left, right) if isinstance(n, cst.Name)}
    strings = {evaluated(s) for s in (left, right) if isinstance(s, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}
