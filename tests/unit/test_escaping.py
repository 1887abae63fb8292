"""Untrusted text made safe for a terminal, a CI log and JSON: every dangerous character
visibly escaped, ordinary text untouched, JSON escapes that read back as the original."""

from __future__ import annotations

import json

import pytest

from mldebt.escaping import json_text, printable, printable_line


@pytest.mark.parametrize(("text", "shown"), [
    ("a\n::error::pwned", "a\\n::error::pwned"),
    ("carriage\rreturn", "carriage\\rreturn"),
    ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
    # OSC 8: a hyperlink whose text lies about its target; OSC 0: the window title.
    ("\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\", "\\x1b]8;;https://evil.example/\\x1b\\docs\\x1b]8;;\\x1b\\"),
    ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
    ("back\x08space\x00nul\x7fdel", "back\\x08space\\x00nul\\x7fdel"),
    # C1 controls: CSI and OSC in one byte for 8-bit terminals, NEL a line break.
    ("\x9b31m\x9d0;t\x85", "\\x9b31m\\x9d0;t\\x85"),
    ("evil\u202etxt.py\u2066\u2069\u200f", "evil\\u202etxt.py\\u2066\\u2069\\u200f"),
    ("line\u2028separator", "line\\u2028separator"),
    # A byte that was not UTF-8, as surrogateescape decoded it, is shown as that byte.
    ("data_\udcff.py", "data_\\xff.py"),
    ("lone \ud800", "lone \\ud800"),
    ("x ##[add-mask]secret", "x ##\\x5badd-mask]secret"),
])
def test_printable_escapes_what_could_act(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize("text", [
    "src/train.py:3:5: MLD101 reads data `data/a.csv` (pandas.read_csv)",
    "données/été.py 数据 🙂 tab\there",
    "a::b and x[::2], # [not] a command",
    r"C:\path\with\backslashes",
])
def test_printable_leaves_ordinary_text_alone(text: str) -> None:
    assert printable(text) == text == printable_line(text)


@pytest.mark.parametrize(("line", "shown"), [
    ("::error::pwned", "\\x3a:error::pwned"),
    ("  ::warning file=x::y", "  \\x3a:warning file=x::y"),
    # The runner trims Unicode whitespace too before it looks for `::`.
    ("\u00a0\u3000::stop-commands::t", "\u00a0\u3000\\x3a:stop-commands::t"),
    ("\n::error::pwned", "\\n::error::pwned"),
])
def test_a_line_cannot_be_a_workflow_command(line: str, shown: str) -> None:
    assert printable_line(line) == shown


def test_a_value_inside_a_line_keeps_its_double_colon() -> None:
    assert printable("::error::pwned") == "::error::pwned"


def test_json_text_escapes_losslessly() -> None:
    document = {"path": "data_\udcff.py", "name": "Eve\u202e\x9b31m", "note": "##[add-mask]s", "ok": "données\n"}
    text = json_text(document, indent=2)
    assert json.loads(text) == document
    assert '"data_\\udcff.py"' in text and "\\u202e\\u009b31m" in text and "##\\u005badd-mask]s" in text
    # Ordinary non-ASCII stays readable, and the text is valid UTF-8.
    assert '"données\\n"' in text
    text.encode("utf-8")


def test_json_text_keeps_json_dumps_output_for_ordinary_documents() -> None:
    document = {"a": [1, 2.5, None, True], "b": "é 数据", "c": {"d": "x"}}
    assert json_text(document, indent=2, sort_keys=True) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    assert json_text(document, ensure_ascii=True) == json.dumps(document)
