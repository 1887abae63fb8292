"""Who is who in a history: alias merging and bot recognition.

git records an identity per commit as a (name, e-mail) pair, after `.mailmap` has been applied.
One person shows up under several of them (a work and a home address, "J. Doe" and "Jane Doe"
with an accent dropped on one machine), so identities that share an e-mail address
(case-insensitive) or a normalised name are merged into one developer, transitively.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

# Matched case-insensitively as substrings of the name or the e-mail, like "[bot]" itself.
DEFAULT_BOTS: tuple[str, ...] = ("dependabot", "renovate", "github-actions", "pre-commit-ci")


def normalise_name(name: str) -> str:
    """``name`` with accents stripped, casefolded and its whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def is_bot(name: str, email: str, bots: Sequence[str] = DEFAULT_BOTS) -> bool:
    """Whether an identity is an automation account: ``[bot]`` or one of ``bots`` in its name
    or e-mail, case-insensitively."""
    text = f"{name}\n{email}".casefold()
    return "[bot]" in text or any(bot.casefold() in text for bot in bots if bot)


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
        for kind, value in (("email", email.strip().casefold()), ("name", normalise_name(name))):
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
