"""Configuration files that code reads by key: `cfg.data.path` of an OmegaConf or Hydra config,
`params["train"]["data"]` of a YAML or JSON file loaded whole.

They are read on first use, as manifests are (the safe loader, only listed files inside the
root). A broken one answers nothing and is no finding: no tool declares data in it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mldebt.declarations.harvest import Harvest

# OmegaConf's interpolation of another key of the same config: `${paths.data}/raw.csv`.
_INTERPOLATION = re.compile(r"\$\{([^${}]*)\}")
_KEY_PATH = re.compile(r"[\w-]+(?:\.[\w-]+)*")
# Interpolations of interpolations, and config groups of config groups, this deep at most.
_MAX_DEPTH = 8


class ConfigFiles:
    """The repository's configuration files, each parsed once when code first reads a key."""

    def __init__(self, root: Path, files: Iterable[str]) -> None:
        self._harvest = Harvest(root, files)

    def value(self, path: str, keys: Sequence[str]) -> str | None:
        """The string the configuration file at ``path`` (root-relative) holds at ``keys``, its
        `${a.b}` interpolations of the file's own keys resolved. A top-level key the file does
        not have but its Hydra defaults list names (`defaults: [{data: mnist}]`) is read from
        that config group's file (`data/mnist.yaml` beside it). None for anything else: no such
        file or key, a value that is no string, an interpolation of something other than a key
        (`${oc.env:DATA}`, `${hydra:runtime.cwd}`)."""
        return self._value(path, list(keys), 0)

    def _value(self, path: str, keys: list[str], depth: int) -> str | None:
        found = self._lookup(path, keys, depth)
        return self._interpolated(path, str(found), depth) if isinstance(found, str) else None

    def _lookup(self, path: str, keys: list[str], depth: int) -> Any:
        node = self._harvest.document(path)
        for position, key in enumerate(keys):
            if not isinstance(node, Mapping):
                return None
            if key in node:
                node = node[key]
            elif position == 0 and depth < _MAX_DEPTH:
                group = _group_file(path, node, key)
                return self._lookup(group, keys[1:], depth + 1) if group is not None else None
            else:
                return None
        return node

    def _interpolated(self, path: str, text: str, depth: int) -> str | None:
        parts: list[str] = []
        end = 0
        for match in _INTERPOLATION.finditer(text):
            inner = match.group(1).strip()
            if depth >= _MAX_DEPTH or not _KEY_PATH.fullmatch(inner):
                return None
            found = self._lookup(path, inner.split("."), depth + 1)
            if isinstance(found, str):
                replaced = self._interpolated(path, str(found), depth + 1)
            else:
                # A number in a path (`data_${year}.csv`); a boolean or a mapping is none.
                replaced = str(found) if isinstance(found, int | float) and not isinstance(found, bool) else None
            if replaced is None:
                return None
            parts += [text[end : match.start()], replaced]
            end = match.end()
        rest = text[end:]
        return None if "${" in rest else "".join(parts) + rest


def _group_file(path: str, document: Mapping[str, Any], group: str) -> str | None:
    """The file of the option a Hydra defaults list picks for ``group`` (`- data: mnist` is
    `data/mnist.yaml` beside the primary config); None when it picks none."""
    defaults = document.get("defaults")
    if not isinstance(defaults, list):
        return None
    for entry in defaults:
        if not isinstance(entry, Mapping):
            continue
        for key, option in entry.items():
            name = str(key).removeprefix("override ").strip().lstrip("/")
            if name == group and isinstance(option, str):
                return posixpath.join(posixpath.dirname(path), group, f"{option}.yaml")
    return None
