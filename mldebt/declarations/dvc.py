"""DVC manifests: the stages of every ``dvc.yaml`` (vars, ``foreach`` and ``matrix`` expanded
the way DVC names them) and the data that ``.dvc`` files track.

Paths in a ``dvc.yaml`` are relative to its directory, then to a stage's ``wdir``. An
interpolation that cannot be resolved statically keeps its stage and turns into ``*``.
"""

from __future__ import annotations

import itertools
import math
import posixpath
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from mldebt.declarations.entry import detect_invocation
from mldebt.declarations.harvest import Harvest, type_name
from mldebt.declarations.interpolation import (
    MISSING,
    Budget,
    Resolver,
    lookup,
    render,
    scalar_text,
    whole_value,
)
from mldebt.declarations.model import DeclaredPipeline
from mldebt.declarations.yamlfile import START, Position, key_position, position
from mldebt.targets import classify, normalise_path

ORIGIN = "dvc"
DEFAULT_PARAMS = "params.yaml"
# DVC also accepts params.py, but reading values out of Python would mean running it.
_PARAMS_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".toml"})
# DVC 2's `live: {dvclive: {summary: true}}` declares the directory DVCLive writes.
_STAGE_FIELDS = (
    ("deps", "input"), ("outs", "output"), ("metrics", "metrics"), ("plots", "plots"), ("live", "plots"),
)
# Past this many generated stages a foreach/matrix is kept as one stage with wildcards.
MAX_GENERATED_STAGES = 1000

Instance = tuple[str, dict[str, Any]]


def collect_pipelines(harvest: Harvest, path: str) -> None:
    """Declare the data of every stage in the ``dvc.yaml`` at ``path`` and record its stages."""
    document = harvest.mapping(path)
    if document is not None:
        _PipelinesFile(harvest, path).collect(document)


def collect_tracked(harvest: Harvest, path: str) -> None:
    """Declare what the ``.dvc`` file at ``path`` tracks, and the URL it was imported from."""
    document = harvest.mapping(path)
    if document is None:
        return
    base = posixpath.dirname(path)
    if isinstance(document.get("wdir"), str):
        base = normalise_path(document["wdir"], base)
    for field, role in (("outs", "dataset"), ("deps", "input")):
        entries = document.get(field) or []
        where = key_position(document, field)
        if not isinstance(entries, list):
            harvest.error(path, where, f"{field}: expected a list, got {type_name(entries)}")
            continue
        for entry in entries:
            raw = entry.get("path") if isinstance(entry, Mapping) else None
            if not isinstance(raw, str):
                harvest.error(path, where, f"{field}: every entry needs a string `path`")
            # An import from another DVC repository names a path inside that repository.
            elif not (field == "deps" and "repo" in entry):
                harvest.declare(
                    classify(raw, base),
                    role=role,
                    origin=ORIGIN,
                    source=path,
                    where=position(raw, where),
                    owner="",
                )


