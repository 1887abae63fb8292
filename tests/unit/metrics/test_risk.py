"""The risk formula and its recency factor."""

from __future__ import annotations

import pytest

from mldebt.metrics.risk import DAY, recency_factor, risk_score


def test_recency_and_risk_formulas() -> None:
    now = 1_700_000_000
    assert recency_factor(None, now) == 1.0 and recency_factor(now, now) == 1.0
    assert recency_factor(now - 365 * DAY, now) == 1.5 and recency_factor(now - 5000 * DAY, now) == 1.5
    assert recency_factor(now - 73 * DAY, now) == pytest.approx(1.1)
    assert recency_factor(now + DAY, now) == 1.0  # a commit dated after --as-of
    assert risk_score(10, 0, 1.5) == 15.0 and risk_score(10, 4, 1.0) == 2.0
