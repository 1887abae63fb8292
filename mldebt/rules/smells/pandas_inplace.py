"""MLD201: a pandas method called with `inplace=True` as a statement of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mldebt.findings import Category
from mldebt.parse.fixes import Replace
from mldebt.rules import nodes as cst
from mldebt.rules.base import FileRule, Invalid, Valid

if TYPE_CHECKING:
    import libcst

    from mldebt.parse.semantic import SemanticModel

# DataFrame and Series methods whose `inplace=True` makes them return None. Only these: the
# name alone is the evidence that the receiver is a data frame, so no method that another
# common library also calls with `inplace` (torch's activations take it too) is listed.
_METHODS = frozenset({
    "bfill", "clip", "drop", "drop_duplicates", "dropna", "ffill", "fillna", "interpolate", "mask", "query",
    "rename", "rename_axis", "replace", "reset_index", "set_index", "sort_index", "sort_values", "where",
})


class PandasInplace(FileRule):
    """
    ## What it does
    Reports a pandas method called with `inplace=True` as a statement of its own, such as
    `df.dropna(inplace=True)`.

    ## Why is this bad?
    With `inplace=True` the method returns None and changes the frame where it is, so the
    data flow no longer shows in the code: a reader cannot tell which version of `df` a later
    line sees, and a chain of steps cannot be written as one. It seldom saves memory, since
    pandas copies the data internally either way, and the pandas developers plan to deprecate
    it for most methods (PDEP-8).

    ## Example
    ```python
    df = pd.read_csv("data/raw.csv")
    df.dropna(inplace=True)
    ```

    ## Use instead
    ```python
    df = pd.read_csv("data/raw.csv")
    df = df.dropna()
    ```

    ## Fix
    `mldebt check --fix` rewrites `df.m(..., inplace=True)` as `df = df.m(...)` when `df` is a
    plain name bound earlier in the same function (or module) and is not a parameter of it,
    and no comment sits where the `inplace` argument goes.
    Only then is rebinding the name the same as changing the frame: a frame a caller passed
    in, or a name bound in an outer scope, would stop seeing the change. Code that keeps a
    second name for the same frame (`raw = df`) no longer sees it either: review the lines
    the fix changed, as `--diff` shows them.

    ## References
    - [PDEP-8: in-place methods in pandas](https://pandas.pydata.org/pdeps/0008-inplace-methods-in-pandas.html)
    - [ruff PD002](https://docs.astral.sh/ruff/rules/pandas-use-of-inplace-argument/)
    """

    code = "MLD201"
    name = "pandas-inplace"
    category = Category.ML_CODE_SMELL
    preview = True
    VALID = [
        Valid({"clean.py": "import pandas as pd\ndf = pd.read_csv('data/raw.csv')\ndf = df.dropna()\n"}),
        # Its value is used, or it is not in place at all.
        Valid({"used.py": "result = df.dropna(inplace=True)\ndf.dropna(inplace=False)\n"}),
        # Not a pandas method: torch's activations take `inplace` too.
        Valid({"model.py": "import torch.nn.functional as F\nF.relu(x, inplace=True)\n"}),
    ]
    INVALID = [
        Invalid(
            {"clean.py": "import pandas as pd\n\ndf = pd.read_csv('data/raw.csv')\n"
                         "df.dropna(axis=0, inplace=True)  # the empty rows\n"},
            path="clean.py", line=4, column=1,
            message="`df.dropna(..., inplace=True)` returns None and hides the data flow: use `df = df.dropna(...)`",
            fixed="import pandas as pd\n\ndf = pd.read_csv('data/raw.csv')\ndf = df.dropna(axis=0)  # the empty rows\n",
        ),
        Invalid(
            {"prepare.py": "def prepare(frame):\n    frame.sort_values(\n        'age',\n        inplace=True,\n    )\n"},
            path="prepare.py", line=2, column=5,
            message="`frame.sort_values(..., inplace=True)` returns None and hides the data flow: "
                    "use `frame = frame.sort_values(...)`",
            # A parameter: the caller's frame changes today, so there is no fix.
            fixed=None,
        ),
    ]

    def __init__(self, semantic: SemanticModel | None = None) -> None:
        super().__init__(semantic)
        # The parameters of each function being visited, innermost last.
        self._parameters: list[set[str]] = []

    def visit_FunctionDef(self, node: libcst.FunctionDef) -> None:
        params = node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        names |= {star.name.value for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)}
        self._parameters.append(names)

    def leave_FunctionDef(self, original_node: libcst.FunctionDef) -> None:
        self._parameters.pop()

    def visit_Expr(self, node: libcst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        receiver = call.func.value
        if method not in _METHODS or not isinstance(receiver, cst.Name):
            return
        inplace = [i for i, arg in enumerate(call.args) if arg.keyword is not None and arg.keyword.value == "inplace"]
        if len(inplace) != 1:
            return
        flag = call.args[inplace[0]].value
        if not (isinstance(flag, cst.Name) and flag.value == "True"):
            return
        name = receiver.value
        message = (
            f"`{name}.{method}(..., inplace=True)` returns None and hides the data flow: "
            f"use `{name} = {name}.{method}(...)`"
        )
        self.report(node, message, fix=self._fix(node, call, inplace[0], name))

    def _fix(self, node: libcst.Expr, call: libcst.Call, index: int, name: str) -> Replace | None:
        """`name = name.m(...)` without the `inplace` argument, when that rebinding is safe."""
        bound_here = name in self.semantic.scope.assigns
        if not bound_here or (self._parameters and name in self._parameters[-1]):
            return None
        args = list(call.args)
        removed = args.pop(index)
        if "#" in _code(removed) or (not args and "#" in _code(call.whitespace_before_args)):
            # A comment goes where the argument goes: no fix is better than losing it.
            return None
        if args and index == len(args):
            # The argument before it is now the last: it takes the removed one's comma, or none.
            args[-1] = args[-1].with_changes(comma=removed.comma)
        value = call.with_changes(args=args, whitespace_before_args=call.whitespace_before_args if args else cst.SimpleWhitespace(""))
        assign = cst.Assign(targets=[cst.AssignTarget(target=cst.Name(name))], value=value, semicolon=node.semicolon)
        return Replace(node, assign)


def _code(node: libcst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
