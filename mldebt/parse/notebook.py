"""Jupyter notebooks as Python source: code cells joined, IPython syntax inert, lines mapped back.

The notebook file is untrusted data: anything that is not a readable nbformat 3 or 4 notebook
becomes a ``NotebookError`` with a position in the file, never another exception. The source
produced keeps every cell line on a line of its own, so a position libcst reports in it maps
back to (code cell, line in cell) with ``NotebookSource.locate``.
"""

from __future__ import annotations

import codecs
import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mldebt.parse.shell import accesses as shell_accesses
from mldebt.parse.shell import placeholder

# Real notebooks with embedded plots reach tens of MiB; far beyond that is not worth decoding.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024

# These cell magics run their body as Python in the notebook's namespace; every other cell magic
# hands its body to another language or tool (%%bash, %%sql, %%writefile, %%html, ...).
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# These run their body as a shell script, line by line.
_SHELL_CELL_MAGICS = frozenset({"bash", "sh"})

_CELL_MAGIC = re.compile(r"\s*%%(\w*)")
# A Databricks notebook's cell in another language: its first line is only the language's magic
# (`%sql`, `%sh ls`, ...); Databricks runs the rest of the cell in that language. (`%sql` with a
# query on its line is ipython-sql's line magic, a line of its own.)
_LANGUAGE_MAGIC = re.compile(r"\s*%(?:sql|scala|r)\s*|\s*%(?:sh|md|md-sandbox|fs)(?:\s.*)?")
# IPython's automagic: `pip install x` and `conda install x` run as %pip and %conda do (and are
# no Python).
_AUTOMAGIC = re.compile(r"(?:pip|pip3|conda|mamba)\s+(?:install|uninstall|list|show|freeze)\b.*")
# `%cd ..`, `%cd -q data`: a literal directory (no variable expansion).
_CD_MAGIC = re.compile(r"%cd(?:\s+-q)?\s+(\S.*)")
# A shell escape, `!wget URL` (`!!cmd` captures the output instead).
_SHELL_ESCAPE = re.compile(r"![^!].*")
# What IPython expands in a shell command, that an f-string expands alike: a name or an attribute.
_EXPANSION = re.compile(r"\{[A-Za-z_][\w.]*\}")
# IPython's own rule for `lhs = !cmd` and `lhs = %magic`: names, attributes and tuples of them.
_MAGIC_ASSIGNMENT = re.compile(r"(\s*[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*)([!%].*)")
# IPython's help suffix: `obj?`, `obj.method??`, `np.*load*?`, `x[0]?`.
_HELP_SUFFIX = re.compile(r"(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?\d+\])*\?\??")
# What changes the lexical state of a line: escapes, quotes, comments and brackets.
_LEXEME = re.compile(r"""\\.?|'''|\"\"\"|['"#()\[\]{}]""")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class CodeCell:
    """A code cell: its 1-based index among code cells and the lines it occupies in the source."""

    index: int
    first_line: int
    line_count: int


@dataclass(frozen=True)
class NotebookSource:
    """All code cells of a notebook as one Python source, each cell ending with a newline."""

    source: str
    cells: tuple[CodeCell, ...]

    def locate(self, line: int) -> tuple[int, int]:
        """Map a 1-based line of ``source`` to (cell index, 1-based line in that cell).

        Lines outside the source clamp to the first or last cell line; a notebook without
        code cells answers (1, 1).
        """
        if not self.cells:
            return (1, 1)
        position = bisect_right(self.cells, line, key=lambda cell: cell.first_line)
        cell = self.cells[max(position - 1, 0)]
        offset = min(max(line - cell.first_line, 0), cell.line_count - 1)
        return (cell.index, offset + 1)

    def cell_sources(self) -> Iterator[tuple[CodeCell, str]]:
        """Each code cell with its code alone, as Jupyter runs it."""
        lines = self.source.split("\n")
        for cell in self.cells:
            start = cell.first_line - 1
            yield cell, "".join(line + "\n" for line in lines[start : start + cell.line_count])

    def without_cell(self, index: int) -> NotebookSource:
        """The same notebook with code cell ``index`` blanked out, every line number kept.

        Lets a caller drop a cell with a syntax error and still analyse the others.
        """
        cell = next((cell for cell in self.cells if cell.index == index), None)
        if cell is None:
            raise ValueError(f"the notebook has no code cell {index}")
        lines = self.source.split("\n")
        start = cell.first_line - 1
        lines[start : start + cell.line_count] = [""] * cell.line_count
        return NotebookSource("\n".join(lines), self.cells)


