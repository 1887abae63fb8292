"""The column catalog: what calls do to the columns of data frames (``columns.toml``).

Package data, like the data catalog, and extended the same way: entries under
``[tool.mldebt.catalog.columns]`` (``function`` and ``method`` arrays, ``pass_attributes`` and
``frame_attributes``) come before the bundled ones. ``mldebt.catalogs.load_catalog`` loads it
with the data catalog, so that its content is part of the facts cache's key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mldebt.tomlcompat import tomllib

OPS = (
    "select", "create", "rename", "drop", "pass", "join", "concat", "unindex", "group", "aggregate", "read", "write",
    "frame", "dataset", "split", "train", "transform", "transformer", "pipeline",
)
_INTEGERS = ("arg", "indirect_arg", "other_arg", "frames_arg", "label_arg")
_STRING_LISTS = ("match", "after", "keywords", "indirect_keywords", "other_keywords", "frames_keywords", "label_keywords", "requires")
_FLAGS = ("varargs", "named_keywords", "row_axis", "pair", "in_place", "returns_named")
_KEYS = {"op", "inner_keyword", *_INTEGERS, *_STRING_LISTS, *_FLAGS}


class ColumnCatalogError(ValueError):
    """A column catalog entry is malformed; the message names the entry and the key."""


@dataclass(frozen=True)
class ColumnEntry:
    """What one family of calls does to columns; the keys are documented in columns.toml."""

    match: tuple[str, ...]
    op: str
    after: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    arg: int | None = None
    varargs: bool = False
    keywords: tuple[str, ...] = ()
    named_keywords: bool = False
    indirect_arg: int | None = None
    indirect_keywords: tuple[str, ...] = ()
    other_arg: int | None = None
    other_keywords: tuple[str, ...] = ()
    frames_arg: int | None = None
    frames_keywords: tuple[str, ...] = ()
    inner_keyword: str | None = None
    label_arg: int | None = None
    label_keywords: tuple[str, ...] = ()
    row_axis: bool = False
    pair: bool = False
    in_place: bool = False
    returns_named: bool = False


@dataclass(frozen=True)
class ColumnCatalog:
    functions: tuple[ColumnEntry, ...]
    methods: tuple[ColumnEntry, ...]
    pass_attributes: frozenset[str]
    # Attributes of a frame that are none of its columns (`df.shape`); any other is (`df.age`).
    frame_attributes: frozenset[str] = frozenset()
    _exact: dict[str, ColumnEntry] = field(init=False, repr=False, compare=False)
    _wildcards: tuple[tuple[str, ColumnEntry], ...] = field(init=False, repr=False, compare=False)
    _methods: dict[str, tuple[ColumnEntry, ...]] = field(init=False, repr=False, compare=False)
    # Each qualified name asked, with its entry: a file asks of every call it makes.
    _found: dict[str, ColumnEntry | None] = field(init=False, repr=False, compare=False)
    _training: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, ColumnEntry] = {}
        wildcards: list[tuple[str, ColumnEntry]] = []
        for entry in self.functions:
            for pattern in entry.match:
                if pattern.endswith("*"):
                    wildcards.append((pattern[:-1], entry))
                else:
                    exact.setdefault(pattern, entry)
        methods: dict[str, list[ColumnEntry]] = {}
        for entry in self.methods:
            for name in entry.match:
                methods.setdefault(name, []).append(entry)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_wildcards", tuple(wildcards))
        object.__setattr__(self, "_methods", {name: tuple(found) for name, found in methods.items()})
        object.__setattr__(self, "_found", {})
        object.__setattr__(self, "_training", _words_of_training(self.functions, self.methods))

    def function(self, qualified: str) -> ColumnEntry | None:
        """The entry for a call of ``qualified`` (`pandas.read_csv`), if any."""
        if qualified in self._found:
            return self._found[qualified]
        hit = self._exact.get(qualified)
        if hit is None:
            hit = next(
                (e for prefix, e in self._wildcards if qualified.startswith(prefix) and "." not in qualified[len(prefix):]),
                None,
            )
        self._found[qualified] = hit
        return hit

    def methods_named(self, name: str) -> tuple[ColumnEntry, ...]:
        """The entries for a method ``name``, in the order they apply."""
        return self._methods.get(name, ())

    def may_train(self, source: str) -> bool:
        """Whether ``source`` can call a training API of the catalog: False only when none of
        their names is in it as a word. A call of `xgboost.train` spells `train` in the call or
        in the import that renames it; one a wildcard matches spells the package's name."""
        return self._training.search(source) is not None


