"""Every rule, by family: MLD0xx analysis problems, MLD1xx data dependencies, MLD4xx ownership."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mldebt.rules.analysis import (
    AnalysisLimit,
    InvalidManifest,
    InvalidNotebook,
    SyntaxErrorRule,
    UndecodableFile,
    UnreadableFile,
    UnusedSuppression,
)
from mldebt.rules.base import Rule
from mldebt.rules.data import HardCodedDataPath, UndeclaredConsumer, UndeclaredDataDependency
from mldebt.rules.ownership import ComplexityOwnershipRisk, LowBusFactor, UnownedPipeline

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UndecodableFile,
    UnreadableFile,
    InvalidNotebook,
    AnalysisLimit,
    InvalidManifest,
    UnusedSuppression,
    UndeclaredDataDependency,
    HardCodedDataPath,
    UndeclaredConsumer,
    UnownedPipeline,
    LowBusFactor,
    ComplexityOwnershipRisk,
)
UNUSED_SUPPRESSION = UnusedSuppression


def rule_options() -> dict[str, Mapping[str, Any]]:
    """Each rule's name -> the options `[tool.mldebt.rules.<name>]` accepts, with their defaults."""
    return {rule.name: rule.options for rule in ALL_RULES}


def find_rule(code_or_name: str) -> type[Rule] | None:
    wanted = code_or_name.strip()
    for rule in ALL_RULES:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None
