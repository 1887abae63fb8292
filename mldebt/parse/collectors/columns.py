"""Data-frame columns the code names: selected (`df[["age"]]`), listed (`FEATURES = [...]`) or
passed (`usecols=`, a ColumnTransformer's column list). Where feature lineage starts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import libcst as cst

from mldebt.parse.facts import Column
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.syntax import dotted, evaluated

# Names that hold lists of feature columns, by convention.
_COLUMN_LIST_NAME = re.compile(r"feature|column|(^|_)cols?($|_)|predictor|covariate", re.IGNORECASE)
# Keyword arguments that name columns: pandas, polars, Spark ML, LightGBM, CatBoost, sklearn.
_COLUMN_KEYWORDS = frozenset({
    "columns", "usecols", "subset", "features", "feature_names", "feature_cols", "feature_columns", "inputCols",
    "inputCol", "input_cols", "featuresCol", "categorical_feature", "categorical_features", "cat_features",
    "numeric_features", "text_features",
})
_COLUMN_TRANSFORMERS = ("ColumnTransformer", "make_column_transformer")


class ColumnCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        self._columns: list[Column] = []
        # Names bound to a list or tuple of string literals (`FEATURES = ["age", "income"]`).
        self._string_lists: dict[str, tuple[str, ...]] = {}

    def columns(self) -> tuple[Column, ...]:
        # Each column once per scope: where the code names it again, it is the same feature.
        return tuple(dict.fromkeys(self._columns))

    def _add(self, names: Iterable[str], via: str) -> None:
        scope = self.semantic.scope.qualname
        self._columns.extend(Column(name, scope, via) for name in names if name)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._note_string_list(target.target.value, node.value)

    def _note_string_list(self, name: str, value: cst.BaseExpression) -> None:
        strings = self._column_names(value)
        if strings is None:
            self._string_lists.pop(name, None)
            return
        self._string_lists[name] = strings
        if _COLUMN_LIST_NAME.search(name):
            self._add(strings, f"list:{name}")

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
        frame = dotted(node.value)
        for element in node.slice:
            index = element.slice
            if not isinstance(index, cst.Index):
                continue
            names = self._column_names(index.value)
            if names is not None:
                # `df[["age", "income"]]`, `df.loc[:, FEATURES]`: a dict is never indexed by a list.
                self._add(names, "subscript")
            elif frame in self.semantic.frames and isinstance(index.value, cst.SimpleString):
                text = evaluated(index.value)
                if isinstance(text, str):
                    self._add((text,), "subscript")

    def visit_Call(self, node: cst.Call) -> None:
        if self.semantic.call_covered:
            return
        qualified = self.semantic.call_name
        # `df.drop(columns=["id"])` names the columns that are *not* used.
        dropped = isinstance(node.func, cst.Attribute) and node.func.attr.value == "drop"
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword in _COLUMN_KEYWORDS:
                names = self._column_names(arg.value)
                if names is None and isinstance(arg.value, cst.SimpleString):
                    text = evaluated(arg.value)
                    names = (text,) if isinstance(text, str) else None
                if names is not None:
                    self._add(names, f"{'drop' if dropped else 'keyword'}:{keyword}")
            elif qualified is not None and qualified.endswith(_COLUMN_TRANSFORMERS):
                # ("scale", StandardScaler(), ["age", "income"]) in a list of transformers.
                for part in _tuples_in(arg.value):
                    for element in part.elements:
                        names = self._column_names(element.value)
                        if names is not None:
                            self._add(names, f"transformer:{qualified.rpartition('.')[2]}")


def _string_list(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The strings of a non-empty list or tuple made only of string literals, else None."""
    if not isinstance(node, (cst.List, cst.Tuple)) or not node.elements:
        return None
    strings = []
    for element in node.elements:
        value = element.value
        text = evaluated(value) if isinstance(value, cst.SimpleString) else None
        if not isinstance(text, str):
            return None
        strings.append(text)
    return tuple(strings)


def _tuples_in(node: cst.BaseExpression) -> Iterator[cst.Tuple]:
    """The tuples of a list or tuple of tuples (ColumnTransformer's transformers)."""
    if isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            if isinstance(element.value, cst.Tuple):
                yield element.value
    if isinstance(node, cst.Tuple):
        yield node
