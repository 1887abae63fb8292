"""The registry: shipped rules found by their files, users' rules by entry point, every code
and name unique."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mldebt.findings import Category, Finding
from mldebt.rules import find_rule, registry
from mldebt.rules.base import Rule, RuleContext
from mldebt.rules.data.undeclared_data_dependency import UndeclaredDataDependency

SHIPPED = registry.shipped_rules()
RULES = Path(registry.__file__).parent
# Each family's docstring starts with its codes, "MLD1xx: ...".
FAMILY_OF_DIGIT = {
    (RULES / family / "__init__.py").read_text().lstrip('"')[3]: family for family in registry.families()
}


class AcmeRule(Rule):
    """
    ## What it does
    Nothing, for the tests.
    """

    code = "ACME001"
    name = "acme-rule"
    category = Category.ML_CODE_SMELL

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        return iter(())


def test_every_shipped_rule_is_one_file_named_after_it_in_its_codes_family() -> None:
    # One rule in each module of a family, and nothing else there: adding a rule adds a file.
    files = [path for family in registry.families() for path in (RULES / family).glob("*.py") if path.name != "__init__.py"]
    assert len(SHIPPED) == len(files) >= 13
    assert set(FAMILY_OF_DIGIT.values()) >= {"analysis", "data", "ownership"}
    for rule in SHIPPED:
        family, module = rule.__module__.split(".")[2:]
        assert (family, module) == (FAMILY_OF_DIGIT[rule.code[3]], rule.name.replace("-", "_")), rule.code
    modules = [rule.__module__ for rule in SHIPPED]
    assert len(set(modules)) == len(modules)


def test_rules_are_sorted_by_code() -> None:
    codes = [rule.code for rule in registry.all_rules()]
    assert codes == sorted(codes) and codes[0] == "MLD001" and codes[-1] == "MLD403"


def test_a_duplicate_code_is_refused() -> None:
    class Twin(AcmeRule):
        code = "MLD101"
        name = "twin"

    with pytest.raises(registry.RegistryError, match=r"Twin and .*UndeclaredDataDependency share the code 'MLD101'"):
        registry.check_unique([*SHIPPED, Twin])


def test_a_duplicate_name_is_refused() -> None:
    class Twin(AcmeRule):
        code = "ACME002"
        name = "undeclared-data-dependency"

    with pytest.raises(registry.RegistryError, match="share the name 'undeclared-data-dependency'"):
        registry.check_unique([*SHIPPED, Twin])


@pytest.mark.parametrize(("code", "name", "problem"), [
    ("MLD1", "short-code", "code 'MLD1' is not letters then three digits"),
    ("mld901", "lower-code", "code 'mld901' is not letters then three digits"),
    ("MLD901", "Not_Kebab", "name 'Not_Kebab' is not kebab-case"),
])
def test_a_malformed_code_or_name_is_refused(code: str, name: str, problem: str) -> None:
    bad = type("Bad", (AcmeRule,), {"code": code, "name": name})
    with pytest.raises(registry.RegistryError, match=problem):
        registry.check_unique([bad])


def test_a_plugin_rule_joins_the_shipped_ones(install) -> None:  # type: ignore[no-untyped-def]
    install("acme", AcmeRule)
    rules = registry.all_rules()
    assert rules[0] is AcmeRule and rules[1:] == tuple(sorted(SHIPPED, key=lambda r: r.code))
    assert find_rule("acme001") is AcmeRule and find_rule("acme-rule") is AcmeRule


ACME_MODULE = """\
from mldebt.findings import Category
from mldebt.rules.base import Rule


class Acme(Rule):
    code = "ACME004"
    name = "acme"
    category = Category.ML_CODE_SMELL
"""


def test_a_real_distribution_on_sys_path_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme_rules.py").write_text(ACME_MODULE)
    info = tmp_path / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[mldebt.rules]\nacme = acme_rules:Acme\n")
    registry.all_rules.cache_clear()
    try:
        assert not registry._may_have_plugins()
        monkeypatch.syspath_prepend(str(tmp_path))
        assert registry._may_have_plugins()
        assert [rule.code for rule in registry.all_rules()][0] == "ACME004"
    finally:
        registry.all_rules.cache_clear()


def test_a_plugin_that_reuses_a_code_is_refused(install) -> None:
    install("mine", type("Mine", (AcmeRule,), {"code": "MLD101", "name": "mine"}))
    with pytest.raises(registry.RegistryError, match="share the code 'MLD101'"):
        registry.all_rules()


@pytest.mark.parametrize("target", [len, UndeclaredDataDependency.check, Rule])
def test_an_entry_point_that_names_no_rule_is_refused(install, target: object) -> None:
    install("odd", target)
    with pytest.raises(registry.RegistryError, match=r"entry point 'odd' \(tests:odd\) is not an mldebt rule class"):
        registry.all_rules()


def test_a_plugin_rule_runs_in_a_check(install, repo) -> None:
    class Everywhere(AcmeRule):
        code = "ACME003"
        name = "everywhere"

        def check(self, ctx: RuleContext) -> Iterator[Finding]:
            from mldebt.findings import Location

            yield self.finding(Location("a.py", 1, 1, 1, 1), "found by a plugin")

    install("everywhere", Everywhere)
    result = repo({"a.py": "x = 1\n"})
    assert [(f.code, f.message) for f in result.findings] == [("ACME003", "found by a plugin")]


def test_a_rules_own_tests_are_found_by_its_code_and_name() -> None:
    by_code = {rule.code: rule for rule in registry.all_rules()}
    files = sorted(Path(__file__).parent.glob("test_mld*.py"))
    assert files
    for file in files:
        code, _, rest = file.stem.removeprefix("test_").partition("_")
        assert code.upper() in by_code, file.name
        assert rest == by_code[code.upper()].name.replace("-", "_"), file.name
