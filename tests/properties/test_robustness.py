"""Generated programs and random bytes never crash the analyzer, and every position it
reports lies inside its file."""

from __future__ import annotations

import encodings.aliases
import json

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file
from mldebt.parse.facts import FileFacts, Span, locate

CATALOG = load_catalog()
MODELS = load_models()


def _spans(facts: FileFacts) -> list[Span]:
    return [
        *(a.span for a in facts.accesses),
        *(d.span for d in facts.definitions),
        *(m.span for m in facts.models),
        *(p.span for p in facts.pipelines),
        *(p.span for p in facts.problems),
    ]


def _assert_inside(facts: FileFacts, text_lines: list[str]) -> None:
    for span in _spans(facts):
        assert 1 <= span.line <= max(len(text_lines), 1), span
        assert span.line <= span.end_line, span
        assert span.column >= 1 and span.end_column >= 1, span
        if span.line <= len(text_lines):
            assert span.column <= len(text_lines[span.line - 1]) + 1, (span, text_lines[span.line - 1])


@settings(max_examples=settings.default.max_examples * 3 // 5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(hypothesmith.from_grammar())
def test_generated_programs(source: str) -> None:
    facts = analyze_file("gen.py", source.encode("utf-8", "surrogatepass"), "d", CATALOG, MODELS)
    _assert_inside(facts, source.split("\n"))
    assert FileFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts


@settings(deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    for path in ("random.py", "random.ipynb"):
        facts = analyze_file(path, data, "d", CATALOG, MODELS)
        if path.endswith(".py") and not facts.problems:
            _assert_inside(facts, data.decode("utf-8", "replace").split("\n"))


# Every codec Python knows by an alias: text encodings, bytes-to-bytes codecs (rot13, zlib),
# and the ones that refuse everything (undefined).
_CODECS = sorted({*encodings.aliases.aliases.values(), "undefined", "punycode", "idna", "unicode_escape"})


@settings(deadline=None)
@given(st.sampled_from(_CODECS), st.binary(max_size=500))
def test_any_declared_encoding(codec: str, body: bytes) -> None:
    data = f"# -*- coding: {codec} -*-\n".encode() + body
    facts = analyze_file("coded.py", data, "d", CATALOG, MODELS)
    # Python ends a line at \r too; this counts every line whatever the codec made of the bytes.
    assert all(1 <= span.line <= data.count(b"\n") + data.count(b"\r") + 1 for span in _spans(facts))


_FRAGMENTS = st.sampled_from(
    [
        "import pandas as pd\n",
        "df = pd.read_csv('data/a.csv')\n",
        "df.to_parquet(f'{OUT}/b.pq')\n",
        "OUT = 'data/out'\n",
        "def f(p):\n    return open(p)\n",
        "with open('x.json', 'w') as fh:\n    json.dump({}, fh)\n",
        "if __name__ == '__main__':\n    f('x')\n",
        "x = (\n  1,\n  2)\n",
        "s = 'é🙂'; pd.read_csv('ü.csv')\n",
        "def g(:\n",
        # Literals CPython refuses and libcst parses.
        "n = 'a\x00b'\n",
        "u = '\\N{NO SUCH NAME}' + b'caf\u00e9'\n",
    ]
)


@settings(max_examples=settings.default.max_examples * 4 // 5, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=12))
def test_fragments_of_real_code(fragments: list[str]) -> None:
    source = "".join(fragments)
    facts = analyze_file("frag.py", source.encode(), "d", CATALOG, MODELS)
    _assert_inside(facts, source.split("\n"))


@settings(max_examples=settings.default.max_examples * 2 // 5, deadline=None)
@given(st.lists(st.lists(_FRAGMENTS, max_size=4), min_size=1, max_size=5))
def test_notebook_cells_map_inside_their_cells(cells: list[list[str]]) -> None:
    sources = ["".join(c) for c in cells]
    notebook = {
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None} for s in sources],
    }
    facts = analyze_file("nb.ipynb", json.dumps(notebook).encode(), "d", CATALOG, MODELS)
    for span in _spans(facts):
        location = locate(facts, span)
        assert location.cell is not None and 1 <= location.cell <= len(sources)
        cell_lines = max(sources[location.cell - 1].count("\n"), 1)
        assert 1 <= location.line <= cell_lines, (location, sources[location.cell - 1])
