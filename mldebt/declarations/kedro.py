"""Kedro data catalogs: every dataset with a file path or a table, relative to the project
root (the directory that holds ``conf/``).

Values are interpolated from the catalog itself (``${_base}``) and from the environment's
``globals.yml`` (``${globals:key}``); dataset factory placeholders (``{name}``) and anything
that does not resolve statically become ``*``. A dataset that is one interpolation
(``shuttles: ${_excel}``) is the mapping it names, as OmegaConf makes it; one that names nothing
readable (a resolver such as ``${oc.env:...}``) is left out, not called invalid.

Jinja, which Kedro's TemplatedConfigLoader renders before parsing, is read where it can be
without running it (see `without_jinja`): a loop's body is read once, with its variables as
``*``, so ``{{ speed }}-cars`` with ``filepath: data/{{ speed }}-cars.csv`` declares
``data/*-cars.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mldebt.declarations.harvest import Harvest, type_name
from mldebt.declarations.interpolation import MISSING, Budget, Resolver, lookup, render, whole_value
from mldebt.declarations.yamlfile import key_position, position
from mldebt.targets import Target, classify, table

ORIGIN = "kedro"
CATALOG = re.compile(
    r"^(?:(?P<project>.*)/)?conf/(?P<env>[^/]+)/(?:catalog[^/]*|catalog/.+)\.ya?ml$"
)
"""A catalog file; ``project`` is the Kedro project root and ``env`` the configuration env."""

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Jinja's statement and comment tags (across lines), and its expressions.
_JINJA_BLOCK = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# What a Jinja expression becomes: an interpolation that no resolver answers, so a wildcard,
# and a plain YAML scalar wherever it stands (a `*` could not start one: it is an alias).
_UNKNOWN = "${jinja:}"
# Where a statement or comment stood while lines are sorted out; YAML text never holds a NUL.
_STATEMENT = "\0"
_PATH_KEYS = ("filepath", "path")
_TABLE_KEYS = ("table_name", "table")
_SCHEMA_KEYS = ("schema", "database")


def collect_catalog(harvest: Harvest, path: str, project: str, env: str) -> None:
    """Declare every dataset of the catalog at ``path`` in ``project`` (``""`` for the root)."""
    catalog = harvest.mapping(path, without_jinja)
    if catalog is None:
        return
    variables = _globals(harvest, project, env)
    # The environment's other catalog files, read when a key is not in this one.
    siblings: list[Mapping[str, Any]] = []

    def resolve(expression: str) -> object:
        resolver, colon, argument = expression.partition(":")
        if not colon:
            # OmegaConfigLoader merges the catalog files of an environment before it resolves
            # `${key}`: the file's own keys, then its siblings' (`_base: data/` in
            # catalog_globals.yml); globals are the usual fallback.
            found = lookup(catalog, expression)
            if found is MISSING:
                if not siblings:
                    siblings.append(_siblings(harvest, path, project, env))
                found = lookup(siblings[0], expression)
            return lookup(variables, expression) if found is MISSING else found
        key, comma, default = argument.partition(",")
        found = lookup(variables, key.strip()) if resolver.strip() == "globals" else MISSING
        if found is MISSING and comma:
            return default.strip().strip("'\"")
        return found

    budget = Budget()
    for name, dataset in catalog.items():
        # A name a Jinja loop makes (`{{ speed }}-cars`) is named as a wildcard, like the rest.
        label = str(name).replace(_UNKNOWN, "*")
        # `_name` entries are templates for YAML anchors and interpolation, not datasets.
        if label.startswith("_"):
            continue
        dataset = whole_value(dataset, resolve)
        if dataset is MISSING:
            continue
        if not isinstance(dataset, Mapping):
            message = f"dataset {label!r}: expected a mapping, got {type_name(dataset)}"
            harvest.error(path, position(name), message)
            continue
        for raw, target in _targets(harvest, path, name, dataset, project, resolve, budget):
            harvest.declare(
                target,
                role="dataset",
                origin=ORIGIN,
                source=path,
                where=position(raw, position(name)),
                owner=label,
            )
    if budget.exceeded is not None:
        harvest.error(path, position(budget.exceeded), budget.message())


def _targets(
    harvest: Harvest,
    path: str,
    name: object,
    dataset: Mapping[str, Any],
    project: str,
    resolve: Resolver,
    budget: Budget,
) -> list[tuple[str, Target]]:
    """The file paths and tables ``dataset`` reads or writes, with the raw values naming them."""
    label = str(name)
    factory = "{" in label
    found: list[tuple[str, Target]] = []
    for key in (*_PATH_KEYS, *_TABLE_KEYS):
        raw = dataset.get(key)
        if raw is None:
            continue
        if not isinstance(raw, str):
            message = f"dataset {label!r}: {key} should be a string, got {type_name(raw)}"
            harvest.error(path, key_position(dataset, key, position(name)), message)
            continue
        text = render(raw, resolve, "*", budget)
        if factory:
            text = _PLACEHOLDER.sub("*", text)
        if key in _PATH_KEYS:
            found.append((raw, classify(text, project)))
        else:
            schema = _schema(dataset)
            qualified = f"{schema}.{text}" if schema and "." not in text else text
            found.append((raw, table(qualified)))
    return found


def without_jinja(text: str) -> str:
    """``text`` with its Jinja tags rendered statically, line numbers kept.

    A statement or comment alone on its lines (`{% for speed in speeds %}`, `{% endif %}`)
    becomes blank lines: both branches of an `if` and one pass of a loop remain. Statements
    inside a line (`data/{% if prod %}prod{% else %}dev{% endif %}/a.csv`) take what lies
    between the first and the last with them, as one unknown; an expression is one unknown.
    Text without a tag, as almost every catalog is, is returned as it is."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text

    def mark(tag: re.Match[str]) -> str:
        # The newlines of a tag spanning lines stay, so that later lines keep their numbers.
        return "\n" * tag.group().count("\n") + _STATEMENT

    lines = []
    for line in _JINJA_BLOCK.sub(mark, text).split("\n"):
        if _STATEMENT not in line:
            lines.append(line)
        elif not line.replace(_STATEMENT, "").strip():
            lines.append("")
        else:
            first, last = line.index(_STATEMENT), line.rindex(_STATEMENT) + len(_STATEMENT)
            lines.append(line[:first] + _UNKNOWN + line[last:])
    return _JINJA_EXPRESSION.sub(_UNKNOWN, "\n".join(lines))