def _words_of_training(functions: tuple[ColumnEntry, ...], methods: tuple[ColumnEntry, ...]) -> re.Pattern[str]:
    words = {name for entry in methods if entry.op == "train" for name in entry.match}
    for entry in functions:
        if entry.op == "train":
            words.update(p.split(".")[0] if p.endswith("*") else p.rpartition(".")[2] for p in entry.match)
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")


def _entry(raw: Any, where: str) -> ColumnEntry:
    if not isinstance(raw, Mapping):
        raise ColumnCatalogError(f"{where}: an entry must be a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ColumnCatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if raw.get("op") not in OPS:
        raise ColumnCatalogError(f"{where}: 'op' must be one of {', '.join(OPS)}")
    match = raw.get("match")
    if not isinstance(match, list) or not match or not all(isinstance(m, str) and m for m in match):
        raise ColumnCatalogError(f"{where}: 'match' must be a non-empty list of names")
    for key in _INTEGERS:
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 0):
            raise ColumnCatalogError(f"{where}: '{key}' must be a non-negative integer")
    for key in _STRING_LISTS:
        if key in raw and not (isinstance(raw[key], list) and all(isinstance(k, str) for k in raw[key])):
            raise ColumnCatalogError(f"{where}: '{key}' must be a list of strings")
    for key in _FLAGS:
        if key in raw and not isinstance(raw[key], bool):
            raise ColumnCatalogError(f"{where}: '{key}' must be true or false")
    if "inner_keyword" in raw and not isinstance(raw["inner_keyword"], str):
        raise ColumnCatalogError(f"{where}: 'inner_keyword' must be a string")
    values: dict[str, Any] = {key: tuple(raw[key]) if key in _STRING_LISTS else raw[key] for key in raw}
    return ColumnEntry(**values)


def _entries(document: Mapping[str, Any], kind: str, origin: str) -> list[ColumnEntry]:
    raw = document.get(kind, [])
    if not isinstance(raw, list):
        raise ColumnCatalogError(f"{origin}: '{kind}' must be an array of tables")
    return [_entry(item, f"{origin} {kind}[{i}]") for i, item in enumerate(raw)]


def bundled_text() -> str:
    return resources.files("mldebt.catalogs").joinpath("columns.toml").read_text("utf-8")


def load_columns(extension: Any = None) -> ColumnCatalog:
    """The bundled column catalog, with a user's ``[tool.mldebt.catalog.columns]`` first."""
    origin = "[tool.mldebt.catalog.columns]"
    extension = {} if extension is None else extension
    if not isinstance(extension, Mapping):
        raise ColumnCatalogError(f"{origin} must be a table")
    unknown = sorted(set(extension) - {"function", "method", "pass_attributes", "frame_attributes"})
    if unknown:
        raise ColumnCatalogError(f"{origin}: unknown key(s) {', '.join(unknown)}")
    for key in ("pass_attributes", "frame_attributes"):
        listed = extension.get(key, [])
        if not isinstance(listed, list) or not all(isinstance(a, str) for a in listed):
            raise ColumnCatalogError(f"{origin}: '{key}' must be a list of strings")
    bundled = tomllib.loads(bundled_text())
    return ColumnCatalog(
        functions=tuple(_entries(extension, "function", origin) + _entries(bundled, "function", "columns.toml")),
        methods=tuple(_entries(extension, "method", origin) + _entries(bundled, "method", "columns.toml")),
        pass_attributes=frozenset([*extension.get("pass_attributes", []), *bundled["pass_attributes"]]),
        frame_attributes=frozenset([*extension.get("frame_attributes", []), *bundled["frame_attributes"]]),
    )
