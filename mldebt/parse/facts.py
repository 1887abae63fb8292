"""What extraction learns from one file: plain values, cached as JSON by content hash.

Target values are kept symbolic (see ``mldebt.parse.values``) because a path often depends on a
constant from another module: each file is extracted alone, in parallel and cached, and the
references are resolved once every file's constants are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mldebt.findings import Location
from mldebt.lineage.columnset import ColumnSet

# Codes of the problems that stop a file's analysis (rules MLD001-MLD005 report them).
SYNTAX_ERROR = "MLD001"
UNDECODABLE = "MLD002"
UNREADABLE = "MLD003"
INVALID_NOTEBOOK = "MLD004"
ANALYSIS_LIMIT = "MLD005"

# The pseudo-module whose names are the command-line arguments of a script: `sys.argv[1]` is
# ["r", ARGV_MODULE, "1"], resolved from the command that a DVC stage runs.
ARGV_MODULE = "<argv>"
# The pseudo-module whose names are the keys of the repository's configuration files: a key of
# a configuration file is looked up as (CONFIG_MODULE, "<file>\x01<key>\x01<key>..."), since
# a file anchored at the root holds NULs (see values.unanchor).
CONFIG_MODULE = "<config>"
CONFIG_SEPARATOR = "\x01"

# A symbolic value, JSON-shaped: ["s", text] literal, ["r", module, name] imported constant,
# ["c", [parts]] concatenation, ["j", [parts]] path join, ["P", value] its parent, ["x", value, suffix] with suffix appended unless present,
# ["o", [flags or "#N"], default] a command-line option (given by the command, else default),
# ["f", path] the `__file__` of the module at path (anchored at the root, see values.unanchor),
# ["h"] the user's home, ["a", [values]] each of the values in turn (a loop over a literal: one
# access per value), ["k", file, [keys]] a key of the configuration file at the path file
# (`cfg.data.path` of an OmegaConf or Hydra config), ["d"] dynamic (unknowable statically).
Value = list[Any]


@dataclass(frozen=True)
class Span:
    """1-based line and column, in the coordinates of the parsed source (for a notebook, its
    concatenated code cells; the engine maps them back to cells)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Access:
    """One data read or write."""

    api: str
    direction: str  # "read" | "write"
    # "path" | "sql" | "table" | "hub" | "dataset" | "figure" | "service": how to turn the
    # resolved value into targets (mldebt.catalogs; "service": a web service's GET, see there).
    interpret: str
    value: Value
    span: Span
    scope: str
    snippet: str
    # From a generic method name: only a target with a file extension (or a URI) counts.
    weak: bool = False
    # Where module-level `os.chdir` (or a notebook's `%cd`) had moved, relative to where the
    # code started: relative paths start there.
    cwd: str = ""
    # A SQL statement run on a connection the module opened: the database it connected to
    # (`sqlite3.connect("data/app.db")`), and whether the statement defines tables' schemas
    # (CREATE, DROP or ALTER TABLE: a seed script's DDL).
    database: Value | None = None
    defines: bool = False
    # The path whose absence the access waits for (`if not os.path.exists(p):`): a write of
    # that path restores a missing file rather than producing it.
    missing: Value | None = None
    # Made through a call of the repository's own function (mldebt.graph.build's forwarded
    # accesses): its rank among that function's accesses, which all lie at the call.
    order: int = 0


@dataclass(frozen=True)
class Forward:
    """An access of a module-level function, or of a class's constructor, whose target is one
    of its parameters (`def fetch(url, zip_path): open(zip_path, "wb")`): another module's call
    makes that access on what it passes (``Call``)."""

    function: str  # its name; the class's for its `__init__`; `Class.method` for a static or class method
    parameter: str
    position: int  # among the positional parameters after `self`; -1 for a keyword-only one
    api: str
    direction: str
    interpret: str
    weak: bool = False


@dataclass(frozen=True)
class Call:
    """A call of an imported name with an argument that may be a path or URI
    (`fetch("https://example.org/sms.zip", "sms.zip")`), its arguments by position ("0") or
    keyword, resolved in the caller's scope."""

    callee: str
    arguments: tuple[tuple[str, Value], ...]
    span: Span
    scope: str
    snippet: str
    cwd: str = ""


@dataclass(frozen=True)
class Import:
    module: str  # absolute module, relative imports already resolved where possible
    name: str | None  # None for `import a.b`; "*" for a star import
    alias: str
    # The function or method whose body holds the import ("" at module level): it runs only
    # when that function does.
    scope: str = ""


@dataclass(frozen=True)
class Definition:
    kind: str  # "function" | "class"
    qualname: str
    span: Span
    complexity: int = 1
    bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelUse:
    kind: str  # "construct" | "fit" | "train-loop"
    api: str  # qualified name of the estimator / framework call
    variable: str  # the name it is bound to or called on, "" when none
    span: Span
    scope: str
    hyperparameters: int = 0


