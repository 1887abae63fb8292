"""The batched walk: one traversal, every visitor's methods, visits in order, leaves reversed."""

from __future__ import annotations

import libcst as cst

from mldebt.parse.walk import walk


class _Recorder:
    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.log.append(f"{self.name} visit {node.name.value}")

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.log.append(f"{self.name} leave {node.name.value}")


class _Calls:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def visit_Call(self, node: cst.Call) -> bool:
        self.log.append(f"call {cst.Module(body=[]).code_for_node(node.func)}")
        # What a visit returns is ignored: the other visitors still need the children.
        return False


def test_each_visitor_visits_in_order_and_leaves_in_reverse() -> None:
    log: list[str] = []
    tree = cst.parse_module("def outer():\n    f(g())\n    def inner():\n        pass\n")
    walk(tree, [_Recorder("a", log), _Calls(log), _Recorder("b", log)])
    assert log == [
        "a visit outer", "b visit outer",
        "call f", "call g",
        "a visit inner", "b visit inner",
        "b leave inner", "a leave inner",
        "b leave outer", "a leave outer",
    ]


def test_a_visitor_without_methods_rides_along() -> None:
    log: list[str] = []
    walk(cst.parse_module("x = f(1)\n"), [object(), _Calls(log)])
    assert log == ["call f"]


def test_children_are_visited_in_source_order() -> None:
    # Decorators come before the function's dataclass fields say; a default before the body.
    log: list[str] = []
    walk(cst.parse_module("@d()\ndef f(x=a()):\n    b()\n"), [_Calls(log)])
    assert log == ["call d", "call a", "call b"]


class _ModuleCalls(_Calls):
    module_level_only = True


def test_a_module_level_visitor_sees_definitions_but_nothing_inside_them() -> None:
    inner: list[str] = []
    outer: list[str] = []
    source = "f()\n@d()\ndef g(x=a()):\n    b()\nclass C:\n    c()\nh = lambda: e()\nif x:\n    i()\n"
    walk(cst.parse_module(source), [_Calls(inner), _ModuleCalls(outer), _Recorder("r", outer)])
    assert inner == ["call f", "call d", "call a", "call b", "call c", "call e", "call i"]
    # The other visitors still see every node, and the definition itself is seen.
    assert outer == ["call f", "r visit g", "r leave g", "call i"]
