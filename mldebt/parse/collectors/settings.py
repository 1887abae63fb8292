"""A module's configuration constants, and the ones it reads from other modules.

A configuration constant is an upper-case name bound at module level (`LEARNING_RATE = 0.01`,
`FEATURES = [...]`), as PEP 8 spells constants. Kept for each: whether the module reads it
itself (then changing it changes whatever the module computes). Kept too: the constants this
module reads as attributes of a module it imported (`config.LEARNING_RATE` after `import
config`), by their qualified names, so that a change of one constant reaches the modules that
read it and not every importer of its module. `from config import LEARNING_RATE` is already an
import fact.
"""

from __future__ import annotations

import libcst as cst

from mldebt.parse.semantic import SemanticModel


def is_constant_name(name: str) -> bool:
    """`LEARNING_RATE`, `N_SPLITS`, `X2`; not `__ALL__`, and not one letter: `X` and `Y` are the
    feature matrix and the labels of a script, not settings."""
    return len(name) > 1 and name.isupper() and not name.startswith("__")


class SettingsCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        # Constant -> read by the module itself; in order of definition.
        self._defined: dict[str, bool] = {}
        self._read: set[str] = set()
        # The Name nodes that are not reads of a constant of this module: binding targets, and
        # the attribute part of `x.NAME`.
        self._not_reads: set[int] = set()
        self._referenced: dict[str, None] = {}

    def constants(self) -> tuple[tuple[str, bool], ...]:
        return tuple((name, name in self._read) for name in self._defined)

    def referenced(self) -> tuple[str, ...]:
        return tuple(self._referenced)

    def _bind(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._not_reads.add(id(target))
            if self.semantic.at_module_level and is_constant_name(target.value):
                self._defined.setdefault(target.value, False)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_reads.add(id(node.attr))
        if not is_constant_name(node.attr.value) or not isinstance(node.value, (cst.Name, cst.Attribute)):
            return
        head = node.value
        while isinstance(head, cst.Attribute):
            head = head.value
        # Only through a module this one imported: `cfg.LR` where `import config as cfg`.
        if isinstance(head, cst.Name) and head.value in self.semantic.aliases:
            qualified = self.semantic.qualify(node)
            if qualified is not None:
                self._referenced[qualified] = None

    def visit_Name(self, node: cst.Name) -> None:
        # The walk's most frequent visit: most names fail the first, cheapest test.
        if node.value.isupper() and is_constant_name(node.value) and id(node) not in self._not_reads:
            self._read.add(node.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        # Read before (or without) being defined here is a read all the same.
        for name in self._read & self._defined.keys():
            self._defined[name] = True
