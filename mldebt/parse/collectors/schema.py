"""The tables the repository's own database schema defines: SQLAlchemy's declarative models
(`__tablename__`, with `__table_args__ = {"schema": ...}`), Core's `Table("name", metadata,
schema=...)` and alembic's `op.create_table(...)`. The schema declares them: code that reads
them reads what the repository's own models write through the ORM, where no SQL is seen.
"""

from __future__ import annotations

import libcst as cst

from mldebt.parse.positions import Places
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.syntax import argument, evaluated

# Calls that define a table: by name (first argument) and `schema=`.
_TABLE_CALLS = frozenset({"sqlalchemy.Table", "sqlalchemy.schema.Table", "alembic.op.create_table"})


class SchemaCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        # The `__tablename__` and schema of each class body being walked, innermost last, with
        # the class's index among definitions; and every table found, with whether a class or
        # a call defines it and that definition's or call's index.
        self._classes: list[tuple[int, dict[str, str]]] = []
        self._tables: list[tuple[str, bool, int]] = []

    def tables(self, places: Places) -> tuple[tuple[str, int], ...]:
        """Each table, `schema.name` when a schema is given, with the line defining it."""
        return tuple(
            (name, (places.defs if by_class else places.calls)[index].line) for name, by_class, index in self._tables
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append((self.semantic.scope.def_index, {}))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        index, found = self._classes.pop()
        if found.get("__tablename__"):
            self._add(found["__tablename__"], found.get("schema", ""), True, index)

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self._classes or self.semantic.scope.kind != "class" or len(node.targets) != 1:
            return
        target = node.targets[0].target
        if not isinstance(target, cst.Name):
            return
        if target.value == "__tablename__":
            name = _text(node.value)
            if name:
                self._classes[-1][1]["__tablename__"] = name
        elif target.value == "__table_args__":
            # A dict, or a tuple of constraints ending with one.
            options = node.value
            if isinstance(options, cst.Tuple) and options.elements:
                options = options.elements[-1].value
            schema = _schema(options)
            if schema:
                self._classes[-1][1]["schema"] = schema

    def visit_Call(self, node: cst.Call) -> None:
        if self.semantic.call_name not in _TABLE_CALLS:
            return
        name = argument(node, 0, ("name", "table_name"))
        schema = argument(node, None, ("schema",))
        text = _text(name) if name is not None else None
        if text:
            self._add(text, (_text(schema) or "") if schema is not None else "", False, self.semantic.call_index)

    def _add(self, name: str, schema: str, by_class: bool, index: int) -> None:
        self._tables.append((f"{schema}.{name}" if schema else name, by_class, index))


def _text(node: cst.BaseExpression) -> str | None:
    text = evaluated(node) if isinstance(node, cst.SimpleString) else None
    return text if isinstance(text, str) else None


def _schema(node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.Dict):
        return None
    for element in node.elements:
        if isinstance(element, cst.DictElement) and _text(element.key) == "schema":
            return _text(element.value)
    return None
