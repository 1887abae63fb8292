"""GitHub Actions workflow commands: levels, positions, notebooks and GitHub's escaping rules."""

from __future__ import annotations

import re

import pytest

from mldebt.findings import Category, Finding, Location, RunResult, Severity, Summary
from mldebt.report.github import render_github


def _finding(*, path: str = "src/train.py", location: Location | None = None, message: str = "reads data `x`",
             severity: Severity = Severity.WARNING, name: str = "undeclared-data-dependency") -> Finding:
    return Finding("MLD101", name, Category.UNDECLARED_DATA_DEPENDENCY, severity,
                   location or Location(path, 3, 5, 4, 20), message, fingerprint="f" * 32)


def _render(*findings: Finding, suppressed: tuple[Finding, ...] = ()) -> list[str]:
    text = render_github(RunResult(tuple(findings), Summary(), suppressed, ("a note",), ("an internal error",)))
    assert text == "" or text.endswith("\n")
    return text.splitlines()


def _unescape(value: str) -> str:
    # What the runner does with a value: the inverse of the escaping, in one pass.
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m[1], 16)), value)


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    # A workflow command as the runner reads it: `::name k=v,k=v::data`.
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match[2].split(","))
    return match[1], {k: _unescape(v) for k, v in properties.items()}, _unescape(match[3])


def test_a_finding_is_one_annotation_with_its_span_and_title() -> None:
    assert _render(_finding()) == [
        "::warning file=src/train.py,line=3,col=5,endLine=4,endColumn=20,"
        "title=MLD101::reads data `x`"
    ]


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_severity_chooses_the_command(severity: Severity, command: str) -> None:
    (line,) = _render(_finding(severity=severity))
    assert line.startswith(f"::{command} file=")


def test_nothing_to_report_is_no_output() -> None:
    # Suppressed findings, notes and internal errors are not annotations.
    assert _render(suppressed=(_finding(),)) == []


def test_one_line_per_finding_in_order() -> None:
    lines = _render(_finding(message="first"), _finding(message="second"), _finding(message="third"))
    assert [_parse(line)[2] for line in lines] == ["first", "second", "third"]


def test_message_escapes_percent_and_newlines_but_not_colons_or_commas() -> None:
    (line,) = _render(_finding(message="50% done\r\nnext, line: a %0A"))
    assert line.endswith("::50%25 done%0D%0Anext, line: a %250A")
    assert _parse(line)[2] == "50% done\r\nnext, line: a %0A"


def test_property_values_also_escape_colons_and_commas() -> None:
    (line,) = _render(_finding(path="a,b:c%d\n.py"))
    assert line.startswith("::warning file=a%2Cb%3Ac%25d%0A.py,line=3,")
    assert ",title=MLD101::" in line
    _, properties, _ = _parse(line)
    assert properties["file"] == "a,b:c%d\n.py" and properties["title"] == "MLD101"


def test_a_message_with_double_colons_stays_in_the_data() -> None:
    (line,) = _render(_finding(message="uses ::set-output:: and a::b"))
    assert _parse(line)[2] == "uses ::set-output:: and a::b"


def test_unicode_passes_through() -> None:
    (line,) = _render(_finding(path="données/été.py", message="lit `données.csv` 数据"))
    assert _parse(line)[1]["file"] == "données/été.py" and _parse(line)[2] == "lit `données.csv` 数据"


def test_a_location_with_only_a_start_has_no_end() -> None:
    (line,) = _render(_finding(location=Location("a.py", 7, 3)))
    _, properties, _ = _parse(line)
    assert properties == {"file": "a.py", "line": "7", "col": "3", "title": "MLD101"}


def test_notebook_annotates_the_file_and_names_the_cell() -> None:
    (line,) = _render(_finding(location=Location("nb/explore.ipynb", 2, 1, 4, 9, cell=3)))
    _, properties, message = _parse(line)
    # Lines within a cell are no lines of the .ipynb file: no position, the cell in the message.
    assert properties == {"file": "nb/explore.ipynb", "title": "MLD101"}
    assert message == "reads data `x` (cell 3, line 2)"


def test_controls_that_no_escape_of_githubs_carries_are_shown_escaped() -> None:
    (line,) = _render(_finding(path="a\x1b[2J\udcff.py", message="see \x1b]8;;https:evil\x07here\x1b]8;;\x07"))
    _, properties, message = _parse(line)
    assert properties["file"] == "a\\x1b[2J\\xff.py"
    assert message == "see \\x1b]8;;https:evil\\x07here\\x1b]8;;\\x07"
