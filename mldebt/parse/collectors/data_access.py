"""Data reads and writes: calls the API catalog knows (`pd.read_csv(p)`, `open(p, "w")`,
`s3.download_file(b, k, f)`), with the symbolic value of their target.

A file handle (`with open(p) as f`) is an access until a later call consumes it
(`json.load(f)`): that call is the access, with the handle's target.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re

import libcst as cst

from mldebt.catalogs import ApiEntry, Catalog
from mldebt.catalogs.models import ModelCatalog
from mldebt.parse import values as v
from mldebt.parse.collectors.pipelines import is_pipeline_api
from mldebt.parse.facts import Access, Call, Forward, Value
from mldebt.parse.positions import UNPLACED, Places
from mldebt.parse.semantic import Scope, SemanticModel
from mldebt.parse.shell import accesses as shell_accesses
from mldebt.parse.shell import pieces, placeholder
from mldebt.parse.sql import defined, looks_like_sql
from mldebt.parse.syntax import argument, chain_names, dotted, elements, only_element

# `load_dataset("csv", data_files=...)`: the builder names whose data comes from data_files.
_DATASET_BUILDERS = {"csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "webdataset"}
# Libraries whose reads return a data frame, whose string subscripts are columns.
_FRAME_LIBRARIES = ("pandas.", "polars.", "dask.", "modin.", "geopandas.", "pyspark.", "cudf.", "vaex.")
_MAX_SNIPPET = 200
# `load_iris`, `fetch_covtype`: the dataset a library loader is named after.
_LOADER_VERB = re.compile(r"^(?:load|fetch)_")
# A mode's grammar, by the catalog's mode_syntax, with the letters that say what it does as
# group 1. open()'s: letters from r, w, a, x, b, t, + and the old U. tarfile's: one of r, w, x, a,
# then ":" (random access) or "|" (a stream) and a compression, or "*" for any ("r:gz", "w|xz").
# Calls that open a database connection: where they take the database (position, keywords),
# and the scheme of the URI that keyword arguments (`host=`, `dbname=`) make of it instead.
_CONNECTS: dict[str, tuple[int | None, tuple[str, ...], str]] = {
    "sqlite3.connect": (0, ("database",), ""),
    "duckdb.connect": (0, ("database",), ""),
    "psycopg2.connect": (0, ("dsn",), "postgresql"),
    "psycopg.connect": (0, ("conninfo",), "postgresql"),
    "sqlalchemy.create_engine": (0, ("url",), ""),
    "pymysql.connect": (None, (), "mysql"),
    "mysql.connector.connect": (None, (), "mysql"),
}
_DATABASE_KEYWORDS = ("dbname", "database", "db")
# A connection's methods that give a cursor or a connection on the same database.
_ON_CONNECTION = frozenset({"cursor", "connect", "begin", "raw_connection"})
# Where a call that is not a method of the connection takes it (`pd.read_sql(q, con)`).
_CONNECTION_ARG = (1, ("con", "conn", "connection"))
# fsspec file systems by constructor, with the scheme of the store their paths are on;
# `fsspec.filesystem("s3")` names its protocol first. A receiver named after its store (`s3`,
# `gcs`) is on it when no constructor in the module says otherwise.
_FILESYSTEMS = {
    "s3fs.S3FileSystem": "s3", "s3fs.core.S3FileSystem": "s3", "gcsfs.GCSFileSystem": "gs",
    "gcsfs.core.GCSFileSystem": "gs", "adlfs.AzureBlobFileSystem": "az",
}
_PROTOCOLS = {"s3": "s3", "s3a": "s3", "gs": "gs", "gcs": "gs", "az": "az", "abfs": "abfs", "abfss": "abfss", "hdfs": "hdfs"}
_STORE_NAMES = {"s3": "s3", "s3fs": "s3", "gcs": "gs", "gcsfs": "gs"}
# Tests of a path's existence: `os.path.exists(p)`, and `Path(p).exists()` as a method.
_EXISTS = frozenset({"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists"})
_EXISTS_METHODS = frozenset({"exists", "is_file", "is_dir"})
# Calls that run a command line, and those that run a program with its arguments (a list; a
# command line with shell=True).
_RUNS_COMMANDS = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"})
_RUNS_PROGRAMS = frozenset({
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
})
_MAKES_FOLDERS = frozenset({"os.makedirs", "os.mkdir"})
_MODE_SYNTAX = {
    "open": re.compile(r"([rwaxbtU+]{1,4})"),
    "tarfile": re.compile(r"([rwxa])(?:[:|](?:[a-z0-9]*|\*))?"),
}


class DataAccessCollector:
    def __init__(self, semantic: SemanticModel, catalog: Catalog, models: ModelCatalog) -> None:
        self.semantic = semantic
        self.catalog = catalog
        self.models = models
        # Each access with the index of its call and the scope its names resolve in.
        self._accesses: list[tuple[int, Scope, Access]] = []
        # Open handles by scope: name -> the position of their access in _accesses; and the
        # handles a later call consumed, which that call's access replaces.
        self._handles: dict[Scope, dict[str, int]] = {}
        self._consumed: set[int] = set()
        # id(open-like call) -> the name it is bound to (`with open(p) as f`, `f = open(p)`).
        self._handle_targets: dict[int, str] = {}
        # The folders the code makes (`os.makedirs(d)`, `Path(d).mkdir()`), with their scope.
        self._made: list[tuple[Scope, Value]] = []
        # Where module-level os.chdir calls have moved so far, relative to the starting directory.
        self._cwd = ""
        # Names bound to a database connection (or a cursor on one), by scope: its database.
        self._connections: dict[Scope, dict[str, Value]] = {}
        # Calls whose answer is parsed as JSON at once (`requests.get(u).json()`) or unused.
        self._answered: set[int] = set()
        # Names bound to an fsspec file system, by scope: the scheme of its store ("" if local).
        self._filesystems: dict[Scope, dict[str, str]] = {}
        # The bodies of `if not os.path.exists(p):` blocks with their p, and the p of the
        # innermost such block the walk is in.
        self._missing_bodies: dict[int, Value] = {}
        self._missing: list[Value] = []
        # A cursor or connection that a module-level function takes as a parameter
        # (`def insert(curr): curr.execute(...)`) is on the database its calls pass: the
        # functions' positional parameters, what each call of a plain name passes (by position
        # and keyword: the database of a connection, else None), and the accesses (by their
        # position in _accesses) waiting for a parameter's database.
        self._parameters: dict[str, list[str]] = {}
        self._passed: dict[tuple[str, int | str], list[Value | None]] = {}
        self._on_parameter: dict[int, tuple[str, str]] = {}
        # Module-level functions, module-level classes' constructors and static or class
        # methods, by their scope: the name other modules call them by (`fetch`, `Dataset`,
        # `Search.load`), their positional parameters (after `self` or `cls`) and
        # their keyword-only ones; the accesses whose target is one of those parameters, as
        # (position in _accesses, scope, parameter); and the calls of imported names, as (call
        # index, scope, callee, arguments, the call, working directory).
        self._signatures: dict[Scope, tuple[str, list[str], list[str]]] = {}
        self._on_own_parameter: list[tuple[int, Scope, str]] = []
        self._imported_calls: list[tuple[int, Scope, str, list[tuple[str, Value]], cst.Call, str]] = []

    def accesses(self, places: Places) -> list[Access]:
        """Every access, placed, its names resolved, in source order."""
        resolve = self.semantic.resolve
        for position, (function, parameter) in self._on_parameter.items():
            database = self._parameter_database(function, parameter)
            if database is not None:
                call, scope, access = self._accesses[position]
                self._accesses[position] = (call, scope, dataclasses.replace(access, database=database))
        # A target built from a loop over a literal is one access per element it takes; an
        # in-memory buffer is none.
        out = [
            dataclasses.replace(
                access, span=places.calls[call], value=value,
                database=None if access.database is None else resolve(access.database, scope),
                missing=None if access.missing is None else resolve(access.missing, scope),
            )
            for position, (call, scope, access) in enumerate(self._accesses)
            if position not in self._consumed
            for value in v.alternatives(self._target(access, scope))
            if not v.is_memory(value)
        ]
        out.sort(key=lambda a: (a.span.line, a.span.column, a.api))
        return out

    def _target(self, access: Access, scope: Scope) -> Value:
        """The resolved target of an access; for a write below a folder the code made (`os.makedirs(d)`,
        then `shutil.copy(src, d / name)` with a name not known), that folder: what is written
        below it is its content, as `shutil.copytree(src, d)` writes d (trial 14, P-copyloop)."""
        value = self.semantic.resolve(access.value, scope)
        if access.direction != "write" or not v.is_dynamic(value) or access.value[0] != "j":
            return value
        parts = access.value[1]
        for end in range(len(parts) - 1, 0, -1):
            folder = parts[0] if end == 1 else v.join(parts[:end])
            if (scope, folder) in self._made:
                return self.semantic.resolve(folder, scope)
        return value

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._handle_targets[id(node.value)] = node.targets[0].target.value

    def visit_With(self, node: cst.With) -> None:
        # `with open(p) as f:` binds a handle that later calls (json.load(f)) consume.
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name) and isinstance(item.item, cst.Call):
                self._handle_targets[id(item.item)] = item.asname.name.value

    def visit_Expr(self, node: cst.Expr) -> None:
        # A call whose answer nobody uses: `urlopen(update_check)` only asks whether it answers.
        if isinstance(node.value, cst.Call):
            self._answered.add(id(node.value))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope, module = self.semantic.scope, self.semantic.module_scope
        params = node.params
        positional = [p.name.value for p in (*params.posonly_params, *params.params)]
        keyword_only = [p.name.value for p in params.kwonly_params]
        if scope.parent is module:
            self._parameters[node.name.value] = positional
            self._signatures[scope] = (node.name.value, positional, keyword_only)
        elif scope.parent is not None and scope.parent.kind == "class" and scope.parent.parent is module:
            # `SpamDataset("a.csv")` runs `__init__(self, csv_file)`; `Search.load("a.pkl")` a
            # static method `load(file_path)` or a class method `load(cls, file_path)`.
            decorators = {self.semantic.qualify(d.decorator) for d in node.decorators}
            if node.name.value == "__init__":
                self._signatures[scope] = (scope.parent.qualname, positional[1:], keyword_only)
            elif "staticmethod" in decorators or "classmethod" in decorators:
                skip = 1 if "classmethod" in decorators else 0
                self._signatures[scope] = (scope.qualname, positional[skip:], keyword_only)

    def forwards(self) -> list[Forward]:
        """The accesses whose target is a parameter its function never rebinds."""
        out = []
        for position, scope, parameter in self._on_own_parameter:
            if position in self._consumed or scope.assigns.get(parameter) != [v.DYNAMIC]:
                continue
            access = self._accesses[position][2]
            function, positional, _ = self._signatures[scope]
            position = positional.index(parameter) if parameter in positional else -1
            out.append(Forward(
                function, parameter, position, access.api, access.direction, access.interpret, access.weak,
            ))
        return out

    def calls(self, places: Places) -> list[Call]:
        """The calls of imported names passing an argument that may be a path or a URI."""
        resolve = self.semantic.resolve
        out = []
        for index, scope, callee, arguments, node, cwd in self._imported_calls:
            resolved = tuple((key, resolve(value, scope)) for key, value in arguments)
            if any(_may_be_a_path(value) for _, value in resolved):
                out.append(Call(callee, resolved, places.calls[index], scope.qualname, _snippet(node), cwd))
        return out

    def _parameter_database(self, function: str, parameter: str) -> Value | None:
        """The one database every call of ``function`` passes as ``parameter``'s connection."""
        names = self._parameters.get(function, [])
        index = names.index(parameter) if parameter in names else -1
        passed = [*self._passed.get((function, index), ()), *self._passed.get((function, parameter), ())]
        first = passed[0] if passed else None
        return first if first is not None and all(database == first for database in passed) else None

    def _pass_connections(self, node: cst.Call) -> None:
        """What a call of a plain name passes its parameters, as connections."""
        assert isinstance(node.func, cst.Name)
        for position, arg in enumerate(node.args):
            if arg.star:
                return
            key: int | str = arg.keyword.value if arg.keyword is not None else position
            self._passed.setdefault((node.func.value, key), []).append(self._database_of(arg.value))

    def _imported_call(self, node: cst.Call, index: int, qualified: str | None) -> None:
        """Keep a call of an imported name (`fetch(...)` after `from helpers import fetch`,
        `helpers.fetch(...)`) for the accesses that name makes on its parameters."""
        head = node.func
        while isinstance(head, cst.Attribute):
            head = head.value
        if (
            not qualified or not isinstance(head, cst.Name) or head.value not in self.semantic.aliases
            or any(arg.star for arg in node.args)
        ):
            return
        arguments = [
            (arg.keyword.value if arg.keyword is not None else str(position), self.semantic.value_of(arg.value))
            for position, arg in enumerate(node.args)
        ]
        if any(not v.is_dynamic(value) for _, value in arguments):
            cwd = "" if self._cwd == "." else self._cwd
            self._imported_calls.append((index, self.semantic.scope, qualified, arguments, node, cwd))

    def visit_If(self, node: cst.If) -> None:
        missing = self._missing_path(node.test)
        if missing is not None:
            self._missing_bodies[id(node.body)] = missing

    def _missing_path(self, test: cst.BaseExpression) -> Value | None:
        """The path whose absence an `if` tests: `not os.path.exists(p)`, `not Path(p).exists()`."""
        if not (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)):
            return None
        call = test.expression
        if not isinstance(call, cst.Call):
            return None
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in _EXISTS_METHODS and not call.args:
            return self.semantic.value_of(call.func.value)
        if self.semantic.qualify(call.func) in _EXISTS and call.args:
            return self.semantic.value_of(call.args[0].value)
        return None

    def visit_IndentedBlock(self, node: cst.BaseSuite) -> None:
        missing = self._missing_bodies.get(id(node))
        if missing is not None:
            self._missing.append(missing)

    def leave_IndentedBlock(self, original_node: cst.BaseSuite) -> None:
        if id(original_node) in self._missing_bodies:
            self._missing.pop()

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "json" and isinstance(node.func.value, cst.Call):
            self._answered.add(id(node.func.value))
        semantic = self.semantic
        if semantic.call_covered:
            return
        index, qualified = semantic.call_index, semantic.call_name
        bound = self._handle_targets.get(id(node))
        if bound is not None:
            database = self._database_of(node)
            if database is not None:
                self._connections.setdefault(semantic.scope, {})[bound] = database
            if qualified in _FILESYSTEMS or qualified == "fsspec.filesystem":
                self._filesystems.setdefault(semantic.scope, {})[bound] = self._store_of(node)
        if isinstance(node.func, cst.Name):
            self._pass_connections(node)
        self._imported_call(node, index, qualified)
        if qualified == "os.chdir" and semantic.at_module_level and node.args:
            # A notebook's `os.chdir("..")` in its first cell moves every later relative path.
            target = v.text_of(semantic.value_of(node.args[0].value))
            if target:
                self._cwd = posixpath.normpath(posixpath.join(self._cwd, target))
        if qualified in _MAKES_FOLDERS and node.args:
            self._made.append((semantic.scope, semantic.value_of(node.args[0].value)))
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "mkdir" and all(a.keyword for a in node.args):
            self._made.append((semantic.scope, semantic.value_of(node.func.value)))
        if self._shell_call(node, index, qualified):
            return
        if qualified is not None:
            hit = self.catalog.function(qualified)
            if hit is not None:
                self._data_call(node, index, hit[0], hit[1])
                return
            if is_pipeline_api(self.models, qualified):
                return
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            for entry in self.catalog.methods_named(method):
                if self._method_applies(node.func, entry):
                    receiver = dotted(node.func.value)
                    api = f"{receiver or '<expr>'}.{method}" if receiver and len(receiver) < 40 else f".{method}"
                    if self._data_call(node, index, api, entry):
                        break

    def _shell_call(self, node: cst.Call, index: int, qualified: str | None) -> bool:
        """A command line the call runs, with what it downloads or unpacks (mldebt.parse.shell):
        a notebook's `!wget URL` (IPython runs it as `get_ipython().system("wget URL")`),
        `os.system("wget URL")`, `subprocess.run(["wget", url, "-O", path])` (a string only
        with `shell=True`). Whether the call runs a command at all."""
        func = node.func
        if qualified in _RUNS_COMMANDS or (
            isinstance(func, cst.Attribute) and func.attr.value == "system" and isinstance(func.value, cst.Call)
            and isinstance(func.value.func, cst.Name) and func.value.func.value == "get_ipython"
        ):
            command, shell = argument(node, 0, ("cmd", "command")), True
        elif qualified in _RUNS_PROGRAMS:
            flag = argument(node, None, ("shell",))
            command, shell = argument(node, 0, ("args",)), isinstance(flag, cst.Name) and flag.value == "True"
        else:
            return False
        # The parts of the command whose text is not known, by the position of their placeholder.
        unknown: list[Value] = []
        words: str | list[str] | None = None
        if isinstance(command, (cst.List, cst.Tuple)) and all(isinstance(e, cst.Element) for e in command.elements):
            words = [self._command_text(self.semantic.value_of(e.value), unknown) for e in command.elements]
        elif command is not None and shell:
            words = self._command_text(self.semantic.value_of(command), unknown)
        for found in shell_accesses(words) if words is not None else ():
            value = v.concat([unknown[piece] if isinstance(piece, int) else v.literal(piece) for piece in pieces(found.target)])
            self._record(node, index, f"shell {found.program}", found.direction, "path", value)
        return True

    def _command_text(self, value: Value, unknown: list[Value]) -> str:
        """A command's text, or one word's, with a placeholder for each part not known statically
        (`f"wget {url} -O {path}"`), kept in ``unknown``."""
        text = ""
        for part in value[1] if value[0] == "c" else [value]:
            known = v.text_of(self.semantic.resolve(part, self.semantic.scope))
            if known is None:
                unknown.append(part)
            text += placeholder(len(unknown) - 1) if known is None else known
        return text

    def _method_applies(self, func: cst.Attribute, entry: ApiEntry) -> bool:
        if entry.handle_of:
            return self._opened_by(func.value) in entry.handle_of
        if entry.after and not (set(chain_names(func.value)) & set(entry.after)):
            return False
        if entry.receivers:
            root = _chain_root(func.value)
            return root in entry.receivers
        return True

    def _direction(self, node: cst.Call, entry: ApiEntry) -> str | None:
        """Whether the call reads or writes; None when it is not the API after all."""
        if entry.direction != "mode":
            return entry.direction
        mode = argument(node, entry.mode_arg, (entry.mode_keyword,) if entry.mode_keyword else ())
        mode_value = self.semantic.value_of(mode) if mode is not None else v.literal(entry.default_mode)
        mode_text = v.text_of(mode_value)
        if mode_text is None:
            mode_text = "r"
        if entry.write_modes:
            return "write" if mode_text in entry.write_modes else "read"
        mode = _MODE_SYNTAX[entry.mode_syntax].fullmatch(mode_text)
        if mode is None:
            # `zf.open("member.csv")`, `mkdocs_gen_files.open("page.md", "w")`: where the
            # mode goes is a name, so this is no open() of a path.
            return None
        writes = any(c in mode.group(1) for c in "wax")
        return "write" if writes else "read"

    def _inner_method(self, call: cst.Call) -> tuple[ApiEntry, Value] | None:
        """The catalog method a call in another call's argument is, with its target: the
        `Path(p).open()` of `json.load(Path(p).open())`."""
        if not isinstance(call.func, cst.Attribute):
            return None
        for entry in self.catalog.methods_named(call.func.attr.value):
            if entry.direction != "none" and self._method_applies(call.func, entry) and self._direction(call, entry):
                if entry.target == "receiver":
                    return entry, self.semantic.value_of(call.func.value)
                arg = argument(call, entry.arg, entry.keywords)
                value = self.semantic.value_of(arg) if arg is not None else v.DYNAMIC
                return entry, self._on_store(call.func.value, value) if entry.filesystem else value
        return None

    def _store_of(self, receiver: cst.BaseExpression) -> str:
        """The scheme of the store an fsspec file system reaches: by the constructor that made
        it (`s3fs.S3FileSystem()`, `fsspec.filesystem("gcs")`), else by its name; "" when
        local or not known."""
        if isinstance(receiver, cst.Name):
            scope: Scope | None = self.semantic.scope
            while scope is not None:
                scheme = self._filesystems.get(scope, {}).get(receiver.value)
                if scheme is not None:
                    return scheme
                scope = scope.parent
            return _STORE_NAMES.get(receiver.value, "")
        if isinstance(receiver, cst.Call):
            qualified = self.semantic.qualify(receiver.func) or ""
            if qualified == "fsspec.filesystem":
                protocol = argument(receiver, 0, ("protocol",))
                return _PROTOCOLS.get(v.text_of(self.semantic.value_of(protocol)) or "", "") if protocol is not None else ""
            if qualified in _FILESYSTEMS:
                return _FILESYSTEMS[qualified]
        return _STORE_NAMES.get(_chain_root(receiver) or "", "")

    def _on_store(self, receiver: cst.BaseExpression, value: Value) -> Value:
        """A file system's path as the URI of its store: s3fs' `bucket/key` is s3://bucket/key."""
        scheme = self._store_of(receiver)
        return v.on_store(self.semantic.resolve(value, self.semantic.scope), scheme) if scheme else value

    def _data_call(self, node: cst.Call, index: int, api: str, entry: ApiEntry) -> bool:
        if entry.direction == "none":
            return True
        direction = self._direction(node, entry)
        if direction is None:
            return False
        value_of = self.semantic.value_of
        if entry.target == "receiver":
            assert isinstance(node.func, cst.Attribute)
            self._record(node, index, api, direction, "path", value_of(node.func.value), handle=entry.handle)
            return True
        if entry.target == "dataset":
            return self._dataset_call(node, index, api)
        if entry.target == "named":
            self._record(node, index, api, direction, "path", self._named_value(node, api, entry))
            self._second_paths(node, index, api, entry, positional=True)
            return True
        if entry.target == "object":
            self._object_call(node, index, api, direction, entry)
            return True
        arg = argument(node, entry.arg, entry.keywords)
        # `TFRecordDataset(["data/a.tfrecord"])`: a list of one path is that path.
        arg = only_element(arg) or arg
        if arg is None and entry.default_target is not None:
            self._record(node, index, api, direction, entry.target, v.literal(entry.default_target), handle=entry.handle)
            return True
        if arg is None:
            # A catalog call whose target we can't see (e.g. `df.to_csv()` returning text).
            return entry.target != "sql"
        if isinstance(arg, cst.Name):
            handle = self._handle(arg.value)
            if handle is not None and not entry.handle:
                self._consumed.add(handle)
                opened = self._accesses[handle][2]
                self._record(node, index, api, direction, opened.interpret, opened.value)
                return True
        if isinstance(arg, cst.Call):
            inner = self.semantic.qualify(arg.func)
            inner_hit = self.catalog.function(inner) if inner else None
            if inner_hit is not None and inner_hit[1].handle:
                self.semantic.cover(arg)
                inner_arg = argument(arg, inner_hit[1].arg, inner_hit[1].keywords)
                value = value_of(inner_arg) if inner_arg is not None else v.DYNAMIC
                self._record(node, index, api, direction, "path", value)
                return True
            if inner_hit is not None and inner_hit[1].service and direction == "read":
                # `json.load(urlopen(url))`: the GET is the one access, its answer parsed here.
                if api == "json.load":
                    self._answered.add(id(arg))
                return True
            method = self._inner_method(arg) if inner_hit is None else None
            if method is not None:
                # One access, listed once: the handle `Path(p).open()` opens is what the outer
                # call reads; the text `Path(p).read_text()` returns is no file, and that
                # call is the access.
                if method[0].handle:
                    self.semantic.cover(arg)
                    self._record(node, index, api, direction, "path", method[1])
                return True
        value = value_of(arg)
        if entry.filesystem:
            value = self._on_store(node.func.value, value)
        if entry.text_arg and v.text_of(self.semantic.resolve(value, self.semantic.scope)) is not None:
            # `yaml.safe_load("""...""")`: the text itself, no file.
            return True
        database: Value | None = None
        defines = False
        if entry.target == "sql":
            # A module's own constant holds the statement as often as a literal does
            # (`conn.executescript(SCHEMA)`).
            resolved = v.text_of(self.semantic.resolve(value, self.semantic.scope))
            if resolved is None or not looks_like_sql(resolved):
                # `.execute(x)` and `.query(x)` are too common to count when x is not SQL.
                return False
            defines = bool(defined(resolved))
        if entry.target in ("sql", "table"):
            database = self._connection_of(node)
            if database is None:
                self._wait_for_parameter(node)
        if entry.default_suffix:
            value = v.with_suffix(value, entry.default_suffix)
        interpret = "service" if entry.service and id(node) in self._answered else entry.target
        self._record(
            node, index, api, direction, interpret, value, handle=entry.handle, weak=entry.requires_suffix,
            database=database, defines=defines,
        )
        self._second_paths(node, index, api, entry, positional=True)
        return True

    def _second_paths(self, node: cst.Call, index: int, api: str, entry: ApiEntry, positional: bool) -> None:
        """The local files a download writes or an upload reads, besides the call's target: one
        path, or each path of a literal list or dict (the files `mlflow.pyfunc.log_model` logs
        with the model, `artifacts={"weights": "model.pkl"}`)."""
        for direction, position, keywords in (
            ("write", entry.writes_arg, entry.writes_keywords), ("read", entry.reads_arg, entry.reads_keywords),
        ):
            if position is None and not keywords:
                continue
            for other in elements(argument(node, position if positional else None, keywords)):
                self._record(node, index, api, direction, "path", self.semantic.value_of(other))

    def _named_value(self, node: cst.Call, api: str, entry: ApiEntry) -> Value:
        """A dataset, model or artifact a hub, library or registry knows by name, as a URI
        (`openml://titanic`, `models:/churn`); dynamic when the name is not known statically,
        and when the call does not give it (a run's own artifact)."""
        value_of = self.semantic.value_of
        if entry.name_segment is not None:
            segments = api.split(".")
            segment = segments[entry.name_segment] if -len(segments) <= entry.name_segment < len(segments) else ""
            name = v.literal(_LOADER_VERB.sub("", segment)) if segment else v.DYNAMIC
        else:
            arg = argument(node, entry.arg, entry.keywords)
            # An id (`fetch_openml(data_id=40945)`) names the dataset as well as a name does.
            name = v.literal(arg.value) if isinstance(arg, cst.Integer) else value_of(arg) if arg is not None else v.DYNAMIC
        prefix = v.literal(entry.prefix)
        if entry.prefix_keyword:
            kind = argument(node, None, (entry.prefix_keyword,))
            prefix = v.concat([prefix, value_of(kind) if kind is not None else v.literal("model"), v.literal("s/")])
        return v.concat([prefix, name])

    def _object_call(self, node: cst.Call, index: int, api: str, direction: str, entry: ApiEntry) -> None:
        """An object store's bucket and key (boto3's `download_file(Bucket, Key, Filename)`) as
        one URI. Positions count only when the call gives them all: boto3's resource forms
        (`bucket.download_file(Key, Filename)`) take fewer, in other places."""
        named = [p for p in (entry.bucket_arg, entry.arg, entry.writes_arg, entry.reads_arg) if p is not None]
        given = sum(1 for a in node.args if a.keyword is None and not a.star)
        positional = given > max(named, default=-1)
        bucket = argument(node, entry.bucket_arg if positional else None, entry.bucket_keywords)
        key = argument(node, entry.arg if positional else None, entry.keywords)
        value_of = self.semantic.value_of
        value = (
            v.concat([v.literal(entry.prefix), value_of(bucket), v.literal("/"), value_of(key)])
            if bucket is not None and key is not None
            else v.DYNAMIC
        )
        self._record(node, index, api, direction, "path", value)
        self._second_paths(node, index, api, entry, positional)

    def _database_of(self, node: cst.BaseExpression) -> Value | None:
        """The database a connection or cursor expression is on: a connect call's target, a
        cursor of a connection (`conn.cursor()`), or a name bound to either; None when it is
        no connection the module opened."""
        semantic = self.semantic
        if isinstance(node, cst.Name):
            scope: Scope | None = semantic.scope
            while scope is not None:
                database = self._connections.get(scope, {}).get(node.value)
                if database is not None:
                    return database
                scope = scope.parent
            return None
        if not isinstance(node, cst.Call):
            return None
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _ON_CONNECTION:
            found = self._database_of(node.func.value)
            if found is not None:
                return found
        connect = _CONNECTS.get(semantic.qualify(node.func) or "")
        if connect is None:
            return None
        position, keywords, scheme = connect
        target = argument(node, position, keywords)
        if target is not None:
            return semantic.value_of(target)
        name = argument(node, None, _DATABASE_KEYWORDS)
        if not scheme or name is None:
            return v.DYNAMIC
        host = argument(node, None, ("host",))
        return v.concat([
            v.literal(f"{scheme}://"), semantic.value_of(host) if host is not None else v.literal("localhost"),
            v.literal("/"), semantic.value_of(name),
        ])

    def _connection_of(self, node: cst.Call) -> Value | None:
        """The database a SQL call runs on: its receiver's (`cur.execute(q)`), else its
        connection argument's (`pd.read_sql(q, con)`, `df.to_sql("t", con)`)."""
        if isinstance(node.func, cst.Attribute):
            found = self._database_of(node.func.value)
            if found is not None:
                return found
        connection = argument(node, *_CONNECTION_ARG)
        return self._database_of(connection) if connection is not None else None

    def _wait_for_parameter(self, node: cst.Call) -> None:
        """Mark the access about to be recorded as waiting for the database of the connection
        its module-level function takes as a parameter (`curr.execute(q)` in `def f(curr)`)."""
        receiver = node.func.value if isinstance(node.func, cst.Attribute) else None
        function = self.semantic.scope
        if (
            isinstance(receiver, cst.Name) and function.kind == "function"
            and function.parent is self.semantic.module_scope
            and receiver.value in self._parameters.get(function.qualname, ())
        ):
            self._on_parameter[len(self._accesses)] = (function.qualname, receiver.value)

    def _opened_by(self, receiver: cst.BaseExpression) -> str | None:
        """The API that opened the handle a receiver is: a name holding one, or the call."""
        if isinstance(receiver, cst.Call):
            return self.semantic.qualify(receiver.func)
        handle = self._handle(receiver.value) if isinstance(receiver, cst.Name) else None
        return self._accesses[handle][2].api if handle is not None else None

    def _handle(self, name: str) -> int | None:
        """The open handle a name holds, from its function's scope or those around it."""
        scope: Scope | None = self.semantic.scope
        while scope is not None:
            handle = self._handles.get(scope, {}).get(name)
            if handle is not None:
                return handle
            if scope.kind == "function":
                break
            scope = scope.parent
        return None

    def _dataset_call(self, node: cst.Call, index: int, api: str) -> bool:
        value_of = self.semantic.value_of
        name_arg = argument(node, 0, ("path",))
        name = value_of(name_arg) if name_arg is not None else v.DYNAMIC
        if v.text_of(name) in _DATASET_BUILDERS:
            files = argument(node, 2, ("data_files",)) or argument(node, -1, ("data_dir",))
            for element in elements(files):
                self._record(node, index, api, "read", "path", value_of(element))
            return True
        self._record(node, index, api, "read", "dataset", name)
        return True

    def _record(
        self, node: cst.Call, index: int, api: str, direction: str, interpret: str, value: Value,
        handle: bool = False, weak: bool = False, database: Value | None = None, defines: bool = False,
    ) -> None:
        scope = self.semantic.scope
        access = Access(
            api, direction, interpret, value, UNPLACED, scope.qualname, _snippet(node), weak=weak,
            cwd="" if self._cwd == "." else self._cwd, database=database, defines=defines,
            missing=self._missing[-1] if self._missing else None,
        )
        name = v.local_name(value)
        signature = self._signatures.get(scope)
        if name is not None and signature is not None and name in (*signature[1], *signature[2]):
            # `open(zip_path, "wb")` in `def fetch(url, zip_path)`: what callers pass.
            self._on_own_parameter.append((len(self._accesses), scope, name))
        handle_name = self._handle_targets.pop(id(node), None)
        if handle and handle_name is not None:
            self._handles.setdefault(scope, {})[handle_name] = len(self._accesses)
        elif handle_name is not None and direction == "read" and _reads_a_frame(api):
            self.semantic.frames.add(handle_name)
        self._accesses.append((index, scope, access))


def _may_be_a_path(value: Value) -> bool:
    """Whether an argument may be a path or a URI: a literal that looks like one
    (`"sms.zip"`, `"data/raw"`, `"https://..."`), or what another module's name holds."""
    if v.is_dynamic(value):
        return False
    text = v.evaluate(value, lambda module, name: None)
    if text is None:
        return True
    return "/" in text or "://" in text or bool(re.fullmatch(r"[\w.-]*\w\.[A-Za-z0-9]{1,16}", text))


def _reads_a_frame(api: str) -> bool:
    return api.startswith(_FRAME_LIBRARIES) or ".read_" in api or api.startswith("spark.")


def _chain_root(node: cst.BaseExpression) -> str | None:
    names = chain_names(node)
    while isinstance(node, (cst.Call, cst.Attribute)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return names[-1] if isinstance(node, cst.Name) and names else None


def _snippet(node: cst.Call) -> str:
    text = cst.Module(body=[]).code_for_node(node)
    return text if len(text) <= _MAX_SNIPPET else text[:_MAX_SNIPPET]