class NotebookError(Exception):
    """A file that is not a readable notebook, with a 1-based position in the file."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _Malformed(Exception):
    """A structural problem found at a JSON path; the position is worked out only when needed."""

    def __init__(self, message: str, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def notebook_source(data: bytes) -> NotebookSource:
    """Turn the bytes of a ``.ipynb`` file into parseable Python source with a line map.

    Raises ``NotebookError`` for anything that is not a readable notebook.
    """
    text = _decode(data)
    cells: list[CodeCell] = []
    lines: list[str] = []
    for _, cell_text in _code_cells(text):
        cell_lines = _neutralise(_split_lines(cell_text))
        cells.append(CodeCell(len(cells) + 1, len(lines) + 1, len(cell_lines)))
        lines.extend(cell_lines)
    source = "".join(line + "\n" for line in lines)
    # JSON escapes can smuggle in lone surrogates, which no encoder downstream would accept.
    return NotebookSource(_LONE_SURROGATE.sub("\ufffd", source), tuple(cells))


def code_cell_texts(data: bytes) -> list[str]:
    """The text of each code cell as the notebook holds it, IPython syntax and all; raises
    NotebookError as notebook_source does."""
    return [cell_text for _, cell_text in _code_cells(_decode(data))]


def replace_cell_texts(data: bytes, texts: Mapping[int, str]) -> bytes:
    """The notebook with the text of code cell ``i`` (1-based among code cells) replaced by
    ``texts[i]``, and every other byte as it was: a cell's other fields, its outputs, the
    notebook's metadata and layout. The new text keeps the old one's JSON form (a string, or a
    list of lines laid out as it was); raises NotebookError as notebook_source does."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = _decode(data)
    paths = [path for path, _ in _code_cells(text)]
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int, str]] = []
    for index, new in texts.items():
        offset = _skip_whitespace(text, 0)
        for step in paths[index - 1]:
            offset = _member_start(decoder, text, offset, step)
        old, end = decoder.raw_decode(text, offset)
        spans.append((offset, end, _like(text[offset:end], old, new)))
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return bom + text.encode("utf-8")


def _like(old_text: str, old: str | list[str], new: str) -> str:
    """``new`` as JSON in the form of the value ``old`` (``old_text`` in the file)."""
    # nbformat writes non-ASCII as it is; a file that escaped it keeps escaping it.
    # A lone surrogate (from an escape in the file) can only be written escaped.
    ascii_only = bool(_LONE_SURROGATE.search(new)) or (
        old_text.isascii() and not ("".join(old) if isinstance(old, list) else old).isascii()
    )
    if isinstance(old, str):
        return json.dumps(new, ensure_ascii=ascii_only)
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in re.findall(r"[^\n]*\n|[^\n]+", new)]
    layout = re.fullmatch(r'\[(\s*)".*"(\s*)\]', old_text, re.S)
    if not items or not layout:
        return f"[{', '.join(items)}]"
    lead, trail = layout.groups()
    return f"[{lead}" + f",{lead}".join(items) + f"{trail}]"


