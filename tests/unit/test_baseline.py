"""Baseline files: stable, split into new/known/fixed, and shrink-only updates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mldebt.baseline import BaselineError, build_baseline, dump_baseline, load_baseline, shrink, split
from mldebt.findings import Category, Finding, Location, Severity


def _f(fp: str, path: str = "a.py", code: str = "MLD101") -> Finding:
    return Finding(code, "n", Category.UNDECLARED_DATA_DEPENDENCY, Severity.WARNING, Location(path), f"msg {fp}", fingerprint=fp)


def test_round_trip_is_stable_and_sorted(tmp_path: Path) -> None:
    findings = [_f("b", "z.py"), _f("a", "a.py"), _f("a", "a.py")]
    text = dump_baseline(build_baseline(findings, 3.0), "0.1.0")
    assert text == dump_baseline(build_baseline(list(reversed(findings)), 3.0), "0.1.0")
    path = tmp_path / "b.json"
    path.write_text(text)
    loaded = load_baseline(path)
    assert [(e.path, e.fingerprint, e.count) for e in loaded.entries] == [("a.py", "a", 2), ("z.py", "b", 1)]
    assert loaded.debt_score == 3.0
    assert dump_baseline(loaded, "0.1.0") == text


def test_split_counts_new_known_and_fixed() -> None:
    baseline = build_baseline([_f("a"), _f("a"), _f("b"), _f("c")])
    parts = split([_f("a"), _f("a"), _f("a"), _f("b"), _f("d")], baseline)
    assert [f.fingerprint for f in parts.new] == ["a", "d"]
    assert [f.fingerprint for f in parts.known] == ["a", "a", "b"]
    assert [(e.fingerprint, e.count) for e in parts.fixed] == [("c", 1)]


def test_shrink_never_grows() -> None:
    baseline = build_baseline([_f("a"), _f("a"), _f("b")], 5.0)
    shrunk = shrink(baseline, [_f("a"), _f("new"), _f("new")], 7.0)
    assert [(e.fingerprint, e.count) for e in shrunk.entries] == [("a", 1)]
    assert shrunk.debt_score == 5.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline"),
        ("not json", "not JSON"),
        ('{"version": 9, "findings": []}', "not an mldebt baseline"),
        ('{"version": 1, "findings": [{"code": "MLD101"}]}', "findings[0]"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "count": 0}]}', "positive count"),
    ],
)
def test_bad_baselines_are_clear_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError, match=re.escape(message)):
        load_baseline(path)
