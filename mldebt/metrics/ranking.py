"""Where a ranking drops off: the cut CodeScene makes in its hotspots, instead of a fixed top-N.

Of scores sorted from the highest, the ones kept are those before the largest fall, when a
score is below 1/DROP of the one before it somewhere; with no such fall (or fewer than three
scores) all are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

DROP = 1.5


def kept_before_the_drop(scores: Sequence[float]) -> int:
    """How many of ``scores`` (highest first) come before their largest fall."""
    if len(scores) < 3:
        return len(scores)
    falls = [(scores[i] / max(scores[i + 1], 1e-9), i) for i in range(len(scores) - 1)]
    fall, at = max(falls, key=lambda f: (f[0], -f[1]))
    return at + 1 if fall >= DROP else len(scores)
