"""`mldebt rules` and `mldebt explain`: what each rule is, from its own docs."""

from __future__ import annotations

import json

import click

from mldebt.commands import EXIT_CLEAN, error
from mldebt.rules import all_rules, find_rule


def run_rules(fmt: str) -> int:
    """Every rule, one a line (text) or as a JSON array of code, name, category, severity, summary."""
    if fmt == "json":
        rows = [
            {"code": r.code, "name": r.name, "category": r.category.value, "severity": r.severity.value,
             "summary": r.summary()}
            for r in all_rules()
        ]
        click.echo(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    for rule in all_rules():
        click.echo(f"{rule.code}  {rule.name:<30} {rule.category.value:<28} {rule.summary()}")
    return EXIT_CLEAN


def run_explain(code_or_name: str) -> int:
    """The documentation of one rule, found by its code (MLD101) or its name."""
    found = find_rule(code_or_name)
    if found is None:
        return error(f"unknown rule {code_or_name!r}; `mldebt rules` lists them")
    click.echo(f"# {found.name} ({found.code})\n\nCategory: {found.category.value}; default severity: "
               f"{found.severity.value}\n\n{found.docs()}")
    return EXIT_CLEAN
