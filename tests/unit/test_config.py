"""[tool.mldebt]: whatever the repository's pyproject.toml holds, a ConfigError lists what is
wrong with it, never a crash (the CLI turns the error into exit 2)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main
from mldebt.config import (
    Choice,
    ConfigError,
    Flag,
    Globs,
    HistorySettings,
    Number,
    Option,
    RuleOptions,
    load_settings,
    option,
    parse_settings,
)
from mldebt.rules import all_rules, rule_options
from mldebt.rules.data.undeclared_data_dependency import UndeclaredDataDependency
from mldebt.rules.ownership.complexity_ownership_risk import ComplexityOwnershipRisk


def _problems(tmp_path: Path, content: str | bytes) -> list[str]:
    path = tmp_path / "pyproject.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, rule_options())
    assert caught.value.source == str(path)
    return caught.value.problems


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a = ", "}")], ids=["arrays", "inline-tables"])
def test_deep_nesting_is_invalid_toml(tmp_path: Path, opening: str, closing: str) -> None:
    content = "[tool.mldebt]\nexclude = " + opening * 100_000 + closing * 100_000 + "\n"
    assert _problems(tmp_path, content) == ["invalid TOML: arrays or inline tables nested too deeply"]


def test_an_integer_python_refuses_to_read_is_invalid_toml(tmp_path: Path) -> None:
    content = "[tool.mldebt.history]\nactive-months = " + "9" * 5000 + "\n"
    assert _problems(tmp_path, content) == ["invalid TOML: an integer too long to read (TOML integers are 64-bit)"]


def test_integers_beyond_64_bits_are_named_by_key(tmp_path: Path) -> None:
    # Hexadecimal integers of any length parse; 5000 hex digits cannot even be printed in decimal.
    content = (
        "[tool.mldebt.history]\nactive-months = 0x" + "f" * 5000 + "\n"
        "[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = -9223372036854775809\n"
        "[[tool.mldebt.catalog.function]]\nmatch = ['lib.load']\ndirection = 'read'\narg = 9223372036854775808\n"
    )
    assert _problems(tmp_path, content) == [
        "'catalog.function[0].arg' is an integer outside TOML's 64-bit range",
        "'history.active-months' is an integer outside TOML's 64-bit range",
        "'rules.complexity-ownership-risk.threshold' is an integer outside TOML's 64-bit range",
    ]


def test_the_64_bit_bounds_themselves_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.mldebt.catalog.function]]\nmatch = ['lib.load']\ndirection = 'read'\narg = 9223372036854775807\n"
    )
    assert load_settings(tmp_path, rule_options()).catalog["function"][0]["arg"] == 2**63 - 1


def test_undecodable_bytes(tmp_path: Path) -> None:
    assert _problems(tmp_path, b"[tool.mldebt]\nbaseline = '\xff'\n") == [
        "cannot read: 'utf-8' codec can't decode byte 0xff in position 26: invalid start byte"
    ]


def test_a_directory_named_pyproject_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, rule_options())
    assert caught.value.problems == ["cannot read: it is a directory"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_pyproject_toml_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, rule_options())
    assert caught.value.problems == ["cannot read: it is not a regular file"]


def test_a_missing_pyproject_toml_means_defaults_but_a_missing_config_is_an_error(tmp_path: Path) -> None:
    assert load_settings(tmp_path, rule_options()).select == ("ALL",)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, rule_options(), tmp_path / "nope.toml")
    assert caught.value.problems == ["file not found"]


def test_patterns_pathspec_cannot_compile_are_named_with_their_key(tmp_path: Path) -> None:
    content = (
        "[tool.mldebt]\nexclude = ['build/', '!']\n"
        "[tool.mldebt.per-file-ignores]\n'[z-a].py' = ['MLD101']\n'tests/*' = ['MLD1']\n"
        "[tool.mldebt.history]\ninclude = ['src/', 'x\\']\nexclude = ['!']\n"
    )
    assert _problems(tmp_path, content) == [
        "'per-file-ignores': '[z-a].py' is not a valid gitignore-style pattern",
        "'exclude': '!' is not a valid gitignore-style pattern",
        "'history.include': 'x\\\\' is not a valid gitignore-style pattern",
        "'history.exclude': '!' is not a valid gitignore-style pattern",
    ]


def test_rule_options_are_checked_against_the_type_of_their_default(tmp_path: Path) -> None:
    content = (
        "[tool.mldebt.rules.undeclared-data-dependency]\nignore-targets = 5\nhub = 'no'\n"
        "[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 'high'\n"
    )
    assert _problems(tmp_path, content) == [
        "'rules.undeclared-data-dependency.ignore-targets' must be a list of strings",
        "'rules.undeclared-data-dependency.hub' must be true or false",
        "'rules.complexity-ownership-risk.threshold' must be a finite number",
    ]


@pytest.mark.parametrize(
    "option, value, problem",
    [
        ("ignore-targets", "[1, 2]", "must be a list of strings"),
        ("ignore-targets", "['a', ['b']]", "must be a list of strings"),
        ("hub", "1", "must be true or false"),
        ("threshold", "nan", "must be a finite number"),
        ("threshold", "-inf", "must be a finite number"),
        ("threshold", "true", "must be a finite number"),
        ("threshold", "[4]", "must be a finite number"),
    ],
)
def test_ill_typed_rule_options(tmp_path: Path, option: str, value: str, problem: str) -> None:
    rule = "complexity-ownership-risk" if option == "threshold" else "undeclared-data-dependency"
    content = f"[tool.mldebt.rules.{rule}]\n{option} = {value}\n"
    assert _problems(tmp_path, content) == [f"'rules.{rule}.{option}' {problem}"]


def test_well_typed_rule_options_are_kept_typed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mldebt.rules.undeclared-data-dependency]\nignore-targets = ['s3://*']\nhub = true\n"
        "[tool.mldebt.rules.complexity-ownership-risk]\nthreshold = 3\n"
    )
    assert load_settings(tmp_path, rule_options()).rules == {
        "undeclared-data-dependency": UndeclaredDataDependency.Options(ignore_targets=("s3://*",), hub=True),
        "complexity-ownership-risk": ComplexityOwnershipRisk.Options(threshold=3),
    }


def test_an_empty_rule_table_is_every_default(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mldebt.rules.undeclared-data-dependency]\n")
    options = load_settings(tmp_path, rule_options()).rules["undeclared-data-dependency"]
    assert options == UndeclaredDataDependency.Options(ignore_targets=(), hub=False)


# The three defects the untyped options had: each is now an error, and the CLI exits 2.
DEFECTS = [
    # A string read character by character: its `*` silenced every MLD101 finding.
    ("undeclared-data-dependency", "ignore-targets = 'logs/**'", "'rules.undeclared-data-dependency.ignore-targets' must be a list of strings"),
    # A non-empty string counted as true.
    ("undeclared-data-dependency", "hub = 'no'", "'rules.undeclared-data-dependency.hub' must be true or false"),
    # float("high") crashed MLD403 at run time.
    ("complexity-ownership-risk", "threshold = 'high'", "'rules.complexity-ownership-risk.threshold' must be a finite number"),
]


@pytest.mark.parametrize(("rule", "line", "problem"), DEFECTS, ids=["string-globs", "string-bool", "string-number"])
def test_ill_typed_options_stop_the_cli_with_exit_2(tmp_path: Path, rule: str, line: str, problem: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.mldebt.rules.{rule}]\n{line}\n")
    (tmp_path / "train.py").write_text("import pandas as pd\npd.read_csv('data/x.csv')\n")
    done = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert done.exit_code == 2
    assert problem in done.output
    assert "MLD101" not in done.output


def test_unknown_and_ill_typed_options_are_all_reported(tmp_path: Path) -> None:
    content = "[tool.mldebt.rules.undeclared-data-dependency]\nhub = 'no'\nzeta = 1\nignore-targets = 'logs/**'\nalpha = 2\n"
    assert _problems(tmp_path, content) == [
        "unknown option 'rules.undeclared-data-dependency.alpha'",
        "unknown option 'rules.undeclared-data-dependency.zeta'",
        "'rules.undeclared-data-dependency.ignore-targets' must be a list of strings",
        "'rules.undeclared-data-dependency.hub' must be true or false",
    ]


def test_history_settings_are_one_typed_object(tmp_path: Path) -> None:
    assert load_settings(tmp_path, rule_options()).history == HistorySettings()
    assert HistorySettings().active_months == 12 and "dependabot" in HistorySettings().bots
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mldebt.history]\nactive-months = 6\nmaintainer-commits = 2\nbots = ['ci']\ninclude = ['src/']\nexclude = []\n"
        "authorship-model = 'creator'\n"
    )
    assert load_settings(tmp_path, rule_options()).history == HistorySettings(
        bots=("ci",), include=("src/",), exclude=(), active_months=6, maintainer_commits=2, authorship_model="creator"
    )


@pytest.mark.parametrize("value", ["'paper'", "'Reference'", "1", "['reference']"])
def test_the_authorship_model_is_one_of_the_models(tmp_path: Path, value: str) -> None:
    assert HistorySettings().authorship_model == "reference"
    assert _problems(tmp_path, f"[tool.mldebt.history]\nauthorship-model = {value}\n") == [
        "'history.authorship-model' must be one of 'reference', 'creator'"
    ]


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "true", "'12'"])
@pytest.mark.parametrize("key", ["active-months", "maintainer-commits"])
def test_activity_settings_are_positive_integers(tmp_path: Path, key: str, value: str) -> None:
    assert _problems(tmp_path, f"[tool.mldebt.history]\n{key} = {value}\nbogus = 1\n") == [
        "unknown key 'history.bogus'",
        f"'history.{key}' must be a positive integer",
    ]


@pytest.mark.parametrize(("spec", "good", "bad", "problem"), [
    (Number(0.5, minimum=0, maximum=1), [0, 0.25, 1], [-0.1, 1.5, "1", True], "must be a finite number from 0 to 1"),
    (Number(2, minimum=0), [0, 7.5], [-1], "must be a finite number of at least 0"),
    (Number(2, integer=True, maximum=9), [-4, 9], [9.0, 10], "must be an integer of at most 9"),
    (Choice("fast", choices=("fast", "exact")), ["fast", "exact"], ["slow", 1], "must be one of 'fast', 'exact'"),
    (Globs(), [[], ["logs/**", "s3://*"]], ["logs/**", [1]], "must be a list of strings"),
    (Flag(), [True, False], ["no", 0], "must be true or false"),
])
def test_option_types_check_their_values(spec: Option, good: list[object], bad: list[object], problem: str) -> None:
    assert all(spec.problems("k", value) == [] for value in good)
    assert all(spec.problems("k", value) == [f"'k' {problem}"] for value in bad)


def test_option_docs_are_generated_from_the_declarations() -> None:
    @dataclass(frozen=True)
    class Options(RuleOptions):
        max_depth: int = option(Number(3, integer=True, minimum=1, doc="how deep to look,\nat the most."))
        mode: str = option(Choice("fast", choices=("fast", "exact"), doc="how to look."))
        paths: tuple[str, ...] = option(Globs(("a/*",), doc="where."))

    assert Options.documented() == (
        "- `max-depth` (number, default `3`): how deep to look,\n  at the most.\n"
        '- `mode` (string, default `"fast"`): how to look.\n'
        '- `paths` (list of globs, default `["a/*"]`): where.'
    )
    problems: list[str] = []
    assert Options.parse({"max-depth": 5, "paths": ["b/*"]}, "rules.x", "option", problems) == Options(5, "fast", ("b/*",))
    assert problems == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_declared_default_passes_its_own_check(rule: type) -> None:
    defaults = {key: spec.shown(spec.default) for key, spec in rule.Options.declared().items()}
    table = {key: json.loads(shown) for key, shown in defaults.items()}
    settings = parse_settings({"rules": {rule.name: table}}, "pyproject.toml", rule_options())
    assert settings.rules[rule.name] == rule.Options()


def test_history_aliases_are_a_table_of_identity_lists_each_identity_listed_once(tmp_path: Path) -> None:
    good = "[tool.mldebt.history.aliases]\n'Jane Doe' = ['jane@a.example', 'J <jd@b.example>']\n"
    (tmp_path / "pyproject.toml").write_text(f"[tool.mldebt]\n{good}")
    assert load_settings(tmp_path, rule_options()).history.aliases == (
        ("Jane Doe", ("jane@a.example", "J <jd@b.example>")),
    )
    content = (
        "[tool.mldebt.history.aliases]\n'Jane Doe' = ['jane@a.example']\n'Sam' = ['JANE@a.example', ' ']\n"
        "'Kim' = 'kim@c.example'\n'Lee' = [3]\n"
    )
    assert _problems(tmp_path, content) == [
        "'history.aliases.Sam': 'JANE@a.example' is also listed under 'Jane Doe'",
        "'history.aliases.Sam' lists an empty identity",
        "'history.aliases.Kim' must be a list of strings",
        "'history.aliases.Lee' must be a list of strings",
    ]
    assert _problems(tmp_path, "[tool.mldebt.history]\naliases = ['x']\n") == [
        "'history.aliases' must be a table: person = [identities]"
    ]


def test_plugin_rule_codes_are_codes_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mldebt]\nselect = ['ALL']\nignore = ['ACME2']\n[tool.mldebt.per-file-ignores]\n'tests/*' = ['ACME200', 'MLD1']\n"
    )
    settings = load_settings(tmp_path, rule_options())
    assert settings.ignore == ("ACME2",) and settings.per_file_ignores == (("tests/*", ("ACME200", "MLD1")),)
    assert _problems(tmp_path, "[tool.mldebt]\nignore = ['acme 1', 'M1']\n") == [
        "'ignore': 'acme 1' is not a rule code or prefix (like MLD101, MLD1, ACME200 or ALL)",
        "'ignore': 'M1' is not a rule code or prefix (like MLD101, MLD1, ACME200 or ALL)",
    ]
