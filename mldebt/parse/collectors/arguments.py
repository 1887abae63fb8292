"""Command-line arguments: argparse's options and the names that hold them once parsed.

It collects no facts of its own: it teaches the semantic model that `args.data` is the option
`--data` (the command that runs the script gives it, else its default), and every collector
that asks the model for a value benefits.
"""

from __future__ import annotations

import libcst as cst

from mldebt.parse import values as v
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.syntax import argument, evaluated

# Parameter names that, by convention, hold parsed command-line arguments (`def main(args):`).
_CONVENTIONAL_ARGS = ("args", "opt", "opts", "flags", "FLAGS", "arguments")


class ArgumentCollector:
    def __init__(self, semantic: SemanticModel) -> None:
        self.semantic = semantic
        semantic.argument_names.update(_CONVENTIONAL_ARGS)
        self._positionals = 0
        # The functions of this module that return parsed arguments.
        self._parsing_functions: set[str] = set()

    def _parses_arguments(self, node: cst.BaseExpression) -> bool:
        """`parser.parse_args()`, `parser.parse_known_args()`, or a call of a function of
        this module that returns the former."""
        if isinstance(node, cst.Subscript):
            node = node.value
        if not isinstance(node, cst.Call):
            return False
        if isinstance(node.func, cst.Attribute):
            return node.func.attr.value in ("parse_args", "parse_known_args")
        return isinstance(node.func, cst.Name) and node.func.value in self._parsing_functions

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self._parses_arguments(node.value):
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.semantic.argument_names.add(target.target.value)
            elif isinstance(target.target, cst.Tuple) and target.target.elements:
                # `args, unknown = parser.parse_known_args()`
                first = target.target.elements[0].value
                if isinstance(first, cst.Name):
                    self.semantic.argument_names.add(first.value)

    def visit_Return(self, node: cst.Return) -> None:
        scope = self.semantic.scope
        if node.value is not None and self._parses_arguments(node.value) and scope.kind == "function":
            self._parsing_functions.add(scope.qualname.rpartition(".")[2])

    def visit_Call(self, node: cst.Call) -> None:
        if self.semantic.call_covered:
            return
        if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_argument"):
            return
        flags = []
        for arg in node.args:
            if arg.keyword is not None or not isinstance(arg.value, cst.SimpleString):
                break
            text = evaluated(arg.value)
            if isinstance(text, str):
                flags.append(text)
        if not flags:
            return
        dest_arg = argument(node, None, ("dest",))
        dest_text = evaluated(dest_arg) if isinstance(dest_arg, cst.SimpleString) else None
        if flags[0].startswith("-"):
            longest = next((f for f in flags if f.startswith("--")), flags[0])
            dest = dest_text if isinstance(dest_text, str) else longest.lstrip("-").replace("-", "_")
            keys = flags
        else:
            dest = flags[0]
            keys = [f"#{self._positionals}"]
            self._positionals += 1
        default = argument(node, None, ("default",))
        value = self.semantic.value_of(default) if default is not None else v.DYNAMIC
        if v.text_of(value) == "":
            # `default=""` is "not given": the path the code builds from it is the user's.
            value = v.DYNAMIC
        self.semantic.options[dest] = v.option(keys, value)
