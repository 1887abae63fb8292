"""Positions of the calls and definitions that extraction kept, without libcst's PositionProvider.

PositionProvider re-generates the whole module's code while tracking every node, which costs
about three parses. ``ast.parse`` costs a tenth of one and gives positions for exactly the node
kinds we need. In a concrete syntax tree the children of a node are in source order, so a
libcst pre-order walk meets the calls in the order of (start, outermost first); sorting ast's
calls the same way pairs them one to one. When the counts disagree (a syntax only one of the
parsers accepts) the caller falls back to PositionProvider for that file.

The same ast walk measures how deeply the code nests, because libcst's native parser recurses
once per level and overflows the C stack (a crash, not an exception) on pathological input.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from mldebt.parse.facts import Span

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Per node class, the fields that may hold child nodes; ctx and operators are singletons, never
# a call or a definition, and one level below their parent.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class AstView:
    """What ast saw: spans of calls and defs in libcst pre-order, and the nesting depth as
    libcst's parser would recurse on it."""

    calls: list[Span]
    defs: list[Span]
    depth: int


def _char_column(lines: list[bytes], line: int, byte_offset: int) -> int:
    """ast's columns count UTF-8 bytes; ours count characters, 1-based."""
    if 0 < line <= len(lines):
        return len(lines[line - 1][:byte_offset].decode("utf-8", "replace")) + 1
    return byte_offset + 1


def _span(node: ast.expr | ast.stmt, lines: list[bytes]) -> Span:
    end_line = node.end_lineno or node.lineno
    end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return Span(
        node.lineno,
        _char_column(lines, node.lineno, node.col_offset),
        end_line,
        _char_column(lines, end_line, end_col),
    )


def _order(node: ast.expr | ast.stmt) -> tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, -(node.end_lineno or 0), -(node.end_col_offset or 0))


def parse_ast(source: str) -> ast.Module | SyntaxError:
    """CPython's parse of the source, or the SyntaxError it raised (RecursionError and
    MemoryError, raised for extreme nesting, become a SyntaxError saying so)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except SyntaxError as exc:
        return exc
    except (RecursionError, MemoryError):
        return SyntaxError("too many nested parentheses")
    except ValueError as exc:
        return SyntaxError(str(exc))


def ast_view(tree: ast.Module, source: str) -> AstView:
    call_nodes: list[ast.Call] = []
    def_nodes: list[ast.stmt] = []
    depth = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, level = pop()
        cls = type(node)
        # `type(node) is` rather than isinstance: exact classes, and faster on a hot path.
        if cls is ast.Call:
            call_nodes.append(cast(ast.Call, node))
        elif cls in _DEFS:
            def_nodes.append(cast(ast.stmt, node))
        elif cls is ast.BoolOp:
            # ast keeps `a and b and c` flat; libcst nests one level per operator.
            level += len(cast(ast.BoolOp, node).values) - 1
        if level > depth:
            depth = level
        fields = _CHILD_FIELDS.get(cls)
        if fields is None:
            fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in ("ctx", "op", "ops"))
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        push((item, level + 1))
            elif isinstance(value, ast.AST):
                push((value, level + 1))
    lines = source.encode("utf-8", "surrogatepass").split(b"\n")
    call_nodes.sort(key=_order)
    def_nodes.sort(key=_order)
    return AstView([_span(n, lines) for n in call_nodes], [_span(n, lines) for n in def_nodes], depth)


class _Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        self.calls: list[Span] = []
        self.defs: list[Span] = []

    def _span(self, node: cst.CSTNode) -> Span:
        pos = self.get_metadata(PositionProvider, node)
        return Span(pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self._span(node))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.defs.append(self._span(node))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.defs.append(self._span(node))


def cst_positions(module: cst.Module) -> tuple[list[Span], list[Span]]:
    """The slow, always-right path: libcst's own positions."""
    collector = _Collector()
    MetadataWrapper(module, unsafe_skip_copy=True).visit(collector)
    return collector.calls, collector.defs


def node_spans(module: cst.Module, nodes: list[cst.CSTNode]) -> list[Span]:
    """The spans of a few nodes of any kind, from libcst's positions: for what file rules
    report, which only a file with findings pays for."""
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return [
        Span(pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)
        for pos in (positions[node] for node in nodes)
    ]


# A record's span while the walk is on: calls and definitions are placed once it is over (see
# Places), from ast's positions when they pair with the walk's, else from libcst's.
UNPLACED = Span(0, 0, 0, 0)


@dataclass(frozen=True)
class Places:
    """The spans of a module's calls and definitions, by their index in walk order."""

    calls: list[Span]
    defs: list[Span]
