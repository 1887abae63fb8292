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


# Tokens of a glob, each with the regex it stands for.
_DIRS, _ANY, _STAR = "(?:.*/)?", ".*", "[^/]*"
_ONE = "[^/]"
# More loops than this and Python's regex, which backtracks, can take hours on a long path
# (`*a*a*a*a*a*a*b`); a manifest is the pull request's to write. Such globs are matched by
# `_Automaton` instead, in time linear in the path.
_MAX_REGEX_LOOPS = 2


def compile_glob(pattern: str, kind: TargetKind) -> re.Pattern[str] | _Automaton:
    """A matcher for ``fullmatch`` that accepts what ``pattern`` names and everything below it.

    ``*`` and ``?`` stay within one path segment, ``**`` crosses segments and ``**/`` may match
    no directory at all. What a glob matches may be a directory (a DVC out ``data/${x}`` is
    often one), so the files under a match are matched too.
    """
    parts = _tokens(pattern, wildcard_question=kind is not TargetKind.URI)
    if sum(part in (_DIRS, _ANY, _STAR) for part in parts) > _MAX_REGEX_LOOPS:
        return _Automaton(parts)
    return re.compile("".join(parts) + "(?:/.*)?", re.DOTALL)


class _Automaton:
    """A glob's tokens run as a set of states over the text: the time is the product of their
    lengths, whatever the glob. The same language as `compile_glob`'s regex. State k is before
    token k, len(tokens) is the end, and end + 1 + k is inside the `**/` that is token k,
    which only a slash leaves (for state k + 1)."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self._classes = {t: re.compile(t) for t in tokens if t.startswith("[") and t not in (_STAR, _ONE)}

    def _closure(self, states: set[int]) -> set[int]:
        # Every loop may match nothing.
        todo = list(states)
        while todo:
            state = todo.pop()
            if state < len(self.tokens) and self.tokens[state] in (_DIRS, _ANY, _STAR) and state + 1 not in states:
                states.add(state + 1)
                todo.append(state + 1)
        return states

    def fullmatch(self, text: str) -> bool:
        end = len(self.tokens)
        states = self._closure({0})
        for char in text:
            if end in states and char == "/":
                return True  # the rest is below a match
            following: set[int] = set()
            for state in states:
                if state == end:
                    continue
                if state > end:
                    # Inside `**/`: it ends only after a slash.
                    following.add(state)
                    if char == "/":
                        following.add(state - end)
                    continue
                token = self.tokens[state]
                if token == _ANY or (token == _STAR and char != "/"):
                    following.add(state)
                elif token == _DIRS:
                    following.add(end + 1 + state)
                    if char == "/":
                        following.add(state + 1)
                elif token == _ONE:
                    if char != "/":
                        following.add(state + 1)
                elif token in self._classes:
                    if self._classes[token].fullmatch(char):
                        following.add(state + 1)
                elif token == re.escape(char):
                    following.add(state + 1)
            if not following:
                return False
            states = self._closure(following)
        return end in states


def _tokens(pattern: str, *, wildcard_question: bool) -> list[str]:
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append(_DIRS)
            i += 3
        elif pattern.startswith("**", i):
            parts.append(_ANY)
            i += 2
        elif pattern[i] == "*":
            parts.append(_STAR)
            i += 1
        elif pattern[i] == "?" and wildcard_question:
            parts.append(_ONE)
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
    return parts


def ancestors(value: str, kind: TargetKind) -> Iterator[str]:
    """The enclosing directories of a path or URI, nearest first, never the root itself:
    ``s3://b/d/x.csv`` -> ``s3://b/d``, ``s3://b``."""
    floor = value.find(_SCHEME_END) + len(_SCHEME_END) if kind is TargetKind.URI else 0
    cut = value.rfind("/", floor)
    while cut > floor:
        yield value[:cut]
        cut = value.rfind("/", floor, cut)