def _decode(data: bytes) -> str:
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(
            f"notebook too large: {len(data) / 2**20:.1f} MiB, "
            f"the limit is {MAX_NOTEBOOK_BYTES / 2**20:.0f} MiB"
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8")
        raise NotebookError(
            f"notebook is not valid UTF-8: {error.reason} (byte 0x{data[error.start]:02x})",
            *_line_column(prefix, len(prefix)),
        ) from None


def _load(text: str) -> object:
    if not text.strip():
        raise NotebookError("invalid notebook JSON: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"invalid notebook JSON: {error.msg}", error.lineno, error.colno
        ) from None
    except RecursionError:
        raise NotebookError("invalid notebook JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer literal past Python's digit limit
        raise NotebookError(f"invalid notebook JSON: {error}") from None


def _code_cells(text: str) -> list[tuple[tuple[str | int, ...], str]]:
    """The JSON path and the text of each code cell of the notebook ``text``."""
    document = _load(text)
    try:
        return _code_cell_texts(document)
    except _Malformed as error:
        raise NotebookError(error.message, *_position_of(text, error.path)) from None


def _code_cell_texts(document: object) -> list[tuple[tuple[str | int, ...], str]]:
    """The JSON path to the source of every code cell, and its text, in order, from an
    nbformat 4 or 3 document."""
    if not isinstance(document, dict):
        raise _Malformed(
            f"not a notebook: the JSON value is {_json_type(document)}, not an object", ()
        )
    if "cells" in document or "worksheets" not in document:
        cells = document.get("cells")
        if cells is None:
            raise _Malformed("not a notebook: no 'cells' list", ())
        if not isinstance(cells, list):
            raise _Malformed(
                f"not a notebook: 'cells' is {_json_type(cells)}, not a list", ("cells",)
            )
        return _sheet_texts(cells, "source", ("cells",), 0)
    # nbformat 3 keeps cells in worksheets and the code of a code cell under "input".
    worksheets = document["worksheets"]
    if not isinstance(worksheets, list):
        raise _Malformed(
            f"not a notebook: 'worksheets' is {_json_type(worksheets)}, not a list",
            ("worksheets",),
        )
    texts: list[tuple[tuple[str | int, ...], str]] = []
    numbered = 0
    for number, sheet in enumerate(worksheets):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("cells"), list):
            raise _Malformed(
                f"not a notebook: worksheet {number + 1} has no 'cells' list",
                ("worksheets", number),
            )
        path = ("worksheets", number, "cells")
        texts.extend(_sheet_texts(sheet["cells"], "input", path, numbered))
        numbered += len(sheet["cells"])
    return texts


def _sheet_texts(
    cells: list[Any], key: str, path: tuple[str | int, ...], numbered: int
) -> list[tuple[tuple[str | int, ...], str]]:
    """The code cells of one cell list, as _code_cell_texts gives them; ``numbered`` cells came
    before it in the notebook."""
    texts: list[tuple[tuple[str | int, ...], str]] = []
    for position, cell in enumerate(cells):
        here = (*path, position)
        number = numbered + position + 1
        if not isinstance(cell, dict):
            raise _Malformed(f"cell {number} is {_json_type(cell)}, not an object", here)
        kind = cell.get("cell_type")
        if not isinstance(kind, str):
            raise _Malformed(
                f"cell {number}: 'cell_type' is {_json_type(kind)}, not a string",
                _member_path(here, cell, "cell_type"),
            )
        if kind != "code":
            continue
        body = cell.get(key)
        if isinstance(body, list) and all(isinstance(part, str) for part in body):
            body = "".join(body)
        if not isinstance(body, str):
            raise _Malformed(
                f"code cell {number}: '{key}' is {_json_type(body)}, "
                "not a string or a list of strings",
                _member_path(here, cell, key),
            )
        texts.append(((*here, key), body))
    return texts


def _member_path(
    path: tuple[str | int, ...], cell: dict[str, Any], key: str
) -> tuple[str | int, ...]:
    """The path to ``cell[key]`` when it is there to point at, else to the cell."""
    return (*path, key) if key in cell else path


def _json_type(value: object) -> str:
    if value is None:
        return "missing or null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _position_of(text: str, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Where the value at ``path`` starts in ``text``, a JSON document known to decode.

    The decoder keeps no positions, so this walks the text down the path, skipping siblings
    with ``raw_decode``; it runs only for a notebook already rejected.
    """
    decoder = json.JSONDecoder()
    offset = _skip_whitespace(text, 0)
    for step in path:
        offset = _member_start(decoder, text, offset, step)
    return _line_column(text, offset)


def _member_start(decoder: json.JSONDecoder, text: str, start: int, step: str | int) -> int:
    """Where member ``step`` of the object or array at ``start`` begins.

    A repeated key counts at its last occurrence, as it does for the decoder.
    """
    in_object = text[start] == "{"
    found = start
    offset = _skip_whitespace(text, start + 1)
    number = 0
    while text[offset] not in "]}":
        key: str | int = number
        if in_object:
            key, offset = decoder.raw_decode(text, offset)
            offset = _skip_whitespace(text, _skip_whitespace(text, offset) + 1)
        if key == step:
            found = offset
        offset = _skip_whitespace(text, decoder.raw_decode(text, offset)[1])
        if text[offset] == ",":
            offset = _skip_whitespace(text, offset + 1)
        number += 1
    return found


def _skip_whitespace(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\n\r":
        offset += 1
    return offset


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _split_lines(text: str) -> list[str]:
    """A cell's lines, at least one, split only where Python itself ends a line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _neutralise(lines: list[str]) -> list[str]:
    """The cell's lines with IPython syntax made inert, one output line for each input line."""
    first = next((number for number, line in enumerate(lines) if line.strip()), len(lines))
    if first < len(lines) and _LANGUAGE_MAGIC.fullmatch(lines[first]):
        if re.match(r"\s*%sh\b", lines[first]):
            return [*(_inert(line, statement=False) for line in lines[: first + 1]), *_shell_lines(lines[first + 1 :])]
        return [_inert(line, statement=False) for line in lines]
    cell_magic = _CELL_MAGIC.match(lines[first]) if first < len(lines) else None
    if cell_magic is None:
        return _neutralise_lines(_dedented(lines, first))
    if cell_magic.group(1) in _SHELL_CELL_MAGICS:
        return [*(_inert(line, statement=False) for line in lines[: first + 1]), *_shell_lines(lines[first + 1 :])]
    if cell_magic.group(1) not in _PYTHON_CELL_MAGICS:
        return [_inert(line, statement=False) for line in lines]
    magic_line = _inert(lines[first], statement=False)
    return [*lines[:first], magic_line, *_neutralise_lines(lines[first + 1 :])]


def _shell_call(command: str) -> str | None:
    """The call IPython makes of a shell command that downloads or unpacks data, None for any
    other command. IPython expands `{name}` as an f-string does (`!curl -LO {URL}/a.zip`): so
    does the call, when every expansion is a name or an attribute."""
    bare = _EXPANSION.sub(placeholder(0), command)
    if "{" in bare or "}" in bare or not shell_accesses(bare):
        return None
    return f"get_ipython().system({'f' if bare != command else ''}{command!r})"


def _shell_lines(lines: list[str]) -> list[str]:
    """A shell cell's body (`%%bash`): each line that downloads or unpacks data as the command
    IPython runs, after the cell's earlier `cd` lines (the shell stays where they moved);
    every other line inert. An indented line (inside a shell loop) or a continued one stays
    inert too."""
    moves: list[str] = []
    result: list[str] = []
    continued = False
    for line in lines:
        command = line.strip()
        runs = not continued and line == line.lstrip() and bool(command) and not command.endswith("\\")
        if runs and re.match(r"cd(?:\s|$)", command):
            moves.append(command)
        call = _shell_call("; ".join([*moves, command])) if runs and not command.startswith("#") else None
        if call is not None:
            result.append(f"{call}  # {command}")
        else:
            result.append(_inert(line, statement=False))
        continued = line.endswith("\\")
    return result


def _dedented(lines: list[str], first: int) -> list[str]:
    """The cell without the indentation of its first line, as IPython's `leading_indent` takes
    it off every line that has it: a cell pasted with its indentation still runs. (Columns in
    such a cell then count from the indentation.)"""
    if first >= len(lines):
        return lines
    line = lines[first]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if not indent:
        return lines
    return [text[len(indent):] if text.startswith(indent) else text for text in lines]


def _neutralise_lines(lines: list[str]) -> list[str]:
    depth, string, continued = 0, "", False
    in_magic = False
    result: list[str] = []
    for line in lines:
        if in_magic:
            # IPython joins a magic ending with a backslash with the lines that follow it.
            result.append(_inert(line, statement=False))
            in_magic = line.endswith("\\")
            continue
        # Only a line that starts a statement can be IPython syntax; inside brackets,
        # strings or after a backslash, `%` and `!` are ordinary Python.
        replacement = None if depth or string or continued else _statement_magic(line)
        if replacement is not None:
            result.append(replacement)
            in_magic = line.endswith("\\")
            continue
        result.append(line)
        depth, string, continued = _scan(line, depth, string)
    return result


def _statement_magic(line: str) -> str | None:
    """The inert replacement of a statement line that is IPython syntax, None for Python."""
    stripped = line.strip()
    change = _CD_MAGIC.fullmatch(stripped)
    if change and not any(c in change.group(1) for c in "$'\"{\\"):
        # `%cd ..` moves the kernel as os.chdir does; said on one line, so lines stay in place.
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        return f"{indent}import os as _mldebt_os; _mldebt_os.chdir({change.group(1).strip()!r})  # {stripped}"
    call = _shell_call(stripped[1:].strip()) if _SHELL_ESCAPE.fullmatch(stripped) and not stripped.endswith("\\") else None
    if call is not None:
        # `!wget URL` downloads data: it runs as IPython runs it, so that the data accesses
        # collector sees the download; said on one line at the `!`'s column, so lines and
        # columns stay in place.
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        return f"{indent}{call}  # {stripped}"
    if stripped.startswith(("%", "!", "?")) or _HELP_SUFFIX.fullmatch(stripped) or _AUTOMAGIC.fullmatch(stripped):
        return _inert(line)
    assignment = _MAGIC_ASSIGNMENT.match(line)
    if assignment:
        # Keep the target bound, so that later uses of the name are not undefined.
        return f"{assignment.group(1)}None  # {assignment.group(2)}"
    return None


def _inert(line: str, statement: bool = True) -> str:
    """``line`` as a comment, behind a ``pass`` where an indented block may need a statement."""
    if not line.strip():
        return ""
    # Only these characters indent Python; other Unicode spaces must stay behind the `#`.
    text = line.lstrip(" \t\f")
    indent = line[: len(line) - len(text)]
    return f"{indent}pass  # {text}" if statement and indent else f"{indent}# {text}"


def _scan(line: str, depth: int, string: str) -> tuple[int, str, bool]:
    """The lexical state after ``line``: bracket depth, open string quote, backslash continuation.

    ``string`` is the quote of a string still open at the start of the line, "" for none.
    """
    for lexeme in _LEXEME.finditer(line):
        token = lexeme.group()
        if token[0] == "\\":
            if len(token) == 1:
                return depth, string, not string
        elif string:
            # A triple quote also closes a one-quote string, leaving an empty string behind.
            if token == string or (len(string) == 1 and token[0] == string):
                string = ""
        elif token == "#":
            break
        elif token in ("(", "[", "{"):
            depth += 1
        elif token in (")", "]", "}"):
            depth = max(depth - 1, 0)
        else:
            string = token
    # A one-quote string cannot span lines without a backslash; recover at the next line.
    return depth, "" if len(string) == 1 else string, False