@dataclass(frozen=True)
class Column:
    """A data-frame column the code names: selected (`df[["age"]]`), listed (`FEATURES = [...]`)
    or passed (`usecols=`, a ColumnTransformer's column list). Where feature lineage starts."""

    name: str
    scope: str
    via: str  # "subscript", "list:<NAME>", "keyword:<keyword>", "drop:<keyword>", "transformer:<class>"

    @property
    def used(self) -> bool:
        """Whether the code uses the column, rather than dropping it."""
        return not self.via.startswith("drop:")


@dataclass(frozen=True)
class ColumnFlow:
    """Columns on their way into a model, as OpenLineage's column-lineage facet tells them
    apart: those whose values flow (``columns``, direct) and those that decided which rows do
    (``indirect``: filter, join, sort and grouping keys on the way), with the reads in this
    file they came from (``sources``, each the `line:column` of the read's call; the sets'
    "as in source" statuses name the same reads)."""

    columns: ColumnSet
    indirect: ColumnSet
    sources: tuple[str, ...] = ()

    @staticmethod
    def from_plain(data: dict[str, Any]) -> ColumnFlow:
        return ColumnFlow(
            ColumnSet.from_plain(data["columns"]), ColumnSet.from_plain(data["indirect"]), tuple(data["sources"])
        )


@dataclass(frozen=True)
class ModelInput:
    """A fit-like call the column catalog knows (`fit(X, y)`, `xgb.train(params, dtrain)`):
    the features and the label that reach the model, apart."""

    api: str  # the method (`fit`) or the qualified function (`xgboost.train`)
    span: Span
    scope: str
    features: ColumnFlow
    label: ColumnFlow | None
    # Where the estimator it fits was built (its constructor's call), when the file shows it.
    model: Span | None = None


# The kinds of PipelineDef that are parts of a pipeline, not one: a Kedro node, a Prefect task,
# a Dagster op or asset, a ZenML or Metaflow step. They run within the pipeline that the flow,
# job or pipeline of their module (or of one importing it) declares.
STEP_KINDS = frozenset({"kedro-node", "prefect-task", "dagster-op", "dagster-asset", "zenml-step", "metaflow-step"})
# An orchestrator's unit of work: a module defining one runs as that flow (`python flows.py`
# calls it under its `__main__` guard), not as one more script.
FLOW_KINDS = frozenset({"prefect-flow", "dagster-job", "dagster-definitions", "zenml-pipeline", "metaflow-flow"})


@dataclass(frozen=True)
class PipelineDef:
    # "airflow-dag" | "kedro-pipeline", one of FLOW_KINDS or one of STEP_KINDS.
    kind: str
    name: str
    span: Span
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    function: str = ""


@dataclass(frozen=True)
class Suppression:
    line: int
    codes: tuple[str, ...]  # empty: every code
    reason: str
    # No code before the comment on its line: it suppresses the line below too.
    own_line: bool


@dataclass(frozen=True)
class AnalysisProblem:
    code: str  # MLD0xx
    message: str
    span: Span


@dataclass(frozen=True)
class FileFinding:
    """What a file rule (mldebt.rules.base.FileRule) reported during the file's walk. Kept with
    the facts, so that a warm run has it without parsing the file again."""

    code: str
    message: str
    span: Span
    # The rule offered a fix: `mldebt check --fix` walks the file again to apply it, since a
    # fix is an edit of the tree, which is not cached.
    fixable: bool = False


@dataclass(frozen=True)
class RuleCrash:
    """A file rule that raised during the file's walk: its reports on this file are dropped and
    the rest of the walk (facts and other rules) goes on. The engine reports it as an internal
    error of that rule, as it does a repository rule's crash."""

    code: str
    # The exception, and where it was raised: "ZeroDivisionError: division by zero (acme.py:12)".
    error: str


