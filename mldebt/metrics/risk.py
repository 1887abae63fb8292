"""Risk weighs a pipeline's complexity (mldebt.metrics.complexity) against its ownership and
against how long the code has gone untouched:

    ownership = active authors + (1 if CODEOWNERS names an owner of its files)
    recency   = 1 + 0.5 * min(1, days since its files last changed / 365)
    risk      = complexity / (1 + ownership) * recency

so a complex pipeline that nobody still here wrote, that no CODEOWNERS entry covers and that
nobody has touched for a year ranks first (risk = 1.5 * complexity), and the same code with
three active authors and an owner team scores a fifth of its complexity.
"""

from __future__ import annotations

STALE_BONUS, STALE_DAYS = 0.5, 365
DAY = 24 * 3600


def recency_factor(last_change: int | None, as_of: int) -> float:
    """1 for code changed at `as_of`, rising linearly to 1.5 for code untouched for a year."""
    if last_change is None:
        return 1.0
    age_days = max(0, as_of - last_change) / DAY
    return 1.0 + STALE_BONUS * min(1.0, age_days / STALE_DAYS)


def risk_score(complexity: float, ownership: int, recency: float) -> float:
    """Complexity per person who can answer for the code, weighed by how long it went untouched."""
    return round(complexity / (1 + ownership) * recency, 2)
