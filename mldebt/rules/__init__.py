"""Every rule, by family: MLD0xx analysis problems, MLD1xx data dependencies, MLD2xx ML code
smells, MLD4xx ownership.

One rule is one module, mldebt/rules/<family>/<rule_name>.py; mldebt.rules.registry finds them.
"""

from __future__ import annotations

from mldebt.config import RuleOptions
from mldebt.rules.analysis.unused_suppression import UnusedSuppression
from mldebt.rules.base import Rule
from mldebt.rules.registry import all_rules, is_preview

__all__ = ["UNUSED_SUPPRESSION", "all_rules", "find_rule", "is_preview", "rule_options"]

# The engine itself reports unused suppressions: only it knows which ones the other rules used.
UNUSED_SUPPRESSION = UnusedSuppression


def rule_options() -> dict[str, type[RuleOptions]]:
    """Each rule's name -> the options `[tool.mldebt.rules.<name>]` accepts (its Options class)."""
    return {rule.name: rule.Options for rule in all_rules()}


def find_rule(code_or_name: str) -> type[Rule] | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None
