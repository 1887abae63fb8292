"""run_ownership: what `mldebt ownership` does, its outputs, streams and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mldebt.cachestore import default_directory
from mldebt.commands import ownership as command
from mldebt.commands.ownership import Progress, render, run_ownership
from mldebt.history.mine import SHALLOW_WARNING


def test_json_to_a_file(scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert run_ownership(scenario, "json", out, None, use_cache=False) == 0
    document = json.loads(out.read_text())
    assert document["pipelines"][0]["name"] == "train" and document["partial"] is False
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("fmt", "expected"), [
    ("text", "Pipelines by risk:"),
    ("markdown", "# Ownership report"),
    ("html", "<!DOCTYPE html>"),
    ("json", '"truck_factor": 2'),
])
def test_every_format_to_stdout(scenario: Path, fmt: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_ownership(scenario / "scoring", fmt, None, None, use_cache=False) == 0
    captured = capsys.readouterr()
    assert expected in captured.out and captured.err == ""


def test_as_of(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_ownership(scenario, "json", None, "2022-06-01", use_cache=False) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == "2022-06-01T23:59:59Z"
    assert next(p for p in document["pipelines"] if p["name"] == "train")["unowned"] is False


@pytest.mark.parametrize(("fmt", "as_of", "message"), [
    ("json", "yesterday", "is not a date"),
    ("yaml", None, "unknown format"),
])
def test_usage_errors_exit_2(scenario: Path, fmt: str, as_of: str | None, message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run_ownership(scenario, fmt, None, as_of, use_cache=False) == 2
    assert message in capsys.readouterr().err


def test_no_git_exits_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert run_ownership(tmp_path, "text", None, None, use_cache=False) == 2
    err = capsys.readouterr().err
    assert "ownership needs git history" in err and "not inside a git repository" in err and "Traceback" not in err


def test_bad_configuration_and_unwritable_output_exit_2(scenario: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.mldebt.history]\nactive-monthz = 3\n")
    assert run_ownership(scenario, "json", None, None, use_cache=False, config=config) == 2
    assert "history.active-monthz" in capsys.readouterr().err
    assert run_ownership(scenario, "json", tmp_path / "missing" / "r.json", None, use_cache=False) == 2
    assert "cannot write" in capsys.readouterr().err


def test_shallow_clone_is_partial_with_a_warning(scenario: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", scenario.as_uri(), str(clone)], check=True, capture_output=True)
    assert run_ownership(clone, "json", None, None, use_cache=False) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["partial"] is True
    assert f"mldebt: warning: {SHALLOW_WARNING}" in captured.err


def test_cache_is_written_and_reused(scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", scenario.as_uri(), str(clone)], check=True, capture_output=True)
    assert run_ownership(clone, "json", None, None, use_cache=True) == 0
    assert (default_directory(clone) / "history" / "history.json").is_file()
    first = capsys.readouterr().out
    assert run_ownership(clone, "json", None, None, use_cache=True) == 0
    assert capsys.readouterr().out == first


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    assert command._progress(io.StringIO()) is None
    stream = _Terminal()
    progress = command._progress(stream)
    assert isinstance(progress, Progress)
    progress.done()
    assert stream.getvalue() == ""  # nothing shown, nothing to clear
    progress(1000)
    progress(2000)
    progress.done()
    assert "\rmining history: 2,000 commits" in stream.getvalue() and stream.getvalue().endswith("\r\x1b[K")


def test_render_rejects_unknown_formats(report: object) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(report, "pdf")  # type: ignore[arg-type]


def test_the_cli_command(scenario: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "mldebt", "ownership", "--format", "json"], cwd=scenario,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["pipelines"][0]["name"] == "train"


def test_dates_datetime_cannot_hold_are_clamped_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A repository dates its commits as it likes: git takes the year 10000. --as-of may say
    the year 1, and active-months any 64-bit number; each went past datetime's range."""
    from mldebt.demo.history import Commit, build_history

    root = build_history(tmp_path / "repo", [
        Commit("Ann", "ann@example.org", "2024-01-01T10:00:00+00:00", "start", {"train.py": "x = 1\n"}),
        Commit("Far", "far@example.org", "@253402300800 +0000", "in the year 10000", {"train.py": "x = 2\n"}),
    ])
    assert run_ownership(root, "json", None, None, use_cache=False) == 0
    far = {a["name"]: a for a in json.loads(capsys.readouterr().out)["authors"]}["Far"]
    assert (far["first_commit"], far["last_commit"]) == ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z")

    assert run_ownership(root, "json", None, "0001-01-01", use_cache=False) == 0
    assert {a["name"]: a["active"] for a in json.loads(capsys.readouterr().out)["authors"]} == {"Ann": False, "Far": False}

    (root / "pyproject.toml").write_text("[tool.mldebt.history]\nactive-months = 9223372036854775807\n")
    assert run_ownership(root, "json", None, None, use_cache=False) == 0
    assert {a["name"]: a["active"] for a in json.loads(capsys.readouterr().out)["authors"]} == {"Ann": True, "Far": True}


