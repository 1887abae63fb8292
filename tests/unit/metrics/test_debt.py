from mldebt.findings import Category, Finding, Location, Severity
from mldebt.metrics.debt import CATEGORY_WEIGHTS, debt_score


def _finding(category: Category, severity: Severity) -> Finding:
    return Finding("MLD101", "x", category, severity, Location("a.py"), "m")


def test_every_category_has_a_weight() -> None:
    assert set(CATEGORY_WEIGHTS) == set(Category)


def test_score_weighs_category_and_severity() -> None:
    findings = [
        _finding(Category.UNDECLARED_DATA_DEPENDENCY, Severity.WARNING),  # 1.0
        _finding(Category.UNDECLARED_CONSUMER, Severity.WARNING),  # 3.0
        _finding(Category.ANALYSIS_ERROR, Severity.ERROR),  # 0.5 * 2
        _finding(Category.ANALYSIS_ERROR, Severity.INFO),  # 0.5 * 0.25
    ]
    assert debt_score(findings) == 5.12
    assert debt_score([]) == 0
