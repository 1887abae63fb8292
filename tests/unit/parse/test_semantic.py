"""The semantic model alone on a walk: names qualified through imports, values through scopes."""

from __future__ import annotations

import libcst as cst

from mldebt.parse import values as v
from mldebt.parse.facts import Import
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.walk import walk

SOURCE = """\
import pandas as pd
from .config import ROOT
DATA = ROOT + "/data"
class Paths:
    RAW = "raw"
    CSV = RAW + ".csv"
def load(path="x.csv"):
    DATA = "shadowed"
    return pd.read_csv(path)
"""


def _model(source: str, module: str = "pkg.train") -> SemanticModel:
    semantic = SemanticModel(module, module.replace(".", "/") + ".py", is_package=False)
    walk(cst.parse_module(source), [semantic])
    return semantic


def test_imports_are_qualified_and_relative_ones_anchored() -> None:
    semantic = _model(SOURCE)
    assert semantic.imports == [Import("pandas", None, "pd"), Import("pkg.config", "ROOT", "ROOT")]
    assert semantic.qualify(cst.parse_expression("pd.read_csv")) == "pandas.read_csv"
    assert semantic.qualify(cst.parse_expression("load")) == "load"
    assert semantic.qualify(cst.parse_expression("f()")) is None


def test_imports_for_a_type_checker_only_are_no_imports_but_still_qualify_names() -> None:
    semantic = _model("""\
import typing
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from pkg import GPT
    if True:
        import pkg.model as model
if typing.TYPE_CHECKING: from pkg.config import Config
else:
    from pkg.runtime import Config
if TYPE_CHECKING and False:
    import pkg.maybe
import json
""")
    assert semantic.imports == [
        Import("typing", None, "typing"),
        Import("typing", "TYPE_CHECKING", "TYPE_CHECKING"),
        Import("pkg.runtime", "Config", "Config"),
        Import("pkg.maybe", None, "pkg"),
        Import("json", None, "json"),
    ]
    assert semantic.qualify(cst.parse_expression("GPT")) == "pkg.GPT"


def test_constants_resolve_module_names_and_class_attributes() -> None:
    constants = _model(SOURCE).constants()
    # A function's own binding of DATA is not the module's.
    assert constants["DATA"] == v.concat([v.reference("pkg.config", "ROOT"), v.literal("/data")])
    assert constants["Paths.CSV"] == v.literal("raw.csv")
    assert "load" not in constants
    assert constants["ROOT"] == v.reference("pkg.config", "ROOT")


def test_the_walk_counts_calls_and_definitions_for_positions() -> None:
    semantic = _model(SOURCE)
    assert (semantic.call_count, semantic.def_count) == (1, 2)
    assert semantic.scope is semantic.module_scope