@dataclass(frozen=True)
class FileFacts:
    path: str
    module: str
    digest: str
    accesses: tuple[Access, ...] = ()
    imports: tuple[Import, ...] = ()
    constants: dict[str, Value] = field(default_factory=dict)
    definitions: tuple[Definition, ...] = ()
    models: tuple[ModelUse, ...] = ()
    columns: tuple[Column, ...] = ()
    # Module-level names bound once to a list of column names (`FEATURES = ["age", ...]`),
    # as exact sets; a list built from another module's (`BASE + ["x"]`) keeps its reference.
    column_lists: dict[str, ColumnSet] = field(default_factory=dict)
    model_inputs: tuple[ModelInput, ...] = ()
    pipelines: tuple[PipelineDef, ...] = ()
    # Configuration constants (upper-case module-level names), each with whether this module
    # reads it itself; and the ones it reads from modules it imported (`config.LR`), qualified.
    settings: tuple[tuple[str, bool], ...] = ()
    settings_read: tuple[str, ...] = ()
    # The tables this module's database schema defines (mldebt.parse.collectors.schema),
    # `schema.name` where it gives a schema, with the line defining each.
    tables: tuple[tuple[str, int], ...] = ()
    # Accesses on a parameter, for other modules' calls; and this module's calls of imported names.
    forwards: tuple[Forward, ...] = ()
    calls: tuple[Call, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[AnalysisProblem, ...] = ()
    # Every file rule's findings on this file, selected or not: selection is the engine's.
    findings: tuple[FileFinding, ...] = ()
    crashes: tuple[RuleCrash, ...] = ()
    has_main: bool = False
    # Module-level code calls a function this module defines: it runs its own code on import.
    runs_own_code: bool = False
    # Notebooks only: (first source line, line count) of each code cell, in order.
    cells: tuple[tuple[int, int], ...] = ()
    line_count: int = 0

    def to_json(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileFacts:
        """Rebuild from ``to_json`` output; raises KeyError/TypeError/ValueError when malformed."""
        span = _span
        return cls(
            path=data["path"],
            module=data["module"],
            digest=data["digest"],
            accesses=tuple(
                Access(**{**a, "span": span(a["span"])}) for a in data["accesses"]
            ),
            imports=tuple(Import(**i) for i in data["imports"]),
            constants=dict(data["constants"]),
            definitions=tuple(
                Definition(**{**d, "span": span(d["span"]), "bases": tuple(d["bases"])})
                for d in data["definitions"]
            ),
            models=tuple(ModelUse(**{**m, "span": span(m["span"])}) for m in data["models"]),
            columns=tuple(Column(**c) for c in data["columns"]),
            column_lists={name: ColumnSet.from_plain(plain) for name, plain in data["column_lists"].items()},
            model_inputs=tuple(
                ModelInput(
                    api=m["api"],
                    span=span(m["span"]),
                    scope=m["scope"],
                    features=ColumnFlow.from_plain(m["features"]),
                    label=None if m["label"] is None else ColumnFlow.from_plain(m["label"]),
                    model=None if m["model"] is None else span(m["model"]),
                )
                for m in data["model_inputs"]
            ),
            pipelines=tuple(
                PipelineDef(
                    **{
                        **p,
                        "span": span(p["span"]),
                        "inputs": tuple(p["inputs"]),
                        "outputs": tuple(p["outputs"]),
                    }
                )
                for p in data["pipelines"]
            ),
            settings=tuple((str(name), bool(read)) for name, read in data["settings"]),
            settings_read=tuple(data["settings_read"]),
            tables=tuple((str(name), int(line)) for name, line in data["tables"]),
            forwards=tuple(Forward(**f) for f in data["forwards"]),
            calls=tuple(
                Call(**{**c, "span": span(c["span"]), "arguments": tuple((str(k), val) for k, val in c["arguments"])})
                for c in data["calls"]
            ),
            suppressions=tuple(
                Suppression(**{**s, "codes": tuple(s["codes"])}) for s in data["suppressions"]
            ),
            problems=tuple(
                AnalysisProblem(**{**p, "span": span(p["span"])}) for p in data["problems"]
            ),
            findings=tuple(FileFinding(**{**f, "span": span(f["span"])}) for f in data["findings"]),
            crashes=tuple(RuleCrash(**c) for c in data["crashes"]),
            has_main=bool(data["has_main"]),
            runs_own_code=bool(data["runs_own_code"]),
            cells=tuple((int(a), int(b)) for a, b in data["cells"]),
            line_count=int(data["line_count"]),
        )


def _span(data: dict[str, int]) -> Span:
    return Span(**data)


def locate(file: FileFacts, span: Span) -> Location:
    """A span of the parsed source as a finding Location: for a notebook, the code cell and
    the line within it."""
    if not file.cells:
        return Location(file.path, span.line, span.column, span.end_line, span.end_column)
    cell, first = _cell_of(file.cells, span.line)
    end_cell, end_first = _cell_of(file.cells, span.end_line)
    end_line = span.end_line - end_first + 1 if end_cell == cell else file.cells[cell - 1][1]
    return Location(file.path, span.line - first + 1, span.column, max(end_line, 1), span.end_column, cell)


def _cell_of(cells: tuple[tuple[int, int], ...], line: int) -> tuple[int, int]:
    """(1-based cell index, first source line of that cell) for a source line."""
    for index, (first, count) in enumerate(cells, start=1):
        if line < first + count:
            return index, first
    return len(cells), cells[-1][0]


def module_name(path: str) -> str:
    """`src/pkg/mod.py` -> `src.pkg.mod`; a package's `__init__.py` names the package."""
    stem = path.rsplit(".", 1)[0] if path.endswith((".py", ".ipynb")) else path
    parts = [p for p in stem.split("/") if p]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _plain(obj: Any) -> Any:
    if hasattr(obj, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in obj.__dict__.items()}
    if isinstance(obj, (tuple, list)):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj
