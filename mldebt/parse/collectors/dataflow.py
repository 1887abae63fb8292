"""Column dataflow: the columns of each data-frame-like value, per function and module scope,
and the columns that reach each model (issue 11, items 1-2).

Each name a scope binds holds an abstract value: a frame (its ColumnSet, the columns that
decided its rows on the way, and the reads it came from), a grouping, a training set
(`DMatrix`, `lgb.Dataset`), an estimator (with the columns a ColumnTransformer takes), a
function of this module (what it returns), a column list (`FEATURES = [...]`, or a list
imported from another module, a list reference the graph resolves) or nothing known. The
column catalog (mldebt.catalogs.columns) says what each call does to the columns; a call it
does not know, given a frame, gives a frame whose columns are unknown, never an exact set.

Statements are followed in order; the branches of an `if`, a `match` or a `try` start from the
same state and join where they meet again, and a loop's body may run or not (one pass, joined
with the state before it). A call's value is computed once its arguments' calls have been
visited (on leaving it), so that a read is known by the index of its call, which the facts then
turn into its position: a frame read whole is "all of the columns of the read at line:column".

At each fit-like call the catalog knows, the features and the label are recorded apart
(``ModelInput``), each with the columns whose values flow and those that only decided rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import libcst as cst

from mldebt.catalogs.columns import ColumnCatalog, ColumnEntry
from mldebt.catalogs.models import ModelCatalog
from mldebt.lineage.columnset import EMPTY, UNKNOWN, ColumnSet
from mldebt.parse.facts import ColumnFlow, ModelInput
from mldebt.parse.positions import Places
from mldebt.parse.semantic import Scope, SemanticModel
from mldebt.parse.syntax import argument, chain_names, dotted

# A string that is an expression rather than a column name (`query("age > 30")`).
_EXPRESSION = re.compile(r"[<>=!&|()~+*/%]")
# The list methods that change a list of column names in place.
_LIST_ADDS = frozenset({"append", "extend"})
_LIST_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"})
# Expressions that are conditions on rows when a frame is indexed by them.
_CONDITIONS = (cst.Comparison, cst.BooleanOperation, cst.UnaryOperation)
# `df.loc[rows, columns]`; `iloc` and `iat` index by position, which names no column.
_BY_LABEL = frozenset({"loc", "at"})
_BY_POSITION = frozenset({"iloc", "iat"})


@dataclass(frozen=True)
class _Names:
    """A list of column names (and of list references, `features.FEATURES`)."""

    names: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()

    def as_set(self) -> ColumnSet:
        return ColumnSet.exact(self.names, self.lists)


@dataclass(frozen=True)
class _Frame:
    columns: ColumnSet
    # The columns that decided which rows the frame has: filters, join and sort keys, groupings.
    indirect: ColumnSet = EMPTY
    # The call indices of the reads its data comes from.
    sources: frozenset[int] = frozenset()
    # Its index holds a grouping's keys, already among the columns (reset_index adds nothing).
    keyed: bool = False
    # Whether it is a frame for sure, rather than whatever a function's parameter is.
    certain: bool = True

    def with_columns(self, columns: ColumnSet) -> _Frame:
        return replace(self, columns=columns, keyed=False)

    def unknown(self) -> _Frame:
        """What a call the catalog does not know makes of the frame."""
        return replace(self, columns=UNKNOWN, keyed=False)

    def decided_by(self, indirect: ColumnSet | None, sources: frozenset[int] = frozenset()) -> _Frame:
        """The frame with its rows decided by these columns too (None: columns nobody can tell)."""
        used = self.indirect.with_unknown_columns() if indirect is None else self.indirect.union(indirect)
        return replace(self, indirect=used, sources=self.sources | sources)


@dataclass(frozen=True)
class _Group:
    frame: _Frame
    keys: _Names | None
    # `gb["x"]`, `gb[["x", "y"]]`: the columns aggregated, when the code chose them.
    selected: ColumnSet | None = None


@dataclass(frozen=True)
class _Dataset:
    features: _Frame | None
    label: _Frame | None


@dataclass(frozen=True)
class _Estimator:
    call: int  # the index of the call that built it
    # The columns it takes of the frame it is given; None: all of them.
    selects: ColumnSet | None = None


@dataclass(frozen=True)
class _Function:
    returns: object  # a value, or None when what it returns is not known
    # Its parameters: name, placeholder source, whether an argument can give it by position.
    params: tuple[tuple[str, int, bool], ...] = ()


@dataclass
class _Fit:
    call: int
    api: str
    scope: str
    features: _Frame | None
    label: _Frame | None
    has_label: bool
    model: int | None
    # The reads its features and label come from, also through the arguments of the calls of
    # the functions it is in (placeholders, below zero, stand for their parameters).
    feature_sources: set[int]
    label_sources: set[int]
    # The placeholders that stand for the whole features (the label): a parameter given to the
    # fit as it is, whose frame a call then gives.
    feature_params: set[int] = field(default_factory=set)
    label_params: set[int] = field(default_factory=set)

    def given(self, arguments: dict[int, _Frame]) -> None:
        """What a call of the function it is in gives it."""
        self.features = _given_to(_given_whole(self.features, self.feature_params, arguments), self.feature_sources, arguments)
        self.label = _given_to(_given_whole(self.label, self.label_params, arguments), self.label_sources, arguments)


@dataclass(frozen=True)
class _Tuple:
    """Values to unpack: a tuple literal's, train_test_split's."""

    parts: tuple[object, ...]


@dataclass(frozen=True)
class _Literal:
    """A string literal, or a list of them: column names once the code uses them as such."""

    node: cst.BaseExpression


# Names the walk has not seen bound in any scope (imports are the semantic model's).
_UNBOUND = object()


@dataclass
class _Branching:
    """A compound statement whose branches join: the state before it, each branch's end."""

    scope: Scope
    before: dict[str, object]
    outs: list[dict[str, object]] = field(default_factory=list)
    body_out: dict[str, object] | None = None


