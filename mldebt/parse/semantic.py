"""The semantic model of one module, built during its walk: imports and aliases, scopes and the
values their names are bound to, qualified names. What ruff calls the checker's semantic model.

It is the first visitor of the walk (``mldebt.parse.walk``), so every collector that visits a
node sees the model as it stands at that node: the scope it is in, the names bound so far.
Names are qualified through the module's own imports (``import pandas as pd``), which is all a
data-dependency fact needs; libcst's scope and qualified-name providers would cost several
parses more.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import libcst as cst

from mldebt.parse import values as v
from mldebt.parse.facts import Import, Value
from mldebt.parse.syntax import argument, dotted, evaluated, only_element

_PATH_CONSTRUCTORS = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath", "pathlib.WindowsPath", "upath.UPath"}
# In-memory files: what code writes to or reads from them never touches a disk.
_MEMORY_BUFFERS = frozenset({"io.BytesIO", "io.StringIO"})
# Hydra's to_absolute_path makes a path absolute from where the command was run, as abspath does.
_IDENTITY_FUNCTIONS = {
    "str", "os.fspath", "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.path.expanduser",
    "os.path.expandvars", "os.path.join", "hydra.utils.to_absolute_path",
}
_IDENTITY_METHODS = {"resolve", "absolute", "expanduser", "as_posix", "strip", "rstrip", "lstrip"}
# Calls that load a configuration file whose keys the code then reads (`cfg.data.path`): from
# a path, or from a file opened on one (`yaml.safe_load(open("params.yaml"))`).
_CONFIG_LOADERS = frozenset({
    "omegaconf.OmegaConf.load", "yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "json.load",
})
_OPENERS = frozenset({"open", "io.open", "codecs.open"})
# Hydra's entry point: its function's first parameter is the config `config_name` names in the
# directory `config_path` (relative to the module's own file). Its compose API likewise:
# `initialize(config_path=...)` sets the directory, `compose(config_name=...)` loads from it.
_HYDRA_MAIN = "hydra.main"
_HYDRA_INITIALIZE = frozenset({"hydra.initialize", "hydra.experimental.initialize"})
_HYDRA_COMPOSE = frozenset({"hydra.compose", "hydra.experimental.compose"})
# How deep an expression is followed for its value; a path is never built deeper.
_MAX_EXPRESSION_DEPTH = 12
# `FILES[*]`: the name under which a scope binds what a loop over its name `FILES` takes.
_EACH = "[*]"
# The list methods that change a list in place.
_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"})
# `if TYPE_CHECKING:` holds imports for a type checker only; a module may define the name itself.
_TYPE_CHECKING = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})


# Identity, not equality: collectors key their per-scope state by the scope itself.
@dataclass(eq=False)
class Scope:
    kind: str  # "module" | "class" | "function"
    qualname: str
    parent: Scope | None = None
    # The index of its definition among the module's, in walk order; -1 for the module.
    def_index: int = -1
    # A class's bases, qualified through imports.
    bases: tuple[str, ...] = ()
    assigns: dict[str, list[Value]] = field(default_factory=dict)

    def assign(self, name: str, value: Value) -> None:
        self.assigns.setdefault(name, []).append(value)

    def function(self) -> Scope | None:
        """The innermost function this scope is, or is in."""
        scope: Scope | None = self
        while scope is not None and scope.kind != "function":
            scope = scope.parent
        return scope


class SemanticModel:
    """What the names of one module mean, as far as the walk has gone."""

    def __init__(self, module: str, path: str, is_package: bool) -> None:
        self.module = module
        self.path = path
        self.package = module if is_package else module.rpartition(".")[0]
        # Local name -> qualified name, from imports (and `x = pd` style aliases of modules).
        self.aliases: dict[str, str] = {}
        self.imports: list[Import] = []
        # The bodies of `if TYPE_CHECKING:` blocks, and how many of them the walk is in: their
        # imports bind names (for annotations) but never run, so they are no imports.
        self._type_checking_bodies: set[int] = set()
        self._type_checking_depth = 0
        self.module_scope = Scope("module", "")
        self.scope = self.module_scope
        self.call_count = 0
        self.def_count = 0
        # The call being visited: its index in walk order, its qualified name (None for a
        # call of an expression), and whether another call's access already covers it
        # (`open(p)` in `json.load(open(p))`), which every collector then leaves alone.
        self.call_index = -1
        self.call_name: str | None = None
        self.call_covered = False
        self._covered: set[int] = set()
        # Filled by collectors.arguments: each argparse option's dest -> its value, and the
        # names that hold parsed arguments (`args.data` is then that option).
        self.options: dict[str, Value] = {}
        self.argument_names: set[str] = set()
        # Filled by collectors.data_access: names bound to a data frame read from somewhere
        # (`df = pd.read_csv(...)`), whose string subscripts are columns.
        self.frames: set[str] = set()
        # Names `with open(p) as f` binds to a file opened on p: the path of f.
        self._opened: dict[str, Value] = {}
        # The config directory Hydra's `initialize(config_path=...)` last set, for `compose`.
        self._hydra_folder: cst.BaseExpression | None = None

    @property
    def at_module_level(self) -> bool:
        return self.scope is self.module_scope

    def cover(self, call: cst.Call) -> None:
        """Mark a call, not yet visited, as part of the access of the call around it."""
        self._covered.add(id(call))

    # ----- scopes -------------------------------------------------------------------------

    def _qualname(self, name: str) -> str:
        outer = self.scope.qualname
        return f"{outer}.{name}" if outer else name

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scope
        outer.assign(node.name.value, v.DYNAMIC)
        scope = Scope("function", self._qualname(node.name.value), outer, self.def_count)
        self.def_count += 1
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.assign(param.name.value, v.DYNAMIC)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.assign(star.name.value, v.DYNAMIC)
        config = self._hydra_config(node)
        positional = (*params.posonly_params, *params.params)
        if config is not None and positional:
            scope.assigns[positional[0].name.value] = [v.config_key(config, [])]
        self.scope = scope

    def _hydra_config(self, node: cst.FunctionDef) -> Value | None:
        """The config file of a `@hydra.main(config_path="conf", config_name="config")`
        function; None when it names none literally."""
        for decorator in node.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and self.qualify(call.func) == _HYDRA_MAIN:
                return self._hydra_file(argument(call, None, ("config_path",)), argument(call, None, ("config_name",)))
        return None

    def _hydra_file(self, folder: cst.BaseExpression | None, name: cst.BaseExpression | None) -> Value | None:
        """The config `name` in the directory `folder`, which is relative to the module's own
        file (a notebook's is its directory, where it runs); None unless both are literals."""
        folder_text = evaluated(folder) if isinstance(folder, cst.SimpleString) else None
        name_text = evaluated(name) if isinstance(name, cst.SimpleString) else None
        if not isinstance(folder_text, str) or not isinstance(name_text, str):
            return None
        file = name_text if name_text.endswith((".yaml", ".yml")) else f"{name_text}.yaml"
        return v.join([v.parent(v.source_file(self.path)), v.literal(folder_text), v.literal(file)])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        outer = self.scope
        outer.assign(node.name.value, v.DYNAMIC)
        bases = (self.qualify(arg.value) for arg in node.bases if arg.keyword is None)
        self.scope = Scope(
            "class", self._qualname(node.name.value), outer, self.def_count, bases=tuple(b for b in bases if b)
        )
        self.def_count += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        scope = self.scope
        assert scope.parent is not None
        self.scope = scope.parent
        if self.at_module_level:
            # Class attributes become module names (`Paths.DATA`), resolved in the class body
            # first, where their siblings (`ROOT / "data"`) are visible.
            for name, assigned in scope.assigns.items():
                resolved = [self.resolve(value, scope) for value in assigned]
                self.scope.assigns.setdefault(f"{scope.qualname}.{name}", []).extend(resolved)

    # ----- imports and bindings -------------------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        if self.qualify(node.test) in _TYPE_CHECKING:
            self._type_checking_bodies.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.BaseSuite) -> None:
        if id(node) in self._type_checking_bodies:
            self._type_checking_depth += 1

    def leave_IndentedBlock(self, original_node: cst.BaseSuite) -> None:
        if id(original_node) in self._type_checking_bodies:
            self._type_checking_depth -= 1

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    def _imported(self, imported: Import) -> None:
        if not self._type_checking_depth:
            function = self.scope.function()
            self.imports.append(replace(imported, scope=function.qualname) if function is not None else imported)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self.aliases[local] = full
            else:
                local = full.split(".")[0]
                self.aliases[local] = local
            self.scope.assign(local, v.DYNAMIC)
            self._imported(Import(full, None, local))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = dotted(node.module) if node.module is not None else ""
        if base is None:
            return
        level = len(node.relative)
        if level:
            package = self.package.split(".") if self.package else []
            anchor = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
            base = ".".join([*anchor, base] if base else anchor)
        if isinstance(node.names, cst.ImportStar):
            self._imported(Import(base, "*", "*"))
            return
        for alias in node.names:
            name = dotted(alias.name)
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
            self.scope.assign(local, v.reference(base, name))
            self._imported(Import(base, name, local))

    def visit_Assign(self, node: cst.Assign) -> None:
        value = self.value_of(node.value)
        for target in node.targets:
            self._bind(target.target, value, node.value)

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
            target = node.asname.name
            if isinstance(target, cst.Name):
                opened = self._opened_path(node.item)
                if opened is None:
                    self._opened.pop(target.value, None)
                else:
                    self._opened[target.value] = opened

    def visit_For(self, node: cst.For) -> None:
        if not isinstance(node.target, cst.Name):
            self._bind_dynamic(node.target)
            return
        # `for name in ("train.csv", "test.csv"):` takes each value in turn, and so does a loop
        # over a name bound to such a literal (`for name in FILES:`).
        iterated = node.iter
        each = (
            v.local(f"{iterated.value}{_EACH}") if isinstance(iterated, cst.Name) else self._each_element(iterated)
        )
        self.scope.assign(node.target.value, each if each is not None else v.DYNAMIC)

    def _each_element(self, node: cst.BaseExpression) -> Value | None:
        """Each element of a tuple or list literal in turn; None for any other expression."""
        if not isinstance(node, (cst.Tuple, cst.List)):
            return None
        if len(node.elements) > v.MAX_ALTERNATIVES or any(isinstance(e, cst.StarredElement) for e in node.elements):
            return v.DYNAMIC
        return v.one_of([self.value_of(element.value) for element in node.elements])

    def _bind(self, target: cst.BaseExpression, value: Value, source: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            self.scope.assign(name, value)
            each = self._each_element(source)
            if each is not None or f"{name}{_EACH}" in self.scope.assigns:
                # What a loop over the name takes; rebound to anything else, nothing known.
                self.scope.assign(f"{name}{_EACH}", each if each is not None else v.DYNAMIC)
            if isinstance(source, cst.Dict) and self.at_module_level:
                self._bind_dict(name, source)
            qualified = self.qualify(source) if isinstance(source, (cst.Name, cst.Attribute)) else None
            if qualified and qualified in self.aliases.values() and "." not in qualified:
                self.aliases[name] = qualified
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value in ("self", "cls"):
            return
        else:
            self._bind_dynamic(target)

    def _bind_dict(self, name: str, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = evaluated(element.key)
                if isinstance(key, str):
                    self.scope.assign(f"{name}[{key}]", self.value_of(element.value))

    def _bind_dynamic(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.scope.assign(target.value, v.DYNAMIC)
            if f"{target.value}{_EACH}" in self.scope.assigns:
                self.scope.assign(f"{target.value}{_EACH}", v.DYNAMIC)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_dynamic(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_dynamic(target.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in _MUTATORS:
            # `FILES.append(x)`: a loop over FILES no longer takes only its literal's elements.
            each = f"{func.value.value}{_EACH}"
            if each in self.scope.assigns:
                self.scope.assign(each, v.DYNAMIC)
        self.call_index = self.call_count
        self.call_count += 1
        self.call_covered = id(node) in self._covered
        self.call_name = None if self.call_covered else self.qualify(node.func)
        if self.call_name in _HYDRA_INITIALIZE:
            self._hydra_folder = argument(node, 0, ("config_path",))

    # ----- names and values ----------------------------------------------------------------

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The dotted name an expression refers to, through imports: `pd.read_csv` ->
        `pandas.read_csv`; local names stay as they are; None for anything else."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.aliases:
            base = self.aliases[head]
            return f"{base}.{rest}" if rest else base
        return name

    def value_of(self, node: cst.BaseExpression, depth: int = 0) -> Value:
        """The symbolic value of an expression that may build a path or URI."""
        if depth > _MAX_EXPRESSION_DEPTH:
            return v.DYNAMIC
        if isinstance(node, cst.SimpleString):
            text = evaluated(node)
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
            return v.local(node.value)
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
        config = self._config_key(node, depth)
        if config is not None:
            return config
        name = dotted(node)
        if name is None:
            return v.DYNAMIC
        head, _, rest = name.partition(".")
        if head in self.argument_names and rest in self.options:
            # `args.data` of `parser.add_argument("--data", default=...)`: the command that
            # runs the script decides, else the default.
            return self.options[rest]
        if head in self.aliases:
            # `cfg.DATA_DIR` after `import cfg`, or `Config.DATA` after `from config import Config`:
            # the resolver decides whether the owner is a module or a class in one.
            owner, _, attribute = f"{self.aliases[head]}.{rest}".rpartition(".")
            return v.reference(owner, attribute)
        # `Config.DATA_DIR` on a class of this module is one of our module-level names.
        return v.local(name)

    def _config_key(self, node: cst.BaseExpression, depth: int) -> Value | None:
        """`cfg.data.path` or `cfg["data"]["path"]` on a name bound to a configuration file
        (or to a key of one), or on a call loading one: that key of the file; None for
        anything else."""
        keys: list[str] = []
        while True:
            if isinstance(node, cst.Attribute):
                keys.append(node.attr.value)
                node = node.value
            elif isinstance(node, cst.Subscript) and (key := _string_key(node)) is not None:
                keys.append(key)
                node = node.value
            else:
                break
        if not keys:
            return None
        if isinstance(node, cst.Name):
            bound = self._config_bound(node.value)
        elif isinstance(node, cst.Call):
            # `OmegaConf.load("conf/config.yaml").data.path`
            bound = v.config_of(self.value_of(node, depth + 1))
        else:
            return None
        if bound is None:
            return None
        source, base = bound
        return v.config_key(source, [*base, *reversed(keys)])

    def _config_bound(self, name: str) -> tuple[Value, list[str]] | None:
        """The (file, keys) ``name`` is bound to where the walk is, when every binding of it in
        the nearest scope binding it is one key of one configuration file."""
        current: Scope | None = self.scope
        first = True
        while current is not None:
            if (first or current.kind != "class") and name in current.assigns:
                assigned = current.assigns[name]
                config = v.config_of(assigned[0])
                return config if config is not None and _bound_once(assigned) else None
            first = False
            current = current.parent
        return None

    def _opened_path(self, node: cst.BaseExpression) -> Value | None:
        """The path `open(p)` opens; None for any other expression."""
        if isinstance(node, cst.Call) and self.qualify(node.func) in _OPENERS:
            path = argument(node, 0, ("file", "filename"))
            return self.value_of(path) if path is not None else None
        return None

    def _subscript(self, node: cst.Subscript, depth: int) -> Value:
        config = self._config_key(node, depth)
        if config is not None:
            return config
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return v.DYNAMIC
        index = node.slice[0].slice.value
        if isinstance(index, cst.Integer) and self.qualify(node.value) == "sys.argv":
            return v.command_argument(index.value)
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents":
            number = evaluated(index) if isinstance(index, cst.Integer) else None
            # `parents[10**6]` would climb a million `..`; no real path is a tenth that deep.
            if isinstance(number, int) and number < v.MAX_DEPTH:
                return v.parent(self.value_of(node.value.value, depth + 1), number + 1)
            return v.DYNAMIC
        only = only_element(node.value)
        if only is not None and isinstance(index, cst.Integer) and evaluated(index) == 0:
            return self.value_of(only, depth + 1)
        if isinstance(node.value, cst.Name) and isinstance(index, cst.SimpleString):
            key = evaluated(index)
            if isinstance(key, str):
                return v.local(f"{node.value.value}[{key}]")
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
        if qualified in ("os.getcwd", "pathlib.Path.cwd", "Path.cwd", "hydra.utils.get_original_cwd"):
            # The working directory, as relative paths start from it: `os.getcwd() + "/x"`
            # and f"{os.getcwd()}/x" are "./x", never "/x".
            return v.literal(".")
        if qualified in ("pathlib.Path.home", "Path.home"):
            return v.HOME
        if qualified in _MEMORY_BUFFERS:
            return v.MEMORY
        if qualified in _HYDRA_COMPOSE:
            config = self._hydra_file(self._hydra_folder, argument(node, 0, ("config_name",)))
            return v.config_key(config, []) if config is not None else v.DYNAMIC
        if qualified in _CONFIG_LOADERS and positional:
            source = positional[0]
            opened = self._opened_path(source)
            if opened is None and isinstance(source, cst.Name):
                opened = self._opened.get(source.value)
            if opened is None and qualified == "omegaconf.OmegaConf.load":
                opened = self.value_of(source, depth + 1)
            return v.config_key(opened, []) if opened is not None else v.DYNAMIC
        if qualified in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            default = argument(node, 1, ("default",))
            return self.value_of(default, depth + 1) if default is not None else v.DYNAMIC
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in _IDENTITY_METHODS and not node.args:
                return self.value_of(node.func.value, depth + 1)
            if method == "joinpath":
                return v.join([self.value_of(node.func.value, depth + 1), *(self.value_of(a, depth + 1) for a in positional)])
            if method == "format" and isinstance(node.func.value, cst.SimpleString):
                return self._format(node.func.value, node, depth)
            if method == "get" and positional and isinstance(positional[0], cst.SimpleString):
                # `cfg.data.get("path")`, `params.get("raw", ...)`: the key, where the file has it.
                key = evaluated(positional[0])
                receiver = node.func.value
                config = (
                    self._config_bound(receiver.value) if isinstance(receiver, cst.Name)
                    else v.config_of(self.value_of(receiver, depth + 1))
                )
                if config is not None and isinstance(key, str):
                    return v.config_key(config[0], [*config[1], key])
        return v.DYNAMIC

    def _format(self, template: cst.SimpleString, node: cst.Call, depth: int) -> Value:
        text = evaluated(template)
        if not isinstance(text, str):
            return v.DYNAMIC
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        parts: list[Value] = []
        auto = 0
        # Escaped braces stand in as NUL and SOH while the fields are split out.
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
        return v.map_literals(v.concat(parts), _unescape_braces)

    # ----- once the walk is over ------------------------------------------------------------

    def resolve(self, value: Value, scope: Scope) -> Value:
        """Replace this module's names in ``value`` by what they are bound to, as Python
        scoping would find them from ``scope``; a name bound more than once to different values,
        or not at all, is dynamic (a notebook that sets `ROOT = "..."` again in a later cell
        still has one root).

        So is a name whose definition goes through more than MAX_DEPTH other names: a chain of
        249 constants overflowed the interpreter's stack. Each name is resolved once per call,
        so that `A2 = A1 + A1` chains cost their length, not two to its power.
        """
        return v.substitute(value, partial(_lookup, scope, {}, 0))

    def constants(self) -> dict[str, Value]:
        """Module-level names bound once to something a path could be built from."""
        out: dict[str, Value] = {}
        for name, assigned in self.module_scope.assigns.items():
            if not _bound_once(assigned) or v.is_dynamic(assigned[0]) or name.endswith(_EACH):
                continue
            value = self.resolve(assigned[0], self.module_scope)
            if not v.is_dynamic(value):
                out[name] = value
        return out


def _string_key(node: cst.Subscript) -> str | None:
    """The key of `x["key"]`; None for any other subscript."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    index = node.slice[0].slice.value
    key = evaluated(index) if isinstance(index, cst.SimpleString) else None
    return key if isinstance(key, str) else None


def _bound_once(assigned: list[Value]) -> bool:
    """Whether a name's bindings are one value, given once or again alike."""
    return all(value == assigned[0] for value in assigned[1:])


def _unescape_braces(text: str) -> str:
    return text.replace("\x00", "{").replace("\x01", "}")


def _lookup(scope: Scope, resolved: dict[tuple[int, str], Value], depth: int, name: str) -> Value:
    # `FILES[*]` is looked up where `FILES` is bound: a function's own FILES hides the module's.
    owner = name[: -len(_EACH)] if name.endswith(_EACH) else name
    # `cfg.data.path` where cfg is bound to a configuration file only later in the walk: a
    # parameter given one by every call (`load(cfg)`), or a name bound after its use.
    head, dot, rest = name.partition(".")
    current: Scope | None = scope
    first = True
    while current is not None:
        if dot and (first or current.kind != "class") and owner not in current.assigns and head in current.assigns:
            config = v.config_of(_lookup(current, resolved, depth + 1, head))
            return v.config_key(config[0], [*config[1], *rest.split(".")]) if config is not None else v.DYNAMIC
        # Class bodies are not enclosing scopes for the functions inside them.
        if (first or current.kind != "class") and owner in current.assigns:
            if name not in current.assigns:
                return v.DYNAMIC
            key = (id(current), name)
            if key not in resolved:
                assigned = current.assigns[name]
                # Dynamic while it resolves: reached again, the name is part of a cycle.
                resolved[key] = v.DYNAMIC
                if _bound_once(assigned) and depth < v.MAX_DEPTH:
                    resolved[key] = v.substitute(assigned[0], partial(_lookup, current, resolved, depth + 1))
            return resolved[key]
        first = False
        current = current.parent
    return v.DYNAMIC
