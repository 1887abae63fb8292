"""`check --fix` and `--diff`: the fixes of the file rules' findings a check reported, applied
to the files through libcst.

A fix is an edit of the tree the walk read (mldebt.parse.fixes), and trees are not cached, so
only the files that have a fixable finding are read and walked again, with only the rules that
reported there; the walk is the same as extraction's, so the rules report the same nodes. A
finding the check did not report (suppressed, ignored, in the baseline, outside PATHS) is not
fixed. A notebook is rewritten cell by cell: only the changed cells' sources change in its
JSON. A file is left alone, with a note saying why, when its fixed code would not parse, when
a fix would touch a notebook's IPython syntax, or when it changed since the check read it.
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from mldebt.cache import content_digest
from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.engine.analysis import Analysis
from mldebt.engine.extraction import read_source
from mldebt.findings import Finding, Location
from mldebt.parse.analyze import Walked, walk_file
from mldebt.parse.facts import FileFacts, Span, locate
from mldebt.parse.fixes import Replace
from mldebt.parse.notebook import NotebookError, code_cell_texts, replace_cell_texts
from mldebt.parse.positions import parse_ast
from mldebt.rules.registry import file_rules
from mldebt.safefile import Tree, replace_file, resolve_inside


@dataclass(frozen=True)
class FileFix:
    """One file's content before and after its fixes."""

    path: str
    before: bytes
    after: bytes
    fixed: int


@dataclass(frozen=True)
class Fixes:
    files: tuple[FileFix, ...]
    # Each file with a fixable finding that was left alone, and why.
    notes: tuple[str, ...]

    @property
    def fixed(self) -> int:
        return sum(file.fixed for file in self.files)


class _LeftAlone(Exception):
    """Why a file's fixes are not applied."""


def plan_fixes(analysis: Analysis, findings: Sequence[Finding]) -> Fixes:
    """What fixing ``findings`` (as a check reported them) would make of each file; writes
    nothing."""
    rules = {rule.code: rule for rule in file_rules()}
    wanted: dict[str, set[tuple[str, Location]]] = defaultdict(set)
    for finding in findings:
        file = analysis.facts.get(finding.location.path)
        if finding.code in rules and file is not None and any(
            found.fixable and found.code == finding.code and locate(file, found.span) == finding.location
            for found in file.findings
        ):
            wanted[finding.location.path].add((finding.code, finding.location))
    if not wanted:
        return Fixes((), ())
    catalog, models = load_catalog(analysis.settings.catalog), load_models()
    files: list[FileFix] = []
    notes: list[str] = []
    with Tree(analysis.root) as tree:
        for path in sorted(wanted):
            file, places = analysis.facts[path], wanted[path]
            data = read_source(tree, path)
            try:
                if isinstance(data, OSError):
                    raise _LeftAlone(f"cannot read it: {data.strerror or type(data).__name__}")
                if content_digest(data) != file.digest:
                    raise _LeftAlone("it changed while it was checked")
                walked = walk_file(path, data, catalog, models, [rules[code] for code in sorted({c for c, _ in places})])
                if walked is None:
                    raise _LeftAlone("it no longer parses")
                fixes = _chosen(walked, file, places)
                after = _fix_notebook(walked, file, data, fixes) if walked.notebook else _fix_module(walked, data, fixes)
            except (_LeftAlone, NotebookError) as exc:
                notes.append(f"{path}: not fixed: {exc}")
                continue
            files.append(FileFix(path, data, after, len(fixes)))
    return Fixes(tuple(files), tuple(notes))


def _chosen(walked: Walked, file: FileFacts, places: set[tuple[str, Location]]) -> list[tuple[Replace, Span]]:
    """The fixes of the wanted findings, in source order; of fixes whose nodes overlap only
    the first, since the others' nodes are gone once it is applied (--fix's next pass has them)."""
    fixes = sorted(
        ((report.fix, span) for report, span in walked.reports
         if report.fix is not None and (report.code, locate(file, span)) in places),
        key=lambda fix: (fix[1].line, fix[1].column),
    )
    chosen: list[tuple[Replace, Span]] = []
    for fix, span in fixes:
        if chosen and (span.line, span.column) < (chosen[-1][1].end_line, chosen[-1][1].end_column):
            continue
        chosen.append((fix, span))
    return chosen


class _Replacer(cst.CSTTransformer):
    """Puts each replacement where its node was: nodes are known by identity, as the walk
    read them from this very tree."""

    def __init__(self, edits: Mapping[int, cst.CSTNode]) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.edits.get(id(original_node), updated_node)


def _apply(tree: cst.Module, fixes: Sequence[Replace]) -> str:
    """The code of ``tree`` with every fix applied, in one pass. The nodes are disjoint."""
    return tree.visit(_Replacer({id(fix.node): fix.replacement for fix in fixes})).code