def test_identities_show_who_is_who_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mldebt.demo.history import Commit, build_history

    root = build_history(tmp_path / "repo", [
        Commit("Jane Doe", "jane@a.example", "2024-05-01T12:00:00+00:00", "x", {"pyproject.toml": "[project]\nname = 'x'\n"}),
        Commit("Doe Jane", "jd@b.example", "2024-05-02T12:00:00+00:00", "x", {"a.py": "a = 1\n"}),
        Commit("root", "root@buildhost", "2024-05-03T12:00:00+00:00", "x", {"a.py": "a = 2\n"}),
    ])
    assert run_ownership(root, "text", None, None, use_cache=False, identities=True) == 0
    assert capsys.readouterr().out == (
        "2 developers merged from several identities, bots and machines (override in [tool.mldebt.history] aliases):\n"
        "\n"
        "Doe Jane: 2 commits\n"
        "  Doe Jane <jd@b.example>: 1 commit\n"
        "  Jane Doe <jane@a.example>: 1 commit\n"
        "    merged Jane Doe <jane@a.example> with Doe Jane <jd@b.example>: same full name up to case, accents, "
        "punctuation and word order (doe jane)\n"
        "\n"
        "root@buildhost [machine]: 1 commit\n"
        "  root <root@buildhost>: 1 commit\n"
    )
    assert run_ownership(root, "json", None, None, use_cache=False, identities=True) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(d["name"], d["kind"], len(d["identities"]), len(d["merges"])) for d in document["developers"]] == [
        ("Doe Jane", "person", 2, 1), ("root@buildhost", "machine", 1, 0),
    ]
    assert run_ownership(root, "html", None, None, use_cache=False, identities=True) == 2
    assert "--identities prints text or json" in capsys.readouterr().err


# Maria created the training script and left; Sam, active, changed it once since.
_ONE_CHANGE_SINCE = [
    ("Maria Lopez", "2023-01-10", {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "train.py": "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n"
                    "    LogisticRegression().fit([[0]], [0])\n",
    }),
    ("Sam Chen", "2025-01-10", {
        "train.py": "from sklearn.linear_model import LogisticRegression\n\nif __name__ == '__main__':\n"
                    "    LogisticRegression(C=0.5).fit([[0]], [0])\n",
    }),
]


@pytest.mark.parametrize(("setting", "authors", "findings"), [
    # Avelino et al.'s reading, the default: Maria's FA gives her 3.293 + 1.098 - 0.321 ln 2 =
    # 4.169, Sam's one change 3.457, a ratio of 0.83 > 0.75: both author train.py.
    ("", ["Maria Lopez", "Sam Chen"], ""),
    ('authorship-model = "reference"\n', ["Maria Lopez", "Sam Chen"], ""),
    # The creator reading counts Maria's creation as a change, in Sam's AC too: 3.457 - 0.321 ln 2
    # = 3.235 < 3.293, so Maria alone authors it, and she left: MLD401.
    ('authorship-model = "creator"\n', ["Maria Lopez"], "train.py:1:1: MLD401 script `train.py` has no owner"),
])
def test_the_authorship_model_is_a_history_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, authors: list[str], findings: str
) -> None:
    from mldebt.demo.history import Commit, build_history

    root = build_history(tmp_path / "repo", [
        Commit(who, f"{who.split()[0].lower()}@example.org", f"{date}T12:00:00+00:00", "x", files)
        for who, date, files in _ONE_CHANGE_SINCE
    ])
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.mldebt.history]\n{setting}")
    assert run_ownership(root, "json", None, None, use_cache=False) == 0
    document = json.loads(capsys.readouterr().out)
    (train,) = document["pipelines"]
    assert (train["authors"], train["bus_factor"]) == (authors, len(authors))
    # The report says which reading it used.
    model = "creator" if "creator" in setting else "reference"
    assert document["authorship_model"] == model
    assert run_ownership(root, "text", None, None, use_cache=False) == 0
    assert f"authors read by the '{model}' authorship model." in capsys.readouterr().out.splitlines()[0]
    check = subprocess.run([sys.executable, "-m", "mldebt", "check", "--no-cache", "--select", "MLD4"], cwd=root,
                           capture_output=True, text=True, check=False)
    assert (check.returncode, check.stdout.startswith(findings), check.stdout.count("\n")) == (
        (1, True, 1) if findings else (0, True, 0)
    ), check.stderr


def test_an_unknown_authorship_model_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mldebt.history]\nauthorship-model = \"paper\"\n")
    for args in (["ownership"], ["check"]):
        run = subprocess.run([sys.executable, "-m", "mldebt", *args], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert (run.returncode, run.stdout) == (2, "")
        assert run.stderr == (
            f"mldebt: invalid configuration in {tmp_path / 'pyproject.toml'}:\n"
            "  - 'history.authorship-model' must be one of 'reference', 'creator'\n"
        )