class DataflowCollector:
    def __init__(
        self, semantic: SemanticModel, columns: ColumnCatalog, models: ModelCatalog, *, module_level_only: bool = False
    ) -> None:
        self.semantic = semantic
        # Only the module's own statements (mldebt.parse.walk): enough for its column lists,
        # for a module whose source calls no training API (so it has no model inputs).
        self.module_level_only = module_level_only
        self.catalog = columns
        self.models = models
        self._env: dict[Scope, dict[str, object]] = {}
        # id(call) -> its index in walk order, and its qualified name, for the calls visited.
        self._index: dict[int, int] = {}
        self._qualified: dict[int, str | None] = {}
        # Each fit: its call, api, scope, features, label and the estimator's call.
        self._fits: list[_Fit] = []
        # Each function's parameters, while the walk is in it; the next placeholder source.
        self._params: dict[Scope, tuple[tuple[str, int, bool], ...]] = {}
        self._next_param = -1
        self._returns: dict[Scope, object] = {}
        # id(block) -> the branching whose branch it ends, and whether the next starts afresh.
        self._ends: dict[int, tuple[_Branching, bool]] = {}
        self._open: dict[int, _Branching] = {}
        self._tries: list[_Branching] = []
        # Module-level names and how often they are bound, and those bound to a literal list
        # (or a sum of lists): the column lists the facts keep.
        self._module_bound: dict[str, int] = {}
        self._module_lists: set[str] = set()

    # ----- results ----------------------------------------------------------------------------

    def model_inputs(self, places: Places) -> tuple[ModelInput, ...]:
        def place(call: int) -> str:
            span = places.calls[call]
            return f"{span.line}:{span.column}"

        def rename(source: str) -> str:
            return place(int(source))

        def flow(frame: _Frame | None, sources: set[int]) -> ColumnFlow:
            if frame is None:
                return ColumnFlow(UNKNOWN, UNKNOWN)
            return ColumnFlow(
                frame.columns.renamed_sources(rename),
                frame.indirect.renamed_sources(rename),
                tuple(sorted(place(s) for s in sources if s >= 0)),
            )

        return tuple(
            ModelInput(
                fit.api, places.calls[fit.call], fit.scope, flow(fit.features, fit.feature_sources),
                flow(fit.label, fit.label_sources) if fit.has_label else None,
                None if fit.model is None else places.calls[fit.model],
            )
            for fit in self._fits
        )

    def column_lists(self) -> dict[str, ColumnSet]:
        """Module-level names bound once to a list of column names."""
        env = self._env.get(self.semantic.module_scope, {})
        out: dict[str, ColumnSet] = {}
        for name in sorted(self._module_lists):
            value = env.get(name)
            if self._module_bound.get(name) != 1:
                continue
            names = self._listed(value)
            if names is not None:
                out[name] = names.as_set()
        return out

    # ----- scopes and names -------------------------------------------------------------------

    def _scope_env(self, scope: Scope | None = None) -> dict[str, object]:
        return self._env.setdefault(self.semantic.scope if scope is None else scope, {})

    def _lookup(self, name: str) -> object:
        scope: Scope | None = self.semantic.scope
        first = True
        while scope is not None:
            if first or scope.kind != "class":
                env = self._env.get(scope)
                if env is not None and name in env:
                    return env[name]
            first = False
            scope = scope.parent
        return _UNBOUND

    def _set(self, name: str, value: object) -> None:
        self._scope_env()[name] = value
        if self.semantic.at_module_level:
            self._module_bound[name] = self._module_bound.get(name, 0) + 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # The semantic model has entered the function: its parameters hide outer frames. Each
        # is a frame nobody knows the columns of, whose source stands for whatever a call
        # gives it (a method's `self` is none).
        scope = self.semantic.scope
        env = self._scope_env()
        params = node.params
        placeholders: list[tuple[str, int, bool]] = []
        method = scope.parent is not None and scope.parent.kind == "class"
        for i, param in enumerate((*params.posonly_params, *params.params, *params.kwonly_params)):
            name = param.name.value
            if method and i == 0:
                env[name] = None
                continue
            placeholder = self._next_param
            self._next_param -= 1
            env[name] = _Frame(UNKNOWN, sources=frozenset({placeholder}), certain=False)
            placeholders.append((name, placeholder, param not in params.kwonly_params))
        self._params[scope] = tuple(placeholders)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = None

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        scope = self.semantic.scope
        returns = self._returns.pop(scope, None)
        self._env.pop(scope, None)
        params = self._params.pop(scope, ())
        if scope.parent is not None:
            self._env.setdefault(scope.parent, {})[original_node.name.value] = _Function(returns, params)

    def leave_Return(self, original_node: cst.Return) -> None:
        if original_node.value is None:
            return
        value = self._value(original_node.value)
        scope = self.semantic.scope
        self._returns[scope] = value if scope not in self._returns else _join(self._returns[scope], value)

    # ----- statements -------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        semantic = self.semantic
        self._index[id(node)] = semantic.call_index
        covered = semantic.call_covered and isinstance(node.func, (cst.Name, cst.Attribute))
        self._qualified[id(node)] = semantic.qualify(node.func) if covered else semantic.call_name

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = self._bound_value(original_node.value)
        for target in original_node.targets:
            self._bind(target.target, value)
            if self.semantic.at_module_level and isinstance(target.target, cst.Name) and isinstance(
                original_node.value, (cst.List, cst.Tuple, cst.Set, cst.BinaryOperation)
            ):
                self._module_lists.add(target.target.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._bind(original_node.target, self._bound_value(original_node.value))

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        self._bind(original_node.target, self._bound_value(original_node.value))

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        target = original_node.target
        if not isinstance(target, cst.Name):
            return
        old = self._lookup(target.value)
        listed = self._listed(old)
        if listed is not None and isinstance(original_node.operator, cst.AddAssign):
            self._set(target.value, _concat([listed, self._names(original_node.value)]))
        elif not isinstance(old, _Frame):
            self._set(target.value, None)

    def visit_For(self, node: cst.For) -> None:
        self._open[id(node)] = _Branching(self.semantic.scope, dict(self._scope_env()))
        self._bind(node.target, None)

    def leave_For(self, original_node: cst.For) -> None:
        branching = self._open.pop(id(original_node))
        self._env[branching.scope] = _join_envs([branching.before, self._scope_env(branching.scope)])

    def visit_While(self, node: cst.While) -> None:
        self._open[id(node)] = _Branching(self.semantic.scope, dict(self._scope_env()))

    leave_While = leave_For

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, None)

    def visit_If(self, node: cst.If) -> None:
        branching = self._open[id(node)] = _Branching(self.semantic.scope, dict(self._scope_env()))
        self._ends[id(node.body)] = (branching, True)

    def leave_If(self, original_node: cst.If) -> None:
        branching = self._open.pop(id(original_node))
        self._env[branching.scope] = _join_envs([*branching.outs, self._scope_env(branching.scope)])

    def visit_Match(self, node: cst.Match) -> None:
        branching = self._open[id(node)] = _Branching(self.semantic.scope, dict(self._scope_env()))
        for case in node.cases:
            self._ends[id(case.body)] = (branching, True)

    leave_Match = leave_If

    def visit_Try(self, node: cst.Try | cst.TryStar) -> None:
        branching = _Branching(self.semantic.scope, dict(self._scope_env()))
        self._tries.append(branching)
        self._ends[id(node.body)] = (branching, False)

    visit_TryStar = visit_Try

    def visit_ExceptHandler(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> None:
        # A handler starts anywhere in the body: before it, or after it.
        branching = self._tries[-1]
        body = branching.body_out if branching.body_out is not None else branching.before
        self._env[branching.scope] = _join_envs([branching.before, body])

    visit_ExceptStarHandler = visit_ExceptHandler

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler | cst.ExceptStarHandler) -> None:
        branching = self._tries[-1]
        branching.outs.append(dict(self._scope_env(branching.scope)))
        body = branching.body_out if branching.body_out is not None else branching.before
        self._env[branching.scope] = dict(body)

    leave_ExceptStarHandler = leave_ExceptHandler

    def visit_Finally(self, node: cst.Finally) -> None:
        branching = self._tries[-1]
        self._env[branching.scope] = _join_envs([*branching.outs, self._scope_env(branching.scope)])
        branching.outs.clear()

    def leave_Try(self, original_node: cst.Try | cst.TryStar) -> None:
        branching = self._tries.pop()
        self._env[branching.scope] = _join_envs([*branching.outs, self._scope_env(branching.scope)])

    leave_TryStar = leave_Try

    def leave_IndentedBlock(self, original_node: cst.BaseSuite) -> None:
        ended = self._ends.pop(id(original_node), None)
        if ended is None:
            return
        branching, afresh = ended
        state = dict(self._scope_env(branching.scope))
        if afresh:
            branching.outs.append(state)
            self._env[branching.scope] = dict(branching.before)
        else:
            branching.body_out = state

    leave_SimpleStatementSuite = leave_IndentedBlock

    def visit_Del(self, node: cst.Del) -> None:
        target = node.target
        targets = [e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List)) else [target]
        for each in targets:
            if isinstance(each, cst.Subscript) and isinstance(each.value, cst.Name):
                frame = self._lookup(each.value.value)
                index = _index_of(each)
                if isinstance(frame, _Frame) and index is not None:
                    names = self._names(index)
                    self._set(each.value.value, frame.unknown() if names is None else frame.with_columns(
                        frame.columns.drop(names.names, names.lists)))
            elif isinstance(each, cst.Name):
                self._set(each.value, None)

    def leave_Call(self, original_node: cst.Call) -> None:
        node = original_node
        func = node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return
        if isinstance(func, cst.Name):
            function = self._lookup(func.value)
            if isinstance(function, _Function):
                # What the fits in the function (and in those it calls) are given, from here.
                arguments = self._arguments(node, function)
                if arguments:
                    for fit in self._fits:
                        fit.given(arguments)
                return
        qualified = self._qualified[id(node)]
        entry = self.catalog.function(qualified) if qualified is not None else None
        if entry is not None:
            if entry.op == "train":
                # `xgb.train(params, dtrain)` builds the model it trains.
                self._fit(node, qualified or "", entry, _Estimator(self._index[id(node)]))
            return
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        receiver = func.value.value if isinstance(func.value, cst.Name) else None
        if receiver is not None and method in _LIST_MUTATORS:
            listed = self._listed(self._lookup(receiver))
            if listed is not None:
                # `FEATURES.append("x")`: the list the name holds from now on.
                added = [self._names(a.value) for a in node.args] if method in _LIST_ADDS else [None]
                self._set(receiver, _concat([listed, *added]))
                return
        found = self._method_entry(node, func)
        if found is None:
            return
        if found.op == "train":
            self._fit(node, method, found, self._value(func.value))
        elif receiver is not None and (found.in_place or _keyword_true(node, "inplace")):
            # `df.drop(columns=["id"], inplace=True)`, `df.insert(0, "x", v)`: the frame changes.
            frame = self._lookup(receiver)
            if isinstance(frame, _Frame):
                self._set(receiver, self._frame_method(node, found, frame, result=False))

    def _fit(self, node: cst.Call, api: str, entry: ColumnEntry, receiver: object) -> None:
        features_node = argument(node, entry.arg, entry.keywords)
        if features_node is None:
            return
        label_node = argument(node, entry.label_arg, entry.label_keywords)
        features = self._fitted(features_node)
        label = self._fitted(label_node) if label_node is not None else None
        if isinstance(features, _Dataset):
            features, label = features.features, label if label is not None else features.label
        estimator = receiver if isinstance(receiver, _Estimator) else None
        frame = _frame(features)
        if frame is not None and estimator is not None and estimator.selects is not None:
            frame = frame.with_columns(estimator.selects)
        label_frame = _frame(label)
        has_label = label_node is not None or label_frame is not None
        self._fits.append(_Fit(
            self._index[id(node)], api, self.semantic.scope.qualname, frame, label_frame, has_label,
            None if estimator is None else estimator.call,
            set(frame.sources) if frame is not None else set(),
            set(label_frame.sources) if label_frame is not None else set(),
            _placeholder(frame), _placeholder(label_frame),
        ))

    def _fitted(self, node: cst.BaseExpression) -> object:
        """What a fit is given: `df["y"]` is a column there (`.values` or not), even of a frame
        nobody knows."""
        value = self._value(node)
        if value is not None:
            return value
        while isinstance(node, cst.Attribute) and node.attr.value in self.catalog.pass_attributes:
            node = node.value
        if isinstance(node, cst.Subscript) and isinstance(node.value, (cst.Name, cst.Attribute)):
            names = self._names(_index_of(node))
            if names is not None:
                return _Frame(names.as_set())
        return None

    def _bound_value(self, node: cst.BaseExpression) -> object:
        if _literal(node):
            # Most strings are no column: told only when one is used as one.
            return _Literal(node)
        value = self._value(node)
        if value is not None or isinstance(node, (cst.Dict, cst.Call)):
            # A dict's keys name columns only where a call takes them (`withColumns({...})`).
            return value
        return self._names(node)

    def _bind(self, target: cst.BaseExpression, value: object) -> None:
        if isinstance(target, cst.Name):
            self._set(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            parts = value.parts if isinstance(value, _Tuple) and len(value.parts) == len(target.elements) else None
            for i, element in enumerate(target.elements):
                self._bind(element.value, None if parts is None or isinstance(element, cst.StarredElement) else parts[i])
        elif isinstance(target, cst.Subscript):
            self._assign_columns(target)

    def _assign_columns(self, target: cst.Subscript) -> None:
        """`df["x"] = ...`, `df.loc[:, ["x", "y"]] = ...`: columns created."""
        base = target.value
        columns: cst.BaseExpression | None
        if isinstance(base, cst.Attribute) and base.attr.value in _BY_LABEL | _BY_POSITION:
            parts = [e.slice for e in target.slice]
            if len(parts) == 1 or _full_slice(parts[-1]):
                return  # rows set: the columns stay
            second = parts[1]
            by_label = base.attr.value in _BY_LABEL
            columns = second.value if by_label and isinstance(second, cst.Index) else None
            base = base.value
        else:
            columns = _index_of(target)
        if not isinstance(base, cst.Name):
            return
        frame = self._lookup(base.value)
        if not isinstance(frame, _Frame):
            return
        names = self._names(columns)
        created = frame.columns.with_unknown_columns() if names is None else frame.columns.create(names.names, names.lists)
        self._set(base.value, frame.with_columns(created))

    # ----- expressions ------------------------------------------------------------------------

    def _value(self, node: cst.BaseExpression) -> object:
        """The abstract value of an expression; None when nothing is known of it."""
        if isinstance(node, cst.Name):
            bound = self._lookup(node.value)
            return None if bound is _UNBOUND else bound
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, cst.Attribute):
            base = self._value(node.value)
            if not isinstance(base, _Frame):
                return None
            attribute = node.attr.value
            if attribute in self.catalog.pass_attributes:
                return base
            if not base.certain or attribute in self.catalog.frame_attributes or attribute.startswith("_"):
                return None
            # `df.duration`: the column.
            return base.with_columns(base.columns.select((attribute,)))
        if isinstance(node, (cst.BinaryOperation, cst.Comparison, cst.BooleanOperation, cst.UnaryOperation)):
            return self._derived(node)
        if isinstance(node, cst.IfExp):
            return _join(self._value(node.body), self._value(node.orelse))
        if isinstance(node, cst.Tuple):
            return _Tuple(tuple(None if isinstance(e, cst.StarredElement) else self._value(e.value) for e in node.elements))
        return None

    def _derived(self, node: cst.BaseExpression) -> _Frame | None:
        """`df["a"] * 2`, `df["age"] > 30`: a value computed from frames' columns."""
        frames: list[_Frame] = []
        unknown = False
        for operand in _operands(node):
            value = self._value(operand)
            if isinstance(value, _Frame):
                frames.append(value)
            elif not _is_literal(operand):
                unknown = True
        if not frames:
            return None
        merged = _union(frames)
        return merged.with_columns(merged.columns.with_unknown_columns()) if unknown else merged

    def _names(self, node: cst.BaseExpression | None) -> _Names | None:
        """The column names an expression gives; None when it cannot be told."""
        if node is None:
            return None
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = _text(node)
            return None if text is None else _Names((text,))
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return _concat([self._names(e.value) for e in node.elements])
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return _concat([self._names(node.left), self._names(node.right)])
        if isinstance(node, cst.Dict):
            keys = [e.key for e in node.elements if isinstance(e, cst.DictElement)]
            return None if len(keys) != len(node.elements) else _concat([self._names(k) for k in keys])
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._named_list(node)
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "alias" and node.args:
                return self._names(node.args[0].value)
            qualified = self.semantic.qualify(func) or ""
            if qualified.rpartition(".")[2] == "col" and qualified.startswith(("polars.", "pyspark.")):
                return _concat([self._names(a.value) for a in node.args if a.keyword is None])
        return None

    def _listed(self, value: object) -> _Names | None:
        """The column names a bound value is, if any."""
        if isinstance(value, _Literal):
            return self._names(value.node)
        return value if isinstance(value, _Names) else None

    def _named_list(self, node: cst.Name | cst.Attribute) -> _Names | None:
        """A name bound to column names here, or a list imported from another module: a list
        reference (`features.FEATURES`), resolved once every module's lists are known."""
        name = dotted(node)
        if name is None:
            return None
        head = name.partition(".")[0]
        bound = self._lookup(head)
        if bound is not _UNBOUND:
            return self._listed(bound) if head == name else None
        if head in self.semantic.aliases:
            qualified = self.semantic.qualify(node)
            if qualified is not None and "." in qualified:
                return _Names((), (qualified,))
        return None

    def _subscript(self, node: cst.Subscript) -> object:
        value = node.value
        if isinstance(value, cst.Attribute) and value.attr.value in _BY_LABEL | _BY_POSITION:
            frame = self._value(value.value)
            if isinstance(frame, _Frame):
                return self._located(frame, value.attr.value in _BY_LABEL, [e.slice for e in node.slice])
        base = self._value(value)
        index = _index_of(node)
        if isinstance(base, _Group):
            names = self._names(index)
            return replace(base, selected=None if names is None else names.as_set())
        if base is None and isinstance(index, (cst.List, cst.Tuple)):
            # Only a frame is indexed by a list of column names.
            names = self._names(index)
            return None if names is None else _Frame(names.as_set())
        if not isinstance(base, _Frame):
            return None
        if index is None:
            # `df[:100]`: rows.
            return base if all(isinstance(e.slice, cst.Slice) for e in node.slice) else base.unknown()
        return self._indexed(base, index)

    def _indexed(self, frame: _Frame, index: cst.BaseExpression) -> _Frame:
        names = self._names(index)
        if names is not None:
            return frame.with_columns(frame.columns.select(names.names, names.lists))
        if isinstance(index, _CONDITIONS) or (isinstance(index, cst.BinaryOperation) and isinstance(
            index.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)
        )):
            # `df[(df.age > 18) & (df.age < 65)]`: a condition chooses rows.
            return frame.decided_by(self._columns_read(index))
        mask = self._value(index)
        if isinstance(mask, _Frame):
            # `df[df["age"] > 30]`: rows chosen by columns.
            return frame.decided_by(mask.columns.union(mask.indirect), mask.sources)
        # A name nobody can tell: columns chosen, or rows.
        return frame.unknown().decided_by(None)

    def _located(self, frame: _Frame, by_label: bool, parts: list[cst.BaseSlice]) -> _Frame:
        rows, columns = parts[0], parts[1] if len(parts) > 1 else None
        if len(parts) > 2:
            return frame.unknown()
        if isinstance(rows, cst.Index):
            mask = self._value(rows.value)
            if isinstance(mask, _Frame):
                frame = frame.decided_by(mask.columns.union(mask.indirect), mask.sources)
            elif not _is_literal(rows.value) and self._names(rows.value) is None:
                frame = frame.decided_by(None)
        if columns is None or _full_slice(columns):
            return frame
        if not by_label or not isinstance(columns, cst.Index):
            return frame.unknown()
        names = self._names(columns.value)
        if names is None:
            return frame.unknown()
        return frame.with_columns(frame.columns.select(names.names, names.lists))

    def _call(self, node: cst.Call) -> object:
        func = node.func
        if isinstance(func, cst.Name):
            bound = self._lookup(func.value)
            if isinstance(bound, _Function) and bound.returns is not None:
                return _substituted(bound.returns, self._arguments(node, bound))
        qualified = self._qualified[id(node)]
        if qualified is not None:
            entry = self.catalog.function(qualified)
            if entry is not None:
                return self._function(node, entry)
            if self._builds_estimator(func, qualified):
                return self._estimator(node, qualified)
        if isinstance(func, cst.Attribute):
            receiver = self._value(func.value)
            entry = self._method_entry(node, func)
            if entry is not None and entry.op == "read":
                return self._read(node, entry)
            if isinstance(receiver, _Frame) and entry is None:
                # A method the catalog does not know: its data is the frame's and its arguments'.
                frames = [value for arg in node.args if isinstance(value := self._value(arg.value), _Frame)]
                return _union([receiver, *frames]).unknown()
            if isinstance(receiver, _Frame):
                return self._frame_method(node, entry, receiver, result=True)
            if isinstance(receiver, _Group):
                return self._group_method(node, entry, receiver)
            if isinstance(receiver, _Estimator) and entry is not None:
                return self._estimator_method(node, func.attr.value, entry, receiver)
            if receiver is not None:
                return None
        # A call the catalog does not know: a frame among its arguments makes a frame whose
        # columns nobody can tell.
        frames = [value for arg in node.args if isinstance(value := self._value(arg.value), _Frame)]
        return _union(frames).unknown() if frames else None

    def _arguments(self, node: cst.Call, function: _Function) -> dict[int, _Frame]:
        """The frames a call gives a function of this module, by its parameters' placeholders."""
        if any(arg.star for arg in node.args):
            return {}
        positional = [p for p in function.params if p[2]]
        by_name = {name: placeholder for name, placeholder, _ in function.params}
        out: dict[int, _Frame] = {}
        index = 0
        for arg in node.args:
            if arg.keyword is None:
                placeholder = positional[index][1] if index < len(positional) else None
                index += 1
            else:
                placeholder = by_name.get(arg.keyword.value)
            frame = _frame(self._value(arg.value)) if placeholder is not None else None
            if frame is not None and placeholder is not None:
                out[placeholder] = frame
        return out

    def _builds_estimator(self, func: cst.BaseExpression, qualified: str) -> bool:
        """A model, or any class imported from a library (`StandardScaler()`)."""
        if self.models.is_estimator(qualified) or qualified in self.models.wrapper_names:
            return True
        head = (dotted(func) or "").partition(".")[0]
        return head in self.semantic.aliases and qualified.rpartition(".")[2][:1].isupper()

    def _estimator(self, node: cst.Call, qualified: str) -> _Estimator:
        call = self._index[id(node)]
        if qualified in self.models.wrapper_names and node.args:
            # GridSearchCV(pipeline, ...): the columns of the estimator it wraps.
            inner = self._value(node.args[0].value)
            if isinstance(inner, _Estimator):
                return _Estimator(call, inner.selects)
        return _Estimator(call)

    def _method_entry(self, node: cst.Call, func: cst.Attribute) -> ColumnEntry | None:
        for entry in self.catalog.methods_named(func.attr.value):
            if entry.after and not set(chain_names(func.value)) & set(entry.after):
                continue
            if entry.requires and not any(a.keyword is not None and a.keyword.value in entry.requires for a in node.args):
                continue
            return entry
        return None

    # ----- what the catalog's operations do ---------------------------------------------------

    def _read(self, node: cst.Call, entry: ColumnEntry) -> _Frame:
        call = self._index[id(node)]
        given = _given(node, entry.arg, False, entry.keywords)
        if not given:
            columns = ColumnSet.from_source(str(call))
        else:
            names = _concat([self._names(arg) for arg in given])
            columns = UNKNOWN if names is None else names.as_set()
        return _Frame(columns, sources=frozenset({call}))

    def _function(self, node: cst.Call, entry: ColumnEntry) -> object:
        op = entry.op
        if op == "read":
            return self._read(node, entry)
        if op == "frame":
            return self._built_frame(node, entry)
        if op == "join":
            left = argument(node, entry.arg, entry.keywords)
            return self._joined(node, entry, _frame(self._value(left)) if left is not None else None)
        if op == "concat":
            frames = self._frames_of(argument(node, entry.frames_arg, entry.frames_keywords))
            return None if frames is None else self._concatenated(node, entry, frames)
        if op == "dataset":
            data = argument(node, entry.arg, entry.keywords)
            label = argument(node, entry.label_arg, entry.label_keywords)
            return _Dataset(
                _frame(self._value(data)) if data is not None else None,
                _frame(self._value(label)) if label is not None else None,
            )
        if op == "split":
            parts: list[object] = []
            for arg in node.args:
                if arg.keyword is not None:
                    continue
                if arg.star:
                    return None
                frame = _frame(self._value(arg.value))
                parts += [frame, frame]
            return _Tuple(tuple(parts))
        if op == "train":
            return _Estimator(self._index[id(node)])
        if op == "transformer":
            return _Estimator(self._index[id(node)], self._transformer_columns(node, entry))
        if op == "pipeline":
            steps = _given(node, entry.arg, entry.varargs, entry.keywords)
            first: cst.BaseExpression | None = steps[0] if steps else None
            if not entry.varargs and isinstance(first, (cst.List, cst.Tuple)):
                first = _last_of(first.elements[0].value) if first.elements else None
            inner = self._value(first) if first is not None else None
            return _Estimator(self._index[id(node)], inner.selects if isinstance(inner, _Estimator) else None)
        return None

    def _built_frame(self, node: cst.Call, entry: ColumnEntry) -> _Frame:
        given = _given(node, None, False, entry.keywords)
        data = argument(node, entry.arg, ())
        inner = _frame(self._value(data)) if data is not None else None
        sources = inner.sources if inner is not None else frozenset()
        if given:
            names = _concat([self._names(arg) for arg in given])
            return _Frame(UNKNOWN if names is None else names.as_set(), sources=sources)
        if inner is not None:
            return inner
        if isinstance(data, cst.Dict):
            names = self._names(data)
            return _Frame(UNKNOWN if names is None else names.as_set())
        return _Frame(UNKNOWN)

    def _transformer_columns(self, node: cst.Call, entry: ColumnEntry) -> ColumnSet | None:
        """The columns a ColumnTransformer takes; None when every column goes through."""
        remainder = argument(node, None, ("remainder",))
        if remainder is not None and _text(remainder) != "drop":
            return None
        given = _given(node, entry.arg, entry.varargs, entry.keywords)
        items = given if entry.varargs else [e.value for arg in given if isinstance(arg, (cst.List, cst.Tuple)) for e in arg.elements]
        if not entry.varargs and not all(isinstance(arg, (cst.List, cst.Tuple)) for arg in given):
            return UNKNOWN
        taken = EMPTY
        for item in items:
            if not isinstance(item, cst.Tuple) or len(item.elements) < 2:
                return UNKNOWN
            transformer = item.elements[-2].value
            if _text(transformer) == "drop":
                continue
            names = self._names(item.elements[-1].value)
            if names is None:
                return UNKNOWN
            taken = taken.union(names.as_set())
        return taken

    def _frames_of(self, node: cst.BaseExpression | None) -> list[_Frame | None] | None:
        """The frames of a list argument: a literal's elements, a comprehension's element."""
        if isinstance(node, (cst.List, cst.Tuple)):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return [None]
            return [_frame(self._value(e.value)) for e in node.elements]
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            return [_frame(self._value(node.elt))]
        return None if node is None else [_frame(self._value(node))]

    def _concatenated(self, node: cst.Call, entry: ColumnEntry, frames: list[_Frame | None]) -> _Frame | None:
        known = [f for f in frames if f is not None]
        if not known:
            return None
        inner = entry.inner_keyword is not None and _text(argument(node, None, (entry.inner_keyword,))) == "inner"
        merged = known[0]
        for other in known[1:]:
            columns = merged.columns.intersection(other.columns) if inner else merged.columns.union(other.columns)
            merged = _Frame(columns, merged.indirect.union(other.indirect), merged.sources | other.sources)
        return merged if len(known) == len(frames) else merged.unknown()

    def _joined(self, node: cst.Call, entry: ColumnEntry, left: _Frame | None) -> _Frame | None:
        other_node = argument(node, entry.other_arg, entry.other_keywords)
        right = _frame(self._value(other_node)) if other_node is not None else None
        if left is None:
            return None
        if right is None:
            joined = left.unknown()
        else:
            joined = _Frame(left.columns.union(right.columns), left.indirect.union(right.indirect), left.sources | right.sources)
        return joined.decided_by(self._indirect(node, entry))

    def _indirect(self, node: cst.Call, entry: ColumnEntry) -> ColumnSet | None:
        """The columns a call's keys name (join, sort and filter keys); EMPTY for none, None
        when they cannot be told."""
        given = _given(node, entry.indirect_arg, entry.varargs, entry.indirect_keywords)
        used = EMPTY
        for arg in given:
            read = self._columns_read(arg)
            if read is None:
                return None
            used = used.union(read)
        return used

    def _columns_read(self, node: cst.BaseExpression) -> ColumnSet | None:
        """The columns a key or a filter expression reads: `"age"`, `pl.col("age") > 30`,
        `df["age"] > 30`."""
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = _text(node)
            return None if text is None or _EXPRESSION.search(text) else ColumnSet.exact((text,))
        names = self._names(node)
        if names is not None:
            return names.as_set()
        value = self._value(node)
        if isinstance(value, _Frame):
            return value.columns.union(value.indirect)
        if isinstance(node, (cst.BinaryOperation, *_CONDITIONS)):
            used = EMPTY
            for operand in _operands(node):
                if _is_literal(operand):
                    continue
                read = self._columns_read(operand)
                if read is None:
                    return None
                used = used.union(read)
            return used
        return None

    def _frame_method(self, node: cst.Call, entry: ColumnEntry | None, frame: _Frame, result: bool) -> object:
        """What a method of the catalog does to a frame; ``result`` False: the frame it leaves
        behind (a call in place), rather than what it returns."""
        if entry is None:
            return frame.unknown()
        op = entry.op
        if op == "join":
            return self._joined(node, entry, frame)
        if op == "concat":
            others = [_frame(self._value(a)) for a in _given(node, entry.frames_arg, entry.varargs, entry.frames_keywords)]
            return self._concatenated(node, entry, [frame, *others])
        if op == "group":
            given = _given(node, entry.arg, entry.varargs, entry.keywords)
            keys = _concat([self._names(a) for a in given]) if given else None
            return _Group(frame.decided_by(None if keys is None else keys.as_set()), keys)
        if op == "aggregate":
            outputs = self._outputs(node, entry)
            return frame.with_columns(UNKNOWN if outputs is None or not node.args else outputs.as_set())
        if op == "write":
            return None
        if op not in ("pass", "unindex", "rename", "select", "create", "drop"):
            return frame.unknown()
        if entry.row_axis and _on_rows(node):
            return frame
        if op == "pass":
            return frame.decided_by(self._indirect(node, entry))
        if op == "unindex":
            if frame.keyed or _keyword_true(node, "drop"):
                return replace(frame, keyed=False)
            return frame.with_columns(frame.columns.with_unknown_columns())
        given = _given(node, entry.arg, entry.varargs, entry.keywords)
        if op == "rename":
            mapping = self._mapping(node, entry, given)
            return frame.unknown() if mapping is None else frame.with_columns(frame.columns.rename(mapping))
        names = _concat([self._names(a) for a in given]) if given else None
        if entry.named_keywords:
            named = [a.keyword.value for a in node.args if a.keyword is not None and a.keyword.value not in entry.keywords]
            if any(a.star for a in node.args):
                names = None
            elif named:
                names = _concat([names or _Names(), _Names(tuple(named))])
        if op == "select":
            return frame.unknown() if names is None else frame.with_columns(frame.columns.select(names.names, names.lists))
        if op == "create":
            if names is None:
                return frame.with_columns(frame.columns.with_unknown_columns())
            return frame.with_columns(frame.columns.create(names.names, names.lists))
        if op == "drop":
            if result and entry.returns_named:
                return frame.unknown() if names is None else frame.with_columns(frame.columns.select(names.names, names.lists))
            return frame.unknown() if names is None else frame.with_columns(frame.columns.drop(names.names, names.lists))
        return frame.unknown()

    def _outputs(self, node: cst.Call, entry: ColumnEntry) -> _Names | None:
        """The columns an aggregation names: its keywords (`agg(total=...)`), a dict's keys,
        aliased expressions; None when one cannot be told."""
        parts: list[_Names | None] = []
        for arg in node.args:
            if arg.star:
                return None
            if arg.keyword is not None:
                parts.append(_Names((arg.keyword.value,)) if entry.named_keywords else None)
            elif isinstance(arg.value, cst.Dict) or (
                isinstance(arg.value, cst.Call) and isinstance(arg.value.func, cst.Attribute)
                and arg.value.func.attr.value == "alias"
            ):
                parts.append(self._names(arg.value))
            else:
                parts.append(None)
        return _concat(parts)

    def _group_method(self, node: cst.Call, entry: ColumnEntry | None, group: _Group) -> _Frame:
        frame = group.frame
        keys = group.keys
        if entry is not None and entry.op == "aggregate" and keys is not None:
            if node.args:
                outputs = self._outputs(node, entry)
                if outputs is None:
                    return frame.unknown()
                return replace(frame.with_columns(ColumnSet.exact(keys.names + outputs.names, keys.lists + outputs.lists)), keyed=True)
            columns = group.selected if group.selected is not None else frame.columns
            return replace(frame.with_columns(columns.create(keys.names, keys.lists)), keyed=True)
        if entry is not None and entry.op == "transform" and group.selected is not None:
            # `df.groupby("a")["b"].transform("mean")`: one value per row of the frame.
            return frame.with_columns(group.selected)
        return frame.unknown()

    def _estimator_method(self, node: cst.Call, method: str, entry: ColumnEntry, estimator: _Estimator) -> object:
        """`fit` gives the estimator back; `transform`, `fit_transform` its output."""
        if entry.op == "transform" or (entry.op == "train" and "transform" in method):
            return self._transformed(node, entry, estimator)
        return estimator if entry.op == "train" else None

    def _transformed(self, node: cst.Call, entry: ColumnEntry, estimator: _Estimator) -> _Frame | None:
        """An estimator's output for a frame: its columns, as the estimator selects them."""
        data = argument(node, entry.arg, entry.keywords)
        frame = _frame(self._value(data)) if data is not None else None
        if frame is None:
            return None
        return frame if estimator.selects is None else frame.with_columns(estimator.selects)

    def _mapping(self, node: cst.Call, entry: ColumnEntry, given: list[cst.BaseExpression]) -> dict[str, str] | None:
        if entry.pair:
            old, new = argument(node, 0, ()), argument(node, 1, ())
            old_text, new_text = _text(old), _text(new)
            return None if old_text is None or new_text is None else {old_text: new_text}
        if len(given) != 1 or not isinstance(given[0], cst.Dict):
            return None
        mapping: dict[str, str] = {}
        for element in given[0].elements:
            if not isinstance(element, cst.DictElement):
                return None
            old_text, new_text = _text(element.key), _text(element.value)
            if old_text is None or new_text is None:
                return None
            mapping[old_text] = new_text
        return mapping


