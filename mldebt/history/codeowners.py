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
    regex: re.Pattern[str] = field(compare=False, repr=False)

    def matches(self, path: str) -> bool:
        """Whether this rule's pattern matches ``path`` (repository-relative, POSIX)."""
        return self.regex.fullmatch(path) is not None


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
        rules.append(OwnershipRule(number, pattern, owners, _compile(pattern)))
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


def _compile(pattern: str) -> re.Pattern[str]:
    anchored = pattern.startswith("/")
    body = pattern[1:] if anchored else pattern
    directory = body.endswith("/")
    segments = body.rstrip("/").split("/")
    if not anchored and len(segments) == 1 and segments[0] != "**":
        segments.insert(0, "**")
    if directory:
        segments.append("**")
    regex = ""
    slash = ""  # what joins the next literal segment to what came before
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        if segment == "**":
            if i == 0 and i == last:
                regex += ".+"
            elif i == 0:
                regex += "(?:[^/]+/)*"
            elif i == last:
                regex += "/.+"
            else:
                regex += "(?:/[^/]+)*"
                slash = "/"
            continue
        if segment == "*":
            regex += slash + "[^/]+"
        else:
            regex += slash + _segment(segment)
            if i == last:
                # A match on a directory covers what is below it; a trailing lone `*` is the
                # exception GitHub documents (`docs/*` is the files directly in docs/).
                regex += "(?:/.*)?"
        slash = "/"
    return re.compile(regex)


def _segment(segment: str) -> str:
    regex = ""
    chars = iter(segment)
    for char in chars:
        if char == "\\":
            regex += re.escape(next(chars, "\\"))
        elif char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        else:
            regex += re.escape(char)
    return regex
