"""Who is who in a history: which (name, e-mail) identities are one person, which are bots, and
which are machines that nobody can be held to.

git records an identity per commit as a (name, e-mail) pair, after `.mailmap` has been applied.
One person shows up under several (a work and a home address, "Jane Doe" and "Doe Jane", a
Cyrillic spelling, `"Andrej` with a stray quote, a first name alone on another machine), so the
rules of gambit (Gote and Zingg, MSR 2021) are applied: names are transliterated to ASCII
(anyascii), casefolded and stripped of quotes and punctuation, and e-mails cleaned the same way.
gambit compares every pair of identities by string similarity; here each rule is a key, so
grouping stays linear in the number of identities and every merge has a reason that can be shown
(`mldebt ownership --identities`).

Evidence comes in two strengths:

- strong, merged whatever else the identities say: the same usable e-mail address, the same full
  name (two words or more, in any order), the same GitHub login in two noreply addresses;
- weak, merged only when it points at one person: the same handle (an e-mail local part equal
  up to punctuation, a GitHub login, a one-word name that reads as a handle), a first name alone
  or a handle made of a full name (Jane Doe is jdoe) that matches one real handle, the same
  full name once a non-Latin spelling is transliterated. A weak key whose identities carry
  incompatible full names ("David Chen" and "David Ha" both committing as "David"), two GitHub
  logins, or two claims (two "Phil"s) merges none of them: a common first name must not make
  two people one.

Machine identities (`root`, `ubuntu`, `ec2-user` at a host name, a localhost or cloud-internal
address with no person's full name) merge with nothing: nobody can tell whose commits they are.
Bots merge only with bots. `aliases` (`[tool.mldebt.history] aliases`) override all of it: the
identities listed under one person are that person, and identities listed under two people are
never merged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from anyascii import anyascii

# Matched case-insensitively as substrings of the name or the e-mail, like "[bot]" itself.
# generatedunixname<digits> is Meta's codemod service account (detectron2, PyTorch projects).
DEFAULT_BOTS: tuple[str, ...] = ("dependabot", "renovate", "github-actions", "pre-commit-ci", "generatedunixname")
# "Facebook Community Bot", "ci-bot@...": the word bot, not "robot" or "Abbott".
_BOT_WORD = re.compile(r"(?<![a-z0-9])bots?(?![a-z0-9])", re.IGNORECASE)
# "Ultralytics Assistant", "FBSourceClangFormatLinterBot", "GitLab CI", "Kubernetes Prow Robot":
# an app's name, when its address is an app's too (a person may well be called "Ci").
_APP_NAME = re.compile(r"(?:(?<![A-Za-z])(?i:assistant|bot|robot|ci)|(?<=[a-z])(?:Assistant|Bot|Robot|CI))$")
_APP_ADDRESS_WORDS = frozenset(
    {"noreply", "no-reply", "donotreply", "do-not-reply", "notifications", "app", "apps", "bot", "bots", "ci", "actions"}
)
# GitHub's private addresses carry the account's login: 12345+login@users.noreply.github.com.
_NOREPLY = re.compile(r"^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com$")

# Accounts that a machine has, not a person: git's default identity on a server or a VM is the
# login at the host name.
_ACCOUNTS = frozenset(
    {
        "root", "ubuntu", "ec2-user", "ec2 user", "ec2user", "ec2 default user", "admin", "administrator", "user", "pi", "vagrant", "centos",
        "debian", "fedora", "azureuser", "opc", "cloud-user", "cloud user", "jovyan", "localhost", "unknown", "none", "nobody",
        "anonymous", "default", "you", "your name", "yourname",
    }
)
# Host names that no mail reaches: git's fallback `login@hostname` and its like.
_MACHINE_SUFFIXES = (".local", ".localdomain", ".internal", ".lan", ".home", ".(none)", ".cloudapp.net")
_CLOUD_HOST = re.compile(r"(?:^|\.)ip(?:-\d+){4}(?:\.|$)")
# Local parts that many people share, or that name a role rather than someone.
_GENERIC_LOCAL = frozenset(
    {
        "admin", "info", "contact", "mail", "email", "hello", "dev", "developer", "developers", "git", "github",
        "noreply", "no-reply", "support", "team", "user", "test", "office", "me", "name", "code", "hi", "main",
    }
)
_QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f"
_NO_QUOTES = str.maketrans("", "", _QUOTES)
_NOT_IN_ADDRESSES = str.maketrans("", "", _QUOTES + "<> \t")
_SEPARATORS = re.compile(r"[\s+\-,._;:/|\\()\[\]{}<>*&!?#~=]+")
_PARENTHESES = re.compile(r"\s*[(\uff08]([^)\uff09]*)[)\uff09]\s*")
# Name suffixes that say nothing about who it is ("Pyre Bot Jr").
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "phd"})
_HANDLE_LENGTH = 3
# A lower-case word this long is more often a handle than a first name.
_HANDLE_WORD = 7
_FOREIGN = "a transliterated name"
# Letters and spellings that transliteration tables disagree on: Andrej/Andrey/Andrei,
# Karpathy/Karpatyy, Kuvshynov/Kuvshinov.
_SOUNDS = (("kh", "h"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("ks", "x"), ("w", "v"), ("y", "i"), ("j", "i"),
           ("c", "k"), ("q", "k"))
_REPEATS = re.compile(r"(.)\1+")
# A local part may spell a full name and add a suffix: digits (janedoe1990) or a short word after
# a separator (jane.doe.ai, jane_doe_ml). The name must be this long for the address to be its
# own: "lina.ml" may be any Lina, "li.na.ai" anyone.
_NAMED_ADDRESS = re.compile(r"^(?P<name>.+?)(?P<suffix>\d+|[._+-][a-z]{1,3}\d*)$")
_NAME_IN_ADDRESS = _HANDLE_WORD


class Kind(str, Enum):
    """What is behind an identity."""

    PERSON = "person"
    BOT = "bot"
    MACHINE = "machine"  # a server's or a VM's default identity: whose commits, nobody can say


@dataclass(frozen=True)
class Merge:
    """Why identity ``identity`` joined the developer of identity ``other``."""

    identity: int
    other: int
    reason: str


@dataclass(frozen=True)
class Grouping:
    """Identities grouped into developers."""

    developers: tuple[int, ...]  # per identity, its developer, numbered in order of first appearance
    kinds: tuple[Kind, ...]  # per developer
    aliases: tuple[str | None, ...]  # per developer, the person `aliases` names it, if any
    merges: tuple[Merge, ...]  # every merge made, in order
    named: tuple[bool, ...]  # per identity: whether its name names someone (not "root", not empty)


def normalise_name(name: str) -> str:
    """``name`` transliterated to ASCII, casefolded, without quotes, punctuation or suffixes
    ("Jr"), its words in the order written: what two spellings of one name share."""
    return " ".join(_words(name))


def is_bot(name: str, email: str, bots: Sequence[str] = DEFAULT_BOTS) -> bool:
    """Whether an identity is an automation account: ``[bot]`` or one of ``bots`` in its name
    or e-mail, case-insensitively; the word bot in its name or its address's local part; or an
    app's name (ending in Assistant, Bot, Robot or CI) with a noreply, app or empty address."""
    text = f"{name}\n{email}".casefold()
    if "[bot]" in text or any(bot.casefold() in text for bot in bots if bot):
        return True
    if _BOT_WORD.search(name) or _BOT_WORD.search(email.partition("@")[0]):
        return True
    return bool(_APP_NAME.search(name.strip())) and _app_address(clean_email(email))


