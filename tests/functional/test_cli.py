"""The command line as a user meets it: exit codes, streams, config errors, other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main


def _mldebt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mldebt", *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("import pandas as pd\npd.read_csv('data/a.csv')\n")
    (tmp_path / "src" / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_exit_codes_and_streams(project: Path) -> None:
    found = _mldebt(project, "check")
    assert found.returncode == 1
    assert found.stdout == "src/a.py:2:1: MLD101 reads data `data/a.csv` (pandas.read_csv) that no manifest declares\n"
    assert "Found 1 finding" in found.stderr and "Found" not in found.stdout
    assert _mldebt(project, "check", "--exit-zero").returncode == 0
    assert _mldebt(project, "check", "--ignore", "MLD1").returncode == 0
    assert _mldebt(project, "check", "--select", "MLD102").returncode == 0


@pytest.mark.parametrize("module", ["json", "dataclasses", "click", "libcst", "yaml", "networkx"])
def test_python_m_imports_nothing_from_the_analysed_repository(project: Path, module: str) -> None:
    """`python -m mldebt` run at a repository's root puts that root first on sys.path."""
    marker = project.parent / f"{module}-imported"
    (project / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    ownership = _mldebt(project, "ownership")
    found = _mldebt(project, "check", "--no-cache")

    assert found.returncode == 1 and "MLD101" in found.stdout, found.stderr
    assert "ownership needs git history" in ownership.stderr
    assert not marker.exists()


@pytest.mark.parametrize("planted", ["contextlib.py", "types.py", "warnings.pyc", "importlib/__init__.py"])
def test_python_m_refuses_a_directory_that_shadows_what_python_imported_first(project: Path, planted: str) -> None:
    """runpy imports these with the directory first on sys.path, before any code of ours runs."""
    (project / planted).parent.mkdir(exist_ok=True)
    (project / planted).write_text("")

    refused = _mldebt(project, "check")

    assert refused.returncode == 2 and refused.stdout == ""
    assert f"the current directory holds {planted.replace('__init__.py', '')}," in refused.stderr
    assert "run the `mldebt` command or `python -P -m mldebt` instead" in refused.stderr
    if sys.version_info >= (3, 11):
        safe = subprocess.run([sys.executable, "-P", "-m", "mldebt", "check"], cwd=project, capture_output=True, text=True)
        assert safe.returncode == 1 and "MLD101" in safe.stdout, safe.stderr


def test_accesses_lists_targets_and_the_dynamic_ones(project: Path) -> None:
    (project / "src" / "b.py").write_text("import sys\nimport pandas as pd\npd.read_csv(sys.argv[1])\n")
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n\n[tool.mldebt.data]\ninputs = ['data/']\n")

    every = _mldebt(project, "accesses")
    dynamic = _mldebt(project, "accesses", "--dynamic", "--format", "json")
    only_a = _mldebt(project, "accesses", "src/a.py")

    assert every.returncode == 0 and every.stdout == (
        "src/a.py:2:1: read data/a.csv (pandas.read_csv, declared in pyproject.toml:5)\n"
        "src/b.py:3:1: read <dynamic> (pandas.read_csv): pd.read_csv(sys.argv[1])\n"
    )
    assert every.stderr == "2 data accesses\n"
    assert [(r["path"], r["target"], r["snippet"]) for r in json.loads(dynamic.stdout)] == [
        ("src/b.py", None, "pd.read_csv(sys.argv[1])"),
    ]
    assert only_a.stdout.startswith("src/a.py:2:1") and "src/b.py" not in only_a.stdout
    assert "`mldebt accesses --dynamic` lists them" in _mldebt(project, "check").stderr


def test_paths_restrict_reporting_not_analysis(project: Path) -> None:
    (project / "src" / "b.py").write_text("import pandas as pd\nif __name__ == '__main__':\n    pd.read_csv('out/x.csv')\n")
    (project / "src" / "w.py").write_text("import pandas as pd\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('out/x.csv')\n")
    only_b = _mldebt(project, "check", "src/b.py")
    # The writer in w.py is seen (MLD103 names it) although only b.py is reported.
    assert only_b.stdout.splitlines() == [
        "src/b.py:3:5: MLD103 reads `out/x.csv`, which script `src/w.py` writes (src/w.py:3); neither declares it"
    ]
    assert _mldebt(project, "check", "src/clean.py").returncode == 0
    missing = _mldebt(project, "check", "nope.py")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_bad_config_lists_every_problem(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.mldebt]\nselct = ['MLD1']\nignore = 'MLD101'\nexclude = ['x']\n"
        "[tool.mldebt.data]\ninput = ['a']\n[tool.mldebt.rules.undeclared-data-dependency]\nhubb = true\n"
        "[tool.mldebt.history]\nactive-months = 'a year'\nbots = 'renovate'\n"
    )
    result = _mldebt(project, "check")
    assert result.returncode == 2
    for expected in ("unknown key 'selct'", "'ignore' must be a list", "unknown key 'data.input'", "unknown option 'rules.undeclared-data-dependency.hubb'",
                     "'history.active-months' must be a positive integer", "'history.bots' must be a list"):
        assert expected in result.stderr
    assert "Traceback" not in result.stderr
    (project / "pyproject.toml").write_text("[tool.mldebt\n")
    broken = _mldebt(project, "check")
    assert broken.returncode == 2 and "invalid TOML" in broken.stderr


