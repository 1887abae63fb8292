"""From a file's bytes to its FileFacts: decode, parse, extract (one walk), place.

Every failure mode of untrusted input ends here as an AnalysisProblem on the file, never as an
exception: undecodable bytes, syntax errors, broken notebooks, pathological nesting.
"""

from __future__ import annotations

import codecs
import gc
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from mldebt.catalogs import Catalog
from mldebt.catalogs.models import ModelCatalog
from mldebt.parse.extract import RuleFactory, extract
from mldebt.parse.facts import (
    ANALYSIS_LIMIT,
    INVALID_NOTEBOOK,
    SYNTAX_ERROR,
    UNDECODABLE,
    AnalysisProblem,
    FileFacts,
    Span,
    Suppression,
    module_name,
)
from mldebt.parse.fixes import Report
from mldebt.parse.nesting import nesting_bound
from mldebt.parse.notebook import CodeCell, NotebookError, NotebookSource, notebook_source
from mldebt.parse.positions import AstView, ast_view, parse_ast

# Files above this size are almost always generated data, not code; parsing them would cost
# more than the rest of a repository.
MAX_FILE_BYTES = 4 * 1024 * 1024


# libcst's native parser recurses once per nesting level and overflows the C stack (see
# mldebt.parse.nesting) from about 1,000 brackets or 3,500 other levels; nothing written by hand
# nests a tenth as deep.
MAX_NESTING = 1000
_PROBE = "import sys, libcst; libcst.parse_module(sys.stdin.buffer.read().decode('utf-8', 'surrogatepass'))"

# Codecs for domain names, whose decoders take time quadratic in the input: a 4 MiB file
# declaring one would take minutes to decode. No source file is written in them.
_SLOW_CODECS = frozenset({"punycode", "idna"})

_SUPPRESSION = re.compile(r"#\s*mldebt:\s*ignore(?:\[([^\]]*)\])?[ \t]*(.*)$")


@dataclass(frozen=True)
class Walked:
    """A file as its walk read it, with its file rules' reports placed: what applying their
    fixes starts from (mldebt.engine.fix)."""

    # What was parsed: for a notebook, its code cells joined (see notebook_source).
    source: str
    notebook: NotebookSource | None
    tree: cst.Module
    reports: list[tuple[Report, Span]]


def _problem(path: str, digest: str, code: str, message: str, line: int = 1, column: int = 1) -> FileFacts:
    return FileFacts(
        path=path,
        module=module_name(path),
        digest=digest,
        problems=(AnalysisProblem(code, message, Span(line, column, line, column)),),
    )


