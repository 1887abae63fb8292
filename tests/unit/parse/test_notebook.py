import json

import libcst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mldebt.parse import notebook
from mldebt.parse.notebook import CodeCell, NotebookError, NotebookSource, notebook_source


def _notebook(*cells: object, **extra: object) -> bytes:
    return json.dumps({"cells": list(cells), "nbformat": 4, **extra}, indent=1).encode()


def _code(source: object) -> dict[str, object]:
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": []}


def _markdown(source: str) -> dict[str, object]:
    return {"cell_type": "markdown", "source": source, "metadata": {}}


def _neutralised(cell_source: str) -> str:
    return notebook_source(_notebook(_code(cell_source))).source


def test_string_and_list_sources_are_joined_with_one_newline_per_cell():
    result = notebook_source(_notebook(_code("a = 1\nb = 2"), _code(["c = 3\n", "d = 4\n"])))
    assert result.source == "a = 1\nb = 2\nc = 3\nd = 4\n"
    assert result.cells == (CodeCell(1, 1, 2), CodeCell(2, 3, 2))


def test_markdown_and_raw_cells_are_skipped_and_not_counted():
    result = notebook_source(
        _notebook(
            _markdown("# Title\n%not code"),
            _code("x = 1"),
            {"cell_type": "raw", "source": "!raw"},
            _code("y = 2"),
        )
    )
    assert result.source == "x = 1\ny = 2\n"
    assert [cell.index for cell in result.cells] == [1, 2]


def test_empty_cell_keeps_a_blank_line_and_trailing_blank_lines_are_kept():
    result = notebook_source(_notebook(_code(""), _code("x = 1\n\n")))
    assert result.source == "\nx = 1\n\n"
    assert result.cells == (CodeCell(1, 1, 1), CodeCell(2, 2, 2))


def test_windows_and_old_mac_line_endings_become_newlines():
    result = notebook_source(_notebook(_code("a = 1\r\nb = 2\rc = 3\r\n")))
    assert result.source == "a = 1\nb = 2\nc = 3\n"
    assert result.cells == (CodeCell(1, 1, 3),)


def test_notebook_without_cells_is_empty():
    result = notebook_source(_notebook())
    assert result == NotebookSource("", ())
    assert result.locate(5) == (1, 1)


def test_nbformat_3_worksheets_with_input():
    data = json.dumps(
        {
            "nbformat": 3,
            "worksheets": [
                {
                    "cells": [
                        {"cell_type": "heading", "level": 1, "source": ["Title"]},
                        {"cell_type": "code", "input": ["%pylab inline\n", "x = 1"]},
                    ]
                },
                {"cells": [{"cell_type": "code", "input": "y = x"}]},
            ],
        }
    ).encode()
    result = notebook_source(data)
    assert result.source == "# %pylab inline\nx = 1\ny = x\n"
    assert result.cells == (CodeCell(1, 1, 2), CodeCell(2, 3, 1))


def test_utf8_byte_order_mark_is_accepted():
    assert notebook_source(b"\xef\xbb\xbf" + _notebook(_code("x = 1"))).source == "x = 1\n"


