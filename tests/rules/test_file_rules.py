"""File rules: they ride the extraction walk, their findings are cached with the facts and go
through suppressions like any rule's, and `check --fix` / `--diff` apply or show their fixes
(on modules, and on notebooks cell by cell)."""

from __future__ import annotations

import json
from pathlib import Path

import libcst
import pytest
from click.testing import CliRunner, Result

from mldebt.cli import main
from mldebt.engine import CheckOptions, check
from mldebt.findings import Category
from mldebt.parse.fixes import Replace
from mldebt.rules import nodes as cst
from mldebt.rules import registry
from mldebt.rules.base import FileRule

class PrintCall(FileRule):
    """
    ## What it does
    Reports a `print(...)` statement, and fixes it to `log(...)`: a rule for the tests.
    """

    code = "ACME200"
    name = "print-call"
    category = Category.ML_CODE_SMELL

    def visit_Expr(self, node: libcst.Expr) -> None:
        call = node.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "print":
            self.report(call, "a print", fix=Replace(call.func, cst.Name("log")))


class Breaks(FileRule):
    """
    ## What it does
    Offers, for every `pass`, a fix that does not parse.
    """

    code = "ACME201"
    name = "breaks"
    category = Category.ML_CODE_SMELL

    def visit_Pass(self, node: libcst.Pass) -> None:
        self.report(node, "a pass", fix=Replace(node, cst.Expr(cst.Name("lambda"))))


@pytest.fixture(autouse=True)
def _rules(install) -> None:  # type: ignore[no-untyped-def]
    install("print-call", PrintCall)


def _cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--exit-zero", "--select", "ACME", *args, str(root)])


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def _codes(root: Path, *args: str) -> list[tuple[str, int]]:
    done = _cli(root, "--no-cache", "--format", "json", *args)
    assert done.exit_code == 0, done.output
    return [(f["path"], f["line"]) for f in json.loads(done.stdout)["findings"]]


def test_fix_writes_the_fix_and_the_next_check_is_clean(tmp_path: Path) -> None:
    root = _write(tmp_path, {"train.py": "print(1)\nif True:\n    print(  # two\n        2,\n    )\nx = print\n"})
    assert _codes(root) == [("train.py", 1), ("train.py", 3)]
    done = _cli(root, "--no-cache", "--fix")
    assert done.exit_code == 0, done.output
    assert "mldebt: fixed 2 findings in 1 file" in done.stderr
    assert "ACME200" not in done.stdout
    assert (root / "train.py").read_text() == "log(1)\nif True:\n    log(  # two\n        2,\n    )\nx = print\n"
    assert _codes(root) == []


def test_diff_shows_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    before = "x = 1\nprint(x)"
    root = _write(tmp_path, {"train.py": before})
    done = _cli(root, "--no-cache", "--diff")
    assert done.exit_code == 1
    assert done.stdout == (
        "--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n x = 1\n-print(x)\n\\ No newline at end of file\n"
        "+log(x)\n\\ No newline at end of file\n"
    )
    assert (root / "train.py").read_text() == before
    assert _codes(root) == [("train.py", 2)]
    (root / "train.py").write_text("log(1)\n")
    clean = _cli(root, "--no-cache", "--diff")
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_a_suppressed_or_ignored_finding_is_not_fixed(tmp_path: Path) -> None:
    source = "print(1)  # mldebt: ignore[ACME200] the user reads it\nprint(2)\n"
    root = _write(tmp_path, {"train.py": source, "cli.py": "print(3)\n"})
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n[tool.mldebt]\nper-file-ignores = {'cli.py' = ['ALL']}\n")
    done = _cli(root, "--no-cache", "--fix")
    assert done.exit_code == 0, done.output
    assert (root / "train.py").read_text() == source.replace("print(2)", "log(2)")
    assert (root / "cli.py").read_text() == "print(3)\n"


def test_a_notebook_is_fixed_cell_by_cell_and_the_rest_of_its_json_is_untouched(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Prepare the data \u00fc\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["x"]}, "outputs": [],
         "source": ["%matplotlib inline\n", "x = 1"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}],
         "source": ["!ls data\n", "print(  # the rows\n", "    x,\n", ")\n", "%time x\n", "x"]},
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [], "source": "print(\"\u00fc\")"},
    ]
    text = json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5},
                      indent=1, ensure_ascii=False) + "\n"
    root = _write(tmp_path, {"prepare.ipynb": text})
    assert _codes(root) == [("prepare.ipynb", 2), ("prepare.ipynb", 1)]
    done = _cli(root, "--no-cache", "--fix")
    assert done.exit_code == 0, done.output
    # Only the two cells' sources change, each in its JSON form (a list of lines laid out as
    # before, or a string); their IPython lines stay as they were.
    expected = text.replace('"print(  # the rows\\n"', '"log(  # the rows\\n"').replace('"print(\\"\u00fc\\")"', '"log(\\"\u00fc\\")"')
    assert expected.count("log(") == 2 and (root / "prepare.ipynb").read_text() == expected
    assert _codes(root) == []


