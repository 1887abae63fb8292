"""A repository chosen by an attacker (a fork's pull request, checked in CI) cannot turn
mldebt's output against its reader: file names, author names and TOML keys with line
breaks, `::` workflow commands, `##[` legacy commands, terminal escape sequences, OSC 8
hyperlinks and bidi overrides reach no terminal and no GitHub Actions log as such, and a
name that is not UTF-8 is reported like any other."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from mldebt.demo.history import Commit, build_history

SCRIPT = 'if __name__ == "__main__":\n    open("/home/me/x.csv")\n'
HOSTILE_NAMES = [
    "nl\n::error::pwned.py",
    "::error::lead.py",
    "\x1b]8;;https:evil.example\x1b\\docs\x1b]8;;\x1b\\.py",
    "\x1b]0;title\x07\x1b[2Jclear\r.py",
    "legacy ##[add-mask]secret.py",
    "rlo\u202eyp.txt.py",
]
# git strips line breaks and leading punctuation from names, but not these.
EVE = "Eve\x1b]0;pwned\x07\x1b[31m\u202e"
NBSP_COMMAND = "\u00a0::error::pwned"
# What the GitHub Actions runner splits its log on, and what it takes as a command.
_LINES = re.compile(r"\r\n|\r|\n")
# Any control but tab and line feed, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _mldebt(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI as CI would; its output must be UTF-8 (a strict terminal)."""
    done = subprocess.run(
        [sys.executable, "-m", "mldebt", *args], cwd=cwd, capture_output=True, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def _commands(text: str, ours: str = "") -> list[str]:
    """The lines of ``text`` that the runner would act on, but for those starting with ``ours``."""
    return [
        line for line in _LINES.split(text)
        if (line.lstrip().startswith("::") and not (ours and line.startswith(ours))) or "##[" in line
    ]


def _assert_inert(text: str, ours: str = "") -> None:
    assert _commands(text, ours) == []
    assert _UNSAFE.findall(text) == []


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"pyproject.toml": "[project]\nname = 'x'\n", **{name: SCRIPT for name in HOSTILE_NAMES}}
    with pytest.MonkeyPatch.context() as patch:
        # `git add -- :name` would read the leading colon as pathspec magic.
        patch.setenv("GIT_LITERAL_PATHSPECS", "1")
        return build_history(tmp_path_factory.mktemp("hostile") / "repo", [
            Commit(EVE, "eve@example.org", "2025-01-01T12:00:00+00:00", "add", files),
            Commit(NBSP_COMMAND, "nbsp@example.org", "2025-01-02T12:00:00+00:00", "touch",
                   {HOSTILE_NAMES[0]: SCRIPT + "\n"}),
        ])


@pytest.mark.parametrize("args", [
    ("check",), ("check", "--statistics"), ("accesses",), ("ownership",), ("ownership", "--format", "markdown"),
    ("ownership", "--format", "html"), ("graph", "--format", "dot"),
], ids=" ".join)
def test_text_outputs_are_inert(hostile: Path, args: tuple[str, ...]) -> None:
    code, out, err = _mldebt(hostile, *args)
    assert code in (0, 1), err
    _assert_inert(out)
    _assert_inert(err)


def test_every_hostile_file_is_one_visible_line(hostile: Path) -> None:
    _, out, _ = _mldebt(hostile, "check")
    assert sorted(out.splitlines()) == sorted(
        f"{shown}:2:5: MLD102 reads hard-coded absolute path `/home/me/x.csv` (open)" for shown in (
            "nl\\n::error::pwned.py",
            "\\x3a:error::lead.py",
            "\\x1b]8;;https:evil.example\\x1b\\docs\\x1b]8;;\\x1b\\.py",
            "\\x1b]0;title\\x07\\x1b[2Jclear\\r.py",
            "legacy ##\\x5badd-mask]secret.py",
            "rlo\\u202eyp.txt.py",
        )
    )


def test_authors_are_shown_escaped(hostile: Path) -> None:
    _, text, _ = _mldebt(hostile, "ownership")
    assert "  Eve\\x1b]0;pwned\\x07\\x1b[31m\\u202e " in text
    assert "  \u00a0\\x3a:error::pwned " in text
    _, html, _ = _mldebt(hostile, "ownership", "--format", "html")
    assert "<td>Eve\\x1b]0;pwned\\x07\\x1b[31m\\u202e</td>" in html


def test_github_annotations_carry_the_names_and_nothing_else(hostile: Path) -> None:
    _, out, _ = _mldebt(hostile, "check", "--format", "github")
    _assert_inert(out, ours="::warning file=")
    lines = out.splitlines()
    assert len(lines) == len(HOSTILE_NAMES) and all(line.startswith("::warning file=") for line in lines)
    # GitHub's own escapes keep the line break of a name, which the runner gives back.
    assert any(line.startswith("::warning file=nl%0A%3A%3Aerror%3A%3Apwned.py,") for line in lines)


