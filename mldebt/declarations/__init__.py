"""What the repository's manifests declare: the data of DVC stages and ``.dvc`` files, Kedro
catalog datasets and ``[tool.mldebt.data]``, the DVC stages themselves, and the project's
console scripts.

Manifests are data: YAML is read with PyYAML's safe loader, nothing is imported or run, and a
broken manifest becomes a ManifestError instead of stopping the run.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

from mldebt.declarations.configs import ConfigFiles
from mldebt.declarations.dvc import collect_pipelines, collect_tracked
from mldebt.declarations.harvest import Harvest
from mldebt.declarations.kedro import CATALOG, collect_catalog
from mldebt.declarations.mlproject import MLPROJECT, collect_mlproject
from mldebt.declarations.model import ConsoleScript, Declaration, Declarations, DeclaredPipeline, ManifestError
from mldebt.declarations.pyproject import collect_pyproject
from mldebt.declarations.readme import README, collect_folder_runs
from mldebt.declarations.scripts import PACKAGING, collect_console_scripts

__all__ = [
    "ConfigFiles",
    "ConsoleScript",
    "Declaration",
    "Declarations",
    "DeclaredPipeline",
    "ManifestError",
    "load_declarations",
]


def load_declarations(
    root: Path, files: Sequence[str], data: Mapping[str, Sequence[str]] | None = None
) -> Declarations:
    """Read every manifest among ``files`` (repo-relative POSIX paths under ``root``) and
    ``data``, the parsed ``[tool.mldebt.data]`` table, into Declarations."""
    harvest = Harvest(root, files)
    # Console scripts first: a stage's command may run one.
    for path in sorted(harvest.files):
        if posixpath.basename(path) in PACKAGING:
            collect_console_scripts(harvest, path)
    for path in sorted(harvest.files):
        name = posixpath.basename(path)
        if name == "dvc.yaml":
            collect_pipelines(harvest, path)
        elif name.endswith(".dvc") and name != ".dvc" and not _in_dvc_directory(path):
            collect_tracked(harvest, path)
        elif catalog := CATALOG.match(path):
            collect_catalog(harvest, path, catalog["project"] or "", catalog["env"])
        elif README.match(name):
            collect_folder_runs(harvest, path)
        elif name == MLPROJECT:
            collect_mlproject(harvest, path)
    if data:
        collect_pyproject(harvest, data)
    return harvest.result()


def _in_dvc_directory(path: str) -> bool:
    # DVC's own state lives under .dvc/; nothing there is a tracking file.
    return path.startswith(".dvc/") or "/.dvc/" in path
