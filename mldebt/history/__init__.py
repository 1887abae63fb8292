"""Ownership from version control: one streamed `git log` -> authorship (DOA), truck factor,
churn; and declared ownership from CODEOWNERS.

    history = mine_history(root, cache=CacheStore.open(root))
    doa = authorship(history)
    authors = {path: entry.authors for path, entry in doa.items()}
    tf = truck_factor(authors, history.commit_counts(), gone=inactive_developers(history))
"""

from mldebt.history.authorship import (
    CREATOR_MODEL,
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    DEFAULT_MODEL,
    MODELS,
    REFERENCE_EXCLUDE,
    REFERENCE_INCLUDE,
    REFERENCE_MODEL,
    AuthorshipModel,
    DeveloperAuthorship,
    FileAuthorship,
    authorship,
    degree_of_authorship,
    select_files,
)
from mldebt.history.churn import DEFAULT_MAINTAINER_COMMITS, FileChurn, churn, maintainers
from mldebt.history.codeowners import (
    Codeowners,
    CodeownersProblem,
    OwnershipRule,
    load_codeowners,
    parse_codeowners,
)
from mldebt.history.identities import DEFAULT_BOTS
from mldebt.history.mine import (
    Developer,
    FileRecord,
    History,
    MineMode,
    MineStats,
    NoHistory,
    mine_history,
)
from mldebt.history.truck import (
    TruckFactor,
    activity_window,
    group_truck_factors,
    inactive_developers,
    module_truck_factors,
    truck_factor,
)

__all__ = [
    "CREATOR_MODEL",
    "DEFAULT_BOTS",
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "DEFAULT_MAINTAINER_COMMITS",
    "DEFAULT_MODEL",
    "MODELS",
    "REFERENCE_EXCLUDE",
    "REFERENCE_INCLUDE",
    "REFERENCE_MODEL",
    "AuthorshipModel",
    "Codeowners",
    "CodeownersProblem",
    "Developer",
    "DeveloperAuthorship",
    "FileAuthorship",
    "FileChurn",
    "FileRecord",
    "History",
    "MineMode",
    "MineStats",
    "NoHistory",
    "OwnershipRule",
    "TruckFactor",
    "activity_window",
    "authorship",
    "churn",
    "degree_of_authorship",
    "group_truck_factors",
    "inactive_developers",
    "load_codeowners",
    "maintainers",
    "mine_history",
    "module_truck_factors",
    "parse_codeowners",
    "select_files",
    "truck_factor",
]