def test_rules_explain_and_graph(project: Path) -> None:
    rules = _mldebt(project, "rules", "--format", "json")
    codes = [r["code"] for r in json.loads(rules.stdout)]
    assert "MLD101" in codes and "MLD001" in codes
    explain = _mldebt(project, "explain", "mld101")
    assert explain.returncode == 0 and "## Why is this bad?" in explain.stdout
    assert _mldebt(project, "explain", "MLD999").returncode == 2
    graph = json.loads(_mldebt(project, "graph", "--format", "json").stdout)
    ids = {n["id"] for n in graph["nodes"]}
    assert {"file:src/a.py", "data:data/a.csv"} <= ids
    edges = {(e["source"], e["target"], e["kind"]) for e in graph["edges"]}
    assert ("data:data/a.csv", "file:src/a.py", "read") in edges
    dot = _mldebt(project, "graph", "--format", "dot").stdout
    assert dot.startswith("digraph mldebt {") and '"data:data/a.csv" -> "file:src/a.py"' in dot
    graphml = _mldebt(project, "graph", "--format", "graphml", "-o", "g.graphml")
    assert graphml.returncode == 0 and "<graphml" in (project / "g.graphml").read_text()


def test_no_git_repository_and_no_pyproject(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("open('/etc/passwd').read()\n")
    result = _mldebt(tmp_path, "check")
    assert result.returncode == 1 and "MLD102" in result.stdout


def test_select_and_ignore_typos_are_errors(project: Path) -> None:
    for args in (("--select", "FOO"), ("--ignore", "MLD1O1")):
        result = _mldebt(project, "check", *args)
        assert result.returncode == 2 and "matches no rule" in result.stderr
    assert _mldebt(project, "check", "--select", "mld1,ALL").returncode == 1


def _crash(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom:\n  second line")


@pytest.mark.parametrize("command", ["check", "ownership", "graph"])
def test_a_crash_is_one_line_on_stderr_and_exit_2_not_the_1_of_findings(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr("mldebt.engine.analysis.find_root", _crash)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 2
    assert result.stderr == (
        "mldebt: internal error: RuntimeError: boom: second line (run with --debug for the traceback)\n"
    )


@pytest.mark.parametrize("args, env", [(["check", "--debug"], {}), (["ownership", "--debug"], {}), (["check"], {"MLDEBT_DEBUG": "1"})])
def test_debug_shows_the_traceback(project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]) -> None:
    monkeypatch.setattr("mldebt.engine.analysis.find_root", _crash)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("RuntimeError: boom:\n  second line\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
@pytest.mark.parametrize("command", ["check", "graph"])
def test_a_full_disk_on_stdout_is_an_error(project: Path, command: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "mldebt", command], cwd=project, stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "mldebt: error: cannot write to stdout: No space left on device"


@pytest.mark.parametrize("command", ["check", "rules"])
def test_a_closed_pipe_ends_the_run_quietly(project: Path, command: str) -> None:
    """`mldebt check | head -1`: the reader has gone before the report is written."""
    proc = subprocess.Popen([sys.executable, "-m", "mldebt", command], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait() == 141
    assert [line for line in stderr.splitlines() if not line.startswith(b"mldebt: note: ")] == []


def test_a_bare_repository_is_not_mistaken_for_one_without_commits(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", "--bare", "mirror.git"], cwd=tmp_path, check=True)
    bare = tmp_path / "mirror.git"
    expected = f"mldebt: error: {bare} is a bare git repository: it has no work tree to analyse. Run mldebt in a clone of it (`git clone {bare}`).\n"
    for cwd, args in ((bare, ["check"]), (bare, ["ownership"]), (tmp_path, ["check", "mirror.git"]), (tmp_path, ["graph", "mirror.git"])):
        result = _mldebt(cwd, *args)
        assert (result.returncode, result.stderr) == (2, expected), args


def test_accesses_says_what_the_graph_decided_each_undeclared_access_is(project: Path) -> None:
    (project / "src" / "c.py").write_text(
        "import pandas as pd\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('out/t.csv')\n    pd.read_csv('out/t.csv')\n"
        "    open('/proc/cpuinfo').read()\n    open('requirements.txt').read()\n"
    )
    listed = _mldebt(project, "accesses", "src/c.py")
    rows = json.loads(_mldebt(project, "accesses", "src/c.py", "--format", "json").stdout)

    assert listed.stdout.splitlines() == [
        "src/c.py:3:5: write out/t.csv (.to_csv, the pipeline's own scratch)",
        "src/c.py:4:5: read out/t.csv (pandas.read_csv, the pipeline's own scratch)",
        "src/c.py:5:5: read /proc/cpuinfo (open, system path or local service, not data)",
        "src/c.py:6:5: read requirements.txt (open, configuration, not data)",
    ]
    assert [row["status"] for row in rows] == ["scratch", "scratch", "system", "config"]
