"""The project's console scripts: `[project.scripts]` and `[tool.poetry.scripts]` in
pyproject.toml, `console_scripts` in setup.cfg's `[options.entry_points]` and in setup.py's
`setup(entry_points=...)`, each resolved to the repository module it runs.

setup.py is parsed, never run: only literal values count (`entry_points={"console_scripts":
["tagger=tagger.cli:main"]}`). Broken packaging files are skipped; the configuration loader
reports a broken pyproject.toml.
"""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from mldebt.declarations.harvest import Harvest
from mldebt.declarations.model import ConsoleScript
from mldebt.tomlcompat import tomllib

PACKAGING = frozenset({"pyproject.toml", "setup.cfg", "setup.py"})
# `name = package.module:function [extra]`, as an entry point is written.
_ENTRY_POINT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*([A-Za-z_][\w.]*)\s*(?::\s*[\w.]+)?\s*(?:\[.*\])?\s*$"
)


def collect_console_scripts(harvest: Harvest, path: str) -> None:
    """Record the console scripts that the packaging file at ``path`` declares and whose module
    is a file of the repository."""
    text = harvest.text(path)
    if text is None:
        return
    readers = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py}
    found = readers[posixpath.basename(path)](text)
    base = posixpath.dirname(path)
    for script, module in found:
        module_path = _module_path(module, base, harvest.files)
        if module_path is not None:
            harvest.add_console_script(ConsoleScript(script, module_path, path, _line(text, module)))


def _pyproject(text: str) -> Iterator[tuple[str, str]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    tables = (_table(document, "project", "scripts"), _table(document, "tool", "poetry", "scripts"))
    for table in tables:
        for script, value in table.items():
            # Poetry also writes `name = { callable = "pkg.cli:main" }`.
            target = value.get("callable") if isinstance(value, Mapping) else value
            if isinstance(target, str):
                yield from _entry_points([f"{script} = {target}"])


def _table(document: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    value: Any = document
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _setup_cfg(text: str) -> Iterator[tuple[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    value = parser.get("options.entry_points", "console_scripts", fallback="")
    yield from _entry_points(value.splitlines())


def _setup_py(text: str) -> Iterator[tuple[str, str]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "entry_points":
                yield from _entry_points(_console_scripts(keyword.value))


def _console_scripts(value: ast.expr) -> list[str]:
    """The `console_scripts` lines of a literal `entry_points=` value: a dict of lists or of one
    string, or the INI text setuptools also takes."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        section, lines = "", []
        for line in value.value.splitlines():
            if line.strip().startswith("["):
                section = line.strip().strip("[]").strip()
            elif section == "console_scripts":
                lines.append(line)
        return lines
    if not isinstance(value, ast.Dict):
        return []
    for key, entries in zip(value.keys, value.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "console_scripts":
            if isinstance(entries, ast.Constant) and isinstance(entries.value, str):
                return entries.value.splitlines()
            if isinstance(entries, (ast.List, ast.Tuple)):
                return [e.value for e in entries.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _entry_points(lines: list[str]) -> Iterator[tuple[str, str]]:
    for line in lines:
        match = _ENTRY_POINT.match(line)
        if match:
            yield match[1], match[2]


def _module_path(module: str, base: str, files: frozenset[str]) -> str | None:
    """The repository file of ``module``, beside the packaging file or in its `src/`."""
    relative = module.replace(".", "/")
    for root in (base, posixpath.join(base, "src")):
        for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
            path = posixpath.join(root, candidate) if root else candidate
            if path in files:
                return path
    return None


def _line(text: str, module: str) -> int:
    """The line where ``module`` is named as an entry point's target, 1 when it cannot be told."""
    found = re.search(re.escape(module) + r"\s*(?::|[\"'\n]|$)", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1