@pytest.mark.parametrize("args", [
    ("check", "--format", "json"), ("check", "--format", "sarif"), ("accesses", "--format", "json"),
    ("ownership", "--format", "json"), ("graph", "--format", "json"),
], ids=" ".join)
def test_json_outputs_keep_the_names_exactly_and_print_safely(hostile: Path, args: tuple[str, ...]) -> None:
    _, out, _ = _mldebt(hostile, *args)
    _assert_inert(out)
    strings: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(out))
    # SARIF names files by URI; everything else by their path, exactly.
    if "sarif" in args:
        strings = {unquote(s) for s in strings}
    assert [name for name in HOSTILE_NAMES if not any(name in s for s in strings)] == []


def test_graphml_is_well_formed_xml(hostile: Path) -> None:
    code, out, _ = _mldebt(hostile, "graph", "--format", "graphml")
    assert code == 0
    ids = {node.get("id") for node in ET.fromstring(out.encode("utf-8")).iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert "file:\\x1b]0;title\\x07\\x1b[2Jclear\\r.py" in ids and "file:nl\\n::error::pwned.py" in ids
    _assert_inert(out)


def test_a_toml_key_cannot_inject_a_workflow_command(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mldebt]\n"\\n::error::pwned" = 1\n"\\u001b[2J" = 2\n')
    code, _, err = _mldebt(tmp_path, "check")
    assert code == 2
    assert "unknown key '\\n::error::pwned'" in err and "unknown key '\\x1b[2J'" in err
    _assert_inert(err)
    for command in ("accesses", "graph", "ownership"):
        code, _, err = _mldebt(tmp_path, command)
        assert code == 2 and "\\n::error::pwned" in err
        _assert_inert(err)


def test_a_note_cannot_inject_a_workflow_command(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    # A broken symlink is skipped with a note naming it.
    (tmp_path / "nl\n::error::pwned\x1b[2J.py").symlink_to(tmp_path / "missing.py")
    code, _, err = _mldebt(tmp_path, "check")
    assert code == 0
    assert "mldebt: note: skipped nl\\n::error::pwned\\x1b[2J.py: " in err
    _assert_inert(err)


# A file name that is not UTF-8 (b"data_\xff.py", committed or not) is analysed like any other:
# its finding is in every format, shown with the byte escaped, and a baseline of it holds. As
# git ls-files and os.scandir report it, the name holds a lone surrogate (surrogateescape).
UNDECODABLE = os.fsdecode(b"data_\xff.py")
MLD102_MESSAGE = "MLD102 reads hard-coded absolute path `/home/me/x.csv` (open)"


@pytest.fixture(params=["git", "no-git"])
def undecodable(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    files = {"pyproject.toml": "[project]\nname = 'x'\n", UNDECODABLE: SCRIPT}
    if request.param == "git":
        return build_history(tmp_path / "repo", [Commit("Ann", "ann@example.org", "2025-01-01T12:00:00+00:00", "add", files)])
    for rel, text in files.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_an_undecodable_name_is_reported_in_every_format(undecodable: Path) -> None:
    code, text, err = _mldebt(undecodable, "check")
    assert (code, text) == (1, f"data_\\xff.py:2:5: {MLD102_MESSAGE}\n"), err
    _, out, _ = _mldebt(undecodable, "check", "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["path"] == UNDECODABLE and len(finding["fingerprint"]) == 32
    _, out, _ = _mldebt(undecodable, "check", "--format", "sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data_%FF.py"
    assert result["partialFingerprints"]["mldebt/v1"] == finding["fingerprint"]
    _, out, _ = _mldebt(undecodable, "check", "--format", "github")
    assert out.startswith("::warning file=data_\\xff.py,line=2,col=5,")
    assert "Traceback" not in err


def test_a_baseline_of_an_undecodable_name_holds(undecodable: Path) -> None:
    code, _, err = _mldebt(undecodable, "baseline")
    assert code == 0, err
    (entry,) = json.loads((undecodable / ".mldebt-baseline.json").read_text(encoding="utf-8"))["findings"]
    assert entry["path"] == UNDECODABLE
    code, out, err = _mldebt(undecodable, "check", "--baseline", ".mldebt-baseline.json")
    assert (code, out) == (0, "") and "1 known finding not reported" in err


def test_the_ownership_report_of_an_undecodable_name(tmp_path: Path) -> None:
    repo = build_history(tmp_path / "repo", [
        Commit("Ann", "ann@example.org", "2025-01-01T12:00:00+00:00", "add", {"pyproject.toml": "", UNDECODABLE: SCRIPT}),
    ])
    code, html, err = _mldebt(repo, "ownership", "--format", "html")
    assert code == 0, err
    assert "<b>data_\\xff.py</b>" in html
    code, text, err = _mldebt(repo, "ownership")
    assert code == 0 and "script data_\\xff.py" in text, err
