"""Text from the analysed repository, made safe for the terminal, the CI log or the file it goes to.

Paths, author names, TOML keys and messages that quote them are chosen by whoever wrote the
repository, and mldebt often runs on a fork's pull request. Shown as they are, they could
move a terminal's cursor, set its window title or print a hyperlink that lies (ESC, CSI and
OSC sequences, C1 controls), rewrite a line (carriage return, backspace), reorder what a
reviewer reads (bidi overrides), or end a line and start a GitHub Actions workflow command
(``::error::``, ``::add-mask::``, ``::stop-commands::``) or its legacy form ``##[command]``.

``printable`` shows every such character as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``)
and keeps all other Unicode as it is, so ordinary text is unchanged; ``printable_line`` also
keeps a whole line from being a workflow command. ``json_text`` does the same losslessly for
JSON, as ``\\u`` escapes that a JSON reader turns back into the original.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab (harmless, and common), DEL and the C1 controls (0x9b is CSI and
# 0x9d OSC to terminals that honour 8-bit controls), lone surrogates (a file name that is not
# UTF-8, decoded with surrogateescape: no encoder would write it), the bidi embeddings,
# overrides, isolates and marks, the Unicode line and paragraph separators, and the two
# noncharacters XML 1.0 forbids: with them, every character XML 1.0 cannot hold.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
# The GitHub Actions runner takes a line as a workflow command when it starts with `::`
# after any whitespace, and as a legacy command wherever `##[` occurs in it.
_LEGACY_COMMAND = re.compile(r"##\[")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:
        # surrogateescape's stand-in for an undecodable byte: show the byte itself.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with its control, bidi and surrogate characters as visible escapes, and no
    legacy workflow command in it: safe anywhere inside a line for a terminal or a CI log."""
    return _LEGACY_COMMAND.sub(r"##\\x5b", _UNSAFE.sub(_escape, text))


def printable_line(line: str) -> str:
    """A whole output line made ``printable``, and not a workflow command either: a ``::`` it
    starts with (after any whitespace, which the runner skips) has its first colon escaped.

    Use it where a line is built, so that it sees the start of the line, whatever part of the
    line came from the repository.
    """
    line = printable(line)
    start = len(line) - len(line.lstrip())
    if line.startswith("::", start):
        line = f"{line[:start]}\\x3a{line[start + 1:]}"
    return line


# What json.dumps(ensure_ascii=False) leaves raw (it escapes the C0 controls itself) that a
# terminal, a log or an encoder would not take. Outside the C0 range these occur only inside
# JSON strings, where a \u escape means the same.
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]|{_LEGACY_COMMAND.pattern}")


def _json_escape(match: re.Match[str]) -> str:
    text = match.group()
    # `##[` keeps its meaning with the bracket as \u005b.
    return "##\\u005b" if text == "##[" else f"\\u{ord(text):04x}"


def json_text(document: Any, **options: Any) -> str:
    """``json.dumps(document, **options)``, non-ASCII kept readable unless ``ensure_ascii`` is
    asked for, with what ``printable`` escapes written as JSON escapes instead: the same value
    to a JSON reader (a lone surrogate comes back as itself), valid UTF-8, harmless to print."""
    options.setdefault("ensure_ascii", False)
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(document, **options))
