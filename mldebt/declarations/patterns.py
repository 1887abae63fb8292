"""Declared patterns: which are globs, what a glob matches, and which are too broad to keep."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mldebt.targets import TargetKind

_PATH_WILDCARDS = re.compile(r"[*?\[]")
_SCHEME_END = "://"


def is_glob(pattern: str, kind: TargetKind) -> bool:
    """Whether ``pattern`` has wildcards; in a URI only ``*`` is one, since ``?`` starts a query."""
    if kind is TargetKind.URI:
        return "*" in pattern
    return _PATH_WILDCARDS.search(pattern) is not None


def is_too_broad(pattern: str, kind: TargetKind) -> bool:
    """Whether ``pattern`` names nothing in particular (``*``, ``*/*``, the repository root,
    ``s3://*``): declaring it would cover everything, so it is not kept."""
    rest = pattern
    if kind is TargetKind.URI:
        rest = pattern[pattern.find(_SCHEME_END) + len(_SCHEME_END) :]
    elif kind is TargetKind.TABLE:
        rest = pattern.removeprefix("table:")
    return not re.sub(r"[*?\[\]/.]", "", rest)


def compile_glob(pattern: str, kind: TargetKind) -> re.Pattern[str]:
    """A regex for ``fullmatch`` that accepts what ``pattern`` names and everything below it.

    ``*`` and ``?`` stay within one path segment, ``**`` crosses segments and ``**/`` may match
    no directory at all. What a glob matches may be a directory (a DVC out ``data/${x}`` is
    often one), so the files under a match are matched too.
    """
    wildcard_question = kind is not TargetKind.URI
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?" and wildcard_question:
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and wildcard_question and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negate = body[:1] == "!"
            # `[`, `&`, `~` and `|` are escaped too: doubled, re warns of a future set syntax.
            body = re.sub(r"([\\^\][&~|])", r"\\\1", body[1:] if negate else body)
            char_class = f"[{'^/' if negate else ''}{body}]"
            try:
                re.compile(char_class)
            except re.error:
                # A reversed range (`[z-a]`): as in fnmatch, the set is empty.
                char_class = "[^/]" if negate else "(?!)"
            parts.append(char_class)
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts) + "(?:/.*)?", re.DOTALL)


def ancestors(value: str, kind: TargetKind) -> Iterator[str]:
    """The enclosing directories of a path or URI, nearest first, never the root itself:
    ``s3://b/d/x.csv`` -> ``s3://b/d``, ``s3://b``."""
    floor = value.find(_SCHEME_END) + len(_SCHEME_END) if kind is TargetKind.URI else 0
    cut = value.rfind("/", floor)
    while cut > floor:
        yield value[:cut]
        cut = value.rfind("/", floor, cut)
