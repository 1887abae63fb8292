"""MLflow projects: each entry point of an `MLproject` file is a pipeline step, as a DVC stage
is, running the script its command names with its parameters' defaults.

`mlflow run . -e train` runs the entry point's `command` in the project's directory, its
`{name}` placeholders replaced by the parameters given, else their defaults. A parameter with
no default is unknown: its placeholder stays an interpolation (`${name}`), which the resolver
takes as given but not known. Nothing is run.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

from mldebt.declarations.entry import detect_invocation
from mldebt.declarations.harvest import Harvest
from mldebt.declarations.model import DeclaredPipeline
from mldebt.declarations.yamlfile import START, key_position, position

MLPROJECT = "MLproject"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def collect_mlproject(harvest: Harvest, path: str) -> None:
    """Record every entry point of the MLproject file at ``path`` as a pipeline."""
    document = harvest.mapping(path)
    if document is None:
        return
    entries = document.get("entry_points") or {}
    if not isinstance(entries, Mapping):
        harvest.error(path, key_position(document, "entry_points"), "entry_points: expected a mapping")
        return
    directory = posixpath.dirname(path)
    scripts = {name: script.entry for name, script in harvest.scripts.items()}
    for name, entry in entries.items():
        where = position(name, START)
        command = entry.get("command") if isinstance(entry, Mapping) else None
        if not isinstance(command, str):
            harvest.error(path, where, f"entry point {name!r}: expected a `command` string")
            continue
        command = _PLACEHOLDER.sub(lambda m, d=_defaults(entry): d.get(m[1], "${" + m[1] + "}"), command)
        invocation = detect_invocation([command], directory, harvest.files, scripts)
        harvest.add_pipeline(
            DeclaredPipeline(
                name=str(name), kind="mlflow-entry-point", source=path, line=where[0], command=command,
                entry=invocation.entry if invocation else None, inputs=(), outputs=(),
                argv=invocation.argv if invocation else (), cwd=invocation.cwd if invocation else directory,
            )
        )


def _defaults(entry: Mapping[str, Any]) -> dict[str, str]:
    """Each parameter's default, as the command line gets it: `{type: path, default: x}`. The
    short form (`data_file: path`) names the type only: no default."""
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        return {}
    found: dict[str, str] = {}
    for name, spec in parameters.items():
        default = spec.get("default") if isinstance(spec, Mapping) else None
        if default is not None and not isinstance(default, (Mapping, list)):
            found[str(name)] = str(default)
    return found
