"""The cheap positions (ast spans paired with the walk's call order) agree with libcst's own
PositionProvider, on generated programs and on real modules."""

from __future__ import annotations

import inspect
import json
import textwrap

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from libcst.metadata import MetadataWrapper, PositionProvider

from mldebt.parse.positions import ast_view, parse_ast
from mldebt.parse.walk import walk


class _Calls:
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def _check(source: str) -> None:
    tree = parse_ast(source)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return
    if isinstance(tree, SyntaxError):
        return
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    collector = _Calls()
    walk(wrapper.module, [collector])
    view = ast_view(tree, source)
    assert len(view.calls) == len(collector.calls)
    for node, span in zip(collector.calls, view.calls, strict=True):
        start = positions[node].start
        assert (start.line, start.column + 1) == (span.line, span.column)


# Generated programs call literals ("1()"): CPython compiles them with a SyntaxWarning.
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=settings.default.max_examples * 3 // 5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(hypothesmith.from_grammar())
def test_generated_programs(source: str) -> None:
    _check(source)


def test_real_modules() -> None:
    for module in (json, textwrap, inspect):
        _check(inspect.getsource(module))


def test_decorators_defaults_and_conditional_expressions() -> None:
    _check(
        "@deco(a())\n"
        "class C(Base(b()), metaclass=m()):\n"
        "    @prop(c())\n"
        "    def f(self, x=d(), *, y=e()) -> r():\n"
        "        return f(g()) if h() else i()\n"
        "try:\n    j()\nexcept k() as err:\n    l()\n"
        "match m():\n    case [n] if o():\n        p()\n"
    )
