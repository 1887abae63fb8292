"""Fact extraction from one parsed module: one read-only walk, no metadata providers.

Names are qualified through the module's own imports (``import pandas as pd``), which is all a
data-dependency fact needs; libcst's scope and qualified-name providers would cost several
parses more. Positions come from ``mldebt.parse.positions``, only for the nodes kept.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from mldebt.catalogs import ApiEntry, Catalog
from mldebt.catalogs.models import ModelCatalog
from mldebt.parse import values as v
from mldebt.parse.facts import ARGV_MODULE, Value
from mldebt.parse.sql import looks_like_sql

# `load_dataset("csv", data_files=...)`: the builder names whose data comes from data_files.
_DATASET_BUILDERS = {"csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "webdataset"}
_PATH_CONSTRUCTORS = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath", "pathlib.WindowsPath", "upath.UPath"}
_IDENTITY_FUNCTIONS = {"str", "os.fspath", "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.path.expanduser", "os.path.expandvars", "os.path.join"}
_IDENTITY_METHODS = {"resolve", "absolute", "expanduser", "as_posix", "strip", "rstrip", "lstrip"}
# Names that hold lists of feature columns, by convention.
_COLUMN_LIST_NAME = re.compile(r"feature|column|(^|_)cols?($|_)|predictor|covariate", re.IGNORECASE)
# Keyword arguments that name columns: pandas, polars, Spark ML, LightGBM, CatBoost, sklearn.
_COLUMN_KEYWORDS = frozenset({
    "columns", "usecols", "subset", "features", "feature_names", "feature_cols", "feature_columns", "inputCols",
    "inputCol", "input_cols", "featuresCol", "categorical_feature", "categorical_features", "cat_features",
    "numeric_features", "text_features",
})
_COLUMN_TRANSFORMERS = ("ColumnTransformer", "make_column_transformer")
# Parameter names that, by convention, hold parsed command-line arguments (`def main(args):`).
_CONVENTIONAL_ARGS = ("args", "opt", "opts", "flags", "FLAGS", "arguments")
# Libraries whose reads return a data frame, whose string subscripts are columns.
_FRAME_LIBRARIES = ("pandas.", "polars.", "dask.", "modin.", "geopandas.", "pyspark.", "cudf.", "vaex.")
_MAX_SNIPPET = 200
# `load_iris`, `fetch_covtype`: the dataset a library loader is named after.
_LOADER_VERB = re.compile(r"^(?:load|fetch)_")
# open()'s modes: letters from r, w, a, x, b, t, + and the old U.
_OPEN_MODE = re.compile(r"[rwaxbtU+]{1,4}")


@dataclass
class RawAccess:
    api: str
    direction: str
    interpret: str
    value: Value
    call_index: int
    scope: str
    snippet: str
    handle: bool = False
    consumed: bool = False
    weak: bool = False
    cwd: str = ""


@dataclass
class RawModel:
    kind: str
    api: str
    variable: str
    call_index: int
    scope: str
    hyperparameters: int = 0


@dataclass
class RawColumn:
    name: str
    scope: str
    via: str  # how the code names it: "subscript", "keyword:usecols", "list:FEATURES", ...


@dataclass
class RawPipeline:
    kind: str
    name: str
    call_index: int
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    function: str = ""
    # For a decorated DAG function, the definition that carries the position.
    def_index: int = -1


@dataclass
class RawDefinition:
    kind: str
    qualname: str
    def_index: int
    complexity: int = 1
    bases: tuple[str, ...] = ()


@dataclass
class Scope:
    kind: str  # "module" | "class" | "function"
    qualname: str
    assigns: dict[str, list[Value]] = field(default_factory=dict)
    handles: dict[str, RawAccess] = field(default_factory=dict)
    accesses: list[RawAccess] = field(default_factory=list)
    definition: RawDefinition | None = None
    trained: bool = False
    parent: Scope | None = None

    def assign(self, name: str, value: Value) -> None:
        self.assigns.setdefault(name, []).append(value)


@dataclass
class RawImport:
    module: str
    name: str | None
    alias: str


class FactVisitor:
    """Collects raw facts during one ``mldebt.parse.walk``; ``mldebt.parse.analyze`` turns
    them into FileFacts."""

    def __init__(self, catalog: Catalog, models: ModelCatalog, module: str, path: str, is_package: bool) -> None:
        self.catalog = catalog
        self.models = models
        self.module = module
        self.path = path
        self.package = module if is_package else module.rpartition(".")[0]
        # Local name -> qualified name, from imports (and `x = pd` style aliases of modules).
        self.aliases: dict[str, str] = {}
        self.imports: list[RawImport] = []
        self.scopes: list[Scope] = [Scope("module", "")]
        self.closed: list[Scope] = []
        self.models_found: list[RawModel] = []
        self.pipelines: list[RawPipeline] = []
        self.definitions: list[RawDefinition] = []
        self.call_count = 0
        self.def_count = 0
        self.consumed_calls: set[int] = set()
        self.call_ids: dict[int, int] = {}
        self.model_classes: set[str] = set()
        self.has_main = False
        # Where module-level os.chdir calls have moved so far, relative to the starting directory.
        self.cwd = ""
        # Module-level functions: name -> (their scope, positional parameter names, defaults);
        # and every call of a plain name: name -> [(arguments, the caller's scope)].
        self._functions: dict[str, tuple[Scope, list[str], dict[str, Value]]] = {}
        self._name_calls: dict[str, list[tuple[Sequence[cst.Arg], Scope]]] = {}
        # Plain names called by module-level code (`train(epoch)` in a top-level loop).
        self.module_calls: set[str] = set()
        self.trainer_variables: set[str] = set()
        # id(open-like call) -> the name it is bound to (`with open(p) as f`, `f = open(p)`).
        self._handle_targets: dict[int, str] = {}
        self.columns: list[RawColumn] = []
        # argparse: each option's dest -> ["o", [its flags, or "#N" for the Nth positional],
        # its default]; the names that hold parsed arguments; the functions returning them.
        self._options: dict[str, Value] = {}
        self._positionals = 0
        self._args_names: set[str] = set(_CONVENTIONAL_ARGS)
        self._args_functions: set[str] = set()
        # Names bound to a list or tuple of string literals (`FEATURES = ["age", "income"]`).
        self._string_lists: dict[str, tuple[str, ...]] = {}
        # Names bound to a data frame read from somewhere (`df = pd.read_csv(...)`).
        self._frames: set[str] = set()

    # ----- scopes -------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def _qualname(self, name: str) -> str:
        outer = self.scope.qualname
        return f"{outer}.{name}" if outer else name

    def _complexity_point(self, points: int = 1) -> None:
        for scope in reversed(self.scopes):
            if scope.definition is not None and scope.kind == "function":
                scope.definition.complexity += points
                return

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        qualname = self._qualname(node.name.value)
        self.scope.assign(node.name.value, v.DYNAMIC)
        definition = RawDefinition("function", qualname, self.def_count)
        self.def_count += 1
        self.definitions.append(definition)
        scope = Scope("function", qualname, definition=definition, parent=self.scope)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.assign(param.name.value, v.DYNAMIC)
        if self.scope.kind == "module":
            positional = [p.name.value for p in (*params.posonly_params, *params.params)]
            defaults = {
                p.name.value: self.value_of(p.default)
                for p in (*params.posonly_params, *params.params, *params.kwonly_params)
                if p.default is not None
            }
            self._functions[node.name.value] = (scope, positional, defaults)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.assign(star.name.value, v.DYNAMIC)
        self.scopes.append(scope)
        if any(self._decorator_name(d) in self.models.airflow_dags for d in node.decorators):
            self.pipelines.append(
                RawPipeline("airflow-dag", node.name.value, -1, function=qualname, def_index=definition.def_index)
            )

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.closed.append(self.scopes.pop())

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        qualname = self._qualname(node.name.value)
        self.scope.assign(node.name.value, v.DYNAMIC)
        bases = tuple(self.qualify(arg.value) or "" for arg in node.bases if arg.keyword is None)
        definition = RawDefinition("class", qualname, self.def_count, bases=tuple(b for b in bases if b))
        self.def_count += 1
        self.definitions.append(definition)
        if any(b in self.models.model_bases or b in self.model_classes for b in bases):
            self.model_classes.add(node.name.value)
            self.model_classes.add(qualname)
        self.scopes.append(Scope("class", qualname, definition=definition, parent=self.scope))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        scope = self.scopes.pop()
        self.closed.append(scope)
        if len(self.scopes) == 1:
            # Class attributes become module names (`Paths.DATA`), resolved in the class body
            # first, where their siblings (`ROOT / "data"`) are visible.
            for name, assigned in scope.assigns.items():
                resolved = [resolve_locals(value, scope) for value in assigned]
                self.scope.assigns.setdefault(f"{scope.qualname}.{name}", []).extend(resolved)

    # ----- complexity ---------------------------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        self._complexity_point()
        if len(self.scopes) == 1 and _is_main_guard(node.test):
            self.has_main = True

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._complexity_point()

    def visit_For(self, node: cst.For) -> None:
        self._complexity_point()
        only = _only_element(node.iter)
        if only is not None and isinstance(node.target, cst.Name):
            # `for path in ["data/a.csv"]:` takes that one value.
            self.scope.assign(node.target.value, self.value_of(only))
        else:
            self._bind_dynamic(node.target)

    def visit_While(self, node: cst.While) -> None:
        self._complexity_point()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._complexity_point()

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        self._complexity_point()

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._complexity_point()

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._complexity_point(1 + len(node.ifs))

    def visit_MatchCase(self, node: cst.MatchCase) -> None:
        self._complexity_point()

    # ----- imports and assignments ----------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self.aliases[local] = full
            else:
                local = full.split(".")[0]
                self.aliases[local] = local
            self.scope.assign(local, v.DYNAMIC)
            self.imports.append(RawImport(full, None, local))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = _dotted(node.module) if node.module is not None else ""
        if base is None:
            return
        level = len(node.relative)
        if level:
            package = self.package.split(".") if self.package else []
            anchor = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
            base = ".".join([*anchor, base] if base else anchor)
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(RawImport(base, "*", "*"))
            return
        for alias in node.names:
            name = _dotted(alias.name)
            if name is None:
                continue
            local = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else name
            )
            qualified = f"{base}.{name}" if base else name
            self.aliases[local] = qualified
            # An imported name's value is whatever that module binds: resolved globally later.
            self.scope.assign(local, ["r", base, name])
            self.imports.append(RawImport(base, name, local))

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._handle_targets[id(node.value)] = node.targets[0].target.value
        value = self.value_of(node.value)
        parsed = self._parses_arguments(node.value)
        for target in node.targets:
            self._bind(target.target, value, node.value)
            if isinstance(target.target, cst.Name):
                self._note_string_list(target.target.value, node.value)
                if parsed:
                    self._args_names.add(target.target.value)
            elif parsed and isinstance(target.target, cst.Tuple) and target.target.elements:
                # `args, unknown = parser.parse_known_args()`
                first = target.target.elements[0].value
                if isinstance(first, cst.Name):
                    self._args_names.add(first.value)

    # ----- parameters ---------------------------------------------------------------------

    def bind_parameters(self) -> None:
        """In a script or notebook, give a parameter of a module-level function the value that
        every call of it in this module passes (`load("data/a.csv")` for `def load(path)`).
        Called once the walk is over; a library module's callers are elsewhere, so it is
        left alone (see FileFacts.has_main and runs_own_code)."""
        for name, (scope, positional, defaults) in self._functions.items():
            calls = self._name_calls.get(name)
            if not calls:
                continue
            # Each call's arguments by position and by keyword; None for one that unpacks *args.
            given_by_call: list[tuple[dict[str | int, Value] | None, Scope]] = [
                (
                    None if any(arg.star for arg in args) else {
                        arg.keyword.value if arg.keyword is not None else position: self.value_of(arg.value)
                        for position, arg in enumerate(args)
                    },
                    caller,
                )
                for args, caller in calls
            ]
            positions = {name: position for position, name in enumerate(positional)}
            for parameter in {*positional, *defaults}:
                index = positions.get(parameter, -1)
                seen = set()
                value: Value = v.DYNAMIC
                for given, caller in given_by_call:
                    if given is None:
                        seen.add("*")
                        continue
                    raw = given.get(parameter, given.get(index, defaults.get(parameter, v.DYNAMIC)))
                    value = resolve_locals(raw, caller) if caller is not scope else v.DYNAMIC
                    seen.add(repr(value))
                if len(seen) == 1 and not v.is_dynamic(value) and scope.assigns.get(parameter) == [v.DYNAMIC]:
                    scope.assigns[parameter] = [value]

    # ----- argparse -----------------------------------------------------------------------

    def _parses_arguments(self, node: cst.BaseExpression) -> bool:
        """`parser.parse_args()`, `parser.parse_known_args()`, or a call of a function of
        this module that returns the former."""
        if isinstance(node, cst.Subscript):
            node = node.value
        if not isinstance(node, cst.Call):
            return False
        if isinstance(node.func, cst.Attribute):
            return node.func.attr.value in ("parse_args", "parse_known_args")
        return isinstance(node.func, cst.Name) and node.func.value in self._args_functions

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self._parses_arguments(node.value) and self.scope.kind == "function":
            self._args_functions.add(self.scope.qualname.rpartition(".")[2])

    def _add_argument(self, node: cst.Call) -> None:
        flags = []
        for arg in node.args:
            if arg.keyword is not None or not isinstance(arg.value, cst.SimpleString):
                break
            text = _evaluated(arg.value)
            if isinstance(text, str):
                flags.append(text)
        if not flags:
            return
        dest_arg = _argument(node, None, ("dest",))
        dest_text = _evaluated(dest_arg) if isinstance(dest_arg, cst.SimpleString) else None
        if flags[0].startswith("-"):
            longest = next((f for f in flags if f.startswith("--")), flags[0])
            dest = dest_text if isinstance(dest_text, str) else longest.lstrip("-").replace("-", "_")
            keys = flags
        else:
            dest = flags[0]
            keys = [f"#{self._positionals}"]
            self._positionals += 1
        default = _argument(node, None, ("default",))
        self._options[dest] = ["o", keys, self.value_of(default) if default is not None else v.DYNAMIC]

    # ----- columns ------------------------------------------------------------------------

    def _note_string_list(self, name: str, value: cst.BaseExpression) -> None:
        strings = self._column_names(value)
        if strings is None:
            self._string_lists.pop(name, None)
            return
        self._string_lists[name] = strings
        if _COLUMN_LIST_NAME.search(name):
            self._columns(strings, f"list:{name}")

    def _columns(self, names: Iterable[str], via: str) -> None:
        scope = self.scope.qualname
        self.columns.extend(RawColumn(name, scope, via) for name in names if name)

    def _column_names(self, node: cst.BaseExpression) -> tuple[str, ...] | None:
        """The column names an expression lists: a literal list or tuple of strings, or a
        name bound to one."""
        if isinstance(node, cst.Name):
            return self._string_lists.get(node.value)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            # `NUMERIC + CATEGORICAL`
            left, right = self._column_names(node.left), self._column_names(node.right)
            return None if left is None or right is None else left + right
        return _string_list(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        frame = _dotted(node.value)
        for element in node.slice:
            index = element.slice
            if not isinstance(index, cst.Index):
                continue
            names = self._column_names(index.value)
            if names is not None:
                # `df[["age", "income"]]`, `df.loc[:, FEATURES]`: a dict is never indexed by a list.
                self._columns(names, "subscript")
            elif frame in self._frames and isinstance(index.value, cst.SimpleString):
                text = _evaluated(index.value)
                if isinstance(text, str):
                    self._columns((text,), "subscript")

    def _column_arguments(self, node: cst.Call, qualified: str | None) -> None:
        # `df.drop(columns=["id"])` names the columns that are *not* used.
        dropped = isinstance(node.func, cst.Attribute) and node.func.attr.value == "drop"
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword in _COLUMN_KEYWORDS:
                names = self._column_names(arg.value)
                if names is None and isinstance(arg.value, cst.SimpleString):
                    text = _evaluated(arg.value)
                    names = (text,) if isinstance(text, str) else None
                if names is not None:
                    self._columns(names, f"{'drop' if dropped else 'keyword'}:{keyword}")
            elif qualified is not None and qualified.endswith(_COLUMN_TRANSFORMERS):
                # ("scale", StandardScaler(), ["age", "income"]) in a list of transformers.
                for part in _tuples_in(arg.value):
                    for element in part.elements:
                        names = self._column_names(element.value)
                        if names is not None:
                            self._columns(names, f"transformer:{qualified.rpartition('.')[2]}")

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, self.value_of(node.value), node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_dynamic(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, self.value_of(node.value), node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, v.DYNAMIC, node.item)

    def _bind(self, target: cst.BaseExpression, value: Value, source: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            self.scope.assign(name, value)
            if isinstance(source, cst.Dict) and len(self.scopes) == 1:
                self._bind_dict(name, source)
            qualified = self.qualify(source) if isinstance(source, (cst.Name, cst.Attribute)) else None
            if qualified and qualified in self.aliases.values() and "." not in qualified:
                self.aliases[name] = qualified
            if isinstance(source, cst.Call):
                self._note_constructed(name, source)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value in ("self", "cls"):
            return
        else:
            self._bind_dynamic(target)

    def _bind_dict(self, name: str, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = _evaluated(element.key)
                if isinstance(key, str):
                    self.scope.assign(f"{name}[{key}]", self.value_of(element.value))

    def _bind_dynamic(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.scope.assign(target.value, v.DYNAMIC)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_dynamic(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_dynamic(target.value)

    def _note_constructed(self, name: str, call: cst.Call) -> None:
        qualified = self.qualify(call.func) or ""
        if qualified in ("transformers.Trainer", "transformers.Seq2SeqTrainer") or qualified.endswith("Trainer"):
            self.trainer_variables.add(name)

    # ----- names and values ----------------------------------------------------------------

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The dotted name an expression refers to, through imports: `pd.read_csv` ->
        `pandas.read_csv`; local names stay as they are; None for anything else."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            base = self.aliases[head]
            return f"{base}.{rest}" if rest else base
        return dotted

    def value_of(self, node: cst.BaseExpression, depth: int = 0) -> Value:
        """The symbolic value of an expression that may build a path or URI."""
        if depth > 12:
            return v.DYNAMIC
        if isinstance(node, cst.SimpleString):
            text = _evaluated(node)
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            return v.literal(text) if isinstance(text, str) else v.DYNAMIC
        if isinstance(node, cst.ConcatenatedString):
            return v.concat([self.value_of(node.left, depth + 1), self.value_of(node.right, depth + 1)])
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, depth)
        if isinstance(node, cst.Name):
            if node.value == "__file__":
                return v.source_file(self.path)
            return ["n", node.value]
        if isinstance(node, cst.Attribute):
            return self._attribute(node, depth)
        if isinstance(node, cst.BinaryOperation):
            left = self.value_of(node.left, depth + 1)
            right = self.value_of(node.right, depth + 1)
            if isinstance(node.operator, cst.Add):
                return v.concat([left, right])
            if isinstance(node.operator, cst.Divide):
                return v.join([left, right])
            return v.DYNAMIC
        if isinstance(node, cst.Call):
            return self._call_value(node, depth)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, depth)
        return v.DYNAMIC

    def _fstring(self, node: cst.FormattedString, depth: int) -> Value:
        parts: list[Value] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(v.literal(part.value.replace("{{", "{").replace("}}", "}")))
            elif isinstance(part, cst.FormattedStringExpression) and part.format_spec is None:
                parts.append(self.value_of(part.expression, depth + 1))
            else:
                return v.DYNAMIC
        return v.concat(parts)

    def _attribute(self, node: cst.Attribute, depth: int) -> Value:
        if node.attr.value == "parent":
            return v.parent(self.value_of(node.value, depth + 1))
        dotted = _dotted(node)
        if dotted is None:
            return v.DYNAMIC
        head, _, rest = dotted.partition(".")
        if head in self._args_names and rest in self._options:
            # `args.data` of `parser.add_argument("--data", default=...)`: the command that
            # runs the script decides, else the default.
            return self._options[rest]
        if head in self.aliases:
            # `cfg.DATA_DIR` after `import cfg`, or `Config.DATA` after `from config import Config`:
            # the resolver decides whether the owner is a module or a class in one.
            owner, _, name = f"{self.aliases[head]}.{rest}".rpartition(".")
            return ["r", owner, name]
        # `Config.DATA_DIR` on a class of this module is one of our module-level names.
        return ["n", dotted]

    def _subscript(self, node: cst.Subscript, depth: int) -> Value:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return v.DYNAMIC
        index = node.slice[0].slice.value
        if isinstance(index, cst.Integer) and self.qualify(node.value) == "sys.argv":
            # Known only for a script a pipeline manifest runs with literal arguments.
            return ["r", ARGV_MODULE, index.value]
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents":
            number = _evaluated(index) if isinstance(index, cst.Integer) else None
            # `parents[10**6]` would climb a million `..`; no real path is a tenth that deep.
            if isinstance(number, int) and number < v.MAX_DEPTH:
                return v.parent(self.value_of(node.value.value, depth + 1), number + 1)
            return v.DYNAMIC
        only = _only_element(node.value)
        if only is not None and isinstance(index, cst.Integer) and _evaluated(index) == 0:
            return self.value_of(only, depth + 1)
        if isinstance(node.value, cst.Name) and isinstance(index, cst.SimpleString):
            key = _evaluated(index)
            if isinstance(key, str):
                return ["n", f"{node.value.value}[{key}]"]
        return v.DYNAMIC

    def _call_value(self, node: cst.Call, depth: int) -> Value:
        qualified = self.qualify(node.func)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if qualified in _PATH_CONSTRUCTORS or qualified in ("Path", "PurePath"):
            return v.join([self.value_of(a, depth + 1) for a in positional])
        if qualified == "os.path.join" or qualified == "posixpath.join":
            return v.join([self.value_of(a, depth + 1) for a in positional])
        if qualified == "os.path.dirname":
            return v.parent(self.value_of(positional[0], depth + 1)) if positional else v.DYNAMIC
        if qualified in _IDENTITY_FUNCTIONS and len(positional) == 1:
            return self.value_of(positional[0], depth + 1)
        if qualified in ("os.getcwd", "pathlib.Path.cwd", "Path.cwd"):
            return v.literal("")
        if qualified in ("pathlib.Path.home", "Path.home"):
            return ["h"]
        if qualified in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            default = _argument(node, 1, ("default",))
            return self.value_of(default, depth + 1) if default is not None else v.DYNAMIC
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in _IDENTITY_METHODS and not node.args:
                return self.value_of(node.func.value, depth + 1)
            if method == "joinpath":
                return v.join([self.value_of(node.func.value, depth + 1), *(self.value_of(a, depth + 1) for a in positional)])
            if method == "format" and isinstance(node.func.value, cst.SimpleString):
                return self._format(node.func.value, node, depth)
        return v.DYNAMIC

    def _format(self, template: cst.SimpleString, node: cst.Call, depth: int) -> Value:
        text = _evaluated(template)
        if not isinstance(text, str):
            return v.DYNAMIC
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        parts: list[Value] = []
        auto = 0
        pieces = text.replace("{{", "\x00").replace("}}", "\x01").split("{")
        parts.append(v.literal(pieces[0]))
        for piece in pieces[1:]:
            field_name, sep, rest = piece.partition("}")
            if not sep or ":" in field_name or "!" in field_name:
                return v.DYNAMIC
            if field_name == "":
                arg = positional[auto] if auto < len(positional) else None
                auto += 1
            elif field_name.isdigit():
                index = int(field_name)
                arg = positional[index] if index < len(positional) else None
            else:
                arg = keywords.get(field_name)
            if arg is None:
                return v.DYNAMIC
            parts += [self.value_of(arg, depth + 1), v.literal(rest)]
        return _unescape_braces(v.concat(parts))

    # ----- calls --------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        index = self.call_count
        self.call_count += 1
        if id(node) in self.consumed_calls:
            return
        qualified = self.qualify(node.func)
        self._column_arguments(node, qualified)
        if isinstance(node.func, cst.Name):
            # Evaluated in bind_parameters, for the functions this module turns out to define.
            self._name_calls.setdefault(node.func.value, []).append((node.args, self.scope))
            if self.scope.kind == "module":
                self.module_calls.add(node.func.value)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_argument":
            self._add_argument(node)
        if qualified == "os.chdir" and self.scope.kind == "module" and node.args:
            # A notebook's `os.chdir("..")` in its first cell moves every later relative path.
            target = self.value_of(node.args[0].value)
            if target[0] == "s":
                self.cwd = posixpath.normpath(posixpath.join(self.cwd, target[1])) if target[1] else self.cwd
        if qualified is not None:
            hit = self.catalog.function(qualified)
            if hit is not None:
                self._data_call(node, index, hit[0], hit[1])
                self._model_call(node, index, qualified)
                return
            self._model_call(node, index, qualified)
            if self._pipeline_call(node, index, qualified):
                return
        else:
            # `scaler.scale(loss).backward()`: a method on an expression.
            self._model_call(node, index, "")
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            for entry in self.catalog.methods_named(method):
                if self._method_applies(node.func, entry):
                    receiver = _dotted(node.func.value)
                    api = f"{receiver or '<expr>'}.{method}" if receiver and len(receiver) < 40 else f".{method}"
                    if self._data_call(node, index, api, entry):
                        break

    def _method_applies(self, func: cst.Attribute, entry: ApiEntry) -> bool:
        if entry.after and not (set(_chain_names(func.value)) & set(entry.after)):
            return False
        if entry.receivers:
            root = _chain_root(func.value)
            return root in entry.receivers
        return True

    def _direction(self, node: cst.Call, entry: ApiEntry) -> str | None:
        """Whether the call reads or writes; None when it is not the API after all."""
        if entry.direction != "mode":
            return entry.direction
        mode = _argument(node, entry.mode_arg, (entry.mode_keyword,) if entry.mode_keyword else ())
        mode_value = self.value_of(mode) if mode is not None else v.literal(entry.default_mode)
        if mode_value[0] == "s" and not entry.write_modes and not _OPEN_MODE.fullmatch(mode_value[1]):
            # `zf.open("member.csv")`, `mkdocs_gen_files.open("page.md", "w")`: where the
            # mode goes is a name, so this is no open() of a path.
            return None
        mode_text = mode_value[1] if mode_value[0] == "s" else "r"
        writes = mode_text in entry.write_modes if entry.write_modes else any(c in mode_text for c in "wax")
        return "write" if writes else "read"

    def _inner_method(self, call: cst.Call) -> tuple[ApiEntry, Value] | None:
        """The catalog method a call in another call's argument is, with its target: the
        `Path(p).open()` of `json.load(Path(p).open())`."""
        if not isinstance(call.func, cst.Attribute):
            return None
        for entry in self.catalog.methods_named(call.func.attr.value):
            if entry.direction != "none" and self._method_applies(call.func, entry) and self._direction(call, entry):
                if entry.target == "receiver":
                    return entry, self.value_of(call.func.value)
                arg = _argument(call, entry.arg, entry.keywords)
                return entry, self.value_of(arg) if arg is not None else v.DYNAMIC
        return None

    def _data_call(self, node: cst.Call, index: int, api: str, entry: ApiEntry) -> bool:
        if entry.direction == "none":
            return True
        direction = self._direction(node, entry)
        if direction is None:
            return False
        if entry.target == "receiver":
            assert isinstance(node.func, cst.Attribute)
            value = self.value_of(node.func.value)
            self._record(node, index, api, direction, "path", value, handle=entry.handle)
            return True
        if entry.target == "dataset":
            return self._dataset_call(node, index, api)
        if entry.target == "named":
            self._record(node, index, api, direction, "path", self._named_value(node, api, entry))
            return True
        if entry.target == "object":
            self._object_call(node, index, api, direction, entry)
            return True
        arg = _argument(node, entry.arg, entry.keywords)
        # `TFRecordDataset(["data/a.tfrecord"])`: a list of one path is that path.
        arg = _only_element(arg) or arg
        if arg is None:
            # A catalog call whose target we can't see (e.g. `df.to_csv()` returning text).
            return entry.target != "sql"
        if isinstance(arg, cst.Name):
            handle = self._handle(arg.value)
            if handle is not None and not entry.handle:
                handle.consumed = True
                self._record(node, index, api, direction, handle.interpret, handle.value)
                return True
        if isinstance(arg, cst.Call):
            inner = self.qualify(arg.func)
            inner_hit = self.catalog.function(inner) if inner else None
            if inner_hit is not None and inner_hit[1].handle:
                self.consumed_calls.add(id(arg))
                inner_arg = _argument(arg, inner_hit[1].arg, inner_hit[1].keywords)
                value = self.value_of(inner_arg) if inner_arg is not None else v.DYNAMIC
                self._record(node, index, api, direction, "path", value)
                return True
            method = self._inner_method(arg) if inner_hit is None else None
            if method is not None:
                # One access, listed once: the handle `Path(p).open()` opens is what the outer
                # call reads; the text `Path(p).read_text()` returns is no file, and that
                # call is the access.
                if method[0].handle:
                    self.consumed_calls.add(id(arg))
                    self._record(node, index, api, direction, "path", method[1])
                return True
        value = self.value_of(arg)
        if entry.target == "sql":
            resolved = value[1] if value[0] == "s" else None
            if resolved is None or not looks_like_sql(resolved):
                # `.execute(x)` and `.query(x)` are too common to count when x is not SQL.
                return False
        if entry.default_suffix:
            value = v.with_suffix(value, entry.default_suffix)
        self._record(node, index, api, direction, entry.target, value, handle=entry.handle, weak=entry.requires_suffix)
        self._second_paths(node, index, api, entry, positional=True)
        return True

    def _second_paths(self, node: cst.Call, index: int, api: str, entry: ApiEntry, positional: bool) -> None:
        """The local file a download writes or an upload reads, besides the call's target."""
        for direction, position, keywords in (
            ("write", entry.writes_arg, entry.writes_keywords), ("read", entry.reads_arg, entry.reads_keywords),
        ):
            if position is None and not keywords:
                continue
            other = _argument(node, position if positional else None, keywords)
            if other is not None:
                self._record(node, index, api, direction, "path", self.value_of(other))

    def _named_value(self, node: cst.Call, api: str, entry: ApiEntry) -> Value:
        """A dataset, model or artifact a hub, library or registry knows by name, as a URI
        (`openml://titanic`, `models:/churn`); dynamic when the name is not known statically,
        and when the call does not give it (a run's own artifact)."""
        if entry.name_segment is not None:
            segments = api.split(".")
            segment = segments[entry.name_segment] if -len(segments) <= entry.name_segment < len(segments) else ""
            name = v.literal(_LOADER_VERB.sub("", segment)) if segment else v.DYNAMIC
        else:
            arg = _argument(node, entry.arg, entry.keywords)
            # An id (`fetch_openml(data_id=40945)`) names the dataset as well as a name does.
            name = v.literal(arg.value) if isinstance(arg, cst.Integer) else self.value_of(arg) if arg is not None else v.DYNAMIC
        prefix = v.literal(entry.prefix)
        if entry.prefix_keyword:
            kind = _argument(node, None, (entry.prefix_keyword,))
            prefix = v.concat([prefix, self.value_of(kind) if kind is not None else v.literal("model"), v.literal("s/")])
        return v.concat([prefix, name])

    def _object_call(self, node: cst.Call, index: int, api: str, direction: str, entry: ApiEntry) -> None:
        """An object store's bucket and key (boto3's `download_file(Bucket, Key, Filename)`) as
        one URI. Positions count only when the call gives them all: boto3's resource forms
        (`bucket.download_file(Key, Filename)`) take fewer, in other places."""
        named = [p for p in (entry.bucket_arg, entry.arg, entry.writes_arg, entry.reads_arg) if p is not None]
        given = sum(1 for a in node.args if a.keyword is None and not a.star)
        positional = given > max(named, default=-1)
        bucket = _argument(node, entry.bucket_arg if positional else None, entry.bucket_keywords)
        key = _argument(node, entry.arg if positional else None, entry.keywords)
        value = (
            v.concat([v.literal(entry.prefix), self.value_of(bucket), v.literal("/"), self.value_of(key)])
            if bucket is not None and key is not None
            else v.DYNAMIC
        )
        self._record(node, index, api, direction, "path", value)
        self._second_paths(node, index, api, entry, positional)

    def visit_With(self, node: cst.With) -> None:
        # `with open(p) as f:` binds a handle that later calls (json.load(f)) consume.
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name) and isinstance(item.item, cst.Call):
                self._handle_targets[id(item.item)] = item.asname.name.value

    def _handle(self, name: str) -> RawAccess | None:
        for scope in reversed(self.scopes):
            if name in scope.handles:
                return scope.handles[name]
            if scope.kind == "function":
                break
        return None

    def _dataset_call(self, node: cst.Call, index: int, api: str) -> bool:
        name_arg = _argument(node, 0, ("path",))
        name = self.value_of(name_arg) if name_arg is not None else v.DYNAMIC
        if name[0] == "s" and name[1] in _DATASET_BUILDERS:
            files = _argument(node, 2, ("data_files",)) or _argument(node, -1, ("data_dir",))
            for element in _string_elements(files):
                self._record(node, index, api, "read", "path", self.value_of(element))
            return True
        self._record(node, index, api, "read", "dataset", name)
        return True

    def _record(
        self, node: cst.Call, index: int, api: str, direction: str, interpret: str, value: Value,
        handle: bool = False, weak: bool = False,
    ) -> None:
        access = RawAccess(
            api, direction, interpret, value, index, self.scope.qualname, _snippet(node), weak=weak, cwd=self.cwd
        )
        handle_name = self._handle_targets.pop(id(node), None)
        if handle and handle_name is not None:
            access.handle = True
            self.scope.handles[handle_name] = access
        elif handle_name is not None and direction == "read" and _reads_a_frame(api):
            self._frames.add(handle_name)
        self.scope.accesses.append(access)

    # ----- models and pipelines -------------------------------------------------------------

    def _model_call(self, node: cst.Call, index: int, qualified: str) -> None:
        models = self.models
        scope = self.scope.qualname
        if models.is_estimator(qualified) or qualified in self.model_classes:
            keywords = sum(1 for a in node.args if a.keyword is not None)
            self.models_found.append(RawModel("construct", qualified, "", index, scope, keywords))
        elif qualified in models.train_functions:
            self.models_found.append(RawModel("fit", qualified, "", index, scope))
        elif isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            receiver = _dotted(node.func.value) or ""
            if method in models.fit_methods and node.args:
                self.models_found.append(RawModel("fit", method, receiver, index, scope))
            elif method == "train" and receiver in self.trainer_variables:
                self.models_found.append(RawModel("fit", "train", receiver, index, scope))
            elif method == "backward" and not self.scope.trained:
                self.scope.trained = True
                self.models_found.append(RawModel("train-loop", "backward", receiver, index, scope))
            elif method == "from_pretrained" and qualified.startswith("transformers."):
                self.models_found.append(RawModel("construct", qualified, "", index, scope))

    def _pipeline_call(self, node: cst.Call, index: int, qualified: str) -> bool:
        models = self.models
        if qualified in models.airflow_dags:
            dag_id = _argument(node, 0, ("dag_id",))
            name = self.value_of(dag_id) if dag_id is not None else v.DYNAMIC
            self.pipelines.append(RawPipeline("airflow-dag", name[1] if name[0] == "s" else "", index))
            return True
        if qualified in models.kedro_nodes:
            func = _argument(node, 0, ("func",))
            label = _argument(node, 3, ("name",))
            label_value = self.value_of(label) if label is not None else v.DYNAMIC
            self.pipelines.append(
                RawPipeline(
                    "kedro-node",
                    label_value[1] if label_value[0] == "s" else (_dotted(func) or "") if func else "",
                    index,
                    inputs=tuple(_names(_argument(node, 1, ("inputs",)))),
                    outputs=tuple(_names(_argument(node, 2, ("outputs",)))),
                    function=self.qualify(func) or "" if func is not None else "",
                )
            )
            return True
        if qualified in models.kedro_pipelines:
            self.pipelines.append(RawPipeline("kedro-pipeline", self.scope.qualname or self.module, index))
            return True
        return False

    def _decorator_name(self, decorator: cst.Decorator) -> str:
        target = decorator.decorator
        if isinstance(target, cst.Call):
            target = target.func
        return self.qualify(target) or ""


