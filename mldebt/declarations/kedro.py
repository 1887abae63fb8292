"""Kedro data catalogs: every dataset with a file path or a table, relative to the project
root (the directory that holds ``conf/``).

Values are interpolated from the catalog itself (``${_base}``) and from the environment's
``globals.yml`` (``${globals:key}``); dataset factory placeholders (``{name}``) and anything
that does not resolve statically become ``*``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mldebt.declarations.harvest import Harvest, type_name
from mldebt.declarations.interpolation import MISSING, Budget, Resolver, lookup, render
from mldebt.declarations.yamlfile import key_position, position
from mldebt.targets import Target, classify, table

ORIGIN = "kedro"
CATALOG = re.compile(
    r"^(?:(?P<project>.*)/)?conf/(?P<env>[^/]+)/(?:catalog[^/]*|catalog/.+)\.ya?ml$"
)
"""A catalog file; ``project`` is the Kedro project root and ``env`` the configuration env."""

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_PATH_KEYS = ("filepath", "path")
_TABLE_KEYS = ("table_name", "table")
_SCHEMA_KEYS = ("schema", "database")


def collect_catalog(harvest: Harvest, path: str, project: str, env: str) -> None:
    """Declare every dataset of the catalog at ``path`` in ``project`` (``""`` for the root)."""
    catalog = harvest.mapping(path)
    if catalog is None:
        return
    variables = _globals(harvest, project, env)

    def resolve(expression: str) -> object:
        resolver, colon, argument = expression.partition(":")
        if not colon:
            # OmegaConf resolves `${key}` in the same file; globals are the usual fallback.
            found = lookup(catalog, expression)
            return lookup(variables, expression) if found is MISSING else found
        key, comma, default = argument.partition(",")
        found = lookup(variables, key.strip()) if resolver.strip() == "globals" else MISSING
        if found is MISSING and comma:
            return default.strip().strip("'\"")
        return found

    budget = Budget()
    for name, dataset in catalog.items():
        label = str(name)
        # `_name` entries are templates for YAML anchors and interpolation, not datasets.
        if label.startswith("_"):
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


def _schema(dataset: Mapping[str, Any]) -> str | None:
    # SQL datasets put the schema at the top level or in their load/save arguments.
    places = [dataset, dataset.get("load_args"), dataset.get("save_args")]
    for place in places:
        if isinstance(place, Mapping):
            for key in _SCHEMA_KEYS:
                if isinstance(place.get(key), str):
                    return str(place[key])
    return None


def _globals(harvest: Harvest, project: str, env: str) -> dict[str, Any]:
    """``globals.yml`` of ``base`` overlaid with the one of ``env``, as Kedro merges them."""
    merged: dict[str, Any] = {}
    conf = f"{project}/conf" if project else "conf"
    for layer in dict.fromkeys(("base", env)):
        for name in ("globals.yml", "globals.yaml"):
            values = harvest.mapping(f"{conf}/{layer}/{name}")
            if values is not None:
                merged.update(values)
    return merged
