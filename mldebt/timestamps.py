"""Unix seconds as git records them, turned into dates that datetime can hold.

A repository dates its commits as it likes (git takes the year 10000) and --as-of may name the
year 1, so times are clamped to datetime's range wherever they become dates. Both the history
(month arithmetic for the activity window) and the ownership report (ISO dates) need that clamp;
it lives here, standard library only, so that neither has to import the other.
"""

from __future__ import annotations

from datetime import datetime, timezone

EARLIEST = int(datetime(1, 1, 1, tzinfo=timezone.utc).timestamp())
LATEST = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp())


def utc(timestamp: int) -> datetime:
    """Unix seconds as a UTC datetime, clamped to the range datetime can represent."""
    return datetime.fromtimestamp(min(max(timestamp, EARLIEST), LATEST), timezone.utc)
