"""Whatever a repository holds, an escaped line is one line that no terminal or CI runner
acts on, and escaped JSON reads back as the original."""

from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from mldebt.escaping import json_text, printable_line

# Text rich in what matters: controls, bidi marks, separators, surrogates, `::` and `##[`.
_TEXT = st.text(
    st.one_of(
        st.characters(),
        st.characters(min_codepoint=0, max_codepoint=0x9F),
        st.sampled_from(["\u202e", "\u2066", "\u2028", "\u00a0", "\udcff", "\ud800", ":", "#", "["]),
    ),
    max_size=40,
)
# What the GitHub Actions runner splits its log on (.NET ReadLine).
_RUNNER_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@given(_TEXT, _TEXT)
def test_an_escaped_line_is_inert(prefix: str, text: str) -> None:
    line = printable_line(prefix + text)
    assert len(line.splitlines()) <= 1 and len(_RUNNER_LINE_BREAK.split(line)) == 1
    assert not line.lstrip().startswith("::") and "##[" not in line
    # Tab is the one control kept; no bidi mark, no surrogate, and valid UTF-8.
    assert all(c == "\t" or unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") for c in line)
    assert not set(line) & {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
    line.encode("utf-8")


@given(st.dictionaries(_TEXT, st.one_of(_TEXT, st.lists(_TEXT, max_size=3)), max_size=4))
def test_json_text_reads_back_and_prints_safely(document: dict[str, object]) -> None:
    text = json_text(document, indent=2)
    assert json.loads(text) == document
    assert "##[" not in text and not any(unicodedata.category(c) in ("Cs", "Zl", "Zp") for c in text)
    text.encode("utf-8")
