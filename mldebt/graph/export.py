"""The graph as JSON (node-link), Graphviz DOT or GraphML, for `mldebt graph`.

Node names hold repository paths and data targets, which may contain anything a file name
can: each format gets them in a form it can hold and a terminal can show (mldebt.escaping).
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from mldebt.escaping import json_text, printable

FORMATS = ("json", "dot", "graphml")


def _scalar(value: Any) -> str | int | float | bool:
    """A GraphML node name or attribute value. XML 1.0 cannot hold most control characters,
    not even as character references, nor lone surrogates: text is made ``printable``."""
    if isinstance(value, (int, float, bool)):
        return value
    return printable(value if isinstance(value, str) else json.dumps(value))


def to_json(graph: nx.DiGraph) -> str:
    data = nx.node_link_data(graph, edges="edges")
    return json_text(data, indent=2, sort_keys=True) + "\n"


def _dot_id(text: str) -> str:
    # printable first: its escapes (\n for a line break) then show as typed.
    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


_SHAPES = {"file": "note", "data": "cylinder", "pipeline": "box3d", "model": "component"}


def to_dot(graph: nx.DiGraph) -> str:
    lines = ["digraph mldebt {", "  rankdir=LR;"]
    for node, attrs in sorted(graph.nodes(data=True)):
        kind = attrs.get("kind", "")
        label = node.split(":", 1)[1] if ":" in node else node
        lines.append(f"  {_dot_id(node)} [label={_dot_id(label)}, shape={_SHAPES.get(kind, 'ellipse')}];")
    for source, target, attrs in sorted(graph.edges(data=True)):
        lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [label={_dot_id(str(attrs.get('kind', '')))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(graph: nx.DiGraph) -> str:
    # GraphML only holds scalar attributes.
    clean = nx.DiGraph()
    for node, attrs in graph.nodes(data=True):
        clean.add_node(_scalar(node), **{k: _scalar(v) for k, v in attrs.items()})
    for source, target, attrs in graph.edges(data=True):
        clean.add_edge(_scalar(source), _scalar(target), **{k: _scalar(v) for k, v in attrs.items()})
    buffer = io.BytesIO()
    nx.write_graphml(clean, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def export(graph: nx.DiGraph, fmt: str) -> str:
    return {"json": to_json, "dot": to_dot, "graphml": to_graphml}[fmt](graph)