def _reads_a_frame(api: str) -> bool:
    return api.startswith(_FRAME_LIBRARIES) or ".read_" in api or api.startswith("spark.")


def _string_list(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The strings of a non-empty list or tuple made only of string literals, else None."""
    if not isinstance(node, (cst.List, cst.Tuple)) or not node.elements:
        return None
    strings = []
    for element in node.elements:
        value = element.value
        text = _evaluated(value) if isinstance(value, cst.SimpleString) else None
        if not isinstance(text, str):
            return None
        strings.append(text)
    return tuple(strings)


def _evaluated(node: cst.SimpleString | cst.Integer) -> str | bytes | int | None:
    """What a literal evaluates to, None for one that does not evaluate.

    libcst parses some files CPython rejects (syntax newer than this Python), and with them
    literals CPython's compiler refuses: `"\\N{NO SUCH NAME}"`, `b"é"`, an integer of 5,000
    digits. Evaluating those raises.
    """
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError):
        return None


def _tuples_in(node: cst.BaseExpression) -> Iterator[cst.Tuple]:
    """The tuples of a list or tuple of tuples (ColumnTransformer's transformers)."""
    if isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            if isinstance(element.value, cst.Tuple):
                yield element.value
    if isinstance(node, cst.Tuple):
        yield node


def resolve_locals(value: Value, scope: Scope) -> Value:
    """Replace this module's names (["n", name]) by what they are bound to, as Python scoping
    would find them; a name bound more than once, or not at all, is dynamic.

    So is a name whose definition goes through more than MAX_DEPTH other names: a chain of
    249 constants overflowed the interpreter's stack. Each name is resolved once per call,
    so that `A2 = A1 + A1` chains cost their length, not two to its power.
    """
    return _resolve(value, scope, {}, 0)


def _resolve(value: Value, scope: Scope, resolved: dict[tuple[int, str], Value], depth: int) -> Value:
    tag = value[0]
    if tag == "n":
        return _lookup(value[1], scope, resolved, depth)
    if tag in ("c", "j"):
        parts = [_resolve(p, scope, resolved, depth) for p in value[1]]
        return v.concat(parts) if tag == "c" else v.join(parts)
    if tag == "P":
        return v.parent(_resolve(value[1], scope, resolved, depth))
    if tag == "x":
        return v.with_suffix(_resolve(value[1], scope, resolved, depth), value[2])
    if tag == "o":
        return ["o", value[1], _resolve(value[2], scope, resolved, depth)]
    return value


def _lookup(name: str, scope: Scope, resolved: dict[tuple[int, str], Value], depth: int) -> Value:
    current: Scope | None = scope
    first = True
    while current is not None:
        # Class bodies are not enclosing scopes for the functions inside them.
        if (first or current.kind != "class") and name in current.assigns:
            key = (id(current), name)
            if key not in resolved:
                assigned = current.assigns[name]
                # Dynamic while it resolves: reached again, the name is part of a cycle.
                resolved[key] = v.DYNAMIC
                if len(assigned) == 1 and depth < v.MAX_DEPTH:
                    resolved[key] = _resolve(assigned[0], current, resolved, depth + 1)
            return resolved[key]
        first = False
        current = current.parent
    return v.DYNAMIC


def _unescape_braces(value: Value) -> Value:
    if value[0] == "s":
        return v.literal(value[1].replace("\x00", "{").replace("\x01", "}"))
    if value[0] == "c":
        return ["c", [_unescape_braces(p) for p in value[1]]]
    return value


def _dotted(node: cst.BaseExpression | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def _chain_names(node: cst.BaseExpression) -> list[str]:
    """Attribute names along a receiver chain, through calls: `spark.read.format("x")` ->
    ["format", "read", "spark"]."""
    names: list[str] = []
    for _ in range(32):
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Attribute):
            names.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Name):
            names.append(node.value)
            break
        else:
            break
    return names


def _chain_root(node: cst.BaseExpression) -> str | None:
    names = _chain_names(node)
    while isinstance(node, (cst.Call, cst.Attribute)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return names[-1] if isinstance(node, cst.Name) and names else None


def _argument(node: cst.Call, position: int | None, keywords: tuple[str, ...]) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    if position is None or position < 0:
        return None
    positional = 0
    for arg in node.args:
        if arg.keyword is not None:
            continue
        if arg.star:
            return None
        if positional == position:
            return arg.value
        positional += 1
    return None


def _only_element(node: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The element of a literal list or tuple of exactly one (not starred), else None."""
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1 and isinstance(node.elements[0], cst.Element):
        return node.elements[0].value
    return None


def _string_elements(node: cst.BaseExpression | None) -> list[cst.BaseExpression]:
    """The path expressions in `data_files=`: one expression, a list/tuple, or a dict's values."""
    if node is None:
        return []
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        out: list[cst.BaseExpression] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                out += _string_elements(element.value) if isinstance(element.value, (cst.List, cst.Tuple)) else [element.value]
        return out
    return [node]


def _names(node: cst.BaseExpression | None) -> list[str]:
    """Kedro dataset names from a node's inputs/outputs: a string, a list, or a dict."""
    if node is None:
        return []
    if isinstance(node, cst.SimpleString):
        value = _evaluated(node)
        return [value] if isinstance(value, str) else []
    return [
        name
        for element in _string_elements(node)
        if isinstance(element, cst.SimpleString)
        for name in [_evaluated(element)]
        if isinstance(name, str)
    ]


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left, right = test.left, test.comparisons[0].comparator
    names = {n.value for n in (left, right) if isinstance(n, cst.Name)}
    strings = {_evaluated(s) for s in (left, right) if isinstance(s, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}


def _snippet(node: cst.Call) -> str:
    text = cst.Module(body=[]).code_for_node(node)
    return text if len(text) <= _MAX_SNIPPET else text[:_MAX_SNIPPET]