def test_lone_surrogates_from_json_escapes_are_replaced():
    result = notebook_source(b'{"cells": [{"cell_type": "code", "source": "s = \'\\ud800\'"}]}')
    assert result.source == "s = '\ufffd'\n"
    result.source.encode("utf-8")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("%matplotlib inline", "# %matplotlib inline"),
        ("%load_ext autoreload", "# %load_ext autoreload"),
        ("!pip install pandas", "# !pip install pandas"),
        ("!!ls -la", "# !!ls -la"),
        ("df?", "# df?"),
        ("??df", "# ??df"),
        ("?df", "# ?df"),
        ("df.merge??", "# df.merge??"),
        ("np.*load*?", "# np.*load*?"),
        ("files = !ls data/", "files = None  # !ls data/"),
        ("t = %timeit -o f()", "t = None  # %timeit -o f()"),
        ("out, err =!run", "out, err =None  # !run"),
        ("self.files = %sx ls", "self.files = None  # %sx ls"),
        ("for f in files:\n    !echo {f}", "for f in files:\n    pass  # !echo {f}"),
        ("if x:\n    y = !ls", "if x:\n    y = None  # !ls"),
        (
            "if x:\n    obj?\nelse:\n    %time f()",
            "if x:\n    pass  # obj?\nelse:\n    pass  # %time f()",
        ),
        ("!pip install \\\n    numpy\nx = 1", "# !pip install \\\n    # numpy\nx = 1"),
        ("files = !ls \\\n  -la", "files = None  # !ls \\\n  # -la"),
        ("y = f(\n    a,\n)\n!ls", "y = f(\n    a,\n)\n# !ls"),
        ("x = 1\n%%bash", "x = 1\n# %%bash"),
        # IPython's automagic, and a cell pasted with its indentation (IPython dedents it).
        ("pip install pandas\nconda install -y numpy", "# pip install pandas\n# conda install -y numpy"),
        (' !tts --text "hi" \\\n      --out_path out.wav\n x = 1', '# !tts --text "hi" \\\n     # --out_path out.wav\nx = 1'),
        ("  if x:\n      y = 1", "if x:\n    y = 1"),
    ],
)
def test_line_magics_shell_and_help_are_neutralised(cell, expected):
    result = _neutralised(cell)
    assert result == expected + "\n"
    libcst.parse_module(result)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("!wget https://x.org/a.zip", "get_ipython().system('wget https://x.org/a.zip')  # !wget https://x.org/a.zip"),
        (
            "if x:\n    !unzip -q a.zip -d data",
            "if x:\n    get_ipython().system('unzip -q a.zip -d data')  # !unzip -q a.zip -d data",
        ),
        # IPython expands a name in braces as an f-string does; other braces are not Python.
        ("!curl -LO {URL}/v2/a.zip", "get_ipython().system(f'curl -LO {URL}/v2/a.zip')  # !curl -LO {URL}/v2/a.zip"),
        ("!wget {urls[0]}", "# !wget {urls[0]}"),
        # A command that moves no data, or one continued on the next line, stays inert.
        ("!nvidia-smi", "# !nvidia-smi"),
        ("!wget -q https://x.org/b.csv \\\n  -O b.csv", "# !wget -q https://x.org/b.csv \\\n  # -O b.csv"),
    ],
)
def test_a_shell_escape_that_moves_data_runs_as_ipython_runs_it(cell, expected):
    """`!wget URL` becomes the `get_ipython().system(...)` call IPython makes of it, on its line
    at its column, so that its download is a data access (trial 14, P-shell)."""
    result = _neutralised(cell)
    assert result == expected + "\n"
    libcst.parse_module(result)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "%%bash\ncd data\nwget -q https://x.org/a.zip\nunzip a.zip\n  wget https://x.org/b.zip\nls",
            "# %%bash\n# cd data\nget_ipython().system('cd data; wget -q https://x.org/a.zip')  # wget -q https://x.org/a.zip\n"
            "get_ipython().system('cd data; unzip a.zip')  # unzip a.zip\n  # wget https://x.org/b.zip\n# ls",
        ),
        ("%sh\ncurl -O https://x.org/d.csv", "# %sh\nget_ipython().system('curl -O https://x.org/d.csv')  # curl -O https://x.org/d.csv"),
        ("%%writefile get.sh\nwget https://x.org/e.zip", "# %%writefile get.sh\n# wget https://x.org/e.zip"),
    ],
)
def test_a_shell_cells_lines_that_move_data_run_as_ipython_runs_them(cell, expected):
    """A `%%bash` cell's unindented lines that download or unpack data, after its `cd` lines; an
    indented line (in a shell loop) and a written file's text stay inert."""
    result = _neutralised(cell)
    assert result == expected + "\n"
    libcst.parse_module(result)


def test_a_cell_with_a_continued_line_magic_or_a_cell_magic_is_analysed_whole():
    """No MLD001 for IPython syntax: the Python around and after it is analysed (issue 9)."""
    from mldebt.catalogs import load_catalog
    from mldebt.catalogs.models import load_models
    from mldebt.parse.analyze import analyze_file

    data = _notebook(
        _code("%pip install pandas \\\n    'scikit-learn>=1.3' \\\n    numpy\nimport pandas as pd\npd.read_csv('a.csv')"),
        _code(["!wget -q https://example.com/b.csv \\\n", "  -O b.csv\n", "pd.read_csv('b.csv')"]),
        _code("files = !ls data \\\n   -1\nif files:\n    !echo found \\\n      it\n    pd.read_csv('c.csv')"),
        _code("%%time\n%pip install x \\\n  y\npd.read_csv('d.csv')"),
        _code("%%bash\npip install a \\\n  b\nfor f in *.csv; do echo (; done"),
    )
    facts = analyze_file("nb.ipynb", data, "d", load_catalog(), load_models())

    def cell_of(line: int) -> int:
        return next(n for n, (first, count) in enumerate(facts.cells, 1) if first <= line < first + count)

    assert facts.problems == ()
    assert [(cell_of(a.span.line), a.value) for a in facts.accesses] == [
        (1, ["s", "a.csv"]), (2, ["s", "b.csv"]), (3, ["s", "c.csv"]), (4, ["s", "d.csv"]),
    ]


@pytest.mark.parametrize(
    "magic", ["%%time", "%%timeit -n 10", "%%capture output", "%%prun -s cumtime"]
)
def test_python_cell_magics_keep_their_body(magic):
    result = _neutralised(f"{magic}\nfor x in y:\n    !ls\nz = 1")
    assert result == f"# {magic}\nfor x in y:\n    pass  # !ls\nz = 1\n"


def test_ipython_sql_line_magic_with_its_query_is_a_line_of_its_own():
    assert _neutralised("%sql SELECT 1\nx = 1") == "# %sql SELECT 1\nx = 1\n"


def test_cell_magic_may_follow_blank_lines_and_indentation():
    assert _neutralised("\n  %%time\nx = 1") == "\n  # %%time\nx = 1\n"
    assert _neutralised("\n%%bash\nls") == "\n# %%bash\n# ls\n"


@pytest.mark.parametrize(
    "magic",
    [
        "%%bash", "%%sql sqlite://", "%%writefile train.py", "%%html", "%%javascript", "%%R -i df",
        # Databricks: a language magic alone on the first line makes the cell that language.
        "%sql", "%sh", "%sh ls /dbfs", "%md", "%scala", "%r", "%fs ls",
    ],
)
def test_other_cell_magics_turn_the_whole_cell_into_comments(magic):
    cell = f"{magic}\nimport os\n\n  echo 'unbalanced (\nx = ("
    result = _neutralised(cell)
    assert result == f"# {magic}\n# import os\n\n  # echo 'unbalanced (\n# x = (\n"
    libcst.parse_module(result)


@pytest.mark.parametrize(
    "cell",
    [
        "a = b % c",
        "ok = x != y",
        "s = '!not a shell'",
        "print('a = !b')",
        "x = (a\n     % b)",
        "x = a \\\n    % b",
        "d = {\n    'k':\n        !x,\n}",
        's = """\n!not a shell\n%not a magic\nobj?\n"""',
        "s = '''it's\n%inside'''",
        "s = 'continued \\\n%inside'",
        "x = 1  # why?",
        "# %matplotlib inline",
    ],
)
def test_ordinary_python_is_left_alone(cell):
    assert _neutralised(cell) == cell + "\n"


def test_only_python_indentation_is_kept_in_front_of_a_comment():
    result = _neutralised("%%bash\n\u3000echo\n\t\u3000")
    assert result == "# %%bash\n# \u3000echo\n\n"
    libcst.parse_module(result)


def test_each_cell_starts_with_a_fresh_lexical_state():
    result = notebook_source(_notebook(_code("s = '''open"), _code("!ls")))
    assert result.source == "s = '''open\n# !ls\n"