def _app_address(address: str) -> bool:
    if not address or _NOREPLY.match(address):
        return True
    local, _, host = address.partition("@")
    return local in _APP_ADDRESS_WORDS or "noreply" in local or any(label in _APP_ADDRESS_WORDS for label in host.split("."))


def clean_email(email: str) -> str:
    """``email`` casefolded, without the quotes, brackets and spaces a hand-written one carries."""
    return email.translate(_NOT_IN_ADDRESSES).casefold()


def is_machine_address(address: str) -> bool:
    """Whether a cleaned e-mail address belongs to a machine, not a mailbox: a login at a host
    name (no dot, localhost, `.local`, cloud-internal names such as `ip-10-0-0-1.ec2.internal`),
    or an account every machine has (`root@`, `ubuntu@`)."""
    local, at, host = address.rpartition("@")
    if not at:
        return False
    if not local or "." not in host or host == "localhost" or local in _ACCOUNTS:
        return True
    return host.endswith(_MACHINE_SUFFIXES) or ".internal." in host or bool(_CLOUD_HOST.search(host))


def _words(name: str) -> list[str]:
    words: list[str] = []
    for part in _SEPARATORS.split(_ascii(name).casefold()):
        word = "".join(char for char in part if char.isalnum())
        if word and word not in _SUFFIXES:
            words.append(word)
    return words