def test_a_file_whose_fix_would_not_parse_is_left_alone_with_a_note(install, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install("breaks", Breaks)
    root = _write(tmp_path, {"a.py": "def f():\n    pass\n", "b.py": "print(1)\n"})
    done = _cli(root, "--no-cache", "--fix")
    assert done.exit_code == 0, done.output
    assert "mldebt: note: a.py: not fixed: the fixed code would not parse (line 2: invalid syntax)" in done.stderr
    assert "mldebt: fixed 1 finding in 1 file" in done.stderr
    assert (root / "a.py").read_text() == "def f():\n    pass\n"
    assert "a.py:2:5: ACME201 a pass" in done.stdout


def test_the_cache_serves_file_rule_findings_and_a_new_rule_set_misses(install, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import mldebt.parse.analyze as analyze

    root = _write(tmp_path, {"a.py": "def f():\n    pass\n", "b.py": "print(1)\n"})
    options = CheckOptions(jobs=1, cache_dir=tmp_path / "cache", select=("ACME",))
    cold = check(root, options).result

    def no_parsing(*args: object) -> None:
        raise AssertionError("a warm run parsed a file")

    parse = analyze.analyze_file
    monkeypatch.setattr(analyze, "analyze_file", no_parsing)
    warm = check(root, options).result
    assert [(f.code, f.location) for f in warm.findings] == [(f.code, f.location) for f in cold.findings]
    assert [(f.code, f.location.path) for f in warm.findings] == [("ACME200", "b.py")]
    monkeypatch.setattr(analyze, "analyze_file", parse)
    install("breaks", Breaks)
    registry.all_rules.cache_clear()
    found = check(root, options).result
    assert [(f.code, f.location.path) for f in found.findings] == [("ACME201", "a.py"), ("ACME200", "b.py")]


class Renames(FileRule):
    """
    ## What it does
    Reports a call to `old(...)` and fixes it to `new(...)`, replacing the whole call: nested
    calls' fixes overlap.
    """

    code = "ACME202"
    name = "renames"
    category = Category.ML_CODE_SMELL

    def visit_Call(self, node: libcst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "old":
            self.report(node, "an old call", fix=Replace(node, node.with_changes(func=cst.Name("new"))))


class Flips(FileRule):
    """
    ## What it does
    Fixes `a` to `b` and `b` to `a`: fixes that never settle.
    """

    code = "ACME203"
    name = "flips"
    category = Category.ML_CODE_SMELL

    def visit_Name(self, node: libcst.Name) -> None:
        if node.value in ("a", "b"):
            self.report(node, "a flip", fix=Replace(node, cst.Name("b" if node.value == "a" else "a")))


def test_overlapping_fixes_are_applied_on_the_next_pass(install, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install("renames", Renames)
    root = _write(tmp_path, {"train.py": "x = old(old(old(1)))\n"})
    done = _cli(root, "--no-cache", "--fix")
    assert done.exit_code == 0, done.output
    assert (root / "train.py").read_text() == "x = new(new(new(1)))\n"
    assert "mldebt: fixed 3 findings in 1 file" in done.stderr and "ACME202" not in done.stdout


def test_fixes_that_never_settle_stop_with_a_note(install, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install("flips", Flips)
    root = _write(tmp_path, {"train.py": "a\n"})
    done = _cli(root, "--no-cache", "--fix")
    assert "mldebt: note: fixes did not settle after 10 passes; 1 left" in done.stderr
    assert (root / "train.py").read_text() == "a\n"  # ten flips
    assert "ACME203" in done.stdout


class Crashes(FileRule):
    """
    ## What it does
    Reports every `pass`, then raises on the first call after it: a broken plugin.
    """

    code = "ACME202"
    name = "crashes"
    category = Category.ML_CODE_SMELL

    def visit_Pass(self, node: libcst.Pass) -> None:
        self.report(node, "a pass")

    def visit_Call(self, node: libcst.Call) -> None:
        raise ZeroDivisionError("a bug of the plugin's")


def test_a_crashing_file_rule_costs_only_its_own_findings_and_exits_2(install, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install("crashes", Crashes)
    root = _write(tmp_path, {
        "train.py": "import pandas as pd\npass\nprint(pd.read_csv('data/raw.csv'))\n",
        "other.py": "pass\n",
    })
    done = CliRunner().invoke(main, ["check", "--no-cache", "--select", "ACME,MLD101", "--format", "json", str(root)])
    assert done.exit_code == 2, done.output
    found = sorted((f["code"], f["path"], f["line"]) for f in json.loads(done.stdout)["findings"])
    # The walk went on past the crash: train.py's facts (its read) and print-call are whole;
    # the crashed rule's own report before the crash is dropped, and other.py keeps its own.
    assert found == [("ACME200", "train.py", 3), ("ACME202", "other.py", 1), ("MLD101", "train.py", 3)]
    assert "mldebt: internal error: rule ACME202 (crashes) crashed on train.py, whose findings of it are missing: " \
        "ZeroDivisionError: a bug of the plugin's (test_file_rules.py:" in done.stderr
    assert "MLD005" not in done.stdout