def _error(data: bytes) -> NotebookError:
    with pytest.raises(NotebookError) as caught:
        notebook_source(data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "message", "position"),
    [
        (b"\xff{}", "not valid UTF-8: invalid start byte (byte 0xff)", (1, 1)),
        (b'{"cells": [\n  "\xc3("]}', "not valid UTF-8", (2, 4)),
        (b"", "the file is empty", (1, 1)),
        (
            b'{"cells": [\n]\n "nbformat": 4}',
            "invalid notebook JSON: Expecting ',' delimiter",
            (3, 2),
        ),
        (b'{"cells": [1, 2', "invalid notebook JSON: Expecting ',' delimiter", (1, 16)),
        (b"[" * 100_000, "nested too deeply", (1, 1)),
        (b'{"n": ' + b"1" * 5000 + b"}", "invalid notebook JSON", (1, 1)),
        (b"[]", "not a notebook: the JSON value is a list, not an object", (1, 1)),
        (b'"cells"', "not a notebook: the JSON value is a string", (1, 1)),
        (b'{"nbformat": 4}', "not a notebook: no 'cells' list", (1, 1)),
        (b'\n {"cells": {"a": 1}}', "not a notebook: 'cells' is an object, not a list", (2, 12)),
        (
            b'{"cells": [\n  {"cell_type": "raw", "source": ""},\n  1]}',
            "cell 2 is a number, not an object",
            (3, 3),
        ),
        (
            b'{"cells": [\n  {"cell_type": "code", "source": 3}]}',
            "code cell 1: 'source' is a number, not a string or a list of strings",
            (2, 35),
        ),
        (
            b'{"cells": [{"cell_type": "markdown", "source": 1},\n {"cell_type": "code"}]}',
            "code cell 2: 'source' is missing or null",
            (2, 2),
        ),
        (
            b'{"cells": [\n  {"cell_type": "code", "source": ["a", null]}]}',
            "'source' is a list",
            (2, 35),
        ),
        (b'{"cells": [\n\n  {"source": "x"}]}', "cell 1: 'cell_type' is missing or null", (3, 3)),
        (
            b'{"cells": [{"cell_type": ["code"]}]}',
            "cell 1: 'cell_type' is a list, not a string",
            (1, 26),
        ),
        (b'{"cells": [], "cells": 5}', "not a notebook: 'cells' is a number", (1, 24)),
        (b'{"worksheets": {}}', "'worksheets' is an object, not a list", (1, 16)),
        (b'{"worksheets": [\n {"cells": 1}]}', "worksheet 1 has no 'cells' list", (2, 2)),
        (
            b'{"worksheets": [{"cells":[]},\n {"cells": [{"cell_type": "code", "input": false}]}]}',
            "code cell 1: 'input' is a boolean",
            (2, 44),
        ),
    ],
)
def test_unreadable_notebooks_raise_notebook_error_with_file_position(data, message, position):
    error = _error(data)
    assert message in error.message
    assert str(error) == error.message
    assert (error.line, error.column) == position


def test_oversized_notebook_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(notebook, "MAX_NOTEBOOK_BYTES", 16)
    assert "notebook too large" in _error(b'{"cells": [], "x": "padding"}').message


def test_locate_maps_first_and_last_line_of_each_cell():
    result = notebook_source(_notebook(_code("a\nb\nc"), _markdown("m"), _code("d"), _code("e\nf")))
    assert result.cells == (CodeCell(1, 1, 3), CodeCell(2, 4, 1), CodeCell(3, 5, 2))
    assert [result.locate(line) for line in range(1, 7)] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (3, 1),
        (3, 2),
    ]
    assert result.locate(7) == (3, 2)
    assert result.locate(1000) == (3, 2)
    assert result.locate(0) == (1, 1)


def test_without_cell_blanks_that_cell_and_keeps_line_numbers():
    result = notebook_source(
        _notebook(_code("a = 1"), _code("def broken(:\n    pass"), _code("b = 2"))
    )
    with pytest.raises(libcst.ParserSyntaxError):
        libcst.parse_module(result.source)
    retry = result.without_cell(2)
    assert retry.source == "a = 1\n\n\nb = 2\n"
    assert retry.cells == result.cells
    libcst.parse_module(retry.source)
    with pytest.raises(ValueError):
        result.without_cell(4)