def _check_parses(before: str, after: str) -> None:
    """CPython's parser judges, unless it rejected the code before the fix too (syntax newer
    than this Python): then libcst's."""
    if not isinstance(parse_ast(before), SyntaxError):
        error = parse_ast(after)
        if isinstance(error, SyntaxError):
            raise _LeftAlone(f"the fixed code would not parse (line {error.lineno}: {error.msg})")
        return
    try:
        cst.parse_module(after)
    except cst.ParserSyntaxError as exc:
        raise _LeftAlone(f"the fixed code would not parse (line {exc.raw_line}: {exc.message})") from None


def _fix_module(walked: Walked, data: bytes, fixes: list[tuple[Replace, Span]]) -> bytes:
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        utf8 = data[len(bom):].decode("utf-8") == walked.source
    except UnicodeDecodeError:
        utf8 = False
    if not utf8:
        # Written back as read: only UTF-8 is, byte for byte.
        raise _LeftAlone("it is not UTF-8")
    after = _apply(walked.tree, [fix for fix, _ in fixes])
    _check_parses(walked.source, after)
    return bom + after.encode("utf-8")


def _fix_notebook(walked: Walked, file: FileFacts, data: bytes, fixes: list[tuple[Replace, Span]]) -> bytes:
    """Each cell's fixes applied alone, so that the lines of the joined source that change are
    known to be that cell's; the cell's lines that IPython syntax took are kept as the
    notebook has them, and a fix that would change one is refused."""
    assert walked.notebook is not None
    by_cell: dict[int, list[Replace]] = defaultdict(list)
    for fix, span in fixes:
        start, end = locate(file, span).cell, locate(file, Span(span.end_line, 1, span.end_line, 1)).cell
        if start != end:
            raise _LeftAlone("a fix spans two cells")
        assert start is not None
        by_cell[start].append(fix)
    raw = code_cell_texts(data)
    old_lines = walked.source.split("\n")
    texts: dict[int, str] = {}
    for index, cell_fixes in by_cell.items():
        cell = walked.notebook.cells[index - 1]
        new_lines = _apply(walked.tree, cell_fixes).split("\n")
        grown = len(new_lines) - len(old_lines)
        first, end = cell.first_line - 1, cell.first_line - 1 + cell.line_count
        if new_lines[:first] != old_lines[:first] or new_lines[end + grown :] != old_lines[end:]:
            raise _LeftAlone(f"a fix reaches outside code cell {index}")
        texts[index] = _cell_text(raw[index - 1], old_lines[first:end], new_lines[first : end + grown], index)
    _check_parses(walked.source, _apply(walked.tree, [fix for fix, _ in fixes]))
    return replace_cell_texts(data, texts)


def _cell_text(raw: str, old: list[str], new: list[str], index: int) -> str:
    """The cell's text as the notebook holds it (``raw``), with the lines the fixes changed
    (``old`` -> ``new``, lines of the joined source) replaced."""
    if "\r" in raw:
        raise _LeftAlone(f"code cell {index} has carriage returns")
    lines = raw.split("\n")
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    if len(lines) != len(old):
        raise _LeftAlone(f"code cell {index} does not map line for line")
    same_head = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    most_tail = min(len(old), len(new)) - same_head
    same_tail = next((i for i in range(most_tail) if old[-1 - i] != new[-1 - i]), most_tail)
    if lines[same_head : len(old) - same_tail] != old[same_head : len(old) - same_tail]:
        raise _LeftAlone(f"a fix would change IPython syntax in code cell {index}")
    merged = [*lines[:same_head], *new[same_head : len(new) - same_tail], *lines[len(lines) - same_tail :]]
    return "\n".join(merged) + ("\n" if raw.endswith("\n") else "")


def write_fixes(analysis: Analysis, fixes: Fixes) -> list[str]:
    """Write each fixed file over the old one, keeping its mode; returns a note for each file
    that could not be written."""
    notes: list[str] = []
    for file in fixes.files:
        target = os.path.join(os.path.realpath(analysis.root), file.path)
        try:
            if os.fspath(resolve_inside(analysis.root, file.path)) != target:
                raise OSError("it is reached through a symlink; mldebt does not write through one")
            mode = os.stat(target).st_mode
            replace_file(target, file.after, private=False)
            os.chmod(target, mode & 0o7777)
        except OSError as exc:
            notes.append(f"{file.path}: not fixed: {exc.strerror or exc}")
    return notes


def unified_diff(fixes: Fixes) -> str:
    """What --fix would change, as `diff -u` shows it (a notebook's JSON as it is in the file)."""
    out: list[str] = []
    for file in fixes.files:
        before = file.before.decode("utf-8", "replace").splitlines(keepends=True)
        after = file.after.decode("utf-8", "replace").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{file.path}", f"b/{file.path}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
