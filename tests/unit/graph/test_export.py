"""Graph exports hold whatever a file name holds: DOT prints safely."""

from __future__ import annotations

import networkx as nx

from mldebt.graph.export import to_dot

# NUL and ESC would act on a terminal; a lone surrogate could not even be printed.
HOSTILE = "file:a\x00\x1b[2J\n\udcff\u202e.py"
SHOWN = "file:a\\x00\\x1b[2J\\n\\xff\\u202e.py"


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node(HOSTILE, kind="file", lines=[HOSTILE])
    graph.add_node("data:x.csv", kind="data")
    graph.add_edge("data:x.csv", HOSTILE, kind="read")
    return graph


def test_dot_shows_the_escapes() -> None:
    dot = to_dot(_graph())
    assert '"file:a\\\\x00\\\\x1b[2J\\\\n\\\\xff\\\\u202e.py" [label="a\\\\x00' in dot
    assert all(c == "\n" or " " <= c < "\x7f" for c in dot)