# ----- helpers on values and syntax -----------------------------------------------------------


def _frame(value: object) -> _Frame | None:
    return value if isinstance(value, _Frame) else None


def _placeholder(frame: _Frame | None) -> set[int]:
    """The parameter a frame is, as the function was given it: nothing known but that."""
    if frame is None or frame.columns != UNKNOWN or frame.indirect != EMPTY or len(frame.sources) != 1:
        return set()
    return {s for s in frame.sources if s < 0}


def _given_whole(frame: _Frame | None, params: set[int], arguments: dict[int, _Frame]) -> _Frame | None:
    """A fit's features (or label) once a call gives the parameter they are: the argument's
    columns, joined with those other calls gave."""
    for placeholder in params & arguments.keys():
        given = arguments[placeholder]
        params |= _placeholder(given)
        frame = given if frame is None or _placeholder(frame) else _frame(_join(frame, given))
    return frame


def _given_to(frame: _Frame | None, sources: set[int], arguments: dict[int, _Frame]) -> _Frame | None:
    """``sources`` with the reads of the arguments its placeholders stand for, and ``frame``
    with the columns that decided their rows."""
    for placeholder in sources & arguments.keys():
        given = arguments[placeholder]
        sources |= given.sources
        if frame is not None:
            frame = replace(frame, indirect=frame.indirect.union(given.indirect))
    return frame


