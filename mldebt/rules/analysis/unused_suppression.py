"""MLD007: a suppression comment that suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt.findings import Category, Finding, Severity
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a `# mldebt: ignore[...]` comment that suppresses nothing: no finding of the
    listed codes is on its line, or, for a comment alone on its line, on the line below.

    ## Why is this bad?
    Stale suppressions hide the next real finding at that place, and mislead readers about
    the code's dependencies.

    ## Example
    ```python
    df = pd.read_csv(path)  # mldebt: ignore[MLD101]
    ```
    (`path` is dynamic, so MLD101 cannot fire here.)

    ## Use instead
    Remove the comment.
    """

    code = "MLD007"
    name = "unused-suppression"
    category = Category.ANALYSIS_ERROR
    severity = Severity.INFO
    VALID = [
        Valid(
            {
                "pyproject.toml": "[tool.mldebt.data]\ninputs = []\n",
                "a.py": "import pandas as pd\npd.read_csv('data/x.csv')  # mldebt: ignore[MLD101] legacy\n",
            }
        )
    ]
    INVALID = [
        Invalid(
            {"a.py": "x = 1  # mldebt: ignore[MLD101]\n"},
            path="a.py", line=1, column=1,
            message="unused suppression `# mldebt: ignore[MLD101]`: nothing to suppress here",
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Found by the engine, which alone knows which suppressions the other rules used.
        return iter(())
