"""Who authors each file: the degree-of-authorship model of Avelino et al. (ICPC 2016).

    DOA = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)

FA is 1 for the developer who created the file (the oldest commit of its history, through
renames), DL the number of commits by the developer that changed it, AC the number by everybody
else. A developer authors the file when their DOA, divided by the file's highest, exceeds 0.75
and their DOA is at least 3.293, or when they created it.

Bots author nothing: their commits count neither as DL nor as AC, and a file a bot created has
no creator among the developers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pathspec

from mldebt.history.mine import History

DOA_BASE = 3.293
NORMALISED_THRESHOLD = 0.75

# What counts as code, as Avelino et al. count it (GitHub's linguist languages): source files
# of programming languages and notebooks; images, data, configuration and markup are left out.
DEFAULT_INCLUDE: tuple[str, ...] = tuple(
    f"*.{ext}"
    for ext in (
        "py", "pyx", "pxd", "ipynb", "r", "R", "jl", "scala", "java", "kt", "kts", "groovy", "c", "h", "cc", "cpp",
        "cxx", "hpp", "hh", "cu", "cuh", "go", "rs", "rb", "php", "js", "jsx", "mjs", "ts", "tsx", "swift", "m", "mm",
        "cs", "fs", "lua", "pl", "pm", "sh", "bash", "sql", "hs", "ml", "ex", "exs", "erl", "clj", "dart", "vue",
    )
)

# Files whose authorship says nothing about who can maintain the code: vendored, generated,
# documentation. gitignore syntax, so a caller can re-include one with "!requirements.txt".
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "vendor/",
    "third_party/",
    "external/",
    "generated/",
    "*_pb2.py",
    "*_pb2_grpc.py",
    "*.min.js",
    "docs/",
    "doc/",
    "debian/",
    "*.md",
    "*.rst",
    "*.txt",
    "LICENSE",
    "LICENSE.*",
)


@dataclass(frozen=True)
class DeveloperAuthorship:
    """One developer's degree of authorship of one file, with the terms it comes from."""

    developer: str
    doa: float
    normalised: float
    created: bool
    changes: int  # DL
    other_changes: int  # AC
    author: bool


@dataclass(frozen=True)
class FileAuthorship:
    """Everyone who changed one file, and who of them authors it."""

    path: str
    creator: str | None  # None when a bot created it or its creation is not in the history
    developers: tuple[DeveloperAuthorship, ...]  # highest DOA first

    @property
    def authors(self) -> tuple[str, ...]:
        """The developers who author this file; empty for an orphan."""
        return tuple(entry.developer for entry in self.developers if entry.author)


def degree_of_authorship(created: bool, changes: int, other_changes: int) -> float:
    """The absolute DOA of one developer for one file."""
    return (
        DOA_BASE + (1.098 if created else 0.0) + 0.164 * changes - 0.321 * math.log1p(other_changes)
    )


def select_files(
    paths: Iterable[str], include: Sequence[str] = DEFAULT_INCLUDE, exclude: Sequence[str] = DEFAULT_EXCLUDE
) -> tuple[str, ...]:
    """The ``paths`` that count for authorship: matching ``include`` (all when empty) and not
    ``exclude``; both are gitignore-style patterns."""
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    return tuple(
        path
        for path in paths
        if (included is None or included.match_file(path)) and not excluded.match_file(path)
    )


def authorship(history: History, files: Iterable[str] | None = None) -> dict[str, FileAuthorship]:
    """Authorship of each of ``files`` (default: the source files at HEAD, `select_files`)."""
    wanted = select_files(history.files) if files is None else tuple(files)
    bot = [developer.bot for developer in history.developers]
    result = {}
    for path in wanted:
        record = history.paths.get(path)
        if record is None:
            result[path] = _file_authorship(path, None, {}, history)
            continue
        creator = None if bot[record.creator] else record.creator
        changes = {developer: len(dates) for developer, dates in record.changes.items() if not bot[developer]}
        result[path] = _file_authorship(path, creator, changes, history)
    return result


def _file_authorship(
    path: str, creator: int | None, changes: dict[int, int], history: History
) -> FileAuthorship:
    total = sum(changes.values())
    scores = {
        developer: degree_of_authorship(developer == creator, count, total - count)
        for developer, count in changes.items()
    }
    highest = max(scores.values(), default=0.0)
    entries = []
    for developer, doa in scores.items():
        # With thousands of other changes every DOA turns negative, and a ratio of negatives
        # would rank the worst first: then nobody but the creator authors the file.
        normalised = doa / highest if highest > 0 else 0.0
        entries.append(
            DeveloperAuthorship(
                developer=history.developers[developer].name,
                doa=doa,
                normalised=normalised,
                created=developer == creator,
                changes=changes[developer],
                other_changes=total - changes[developer],
                author=developer == creator
                or (normalised > NORMALISED_THRESHOLD and doa >= DOA_BASE),
            )
        )
    entries.sort(key=lambda entry: (-entry.doa, entry.developer))
    return FileAuthorship(
        path=path,
        creator=None if creator is None else history.developers[creator].name,
        developers=tuple(entries),
    )