def _substituted(value: object, arguments: dict[int, _Frame]) -> object:
    """A function's value as a call sees it: its parameters' placeholders replaced by the
    reads of the frames the call gives them, whose rows their filters decided."""
    if isinstance(value, _Frame):
        given = value.sources & arguments.keys()
        if not given:
            return value
        sources, indirect = value.sources - given, value.indirect
        for placeholder in given:
            sources |= arguments[placeholder].sources
            indirect = indirect.union(arguments[placeholder].indirect)
        return replace(value, sources=sources, indirect=indirect)
    if isinstance(value, _Tuple):
        return _Tuple(tuple(_substituted(part, arguments) for part in value.parts))
    if isinstance(value, _Dataset):
        return _Dataset(_frame(_substituted(value.features, arguments)), _frame(_substituted(value.label, arguments)))
    if isinstance(value, _Group):
        return replace(value, frame=_substituted(value.frame, arguments))
    return value


def _union(frames: list[_Frame]) -> _Frame:
    merged = frames[0]
    for other in frames[1:]:
        merged = _Frame(
            merged.columns.union(other.columns), merged.indirect.union(other.indirect), merged.sources | other.sources,
            certain=merged.certain and other.certain,
        )
    return merged


def _join(a: object, b: object) -> object:
    """Either value, where branches meet."""
    if a == b:
        return a
    if isinstance(a, _Frame) and isinstance(b, _Frame):
        return _Frame(
            a.columns.join(b.columns), a.indirect.join(b.indirect), a.sources | b.sources, a.keyed and b.keyed,
            a.certain and b.certain,
        )
    if isinstance(a, _Dataset) and isinstance(b, _Dataset):
        return _Dataset(_frame(_join(a.features, b.features)), _frame(_join(a.label, b.label)))
    if isinstance(a, _Group) and isinstance(b, _Group) and a.keys == b.keys:
        frame = _join(a.frame, b.frame)
        return _Group(frame, a.keys) if isinstance(frame, _Frame) else None
    if isinstance(a, _Estimator) and isinstance(b, _Estimator) and a.selects == b.selects:
        return a if a.call < b.call else b
    return None


