"""How hot a CACE hotspot is (Changing Anything Changes Everything, Sculley et al. 2015).

A hotspot is where one change fans out: a module, or a configuration constant, that several
pipelines read directly (through imports, not through what one pipeline writes for the next),
and that keeps changing. As Tornhill ranks code hotspots by complexity times churn, a CACE
hotspot is ranked by its reach times its churn:

    score = pipelines reached directly * commits in the activity window

so a shared feature module that six pipelines import and that changed in ten commits this year
scores 60, and the same module untouched this year scores nothing.
"""

from __future__ import annotations


def hotspot_score(pipelines: int, commits: int) -> int:
    return pipelines * commits
