"""Graph exports hold whatever a file name holds: GraphML stays well-formed XML, DOT and JSON
print safely, JSON keeps the name exactly."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx

from mldebt.graph.export import to_dot, to_graphml, to_json

# NUL and ESC are illegal in XML 1.0 even as references; a lone surrogate is no character.
HOSTILE = "file:a\x00\x1b[2J\n\udcff\u202e.py"
SHOWN = "file:a\\x00\\x1b[2J\\n\\xff\\u202e.py"


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node(HOSTILE, kind="file", lines=[HOSTILE])
    graph.add_node("data:x.csv", kind="data")
    graph.add_edge("data:x.csv", HOSTILE, kind="read")
    return graph


def test_graphml_is_well_formed_whatever_a_name_holds() -> None:
    root = ET.fromstring(to_graphml(_graph()).encode("utf-8"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert {node.get("id") for node in root.iter(f"{ns}node")} == {SHOWN, "data:x.csv"}
    assert [(e.get("source"), e.get("target")) for e in root.iter(f"{ns}edge")] == [("data:x.csv", SHOWN)]


def test_dot_shows_the_escapes() -> None:
    dot = to_dot(_graph())
    assert '"file:a\\\\x00\\\\x1b[2J\\\\n\\\\xff\\\\u202e.py" [label="a\\\\x00' in dot
    assert all(c == "\n" or " " <= c < "\x7f" for c in dot)


def test_json_keeps_the_name_exactly() -> None:
    text = to_json(_graph())
    text.encode("utf-8")
    assert {node["id"] for node in json.loads(text)["nodes"]} == {HOSTILE, "data:x.csv"}
