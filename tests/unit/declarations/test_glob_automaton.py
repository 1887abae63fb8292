"""Declared globs with many loops are matched by an automaton, not Python's backtracking regex:
the same answers, in time linear in the path, whatever a manifest writes."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mldebt.declarations.patterns import _Automaton, _tokens, compile_glob
from mldebt.targets import TargetKind

_PIECES = st.sampled_from(["a", "b", "/", ".", "*", "**", "**/", "?", "[ab]", "[!a]", "[z-a]"])
_PATHS = st.text(alphabet="ab/.c", max_size=12)


@settings(max_examples=4 * settings.default.max_examples, deadline=None)
@given(st.lists(_PIECES, max_size=7).map("".join), _PATHS)
def test_the_automaton_matches_what_the_regex_matches(pattern: str, path: str) -> None:
    parts = _tokens(pattern, wildcard_question=True)
    regex = re.compile("".join(parts) + "(?:/.*)?", re.DOTALL)
    assert _Automaton(parts).fullmatch(path) == bool(regex.fullmatch(path))


def test_a_glob_that_would_make_the_regex_backtrack_is_decided_at_once() -> None:
    # 24 bytes in a dvc.yaml out; the regex takes minutes on this path.
    glob = compile_glob("*a*a*a*a*a*a*a*a*a*a*a*b", TargetKind.PATH)
    start = time.monotonic()
    assert not glob.fullmatch("a" * 200)
    assert glob.fullmatch("a" * 11 + "b")
    assert time.monotonic() - start < 2


def test_plain_globs_stay_regexes() -> None:
    assert isinstance(compile_glob("data/*.csv", TargetKind.PATH), re.Pattern)
    assert isinstance(compile_glob("data/**/*.csv", TargetKind.PATH), re.Pattern)
    assert isinstance(compile_glob("*/*/*/*.csv", TargetKind.PATH), _Automaton)


def test_gitignore_lines_and_excludes_that_would_backtrack_are_refused(tmp_path) -> None:
    from mldebt.config import ConfigError, load_settings
    from mldebt.discovery import discover

    long_name = "a" * 60 + ".py"
    (tmp_path / ".gitignore").write_text("*a*a*a*a*a*a*a*a*b\n*.log\n")
    (tmp_path / long_name).write_text("x = 1\n")
    (tmp_path / "run.log").write_text("")
    start = time.monotonic()
    found = discover(tmp_path)
    assert time.monotonic() - start < 5
    assert found.files == (".gitignore", long_name)

    (tmp_path / "pyproject.toml").write_text("[tool.mldebt]\nexclude = ['*a*a*a*a*a*a*a*a*b']\n")
    try:
        load_settings(tmp_path, {})
    except ConfigError as exc:
        assert exc.problems == ["'exclude': '*a*a*a*a*a*a*a*a*b' has more than 4 `*`: too slow to match"]
    else:
        raise AssertionError("a pathological exclude pattern was accepted")