def _join_envs(envs: list[dict[str, object]]) -> dict[str, object]:
    """The state where branches meet: a name bound in some branches only keeps its value."""
    out: dict[str, object] = {}
    for env in envs:
        for name, value in env.items():
            out[name] = _join(out[name], value) if name in out else value
    return out


def _concat(parts: Iterable[_Names | None]) -> _Names | None:
    names: list[str] = []
    lists: list[str] = []
    for part in parts:
        if part is None:
            return None
        names += part.names
        lists += part.lists
    return _Names(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(lists)))


def _text(node: cst.BaseExpression | None) -> str | None:
    if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    try:
        text = node.evaluated_value
    except (SyntaxError, ValueError):
        return None
    return text if isinstance(text, str) else None


def _literal(node: cst.BaseExpression) -> bool:
    """A string literal, or a list, tuple or set of only string literals."""
    if isinstance(node, cst.SimpleString):
        return True
    return isinstance(node, (cst.List, cst.Tuple, cst.Set)) and all(
        isinstance(e, cst.Element) and isinstance(e.value, cst.SimpleString) for e in node.elements
    )


def _is_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    return isinstance(node, cst.UnaryOperation) and _is_literal(node.expression)


def _operands(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
        yield node.left
        yield node.right
    elif isinstance(node, cst.Comparison):
        yield node.left
        for target in node.comparisons:
            yield target.comparator
    elif isinstance(node, cst.UnaryOperation):
        yield node.expression
    else:
        yield node


def _index_of(node: cst.Subscript) -> cst.BaseExpression | None:
    """The index of `x[index]`; None for a slice or several indices."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _full_slice(part: cst.BaseSlice) -> bool:
    return isinstance(part, cst.Slice) and part.lower is None and part.upper is None and part.step is None


def _last_of(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """A (name, step) pair's step."""
    return node.elements[-1].value if isinstance(node, cst.Tuple) and node.elements else None


def _given(node: cst.Call, position: int | None, varargs: bool, keywords: tuple[str, ...]) -> list[cst.BaseExpression]:
    """The arguments at ``position`` (and after it, with ``varargs``) and by ``keywords``;
    `*names` is its list."""
    out: list[cst.BaseExpression] = []
    index = 0
    for arg in node.args:
        if arg.keyword is not None:
            if arg.keyword.value in keywords:
                out.append(arg.value)
            continue
        if arg.star == "**":
            continue
        if position is not None and (index == position or (varargs and index > position)):
            out.append(arg.value)
        index += 1
    return out


def _keyword_true(node: cst.Call, keyword: str) -> bool:
    value = argument(node, None, (keyword,))
    return isinstance(value, cst.Name) and value.value == "True"


def _on_rows(node: cst.Call) -> bool:
    """`axis=0` or `axis="index"`: the call acts on rows. So does pandas' drop(index=...)."""
    axis = argument(node, None, ("axis",))
    if isinstance(axis, cst.Integer):
        return axis.value == "0"
    if _text(axis) in ("index", "rows"):
        return True
    return argument(node, None, ("index",)) is not None and argument(node, None, ("columns", "labels")) is None