def _ascii(text: str) -> str:
    """``text`` in ASCII. A name written in Han or Hangul without spaces is a family name of one
    character and a given name: 刘一博 is "Liu Yibo", as its owner writes it in Latin letters."""
    if text.isascii():
        return text.translate(_NO_QUOTES)
    text = unicodedata.normalize("NFKC", text).translate(_NO_QUOTES)
    out = []
    for word in text.split():
        syllables = [anyascii(char) for char in word]
        if 2 <= len(word) <= 4 and all(_is_cjk(char) for char in word):
            out.append(syllables[0] + " " + "".join(syllables[1:]))
        else:
            out.append("".join(syllables))
    return " ".join(out)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7a3" or "\u3400" <= char <= "\u4dbf"


def _sound(words: Sequence[str]) -> str:
    """A spelling that transliterations of one name share (see _SOUNDS), words sorted."""
    out = []
    for word in words:
        for spelling, sound in _SOUNDS:
            word = word.replace(spelling, sound)
        out.append(_REPEATS.sub(r"\1", word))
    return " ".join(sorted(out))


@dataclass(frozen=True)
class _FullName:
    key: str  # its words, sorted: "Doe Jane" is "Jane Doe"
    words: frozenset[str]
    sound: str
    transliterated: bool  # written in another script than Latin

    def compatible(self, other: _FullName) -> bool:
        """Whether two full names can be one person's: equal up to order, one with a middle
        name or an initial more, or one a transliteration of the other."""
        for short, long in ((self.words, other.words), (other.words, self.words)):
            if len(short) <= len(long) and all(
                any(word == x or (len(word) == 1 and x.startswith(word)) for x in long) for word in short
            ):
                return True
        if sorted("".join(self.words)) == sorted("".join(other.words)):
            return True  # "yong hwan yu" and "yonghwan yu"
        return self.transliterated != other.transliterated and self.sound == other.sound


@dataclass(frozen=True)
class _Identity:
    kind: Kind
    label: str | None
    full_names: tuple[_FullName, ...]
    logins: tuple[str, ...]  # GitHub accounts: two of them are two people, as far as weak evidence goes
    strong: tuple[tuple[str, str], ...]
    # (key kind, value, what it is for the reason, whether it only claims the key: see _CLAIMS)
    weak: tuple[tuple[str, str, str, bool], ...]
    named: bool


def _identity(name: str, email: str, bots: Sequence[str], label: str | None) -> _Identity:
    address = clean_email(email)
    noreply = _NOREPLY.match(address)
    # "曾逸夫（Zeng Yifu）", "Haian Huang(深度眸)": two spellings of one name.
    variants = [v for v in (_PARENTHESES.sub(" ", name), *_PARENTHESES.findall(name)) if v.strip()]
    spelled = [(_words(v), any(ord(c) > 0x24F and c.isalpha() for c in v), v) for v in variants]
    spelled = [(words, foreign, v) for words, foreign, v in spelled if words and " ".join(words) not in _ACCOUNTS]
    full = tuple(
        _FullName(" ".join(sorted(words)), frozenset(words), _sound(words), foreign)
        for words, foreign, _ in spelled
        if len(words) >= 2
    )
    one_word = [(words[0], _is_handle(variant)) for words, _, variant in spelled if len(words) == 1]
    machine_address = is_machine_address(address)
    if is_bot(name, email, bots):
        kind = Kind.BOT
    elif label is None and not full and not noreply and (machine_address or ("@" not in address and not spelled)):
        kind = Kind.MACHINE
    else:
        kind = Kind.PERSON
    strong: list[tuple[str, str]] = []
    weak: list[tuple[str, str, str, bool]] = []
    if "@" in address and not machine_address and not _shared_address(address):
        strong.append(("email", address))
    for full_name in full:
        strong.append(("name", full_name.key))
        weak.append(("sound", full_name.sound, _FOREIGN if full_name.transliterated else "a name", False))
    # A login is a handle someone chose, so it may meet an e-mail's local part or a one-word
    # name; a local part and a one-word name are too often a bare first name to meet each other
    # (Ryan Echols <ryan@...> is not every "Ryan").
    if noreply:
        login = noreply.group(1).replace("-", "")
        strong.append(("login", noreply.group(1)))
        weak += [("handle", login, "a GitHub login", False), ("word", login, "a GitHub login", False)]
    else:
        local = "".join(char for char in address.partition("@")[0] if char.isalnum())
        if "@" in address and not machine_address and len(local) >= _HANDLE_LENGTH and local not in _GENERIC_LOCAL:
            weak.append(("handle", local, "an e-mail local part", False))
        elif "@" not in address and kind is Kind.PERSON and len(local) >= _HANDLE_LENGTH and local not in _GENERIC_LOCAL:
            # `amesar <amesar>`: an e-mail without a domain is the login its author typed.
            weak.append(("handle", local, "an e-mail without a domain (a login)", False))
        named = _NAMED_ADDRESS.match(address.partition("@")[0]) if "@" in address and not machine_address else None
        if named:
            spelled_name = "".join(char for char in named["name"] if char.isalnum())
            if len(spelled_name) >= _NAME_IN_ADDRESS:
                weak.append(("named", spelled_name, f"an e-mail local part less its suffix {named['suffix']!r}", False))
    weak += [("word", word, "a one-word name", not handle) for word, handle in one_word if len(word) >= _HANDLE_LENGTH]
    # gambit's name-in-address rule, as keys: Jane Doe is janedoe, doejane, jdoe, janed, djane
    # or doej.
    for words, _, _ in spelled:
        if len(words) >= 2:
            first, last = words[0], words[-1]
            made = {first + last, last + first, first[0] + last, first + last[0], last[0] + first, last + first[0]}
            weak += [
                ("handle", handle, "a handle made of a full name", True)
                for handle in sorted(made)
                if len(handle) > _HANDLE_LENGTH
            ]
            weak += [("named", spelled_name, "a full name", True) for spelled_name in sorted({first + last, last + first})]
    login_of = (noreply.group(1),) if noreply else ()
    return _Identity(kind, label, full, login_of, tuple(strong), tuple(weak), bool(spelled))


