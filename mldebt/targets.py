"""What a data read or write points at, normalised so that code and manifests can be compared.

A target is a repository-relative POSIX path (``data/raw/train.csv``), an absolute or
user-home path (``/mnt/data/x.csv``, ``~/x.csv``), a URI with a scheme (``s3://bucket/key``;
MLflow's ``runs:/<id>/model`` and ``models:/name``; a named one, ``openml://titanic``),
a SQL table (``table:analytics.events``), or ``dynamic`` when it cannot be known statically.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import Enum


class TargetKind(str, Enum):
    PATH = "path"
    URI = "uri"
    TABLE = "table"
    DYNAMIC = "dynamic"


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
# MLflow's own URIs take one slash: `runs:/<run id>/model`, `models:/churn/Production`.
_MLFLOW_URI = re.compile(r"^(?:runs|models):/(?!/)")
# Schemes of what a hub, a library or a registry knows by name, rather than where it lies:
# Hugging Face Hub, scikit-learn, OpenML, TFDS, Keras, torchvision/torchaudio/torchtext and
# torch.hub datasets and models, Weights & Biases artifacts, Kedro catalog datasets, MLflow
# runs and registered models, Kaggle datasets and competitions (`kaggle datasets download`).
# The name is the declaration: the registry keeps its lineage.
NAMED_SCHEMES = frozenset({
    "hf", "sklearn", "openml", "tfds", "keras", "torchvision", "torchaudio", "torchtext", "torchhub",
    "seaborn", "plotly", "vega", "wandb", "kedro", "runs", "models", "kaggle",
})
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True, order=True)
class Target:
    kind: TargetKind
    value: str = ""

    @property
    def is_absolute(self) -> bool:
        return self.kind is TargetKind.PATH and (
            self.value.startswith("/") or bool(_WINDOWS_DRIVE.match(self.value))
        )

    @property
    def is_user_home(self) -> bool:
        return self.kind is TargetKind.PATH and self.value.startswith("~")

    @property
    def is_in_repo(self) -> bool:
        return (
            self.kind is TargetKind.PATH
            and not self.is_absolute
            and not self.is_user_home
            and not self.value.startswith("../")
            and self.value != ".."
        )

    @property
    def is_named(self) -> bool:
        """A dataset, model or artifact known by name to a hub, library or registry
        (`openml://titanic`, `models:/churn`), not a location the code chose."""
        return self.kind is TargetKind.URI and self.value.partition(":")[0] in NAMED_SCHEMES

    def __str__(self) -> str:
        return self.value if self.kind is not TargetKind.DYNAMIC else "<dynamic>"


DYNAMIC = Target(TargetKind.DYNAMIC)


def table(name: str) -> Target:
    return Target(TargetKind.TABLE, "table:" + name.strip().strip('`"[]').lower())


def normalise_path(raw: str, base: str = "") -> str:
    """A path as a repository-relative POSIX path when relative (joined to ``base``, itself
    repository-relative), else absolute; ``.`` and ``..`` folded, no trailing slash."""
    path = raw.strip().replace("\\", "/")
    if not (path.startswith(("/", "~")) or _WINDOWS_DRIVE.match(path)):
        path = posixpath.join(base, path) if base else path
    leading = "//" if path.startswith("//") else ""
    path = posixpath.normpath(path)
    if leading and not path.startswith("//"):
        path = "/" + path
    return "" if path == "." else path


def classify(raw: str, base: str = "") -> Target:
    """Turn a literal target string into a Target; ``base`` is the working directory of the
    code or manifest it came from, relative to the repository root."""
    text = raw.strip()
    if not text:
        return DYNAMIC
    if _MLFLOW_URI.match(text):
        return Target(TargetKind.URI, text.rstrip("/"))
    match = _SCHEME.match(text)
    if match:
        scheme = match.group(1).lower()
        rest = text[match.end() :]
        if scheme == "file":
            return Target(TargetKind.PATH, normalise_path(rest or "/", base) or ".")
        return Target(TargetKind.URI, f"{scheme}://{rest.rstrip('/')}")
    # `copytree(src, ".")` copies into the working directory itself: the root when that is it.
    return Target(TargetKind.PATH, normalise_path(text, base) or ".")
