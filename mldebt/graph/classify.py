"""What each data access is, decided once for every rule and report that asks.

MLD101 reports the undeclared, MLD102 what lies outside the repository, MLD103 the reads of
undeclared consumers, and `mldebt accesses` shows the declaration: each used to decide its
share on its own, in its own order, and so could disagree with the others about one access.
Here the order is fixed. An access is, by the first that holds:

1. ``DYNAMIC``: its target is not known statically;
2. ``SYSTEM``: scratch space or a device (``/tmp``, ``/dev``, ``/proc``, ``/sys``);
3. ``OUTSIDE``: an absolute or user-home path, or a relative one leaving the repository from
   code whose working directory is known (a notebook, a script a DVC stage runs);
4. ``UNANCHORED``: a relative path that leaves the repository from code that may run anywhere
   (the same path from a subdirectory stays inside): nobody can say where it points;
5. ``EMPTY``: a target with no value;
6. ``DECLARED``: a manifest declares it for the code making it;
7. ``CODE``: a repository source file, read as text (`exec(open("config.py").read())`);
8. ``CONSUMER_READ``: a read of undeclared data that another pipeline writes (MLD103's);
9. ``NAMED``: what a hub, library or registry knows by name (``models:/churn``), undeclared;
10. ``UNDECLARED``: anything else: nothing declares it for this code (``elsewhere`` says when
    another DVC stage does).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mldebt.declarations import Declaration
from mldebt.targets import Target, TargetKind

# Absolute paths that are not data locations: scratch space and devices.
_SYSTEM_PREFIXES = ("/tmp/", "/var/tmp/", "/dev/", "/proc/", "/sys/")
_SYSTEM_PATHS = frozenset({"/tmp", "/dev/null"})


class Status(str, Enum):
    DYNAMIC = "dynamic"
    SYSTEM = "system"
    OUTSIDE = "outside"
    UNANCHORED = "unanchored"
    EMPTY = "empty"
    DECLARED = "declared"
    CODE = "code"
    CONSUMER_READ = "consumer-read"
    NAMED = "named"
    UNDECLARED = "undeclared"


@dataclass(frozen=True)
class Classification:
    status: Status
    # What declares the target for the code making the access; else, for code that DVC stages
    # run, another stage's declaration of it (MLD101 names it).
    declaration: Declaration | None = None
    elsewhere: Declaration | None = None
    # For OUTSIDE: "absolute path", "user-home path" or "path outside the repository".
    outside: str = ""


def classify(
    target: Target,
    *,
    anchored: bool,
    declaration: Declaration | None,
    elsewhere: Declaration | None,
    code: bool,
    consumer_read: bool,
) -> Classification:
    """One access's classification, from its target and what the graph knows about it:
    ``anchored``, the working directory of the code is known; ``declaration`` and ``elsewhere``,
    as ``DataGraph`` found them; ``code``, the target is a repository source file;
    ``consumer_read``, the access is a read of an undeclared consumer."""

    def result(status: Status, outside: str = "") -> Classification:
        return Classification(status, declaration, elsewhere, outside)

    if target.kind is TargetKind.DYNAMIC:
        return result(Status.DYNAMIC)
    if target.kind is TargetKind.PATH and not target.is_in_repo:
        if target.value.startswith(_SYSTEM_PREFIXES) or target.value in _SYSTEM_PATHS:
            return result(Status.SYSTEM)
        if target.is_user_home:
            return result(Status.OUTSIDE, "user-home path")
        if target.is_absolute:
            return result(Status.OUTSIDE, "absolute path")
        return result(Status.OUTSIDE, "path outside the repository") if anchored else result(Status.UNANCHORED)
    if not target.value:
        return result(Status.EMPTY)
    if declaration is not None:
        return result(Status.DECLARED)
    if code:
        return result(Status.CODE)
    if consumer_read:
        return result(Status.CONSUMER_READ)
    if target.is_named:
        return result(Status.NAMED)
    return result(Status.UNDECLARED)
