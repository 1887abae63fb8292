"""Who is who in a history: alias merging and bot recognition.

git records an identity per commit as a (name, e-mail) pair, after `.mailmap` has been applied.
One person shows up under several of them (a work and a home address, "J. Doe" and "Jane Doe"
with an accent dropped on one machine), so identities that share an e-mail address
(case-insensitive), a normalised name, or a GitHub login (from a noreply address, or a
one-word name) are merged into one developer, transitively.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

# Matched case-insensitively as substrings of the name or the e-mail, like "[bot]" itself.
DEFAULT_BOTS: tuple[str, ...] = ("dependabot", "renovate", "github-actions", "pre-commit-ci")
# "Facebook Community Bot", "ci-bot@...": the word bot, not "robot" or "Abbott".
_BOT_WORD = re.compile(r"(?<![a-z0-9])bots?(?![a-z0-9])", re.IGNORECASE)
# GitHub's private addresses carry the account's login: 12345+login@users.noreply.github.com.
_NOREPLY = re.compile(r"^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com$")


def normalise_name(name: str) -> str:
    """``name`` with accents stripped, casefolded and its whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def is_bot(name: str, email: str, bots: Sequence[str] = DEFAULT_BOTS) -> bool:
    """Whether an identity is an automation account: ``[bot]`` or one of ``bots`` in its name
    or e-mail, case-insensitively, or the word bot in its name or its address's local part."""
    text = f"{name}\n{email}".casefold()
    if "[bot]" in text or any(bot.casefold() in text for bot in bots if bot):
        return True
    return bool(_BOT_WORD.search(name) or _BOT_WORD.search(email.partition("@")[0]))


def _keys(name: str, email: str) -> Iterator[tuple[str, str]]:
    """What makes two identities one person: the address, the normalised name, and the
    GitHub login, known from a noreply address or from a one-word name."""
    address = email.strip().casefold()
    yield "email", address
    normalised = normalise_name(name)
    yield "name", normalised
    noreply = _NOREPLY.match(address)
    if noreply:
        yield "login", noreply.group(1)
    elif normalised and " " not in normalised:
        yield "login", normalised


def group_identities(
    identities: Sequence[tuple[str, str]], bots: Sequence[str] = DEFAULT_BOTS
) -> tuple[list[int], list[bool]]:
    """Merge (name, e-mail) identities into developers.

    Returns, for each identity, the index of its developer (numbered in order of first
    appearance), and for each developer whether it is a bot. Empty names and e-mails never
    merge anything, and bots never merge with people: a shared noreply address or a person
    called "renovate" must not turn a human into a bot or the reverse.
    """
    parent = list(range(len(identities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    bot_flags = [is_bot(name, email, bots) for name, email in identities]
    first_with_key: dict[tuple[bool, str, str], int] = {}
    for i, (name, email) in enumerate(identities):
        for kind, value in _keys(name, email):
            if not value:
                continue
            other = first_with_key.setdefault((bot_flags[i], kind, value), i)
            root_i, root_other = find(i), find(other)
            if root_i != root_other:
                # The smaller index stays the root so that numbering follows first appearance.
                parent[max(root_i, root_other)] = min(root_i, root_other)

    number: dict[int, int] = {}
    groups: list[int] = []
    group_bots: list[bool] = []
    for i in range(len(identities)):
        root = find(i)
        if root not in number:
            number[root] = len(number)
            group_bots.append(bot_flags[i])
        groups.append(number[root])
    return groups, group_bots
