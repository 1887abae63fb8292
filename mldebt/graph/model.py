"""What the graph is made of: resolved accesses, pipelines, undeclared consumers, and the typed
ids of its nodes.

A node id is ``<kind>:<key>``: ``file:src/train.py``, ``data:data/raw.csv``,
``pipeline:dvc:dvc.yaml:train``, ``model:src/train.py:main:sklearn.svm.SVC:0``,
``column:data/train.csv#age``, ``param:train.lr``, ``constant:src.config.SEED``. Every id is made
by the constructors here, and each node's ``kind`` attribute is its id's prefix (``NodeKind``). A
column is qualified by the dataset it lives in where feature lineage knows it (data -> column ->
model, mldebt.graph.lineage); the columns the code names, and those of frames whose data nobody
can tell, are ``column:age``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NewType

from mldebt.findings import Location
from mldebt.parse.facts import Access, Span
from mldebt.targets import Target

NodeId = NewType("NodeId", str)


class NodeKind(str, Enum):
    """A node's ``kind`` attribute, and its id's prefix."""

    FILE = "file"
    DATA = "data"
    PIPELINE = "pipeline"
    MODEL = "model"
    COLUMN = "column"
    PARAM = "param"
    CONSTANT = "constant"


@dataclass(frozen=True)
class DataAccess:
    """A read or write with its resolved target and where it happens."""

    path: str
    access: Access
    target: Target
    location: Location
    # "read" or "write": the access's, except for a SQL statement, whose tables say (an
    # `execute` of an INSERT writes).
    direction: str = ""
    # The working directory assumed for a script no stage runs, where its relative path exists
    # only from its own folder (mldebt.graph.resolve); "" when known or the root.
    assumed_cwd: str = ""
    # A table's database, where the statement runs on a connection the module opened to a
    # database known statically (`sqlite3.connect("data/app.db")`).
    database: Target | None = None
    # A write waiting for its own target to be missing (`if not os.path.exists(p):
    # urlretrieve(url, p)`): it restores the file rather than producing it.
    restores: bool = False

    def __post_init__(self) -> None:
        if not self.direction:
            object.__setattr__(self, "direction", self.access.direction)

    @property
    def place(self) -> tuple[str, int, int, int, int]:
        """Where the access lies, in source order: path, notebook cell, line, column, and its
        rank in the function a call there runs (Access.order)."""
        loc = self.location
        return (self.path, loc.cell or 0, loc.line, loc.column, self.access.order)


# A call site: the file, where the call is in it, its API and direction.
Site = tuple[str, Span, str, str]


@dataclass(frozen=True)
class ImportLink:
    """One import of a repository file by another: ``name`` is what it takes from the target
    (`from utils import seed` takes "seed"), "" the whole module; ``scope`` the function
    whose body imports it, "" at module level."""

    target: str
    name: str
    scope: str


@dataclass(frozen=True)
class Pipeline:
    """Something that runs as a unit: a DVC stage, a Kedro pipeline, an Airflow DAG, an entry
    script (`if __name__ == "__main__"`) or a notebook."""

    id: str
    kind: str  # "dvc-stage" | "kedro-pipeline" | "airflow-dag" | "console-script" | "script" | "notebook" | ...
    name: str
    entry: str | None
    source: str
    line: int
    # The entry file and every repository module it imports, transitively; and the thin
    # launchers that start it, with what they import.
    files: tuple[str, ...]
    declared: tuple[str, ...] = ()
    # Scripts that only start this pipeline's code (a DVC stage's entry among them): they run
    # with it, but its code is what it launches (graph.pipelines._fold_launchers).
    launchers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consumer:
    """Data that one pipeline writes and another reads, declared by nobody."""

    read: DataAccess
    write: DataAccess
    reader: Pipeline
    writer: Pipeline


def file_node(path: str) -> NodeId:
    return NodeId(f"file:{path}")


def data_node(target: Target | str) -> NodeId:
    """A target's node; a manifest's declared pattern (a glob, a directory) is one too."""
    return NodeId(f"data:{target.value if isinstance(target, Target) else target}")


def stage_id(source: str, name: str) -> str:
    """The pipeline id of the DVC stage ``name`` of the manifest ``source``."""
    return f"dvc:{source}:{name}"


def pipeline_node(pipeline: Pipeline | str) -> NodeId:
    """A pipeline's node, from the pipeline or its id."""
    return NodeId(f"pipeline:{pipeline.id if isinstance(pipeline, Pipeline) else pipeline}")


def model_node(path: str, scope: str, api: str, number: int) -> NodeId:
    """A model that ``path`` builds, the ``number``-th model use in that file."""
    return NodeId(f"model:{path}:{scope}:{api}:{number}")


def column_node(name: str, dataset: str = "") -> NodeId:
    """A column of ``dataset`` (a target's value), or a column by its name alone."""
    return NodeId(f"column:{dataset}#{name}" if dataset else f"column:{name}")


def param_node(key: str) -> NodeId:
    """A parameter a pipeline declares, by its dotted key (`train.lr`); "" is all of them (a
    Kedro node that takes `parameters`)."""
    return NodeId(f"param:{key}")


def constant_node(qualified: str) -> NodeId:
    """A configuration constant other modules read, by its qualified name (`src.config.SEED`)."""
    return NodeId(f"constant:{qualified}")