def test_cell_sources_are_each_cell_alone():
    result = notebook_source(_notebook(_code("a = 1"), _markdown("# b"), _code("%ls\nif a:\n    b = 2")))
    assert list(result.cell_sources()) == [
        (CodeCell(1, 1, 1), "a = 1\n"),
        (CodeCell(2, 2, 3), "# %ls\nif a:\n    b = 2\n"),
    ]


_REALISTIC = [
    _markdown("# Churn model\nTrain and evaluate."),
    _code(
        [
            "%load_ext autoreload\n",
            "%autoreload 2\n",
            "%matplotlib inline\n",
            "!pip install -q lightgbm\n",
        ]
    ),
    _code(["import pandas as pd\n", "df = pd.read_csv('data/churn.csv')\n", "df.head()"]),
    _code("df.describe?"),
    _code("%%bash\nmkdir -p models\nls data | wc -l"),
    _code(
        [
            "%%time\n",
            "for col in df.columns:\n",
            "    if df[col].dtype == object:\n",
            "        !echo {col}\n",
            "        df[col] = df[col].astype('category')\n",
        ]
    ),
    _code(
        [
            "files = !ls data/\n",
            "ratio = (len(files)\n",
            "         % 3)\n",
            "query = '''\n",
            "SELECT *\n",
            "!ignored\n",
            "'''\n",
        ]
    ),
    _code("%%writefile config.yaml\nlr: 0.1\nepochs: 3\n"),
    _code("t = %timeit -o df.sum()\nprint(t.best)"),
]


def test_realistic_notebook_parses_with_libcst():
    result = notebook_source(_notebook(*_REALISTIC))
    module = libcst.parse_module(result.source)
    assert module.code == result.source
    assert len(result.cells) == 8
    assert result.source.count("\n") == sum(cell.line_count for cell in result.cells)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_TRICKY_TEXT = st.text(alphabet="ab=x %!?#'\"\\()[]{}\n\r\t:", max_size=40)
_CELL = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["code", "markdown", "raw"]) | _JSON,
        "source": _TRICKY_TEXT | st.lists(_TRICKY_TEXT, max_size=4) | _JSON,
    }
)
_DOCUMENT = (
    st.builds(lambda cells: {"cells": cells}, st.lists(_CELL, max_size=4))
    | st.builds(lambda cells: {"worksheets": [{"cells": cells}]}, st.lists(_CELL, max_size=4))
    | _JSON
)


@st.composite
def _json_ish_bytes(draw: st.DrawFn) -> bytes:
    data = json.dumps(draw(_DOCUMENT)).encode()
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, len(data)))
        data = data[:start] + draw(st.binary(max_size=4)) + data[end:]
    return data


@given(_json_ish_bytes())
def test_any_json_ish_bytes_give_a_source_or_a_notebook_error(data):
    try:
        result = notebook_source(data)
    except NotebookError as error:
        assert 1 <= error.line <= data.count(b"\n") + 1
        assert error.column >= 1
    else:
        assert result.source.count("\n") == sum(cell.line_count for cell in result.cells)


@given(st.lists(_TRICKY_TEXT | st.lists(_TRICKY_TEXT, max_size=3), max_size=5))
def test_every_source_line_maps_into_its_own_cell(sources):
    result = notebook_source(_notebook(*(_code(source) for source in sources)))
    assert len(result.cells) == len(sources)
    line = 1
    for cell, source in zip(result.cells, sources, strict=True):
        text = "".join(source) if isinstance(source, list) else source
        expected_lines = max(len(text.replace("\r\n", "\n").replace("\r", "\n").splitlines()), 1)
        assert (cell.first_line, cell.line_count) == (line, expected_lines)
        for offset in range(cell.line_count):
            assert result.locate(line + offset) == (cell.index, offset + 1)
        line += cell.line_count
    assert result.source.count("\n") == line - 1