def _schema(dataset: Mapping[str, Any]) -> str | None:
    # SQL datasets put the schema at the top level or in their load/save arguments.
    places = [dataset, dataset.get("load_args"), dataset.get("save_args")]
    for place in places:
        if isinstance(place, Mapping):
            for key in _SCHEMA_KEYS:
                if isinstance(place.get(key), str):
                    return str(place[key])
    return None


def _siblings(harvest: Harvest, path: str, project: str, env: str) -> dict[str, Any]:
    """The other catalog files of ``path``'s environment, merged in path order."""
    merged: dict[str, Any] = {}
    for other in sorted(harvest.files):
        found = CATALOG.match(other) if other != path else None
        if found is not None and (found["project"] or "") == project and found["env"] == env:
            merged.update(harvest.mapping(other, without_jinja) or {})
    return merged


def _globals(harvest: Harvest, project: str, env: str) -> dict[str, Any]:
    """``globals.yml`` of ``base`` overlaid with the one of ``env``, as Kedro merges them."""
    merged: dict[str, Any] = {}
    conf = f"{project}/conf" if project else "conf"
    for layer in dict.fromkeys(("base", env)):
        for name in ("globals.yml", "globals.yaml"):
            values = harvest.mapping(f"{conf}/{layer}/{name}", without_jinja)
            if values is not None:
                merged.update(values)
    return merged
