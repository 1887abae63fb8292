"""rules/ holds one page per rule and an index, generated from the rules' docstrings."""

from __future__ import annotations

from pathlib import Path

from mldebt.rules.docs import expected_files

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def test_rule_pages_are_in_sync_with_docstrings() -> None:
    expected = expected_files()
    actual = {p.name: p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.md")}
    stale = sorted(name for name in expected if actual.get(name) != expected[name])
    extra = sorted(set(actual) - set(expected))
    assert not stale and not extra, (
        f"rules/ is out of date (stale: {stale}, extra: {extra}); run `python -m mldebt.rules.docs rules`"
    )