class _PipelinesFile:
    """One ``dvc.yaml``: its interpolation context and its stages."""

    def __init__(self, harvest: Harvest, path: str) -> None:
        self.harvest = harvest
        self.path = path
        self.directory = posixpath.dirname(path)
        self.budget = Budget()

    def collect(self, document: Mapping[str, Any]) -> None:
        context: dict[str, Any] = {}
        default_params = normalise_path(DEFAULT_PARAMS, self.directory)
        if default_params in self.harvest.files:
            self._load_vars([DEFAULT_PARAMS], self.directory, context, START)
        self._load_vars(
            document.get("vars"), self.directory, context, key_position(document, "vars")
        )
        stages = document.get("stages") or {}
        if not isinstance(stages, Mapping):
            self._wrong(key_position(document, "stages"), "stages", "a mapping", stages)
        else:
            for name, body in stages.items():
                self._stage_group(str(name), position(name), body, context)
        self._top_level(document, context)
        if self.budget.exceeded is not None:
            self.harvest.error(self.path, position(self.budget.exceeded), self.budget.message())

    def _wrong(self, where: Position, label: str, expected: str, value: object) -> None:
        self.harvest.error(
            self.path, where, f"{label}: expected {expected}, got {type_name(value)}"
        )

    def _load_vars(self, entries: Any, base: str, context: dict[str, Any], where: Position) -> None:
        if entries is None:
            return
        if not isinstance(entries, list):
            self._wrong(where, "vars", "a list", entries)
            return
        for entry in entries:
            if isinstance(entry, Mapping):
                _merge(context, entry)
            elif isinstance(entry, str):
                # `file.yaml:key1,key2` loads only those top-level keys of the file.
                name, _, keys = entry.partition(":")
                values = self._params_file(normalise_path(name, base), position(entry, where))
                if values is not None and keys:
                    wanted = {key.strip() for key in keys.split(",")}
                    values = {key: value for key, value in values.items() if key in wanted}
                if values is not None:
                    _merge(context, values)
            else:
                self._wrong(where, "vars", "file names or mappings", entry)

    def _params_file(self, path: str, where: Position) -> Mapping[str, Any] | None:
        if posixpath.splitext(path)[1].lower() not in _PARAMS_SUFFIXES:
            return None
        if path not in self.harvest.files:
            self.harvest.error(self.path, where, f"vars: {path} is not a file of the repository")
            return None
        return self.harvest.mapping(path)

    def _stage_group(self, name: str, where: Position, body: Any, context: dict[str, Any]) -> None:
        if not isinstance(body, Mapping):
            self._wrong(where, f"stage {name!r}", "a mapping", body)
            return
        resolve = partial(lookup, context)
        template: Any = body
        instances: list[Instance] = [(name, {})]
        if "matrix" in body:
            template = {key: value for key, value in body.items() if key != "matrix"}
            matrix_where = key_position(body, "matrix", where)
            instances = self._matrix(name, matrix_where, body["matrix"], resolve)
        elif "foreach" in body:
            template = body.get("do")
            if not isinstance(template, Mapping):
                self._wrong(
                    key_position(body, "do", where), f"stage {name!r}: do", "a mapping", template
                )
                return
            foreach_where = key_position(body, "foreach", where)
            instances = self._foreach(name, foreach_where, body["foreach"], resolve)
        for instance, extra in instances:
            self._stage(instance, where, template, {**context, **extra})

    def _foreach(self, name: str, where: Position, data: Any, resolve: Resolver) -> list[Instance]:
        items = whole_value(data, resolve)
        if items is MISSING or _too_many(items):
            return [(name, {})]
        if isinstance(items, Mapping):
            return [
                (f"{name}@{_to_str(k)}", {"item": v, "key": _to_str(k)}) for k, v in items.items()
            ]
        if not isinstance(items, list):
            self._wrong(where, f"stage {name!r}: foreach", "a list or a mapping", items)
            return []
        # DVC names a stage after a scalar item, and after its index when items are composite.
        composite = any(isinstance(item, (list, Mapping)) for item in items)
        return [
            (f"{name}@{index if composite else _to_str(item)}", {"item": item})
            for index, item in enumerate(items)
        ]

    def _matrix(self, name: str, where: Position, data: Any, resolve: Resolver) -> list[Instance]:
        if not isinstance(data, Mapping):
            self._wrong(where, f"stage {name!r}: matrix", "a mapping", data)
            return []
        axes: list[tuple[str, list[Any]]] = []
        for axis, values in data.items():
            values = whole_value(values, resolve)
            if values is MISSING:
                return [(name, {})]
            if not isinstance(values, list):
                self._wrong(
                    position(axis, where), f"stage {name!r}: matrix.{axis}", "a list", values
                )
                return []
            axes.append((str(axis), values))
        if math.prod(len(values) for _, values in axes) > MAX_GENERATED_STAGES:
            return [(name, {})]
        instances: list[Instance] = []
        for combination in itertools.product(*(list(enumerate(values)) for _, values in axes)):
            item = {axis: value for (axis, _), (_, value) in zip(axes, combination, strict=True)}
            key = "-".join(
                f"{axis}{index}" if isinstance(value, (list, Mapping)) else _to_str(value)
                for (axis, _), (index, value) in zip(axes, combination, strict=True)
            )
            instances.append((f"{name}@{key}", {"item": item, "key": key}))
        return instances

    def _stage(
        self, name: str, where: Position, template: Mapping[str, Any], context: dict[str, Any]
    ) -> None:
        label = f"stage {name!r}"
        wdir = template.get("wdir")
        directory = self.directory
        if isinstance(wdir, str):
            directory = normalise_path(render(wdir, partial(lookup, context), "*", self.budget), self.directory)
        elif wdir is not None:
            self._wrong(key_position(template, "wdir", where), f"{label}: wdir", "a string", wdir)
        if "vars" in template:
            context = dict(context)
            vars_where = key_position(template, "vars", where)
            self._load_vars(template["vars"], directory, context, vars_where)
        resolve = partial(lookup, context)
        inputs: list[str] = []
        outputs: list[str] = []
        for field, role in _STAGE_FIELDS:
            for raw in self._paths(template, field, label, where):
                pattern = self._declare(raw, resolve, directory, role, name, where)
                if pattern is not None:
                    (inputs if role == "input" else outputs).append(pattern)
        for raw in self._params_files(template, label, where):
            pattern = self._declare(raw, resolve, directory, "params", name, where)
            if pattern is not None:
                inputs.append(pattern)
        commands = self._commands(template, label, where, resolve)
        scripts = {name: script.entry for name, script in self.harvest.scripts.items()}
        invocation = detect_invocation(commands, directory, self.harvest.files, scripts)
        self.harvest.add_pipeline(
            DeclaredPipeline(
                name=name,
                kind="dvc-stage",
                source=self.path,
                line=where[0],
                command=" && ".join(commands),
                entry=invocation.entry if invocation else None,
                argv=invocation.argv if invocation else (),
                cwd=invocation.cwd if invocation else directory,
                inputs=tuple(dict.fromkeys(inputs)),
                outputs=tuple(dict.fromkeys(outputs)),
                params=tuple(dict.fromkeys(_params_keys(template.get("params")))),
            )
        )

    def _commands(
        self, template: Mapping[str, Any], label: str, where: Position, resolve: Resolver
    ) -> list[str]:
        cmd = template.get("cmd")
        commands = [cmd] if isinstance(cmd, str) else cmd
        if not isinstance(commands, list) or not all(isinstance(c, str) for c in commands):
            where = key_position(template, "cmd", where)
            self._wrong(where, f"{label}: cmd", "a string or a list of strings", cmd)
            return []
        # Unresolved parts of a command stay as written: they are shown, not matched.
        return [render(command, resolve, None, self.budget) for command in commands]

    def _declare(
        self, raw: str, resolve: Resolver, base: str, role: str, owner: str, where: Position
    ) -> str | None:
        return self.harvest.declare(
            classify(render(raw, resolve, "*", self.budget), base),
            role=role,
            origin=ORIGIN,
            source=self.path,
            where=position(raw, where),
            owner=owner,
        )

    def _paths(
        self, mapping: Mapping[str, Any], field: str, label: str, where: Position
    ) -> Iterator[str]:
        """The paths listed under ``field``: strings, or the keys of ``{path: options}``."""
        value = mapping.get(field)
        if value is None:
            return
        where = key_position(mapping, field, where)
        entries = [value] if isinstance(value, (str, Mapping)) else value
        if not isinstance(entries, list):
            self._wrong(where, f"{label}: {field}", "a list of paths", value)
            return
        for entry in entries:
            if isinstance(entry, str):
                yield entry
            elif isinstance(entry, Mapping) and all(isinstance(key, str) for key in entry):
                yield from entry
            else:
                self._wrong(where, f"{label}: {field}", "paths", entry)

    def _params_files(
        self, template: Mapping[str, Any], label: str, where: Position
    ) -> Iterator[str]:
        """The params files a stage reads: ``params.yaml`` for bare keys, else the keys of
        ``{file: [keys]}`` entries."""
        value = template.get("params")
        if value is None:
            return
        where = key_position(template, "params", where)
        if not isinstance(value, list):
            self._wrong(where, f"{label}: params", "a list", value)
            return
        default_used = False
        for entry in value:
            if isinstance(entry, str) and not default_used:
                default_used = True
                yield DEFAULT_PARAMS
            elif isinstance(entry, Mapping) and all(isinstance(key, str) for key in entry):
                yield from entry
            elif not isinstance(entry, str):
                self._wrong(where, f"{label}: params", "keys or {file: keys} mappings", entry)

    def _top_level(self, document: Mapping[str, Any], context: dict[str, Any]) -> None:
        """Params, metrics, plots and artifacts declared outside any stage."""
        resolve = partial(lookup, context)
        for field, role in (("params", "params"), ("metrics", "metrics")):
            for raw in self._paths(document, field, "top level", START):
                self._declare(raw, resolve, self.directory, role, "", START)
        plots_where = key_position(document, "plots")
        for raw in self._plot_files(document.get("plots")):
            self._declare(raw, resolve, self.directory, "plots", "", plots_where)
        artifacts = document.get("artifacts") or {}
        if not isinstance(artifacts, Mapping):
            self._wrong(key_position(document, "artifacts"), "artifacts", "a mapping", artifacts)
            return
        for name, spec in artifacts.items():
            path = spec.get("path") if isinstance(spec, Mapping) else None
            if isinstance(path, str):
                self._declare(path, resolve, self.directory, "output", str(name), position(name))
            else:
                self._wrong(position(name), f"artifact {str(name)!r}: path", "a string", path)

    @staticmethod
    def _plot_files(plots: Any) -> Iterator[str]:
        # A top-level plot is a file, or an id whose `x`/`y` mappings name the files.
        for entry in plots if isinstance(plots, list) else []:
            if isinstance(entry, str):
                yield entry
                continue
            for plot_id, spec in entry.items() if isinstance(entry, Mapping) else ():
                axes = [spec.get(axis) for axis in ("x", "y")] if isinstance(spec, Mapping) else []
                files = [name for axis in axes if isinstance(axis, Mapping) for name in axis]
                yield from (name for name in files or [plot_id] if isinstance(name, str))


def _to_str(value: object) -> str:
    # How DVC turns an item into part of a stage name: YAML spelling for booleans.
    text = scalar_text(value)
    return str(value) if text is None else text


def _too_many(items: object) -> bool:
    return isinstance(items, (list, Mapping)) and len(items) > MAX_GENERATED_STAGES


def _merge(into: dict[str, Any], values: Mapping[Any, Any]) -> None:
    """Merge ``values`` into ``into``, nested mappings key by key, as DVC merges vars."""
    for key, value in values.items():
        current = into.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            merged = dict(current)
            _merge(merged, value)
            into[key] = merged
        else:
            into[key] = value


def _params_keys(value: Any) -> Iterator[str]:
    """The parameter keys a stage's ``params`` names (``train.lr``; the keys of a
    ``{file: [keys]}`` entry alike), as `dvc params diff` names them; a file given with no keys
    (all of it) names none. Malformed entries are _params_files's to report."""
    if not isinstance(value, list):
        return
    for entry in value:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, Mapping):
            for keys in entry.values():
                if isinstance(keys, list):
                    yield from (key for key in keys if isinstance(key, str))
