"""Declared ownership: GitHub's CODEOWNERS file.

GitHub reads the first of `.github/CODEOWNERS`, `CODEOWNERS` and `docs/CODEOWNERS` that exists.
Each line is a pattern and its owners (`@user`, `@org/team`, an e-mail address); the last
pattern that matches a path wins, and a pattern without owners makes its paths unowned.
A `#` that starts a word starts a comment.

The patterns look like gitignore patterns but differ, so pathspec does not fit and they are
compiled here:

- `docs/*` matches the files directly in docs/, not `docs/a/b.md` (gitignore would match the
  directory `docs/a` and so everything in it);
- `!` negation, `[ ]` character ranges and `\\#` to escape a leading `#` do not work on GitHub.
  Such a line is reported and skipped, as GitHub skips it.

Otherwise: a pattern without a slash (a trailing one aside) matches at any depth; one with a
leading or inner slash is anchored at the root; `dir/` matches everything below any `dir`;
a match on a directory covers everything below it; `*` and `?` do not cross `/`; `**` crosses
any number of directories; matching is case-sensitive.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mldebt.safefile import MiB, read_regular

CODEOWNERS_LOCATIONS: tuple[str, ...] = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
MAX_CODEOWNERS_BYTES = 3 * MiB

_OWNER = re.compile(r"@[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+")


@dataclass(frozen=True)
class OwnershipRule:
    """One valid CODEOWNERS line: a pattern and its owners."""

    line: int
    pattern: str
    owners: tuple[str, ...]  # empty: the matched paths are deliberately unowned
    compiled: tuple[str | tuple[object, ...], ...] = field(compare=False, repr=False)
    # The same test at regex speed, for the patterns a regex decides without backtracking
    # (nearly all of them): None for the others.
    regex: re.Pattern[str] | None = field(compare=False, repr=False)

    def matches(self, path: str) -> bool:
        """Whether this rule's pattern matches ``path`` (repository-relative, POSIX)."""
        if self.regex is not None:
            return self.regex.fullmatch(path) is not None
        return _matches(self.compiled, path)


@dataclass(frozen=True)
class CodeownersProblem:
    """A line GitHub would reject, and why."""

    line: int
    message: str


@dataclass(frozen=True)
class Codeowners:
    """A parsed CODEOWNERS file."""

    path: str  # where the file was found, relative to the repository root
    rules: tuple[OwnershipRule, ...]
    problems: tuple[CodeownersProblem, ...]  # lines GitHub would reject; they are skipped

    def rule_for(self, path: str) -> OwnershipRule | None:
        """The rule that decides ``path``'s owners: the last one that matches, if any."""
        return next((rule for rule in reversed(self.rules) if rule.matches(path)), None)

    def owners_of(self, path: str) -> tuple[str, ...]:
        """The owners of ``path``; empty when no rule matches or the deciding rule has none."""
        rule = self.rule_for(path)
        return () if rule is None else rule.owners


def load_codeowners(root: Path) -> Codeowners | None:
    """The CODEOWNERS file GitHub would use for the repository at ``root``, if there is one.

    A symbolic link is not followed, at any level (`.github/` too): it could point out of the
    repository, and GitHub does not follow it either. GitHub ignores a file above 3 MB.
    """
    real_root = os.path.realpath(root)
    for location in CODEOWNERS_LOCATIONS:
        candidate = os.path.join(real_root, location)
        if os.path.realpath(candidate) != candidate:
            continue
        try:
            data = read_regular(candidate, MAX_CODEOWNERS_BYTES)
        except OSError:
            continue
        return parse_codeowners(data.decode("utf-8", "replace"), location)
    return None


