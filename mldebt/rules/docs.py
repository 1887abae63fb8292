"""The rule pages in the repository's rules/ folder, generated from each rule's docstring.

`python -m mldebt.rules.docs rules/` rewrites them; a test fails when they are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mldebt.rules import all_rules
from mldebt.rules.base import Rule


def page_name(rule: type[Rule]) -> str:
    return f"{rule.code}-{rule.name}.md"


def render_page(rule: type[Rule]) -> str:
    head = (
        f"# {rule.name} ({rule.code})\n\n"
        f"Category: `{rule.category.value}` · Default severity: `{rule.severity.value}`"
        + (f" · Configured in `[tool.mldebt.rules.{rule.name}]`" if rule.Options.declared() else "")
        + (" · Preview: runs with `--preview` (or `preview = true`)" if rule.preview else "")
        + "\n\n"
    )
    return head + rule.docs() + "\n"


def render_index() -> str:
    lines = [
        "# mldebt rules",
        "",
        "Generated from the rules' docstrings by `python -m mldebt.rules.docs rules/`; do not edit by hand.",
        "",
        "| Code | Name | Category | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        lines.append(f"| [{rule.code}]({page_name(rule)}) | {rule.name} | {rule.category.value} | {rule.summary()} |")
    return "\n".join(lines) + "\n"


def expected_files() -> dict[str, str]:
    files = {page_name(rule): render_page(rule) for rule in all_rules()}
    files["README.md"] = render_index()
    return files


def write_docs(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    expected = expected_files()
    for stale in directory.glob("MLD*.md"):
        if stale.name not in expected:
            stale.unlink()
    for name, text in expected.items():
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "rules"))