def _decode(data: bytes) -> str:
    """Source text per PEP 263 (BOM, coding cookie, UTF-8 default); UnicodeDecodeError when it
    does not decode, SyntaxError when the cookie names no usable text encoding."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    if codecs.lookup(encoding).name in _SLOW_CODECS:
        raise SyntaxError(f"{encoding} is not a source encoding")
    try:
        text = data.decode(encoding)
    except LookupError:
        # `rot13`, `hex`, `zlib`: codecs, but not between bytes and text. CPython rejects them too.
        raise SyntaxError(f"{encoding} is not a text encoding") from None
    except UnicodeDecodeError:
        raise
    except UnicodeError:  # the `undefined` codec refuses everything
        raise SyntaxError(f"{encoding} decodes nothing") from None
    return text[1:] if text.startswith("\ufeff") else text


def _offset_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def analyze_file(
    path: str, data: bytes, digest: str, catalog: Catalog, models: ModelCatalog, rules: Sequence[RuleFactory] = ()
) -> FileFacts:
    """The facts of one repository file (``path`` repo-relative POSIX) from its bytes, with
    the findings of the file ``rules``.

    Never raises for what the file holds: a defect of mldebt's that one file triggers makes
    that file an MLD005 finding asking for a report, and the rest of the run goes on."""
    try:
        return _analyze_file(path, data, digest, catalog, models, rules)[0]
    except MemoryError:
        raise
    except Exception as exc:
        return _problem(
            path, digest, ANALYSIS_LIMIT,
            f"mldebt failed on this file ({type(exc).__name__}: {exc}); skipped. Please report it as a bug",
        )


def walk_file(path: str, data: bytes, catalog: Catalog, models: ModelCatalog, rules: Sequence[RuleFactory]) -> Walked | None:
    """The file walked again as analyze_file walks it, keeping the tree and the reports with
    their fixes; None when nothing of it parses."""
    return _analyze_file(path, data, "", catalog, models, rules)[1]


def _analyze_file(
    path: str, data: bytes, digest: str, catalog: Catalog, models: ModelCatalog, rules: Sequence[RuleFactory]
) -> tuple[FileFacts, Walked | None]:
    if len(data) > MAX_FILE_BYTES:
        return _problem(
            path, digest, ANALYSIS_LIMIT,
            f"file is {len(data) // 1024} KiB, above the {MAX_FILE_BYTES // 1024} KiB analysis limit; skipped",
        ), None
    notebook: NotebookSource | None = None
    if path.endswith(".ipynb"):
        try:
            notebook = notebook_source(data)
        except NotebookError as exc:
            return _problem(path, digest, INVALID_NOTEBOOK, str(exc), exc.line, exc.column), None
        source = notebook.source
    else:
        try:
            source = _decode(data)
        except UnicodeDecodeError as exc:
            line, column = _offset_position(data, exc.start)
            return _problem(
                path, digest, UNDECODABLE,
                f"cannot decode byte 0x{data[exc.start]:02x} as {exc.encoding}", line, column,
            ), None
        except SyntaxError as exc:
            return _problem(path, digest, UNDECODABLE, f"bad encoding declaration: {exc.msg}", exc.lineno or 1), None
    return _analyze_source(path, source, digest, catalog, models, notebook, rules)


def _analyze_source(
    path: str, source: str, digest: str, catalog: Catalog, models: ModelCatalog, notebook: NotebookSource | None,
    rules: Sequence[RuleFactory],
) -> tuple[FileFacts, Walked | None]:
    if notebook is None:
        parsed = _parse(source)
        problems = [parsed] if isinstance(parsed, AnalysisProblem) else []
    else:
        notebook, problems, parsed = _parse_notebook(notebook)
        source = notebook.source
    module, view = (None, None) if isinstance(parsed, AnalysisProblem) else parsed
    cells = tuple((c.first_line, c.line_count) for c in notebook.cells) if notebook else ()
    line_count = source.count("\n") + (0 if source.endswith("\n") else 1)
    if module is None:
        return FileFacts(
            path=path, module=module_name(path), digest=digest, problems=tuple(problems),
            cells=cells, line_count=line_count,
        ), None
    base = FileFacts(
        path=path, module=module_name(path), digest=digest, suppressions=tuple(_suppressions(source)),
        problems=tuple(problems), cells=cells, line_count=line_count,
    )
    try:
        facts, reports = extract(module, source, base, catalog, models, view, rules)
    except RecursionError:
        problems.append(AnalysisProblem(ANALYSIS_LIMIT, "too deeply nested to analyse", Span(1, 1, 1, 1)))
        return FileFacts(
            path=path, module=module_name(path), digest=digest, problems=tuple(problems),
            cells=cells, line_count=line_count,
        ), None
    return facts, Walked(source, notebook, module, reports)


def _parse_notebook(
    notebook: NotebookSource,
) -> tuple[NotebookSource, list[AnalysisProblem], tuple[cst.Module, AstView | None] | AnalysisProblem]:
    """Parse a notebook's code; each cell that does not parse is blanked, with its problem,
    and the others are analysed.

    The cells to blank are the ones that do not parse alone, as Jupyter runs them: the
    parser of the whole source may stumble a few lines past the broken cell (libcst does on
    a chain of string literals CPython accepts), and blame a good one.
    """
    parsed = _parse(notebook.source)
    if not isinstance(parsed, AnalysisProblem):
        return notebook, [], parsed
    problems: list[AnalysisProblem] = []
    for cell, code in notebook.cell_sources():
        alone = _parse(code)
        if isinstance(alone, AnalysisProblem):
            problems.append(_in_cell(alone, cell))
            notebook = notebook.without_cell(cell.index)
    if not problems:
        # Every cell parses alone and the whole does not: no cell to blame.
        return notebook, [parsed], parsed
    parsed = _parse(notebook.source)
    return notebook, [*problems, *([parsed] if isinstance(parsed, AnalysisProblem) else [])], parsed


def _in_cell(problem: AnalysisProblem, cell: CodeCell) -> AnalysisProblem:
    """A problem of a cell parsed alone, placed in the notebook's source. A parser that
    reports the end of the cell on the line after it is kept inside the cell."""
    span = problem.span
    if span.line > cell.line_count:
        span = Span(cell.line_count, 1, cell.line_count, 1)
    offset = cell.first_line - 1
    end_line = min(span.end_line, cell.line_count)
    return AnalysisProblem(
        problem.code, problem.message, Span(span.line + offset, span.column, end_line + offset, span.end_column)
    )


def _limit(message: str) -> AnalysisProblem:
    return AnalysisProblem(ANALYSIS_LIMIT, message, Span(1, 1, 1, 1))


def _parse(source: str) -> tuple[cst.Module, AstView | None] | AnalysisProblem:
    """libcst's tree and ast's view of the source, or the problem that prevents analysis.

    CPython's parser runs first: it is cheap, bounds its own recursion, and tells how deep the
    code nests; for a source it rejects, the tokens tell (mldebt.parse.nesting). libcst's
    native parser is only given what cannot crash it.
    """
    nul = source.find("\x00")
    if nul >= 0:
        # CPython compiles no source with a NUL byte anywhere in it; libcst would accept one.
        line = source.count("\n", 0, nul) + 1
        column = nul - source.rfind("\n", 0, nul)
        return AnalysisProblem(
            SYNTAX_ERROR, "syntax error: source code cannot contain null bytes", Span(line, column, line, column)
        )
    tree = parse_ast(source)
    view: AstView | None = None
    if isinstance(tree, SyntaxError):
        if "too many nested" in str(tree.msg) or "too complex" in str(tree.msg):
            return _limit(f"too deeply nested to parse ({tree.msg})")
        # CPython rejects it; libcst may still accept it (syntax newer than this Python). The
        # tokens bound how deep libcst would nest; only for a source they cannot vouch for
        # does a child process tell whether libcst survives the attempt.
        bound = nesting_bound(source)
        if (bound is None or bound > MAX_NESTING) and not _libcst_survives(source):
            return _limit("too deeply nested to parse")
    else:
        view = ast_view(tree, source)
        if view.depth > MAX_NESTING:
            return _limit(f"nested {view.depth} levels deep, above the analysis limit of {MAX_NESTING}")
    # libcst's trees hold no reference cycles: the collector only burns time while they are built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return cst.parse_module(source), view
    except cst.ParserSyntaxError as exc:
        message, line, column = _syntax_error(tree, exc)
        return AnalysisProblem(SYNTAX_ERROR, message, Span(line, column, line, column))
    except (RecursionError, MemoryError):
        return _limit("too deeply nested to parse")
    finally:
        if enabled:
            gc.enable()


def _libcst_survives(source: str) -> bool:
    try:
        probe = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE],
            input=source.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    # A negative return code is a signal: the parser crashed the process.
    return probe.returncode >= 0


def _syntax_error(tree: object, exc: cst.ParserSyntaxError) -> tuple[str, int, int]:
    """CPython's message and position where it has one (they are clearer than the parser
    generator's), else libcst's."""
    if isinstance(tree, SyntaxError) and tree.lineno:
        return f"syntax error: {tree.msg}", tree.lineno, max(tree.offset or 1, 1)
    return f"syntax error: {exc.message}", exc.raw_line, exc.raw_column + 1


def _suppressions(source: str) -> list[Suppression]:
    """`# mldebt: ignore[...]` comments. Only real comments count: the same text inside a
    string (a docstring documenting the syntax) suppresses nothing."""
    if "mldebt" not in source:
        return []
    out: list[Suppression] = []
    for number, comment, own_line in _comments(source):
        match = _SUPPRESSION.search(comment)
        if match:
            codes = tuple(c.strip().upper() for c in (match.group(1) or "").split(",") if c.strip())
            out.append(Suppression(number, codes, match.group(2).strip(), own_line))
    return out


def _comments(source: str) -> list[tuple[int, str, bool]]:
    """(line, text, whether the line holds nothing else) of each comment that mentions mldebt.
    The tokenizer tells comments from strings; a file it cannot tokenize falls back to
    reading lines."""
    try:
        return [
            (token.start[0], token.string, not token.line[: token.start[1]].strip())
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type == tokenize.COMMENT and "mldebt" in token.string
        ]
    except (tokenize.TokenError, SyntaxError, ValueError):
        return [
            (n, line, line.lstrip().startswith("#"))
            for n, line in enumerate(source.split("\n"), start=1) if "mldebt" in line
        ]
