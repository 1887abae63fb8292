"""Which rules there are: the shipped ones, found in the family packages, and users' own.

A shipped rule is a class in a module of a family package (mldebt/rules/<family>/<rule>.py);
nothing lists it, or its family, by hand, so adding a rule is adding its file. Users' rules come from the
``mldebt.rules`` entry-point group: each entry point names a Rule subclass
(``my-rule = "my_package.rules:MyRule"``). Codes and names are checked unique across both,
because a code is how findings, suppressions, baselines and `select` refer to a rule.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mldebt.rules.base import FileRule, Rule

ENTRY_POINT_GROUP = "mldebt.rules"
_CODE = re.compile(r"^[A-Z]{2,}\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RegistryError(Exception):
    """Two rules share a code or a name, a rule's code or name is malformed, or a plugin's entry
    point does not name a rule."""


def families() -> list[str]:
    """The family packages: every package in mldebt.rules, so that a new family is a new
    folder with its __init__.py, listed nowhere else."""
    here = str(Path(__file__).parent)
    return sorted(info.name for info in pkgutil.iter_modules([here]) if info.ispkg)


def shipped_rules() -> list[type[Rule]]:
    """Every concrete rule defined in a module of a family package."""
    found: list[type[Rule]] = []
    for family in families():
        package = importlib.import_module(f"mldebt.rules.{family}")
        for module_info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(module_info.name)
            found.extend(
                obj
                for obj in vars(module).values()
                if inspect.isclass(obj) and issubclass(obj, Rule) and obj.__module__ == module.__name__ and _is_concrete(obj)
            )
    return found


def _is_concrete(rule: type[Rule]) -> bool:
    # A family's shared base class (FileProblemRule, PipelineRule) has no code of its own.
    return "code" in vars(rule)


def plugin_rules(entry_points: Iterable[Any]) -> list[type[Rule]]:
    """The rules users' packages register in the ``mldebt.rules`` entry-point group."""
    found: list[type[Rule]] = []
    for entry_point in entry_points:
        rule = entry_point.load()
        if not (inspect.isclass(rule) and issubclass(rule, Rule) and _is_concrete(rule)):
            raise RegistryError(f"entry point {entry_point.name!r} ({entry_point.value}) is not an mldebt rule class")
        found.append(rule)
    return found


def check_unique(rules: Sequence[type[Rule]]) -> tuple[type[Rule], ...]:
    """The rules sorted by code, after checking that codes and names are well formed and that
    no two rules share one."""
    problems: list[str] = []
    by_code: dict[str, type[Rule]] = {}
    by_name: dict[str, type[Rule]] = {}
    for rule in rules:
        where = f"{rule.__module__}.{rule.__qualname__}"
        if not _CODE.match(rule.code):
            problems.append(f"{where}: code {rule.code!r} is not letters then three digits (like MLD101)")
        if not _NAME.match(rule.name):
            problems.append(f"{where}: name {rule.name!r} is not kebab-case")
        for seen, key, what in ((by_code, rule.code, "code"), (by_name, rule.name, "name")):
            other = seen.setdefault(key, rule)
            if other is not rule:
                problems.append(f"{where} and {other.__module__}.{other.__qualname__} share the {what} {key!r}")
    if problems:
        raise RegistryError("; ".join(problems))
    return tuple(sorted(rules, key=lambda rule: rule.code))


def is_preview(code: str) -> bool:
    """Whether the rule of ``code`` is a preview rule (see Rule.preview)."""
    return any(rule.preview for rule in all_rules() if rule.code == code)


def _may_have_plugins() -> bool:
    """Whether a distribution installed in a directory of sys.path declares the entry-point
    group. importlib.metadata, which reads them properly, costs a warm check a tenth of its
    time to import (it imports the email package), so it is asked only when one does. A
    distribution inside a zip archive is not looked for here: pip installs none."""
    marker = f"[{ENTRY_POINT_GROUP}]"
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = [e.path for e in listing if e.name.endswith((".dist-info", ".egg-info")) and e.is_dir()]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(name, "entry_points.txt"), encoding="utf-8", errors="replace") as text:
                    if marker in text.read():
                        return True
            except OSError:
                continue
    return False


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule, shipped and installed, by code; loaded once per process."""
    plugins: list[type[Rule]] = []
    if _may_have_plugins():
        from importlib.metadata import entry_points

        plugins = plugin_rules(entry_points(group=ENTRY_POINT_GROUP))
    return check_unique([*shipped_rules(), *plugins])


def file_rules() -> tuple[type[FileRule], ...]:
    """The rules that visit each file's walk. Extraction runs them all, selected or not, so
    that a file's cached findings are the same whatever a run selects."""
    return tuple(rule for rule in all_rules() if issubclass(rule, FileRule))
