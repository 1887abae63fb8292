"""Baseline files: stable and diff-friendly, split into new/known/fixed, and shrink-only updates."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mldebt.baseline import (
    Baseline,
    BaselineEntry,
    BaselineError,
    build_baseline,
    dump_baseline,
    load_baseline,
    shrink,
    split,
)
from mldebt.engine.fingerprints import fingerprint
from mldebt.findings import Category, Finding, Location, Severity


def _f(fp: str, path: str = "a.py", code: str = "MLD101", message: str | None = None, line: int = 1) -> Finding:
    return Finding(code, "n", Category.UNDECLARED_DATA_DEPENDENCY, Severity.WARNING, Location(path, line),
                   f"msg {fp}" if message is None else message, fingerprint=fp)


def _counts(entries: tuple[BaselineEntry, ...]) -> list[tuple[str, int]]:
    return [(e.fingerprint, e.count) for e in entries]


def _load(tmp_path: Path, text: str) -> Baseline:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    return load_baseline(path)


def test_build_groups_by_fingerprint_and_sorts_by_path_code_fingerprint() -> None:
    baseline = build_baseline(
        [_f("z", "b.py"), _f("y", "a.py", "MLD102"), _f("x", "a.py", "MLD102"), _f("w", "a.py"), _f("w", "a.py")], 4.5
    )
    assert [(e.path, e.code, e.fingerprint, e.count) for e in baseline.entries] == [
        ("a.py", "MLD101", "w", 2), ("a.py", "MLD102", "x", 1), ("a.py", "MLD102", "y", 1), ("b.py", "MLD101", "z", 1),
    ]
    assert baseline.entries[0].message == "msg w" and baseline.debt_score == 4.5


def test_the_message_kept_for_a_shared_fingerprint_does_not_depend_on_order() -> None:
    findings = [_f("a", message="second", line=9), _f("a", message="first", line=2)]
    assert build_baseline(findings) == build_baseline(reversed(findings))
    assert build_baseline(findings).entries[0].message == "first"


def test_a_path_that_is_not_utf8_has_a_fingerprint_and_round_trips(tmp_path: Path) -> None:
    path = "data_\udcff.py"  # b"data_\xff.py", as surrogateescape decodes it
    fp = fingerprint("MLD102", path, "", "open('/x')", 0)
    assert fp != fingerprint("MLD102", "data_\udcfe.py", "", "open('/x')", 0)
    text = dump_baseline(build_baseline([_f(fp, path)]), "0.1.0")
    assert '"path": "data_\\udcff.py"' in text
    assert _load(tmp_path, text).entries == (BaselineEntry(path, "MLD101", fp, f"msg {fp}"),)


def test_dump_is_the_documented_diff_friendly_json() -> None:
    text = dump_baseline(build_baseline([_f("b", "z.py"), _f("a")], 3.0), "0.1.0")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "version": 1,\n  "mldebt": "0.1.0",\n')
    assert json.loads(text) == {
        "version": 1,
        "mldebt": "0.1.0",
        "debt_score": 3.0,
        "findings": [
            {"fingerprint": "a", "code": "MLD101", "path": "a.py", "count": 1, "message": "msg a"},
            {"fingerprint": "b", "code": "MLD101", "path": "z.py", "count": 1, "message": "msg b"},
        ],
    }


def test_same_findings_in_any_order_give_the_same_bytes() -> None:
    findings = [_f("b", "z.py"), _f("a"), _f("a"), _f("c", "m.py", "MLD001")]
    texts = {dump_baseline(build_baseline(order, 3.0), "0.1.0") for order in (findings, findings[::-1], findings[1:] + findings[:1])}
    assert len(texts) == 1
    # Entries put together by hand are sorted on the way out too.
    reversed_entries = Baseline(build_baseline(findings, 3.0).entries[::-1], 3.0)
    assert dump_baseline(reversed_entries, "0.1.0") in texts


def test_round_trip(tmp_path: Path) -> None:
    findings = [_f("b", "z.py"), _f("a"), _f("a"), _f("u", "données/été.py", message="lit `données.csv` 数据\n")]
    text = dump_baseline(build_baseline(findings, 3.0), "0.1.0")
    loaded = _load(tmp_path, text)
    assert loaded == build_baseline(findings, 3.0)
    assert dump_baseline(loaded, "0.1.0") == text
    # Readable in review: non-ASCII is written as itself.
    assert "données/été.py" in text


def test_load_adds_up_a_fingerprint_listed_twice(tmp_path: Path) -> None:
    entry = {"fingerprint": "a", "code": "MLD101", "path": "a.py", "count": 2, "message": "m"}
    loaded = _load(tmp_path, json.dumps({"version": 1, "findings": [entry, entry | {"count": 1}]}))
    assert _counts(loaded.entries) == [("a", 3)] and loaded.debt_score == 0.0


def test_load_defaults_count_and_message(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '{"version": 1, "findings": [{"fingerprint": "a", "code": "MLD101", "path": "a.py"}]}')
    assert loaded.entries == (BaselineEntry("a.py", "MLD101", "a", "", 1),)


def test_split_counts_new_known_and_fixed() -> None:
    baseline = build_baseline([_f("a"), _f("a"), _f("b"), _f("c"), _f("c")])
    parts = split([_f("a"), _f("d"), _f("a"), _f("a"), _f("b"), _f("c")], baseline)
    # Up to n findings of a fingerprint with count n are known, in the order they come.
    assert [f.fingerprint for f in parts.known] == ["a", "a", "b", "c"]
    assert [f.fingerprint for f in parts.new] == ["d", "a"]
    assert parts.new[1] is not parts.known[0]
    # Fixed says how many of each fingerprint are gone.
    assert _counts(parts.fixed) == [("c", 1)]


def test_split_without_baseline_or_without_findings() -> None:
    findings = [_f("a"), _f("b")]
    assert split(findings, Baseline(())).new == tuple(findings)
    parts = split([], build_baseline(findings))
    assert parts.new == parts.known == () and _counts(parts.fixed) == [("a", 1), ("b", 1)]


def test_shrink_keeps_what_is_still_there_and_never_grows() -> None:
    baseline = build_baseline([_f("a"), _f("a"), _f("a"), _f("b"), _f("c")], 5.0)
    shrunk = shrink(baseline, [_f("a"), _f("a"), _f("c"), _f("c"), _f("new"), _f("new")], 7.0)
    assert _counts(shrunk.entries) == [("a", 2), ("c", 1)]
    # The ratchet: the recorded score only goes down.
    assert shrunk.debt_score == 5.0
    assert shrink(baseline, [_f("a")], 2.0).debt_score == 2.0


fingerprints = st.lists(st.sampled_from("abcde"), max_size=12)


@given(before=fingerprints, now=fingerprints)
def test_split_and_shrink_account_for_every_finding(before: list[str], now: list[str]) -> None:
    baseline = build_baseline([_f(fp) for fp in before])
    findings = [_f(fp) for fp in now]
    parts = split(findings, baseline)
    assert len(parts.new) + len(parts.known) == len(findings)
    old, known = Counter(before), Counter(f.fingerprint for f in parts.known)
    fixed = Counter({e.fingerprint: e.count for e in parts.fixed})
    assert known + fixed == old
    shrunk = shrink(baseline, findings, 0.0)
    assert Counter({e.fingerprint: e.count for e in shrunk.entries}) == known
    assert all(e.count <= old[e.fingerprint] for e in shrunk.entries)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline; create it with `mldebt baseline -o"),
        (b"\xff\xfe{", "cannot read"),
        ("not json", "not JSON: Expecting value: line 1 column 1"),
        ("[]", "not an mldebt baseline"),
        ('{"findings": []}', "not an mldebt baseline"),
        ('{"version": 2, "findings": []}', "baseline format version 2 is not supported (this mldebt reads version 1)"),
        ('{"version": 1}', "findings must be a list"),
        ('{"version": 1, "findings": {}}', "findings must be a list"),
        ('{"version": 1, "findings": [], "debt_score": "high"}', "debt_score must be a number, not 'high'"),
        ('{"version": 1, "findings": [], "debt_score": true}', "debt_score must be a number"),
        ('{"version": 1, "findings": ["a"]}', "findings[0] needs"),
        ('{"version": 1, "findings": [{"code": "MLD101"}]}', "findings[0] needs string fingerprint, code, path"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": 7}]}', "findings[0]"),
        ('{"version": 1, "findings": [{"fingerprint": "", "code": "X", "path": "p"}]}', "findings[0]"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "message": 1}]}', "findings[0]"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "count": 0}]}', "positive integer count"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "count": "2"}]}', "positive integer count"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "count": true}]}', "positive integer count"),
        ('{"version": 1, "findings": [{"fingerprint": "a", "code": "X", "path": "p", "count": 1.5}]}', "positive integer count"),
    ],
)
def test_bad_baselines_are_clear_errors(tmp_path: Path, content: str | bytes | None, message: str) -> None:
    path = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=re.escape(message)) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(str(path))


def test_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read"):
        load_baseline(tmp_path)