def _is_handle(name: str) -> bool:
    """Whether a one-word name reads as a handle someone chose (hiyouga, SnowCharm, c1aris,
    KUANGDD) rather than a first name (Aryan, Phil, dave), which many people share."""
    text = "".join(char for char in _ascii(name) if char.isalnum())
    if any(char.isdigit() for char in text) or (text.isupper() and len(text) >= 3):
        return True
    if any(char.isupper() for char in text[1:]):
        return True  # camelCase
    return text.islower() and len(text) >= _HANDLE_WORD



def _shared_address(address: str) -> bool:
    """A noreply address with no login in it is every user's of that service."""
    local = address.partition("@")[0]
    return local.replace("-", "").replace("_", "") in {"noreply", "donotreply"}


def alias_label(patterns: Mapping[str, Sequence[str]], name: str, email: str) -> str | None:
    """The person whose ``aliases`` entry lists this identity, or whose name it has: a pattern
    "Name <e-mail>" matches both, "<e-mail>" or anything with an @ the address, anything else the
    name (case and spaces aside)."""
    address = clean_email(email)
    spelled = " ".join(name.split()).casefold()
    for person, listed in patterns.items():
        for pattern in (person, *listed):
            if _matches(pattern, spelled, address):
                return person
    return None


def _matches(pattern: str, name: str, address: str) -> bool:
    text = pattern.strip()
    if text.endswith(">") and "<" in text:
        wanted_name, _, wanted_email = text[:-1].rpartition("<")
        wanted_name = " ".join(wanted_name.split()).casefold()
        return clean_email(wanted_email) == address and (not wanted_name or wanted_name == name)
    if "@" in text:
        return clean_email(text) == address
    return " ".join(text.split()).casefold() == name