def parse_codeowners(text: str, path: str = "CODEOWNERS") -> Codeowners:
    """Parse the text of a CODEOWNERS file; problems are collected, never raised."""
    rules: list[OwnershipRule] = []
    problems: list[CodeownersProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = _words(line)
        if not words:
            continue
        pattern, owners = words[0], tuple(words[1:])
        message = _pattern_problem(pattern) or next(
            (f"invalid owner {owner!r}" for owner in owners if not _OWNER.fullmatch(owner)), None
        )
        if message is not None:
            problems.append(CodeownersProblem(number, message))
            continue
        compiled = _compile(pattern)
        rules.append(OwnershipRule(number, pattern, owners, compiled, _linear_regex(compiled)))
    return Codeowners(path=path, rules=tuple(rules), problems=tuple(problems))


def _words(line: str) -> list[str]:
    """Split on unescaped whitespace up to a comment; backslash escapes are kept in the words
    for `_compile` to read."""
    words: list[str] = []
    word = ""
    escaped = False
    for char in line:
        if escaped:
            word += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char.isspace():
            if word:
                words.append(word)
            word = ""
        elif char == "#" and not word:
            break
        else:
            word += char
    if escaped:
        word += "\\\\"
    if word:
        words.append(word)
    return words


def _pattern_problem(pattern: str) -> str | None:
    if pattern.startswith("\\#"):
        return "escaping a leading '#' does not work in CODEOWNERS; the line is ignored"
    if pattern.startswith("!"):
        return "negation with '!' does not work in CODEOWNERS; the line is ignored"
    unescaped = re.sub(r"\\.", "", pattern)
    if "[" in unescaped or "]" in unescaped:
        return "character ranges with '[ ]' do not work in CODEOWNERS; the line is ignored"
    if "***" in unescaped:
        return "a pattern cannot contain three consecutive asterisks"
    return None


# A compiled pattern: one item per path segment. _ANY_DIRS is `**`; any other item is the
# segment's glob, a tuple of characters with _STAR for `*` and _ONE for `?`.
_ANY_DIRS = "**"
_STAR = object()
_ONE = object()
_Glob = tuple[object, ...]


def _compile(pattern: str) -> tuple[str | _Glob, ...]:
    """The pattern's segments, to be matched by `_matches`. Not a regex: Python's backtracks,
    and a pattern such as `*a*a*a*a*a*a*a*b` or `/**/a/**/a/**/a/**/b` then takes hours on a
    long file name or a deep path; a CODEOWNERS file is the pull request's to write."""
    anchored = pattern.startswith("/")
    body = pattern[1:] if anchored else pattern
    directory = body.endswith("/")
    segments = body.rstrip("/").split("/")
    if not anchored and len(segments) == 1 and segments[0] != _ANY_DIRS:
        segments.insert(0, _ANY_DIRS)
    if directory:
        segments.append(_ANY_DIRS)
    return tuple(segment if segment == _ANY_DIRS else _segment(segment) for segment in segments)


def _matches(compiled: tuple[str | _Glob, ...], path: str) -> bool:
    """Whether ``path`` matches: the set of path segments each pattern segment can start at,
    carried from one pattern segment to the next, so the time is bounded by their product.

    `**` matches any number of directories, and at the end at least one more segment; a lone
    `*` exactly one segment, so that `docs/*` is the files directly in docs/; any other last
    segment matches a directory too, and so everything below it."""
    parts = path.split("/")
    count = len(parts)
    starts = {0}
    last = len(compiled) - 1
    for i, item in enumerate(compiled):
        if item == _ANY_DIRS:
            if i == last:
                return min(starts) < count
            starts = set(range(min(starts), count + 1))
            continue
        matched = {s for s in starts if s < count and parts[s] and _glob_matches(item, parts[s])}
        if i == last and item != (_STAR,):
            return bool(matched)
        starts = {s + 1 for s in matched}
        if not starts:
            return False
    return count in starts


def _linear_regex(compiled: tuple[str | _Glob, ...]) -> re.Pattern[str] | None:
    """`_matches` as a regex, when the pattern has at most one `*` per segment and at most one
    `**` before its last segment: then no two loops compete for the same characters, and the
    regex takes time linear in the path. (Two `**` in a row mean one; the matcher sees that.)"""
    if (
        sum(item == _ANY_DIRS for item in compiled[:-1]) > 1
        or any(item == _ANY_DIRS == after for item, after in zip(compiled, compiled[1:]))
        or any(item != _ANY_DIRS and item.count(_STAR) > 1 for item in compiled)
    ):
        return None
    regex = ""
    slash = ""  # what joins the next segment to what came before
    last = len(compiled) - 1
    for i, item in enumerate(compiled):
        if item == _ANY_DIRS:
            regex += ".+" if i == 0 == last else "(?:[^/]+/)*" if i == 0 else "/.+" if i == last else "(?:/[^/]+)*"
            slash = "" if i == 0 else "/"
            continue
        if item == (_STAR,):
            regex += slash + "[^/]+"
        else:
            regex += slash + "".join("[^/]*" if c is _STAR else "[^/]" if c is _ONE else re.escape(str(c)) for c in item)
            if i == last:
                regex += "(?:/.*)?"
        slash = "/"
    return re.compile(regex)


def _glob_matches(glob: _Glob, text: str) -> bool:
    """Whether one segment's glob matches ``text``, in time linear in their product: a
    mismatch after a `*` retries from the latest `*` only, one character further on."""
    g = t = 0
    star, resume = -1, 0
    while t < len(text):
        if g < len(glob) and (glob[g] is _ONE or glob[g] == text[t]):
            g, t = g + 1, t + 1
        elif g < len(glob) and glob[g] is _STAR:
            star, resume = g, t
            g += 1
        elif star >= 0:
            resume += 1
            g, t = star + 1, resume
        else:
            return False
    while g < len(glob) and glob[g] is _STAR:
        g += 1
    return g == len(glob)


def _segment(segment: str) -> _Glob:
    glob: list[object] = []
    chars = iter(segment)
    for char in chars:
        if char == "\\":
            glob.append(next(chars, "\\"))
        elif char == "*":
            glob.append(_STAR)
        elif char == "?":
            glob.append(_ONE)
        else:
            glob.append(char)
    return tuple(glob)