def group_identities(
    identities: Sequence[tuple[str, str]],
    bots: Sequence[str] = DEFAULT_BOTS,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> Grouping:
    """Merge (name, e-mail) identities into developers (see the module docstring)."""
    facts = [
        _identity(name, email, bots, alias_label(aliases, name, email) if aliases else None) for name, email in identities
    ]
    state = _Groups(facts)
    labelled: dict[str, int] = {}
    for i, fact in enumerate(facts):
        if fact.label is not None:
            first = labelled.setdefault(fact.label, i)
            if first != i:
                state.union(i, first, f"listed under {fact.label!r} in [tool.mldebt.history] aliases")
    strong: dict[tuple[Kind, str, str], int] = {}
    for i, fact in enumerate(facts):
        if fact.kind is Kind.MACHINE:
            continue
        for key, value in fact.strong:
            first = strong.setdefault((fact.kind, key, value), i)
            if first != i and state.allowed(i, first):
                state.union(i, first, _STRONG_REASONS[key].format(value))
    weak: dict[tuple[Kind, str, str], list[tuple[int, str, bool]]] = {}
    for i, fact in enumerate(facts):
        if fact.kind is not Kind.MACHINE:
            for key, value, what, claim in fact.weak:
                weak.setdefault((fact.kind, key, value), []).append((i, what, claim))
    for (_, key, value), members in weak.items():
        state.merge_if_unambiguous(key, value, members)
    return state.grouping()


_STRONG_REASONS = {
    "email": "same e-mail {}",
    "name": "same full name up to case, accents, punctuation and word order ({})",
    "login": "same GitHub login {} in a noreply address",
}


class _Groups:
    """Union-find over identities that keeps, per group, what a weak merge must not contradict:
    its full names, its GitHub logins and its alias label."""

    def __init__(self, facts: Sequence[_Identity]) -> None:
        self.facts = facts
        self.parent = list(range(len(facts)))
        self.names: list[list[_FullName]] = [list(fact.full_names) for fact in facts]
        self.logins: list[set[str]] = [set(fact.logins) for fact in facts]
        self.labels: list[str | None] = [fact.label for fact in facts]
        self.merges: list[Merge] = []

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def allowed(self, i: int, j: int) -> bool:
        """Whether strong evidence may merge them: not two people the aliases keep apart."""
        a, b = self.find(i), self.find(j)
        return a != b and (self.labels[a] is None or self.labels[b] is None or self.labels[a] == self.labels[b])

    def union(self, i: int, j: int, reason: str) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        # The smaller index stays the root so that numbering follows first appearance.
        root, child = min(a, b), max(a, b)
        self.parent[child] = root
        self.names[root] += self.names[child]
        self.logins[root] |= self.logins[child]
        self.labels[root] = self.labels[root] or self.labels[child]
        self.merges.append(Merge(i, j, reason))

    def merge_if_unambiguous(self, key: str, value: str, members: Sequence[tuple[int, str, bool]]) -> None:
        roots = list(dict.fromkeys(self.find(i) for i, _, _ in members))
        if len(roots) < 2:
            return
        if key == "sound":
            # Only a non-Latin spelling may join a Latin one this way: two Latin names that
            # merely sound alike (Katherine, Catherine) are two people.
            foreign = {self.find(i) for i, what, _ in members if what == _FOREIGN}
            if not foreign or len(set(roots) - foreign) > 1:
                return
        # A handle made of a name (Steven Liu is stevenl) or a first name alone (Aryan) only
        # claims a handle: it must meet a real one (an address's local part, a login, a one-word
        # name that reads as a handle), and only one may claim it: Steven L. is not Steven Liu,
        # and two "Phil"s are not one Phil.
        claims = {self.find(i) for i, _, claim in members if claim} - {self.find(i) for i, _, claim in members if not claim}
        if len(claims) > 1 or len(claims) == len(roots):
            return
        if len({self.labels[r] for r in roots} - {None}) > 1:
            return
        if sum(1 for r in roots if self.logins[r]) > 1 and len(set().union(*(self.logins[r] for r in roots))) > 1:
            return
        # Names already merged (by an address, say) are one person's, however unalike.
        if not all(
            a.compatible(b)
            for n, root in enumerate(roots)
            for other in roots[n + 1 :]
            for a in self.names[root]
            for b in self.names[other]
        ):
            return
        first, first_what, first_claim = members[0]
        for i, what, claim in members[1:]:
            if self.find(i) != self.find(first):
                self.union(i, first, _weak_reason(key, value, (what, claim), (first_what, first_claim)))

    def grouping(self) -> Grouping:
        number: dict[int, int] = {}
        developers: list[int] = []
        kinds: list[Kind] = []
        labels: list[str | None] = []
        for i, fact in enumerate(self.facts):
            root = self.find(i)
            if root not in number:
                number[root] = len(number)
                kinds.append(Kind.PERSON if self.labels[root] is not None else fact.kind)
                labels.append(self.labels[root])
            developers.append(number[root])
        named = tuple(fact.named for fact in self.facts)
        return Grouping(tuple(developers), tuple(kinds), tuple(labels), tuple(self.merges), named)


def _weak_reason(key: str, value: str, this: tuple[str, bool], other: tuple[str, bool]) -> str:
    if key == "sound":
        return f"same name once transliterated ({value})"
    if key == "named":
        # The address spells the name, whichever of the two came first.
        (address, _), (name, _) = sorted((this, other), key=lambda side: side[1])
        return f"{address} spells {name} ({value}), and no other name contradicts it"
    return f"{this[0]} equals {other[0]} up to punctuation ({value}), and no other name contradicts it"

