"""`[tool.mldebt]` in pyproject.toml -> frozen Settings, with every bad key reported at once.

A typo must never silently switch a check off, so unknown keys and ill-typed values are
errors (exit 2), all listed together.
"""

from __future__ import annotations

import json
import math
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from mldebt.catalogs import validate_extension
from mldebt.discovery.entries import MAX_GITIGNORE_WILDCARDS, is_gitignore_pattern
from mldebt.history.authorship import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MODEL, MODELS
from mldebt.history.churn import DEFAULT_MAINTAINER_COMMITS
from mldebt.history.coupling import (
    DEFAULT_MAX_CHANGESET_SIZE,
    DEFAULT_MAX_COUPLING,
    DEFAULT_MIN_COUPLING,
    DEFAULT_MIN_REVS,
    DEFAULT_MIN_SHARED_REVS,
)
from mldebt.history.identities import DEFAULT_BOTS
from mldebt.history.truck import DEFAULT_ACTIVE_MONTHS
from mldebt.safefile import MiB, RefusedFile, read_inside, read_regular
from mldebt.tomlcompat import tomllib

MAX_CONFIG_BYTES = 4 * MiB

# A rule code or a prefix of one: mldebt's own (MLD101, MLD1) and plugins' (ACME200), as the
# registry's codes are letters and three digits.
_CODE_PREFIX = re.compile(r"^(ALL|[A-Z]{2,}\d{0,3})$")

TOP_LEVEL_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "exclude", "baseline", "data",
    "catalog", "rules", "history", "preview",
}
DATA_KEYS = {"inputs", "outputs"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Option:
    """One configuration value's type, default and documentation. Declared once, it checks what
    the user wrote, converts it, and documents it on the rule's page, so that code after the
    loader reads a typed field and never guesses at a raw value."""

    default: Any
    doc: str = ""
    kind: ClassVar[str]

    def problems(self, key: str, value: Any) -> list[str]:
        """What is wrong with ``value`` configured at ``key``; empty when it is right."""
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        """A right value as the field holds it."""
        return value

    def shown(self, value: Any) -> str:
        """``value`` as it is written in TOML."""
        return json.dumps(value)


@dataclass(frozen=True)
class Flag(Option):
    """true or false; anything else (`hub = "no"`, `hub = 1`) is an error, not a truthy value."""

    default: bool = False
    kind: ClassVar[str] = "bool"

    def problems(self, key: str, value: Any) -> list[str]:
        return [] if isinstance(value, bool) else [f"'{key}' must be true or false"]


@dataclass(frozen=True)
class Number(Option):
    """A finite number (an integer if ``integer``) between ``minimum`` and ``maximum``, if given."""

    default: float = 0.0
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    kind: ClassVar[str] = "number"

    def problems(self, key: str, value: Any) -> list[str]:
        # Integers beyond 64 bits, which math.isfinite cannot convert, were rejected already.
        number = isinstance(value, int) if self.integer else isinstance(value, (int, float)) and math.isfinite(value)
        if (
            number
            and not isinstance(value, bool)
            and (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
        ):
            return []
        return [f"'{key}' must be {self._described()}"]

    def _described(self) -> str:
        if self.integer and self.minimum == 1 and self.maximum is None:
            return "a positive integer"
        what = "an integer" if self.integer else "a finite number"
        if self.minimum is not None and self.maximum is not None:
            return f"{what} from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{what} of at least {self.minimum:g}"
        if self.maximum is not None:
            return f"{what} of at most {self.maximum:g}"
        return what


@dataclass(frozen=True)
class Choice(Option):
    """One of a closed set of strings (an enum)."""

    default: str = ""
    choices: tuple[str, ...] = ()
    kind: ClassVar[str] = "string"

    def problems(self, key: str, value: Any) -> list[str]:
        if value in self.choices:
            return []
        return [f"'{key}' must be one of {', '.join(repr(choice) for choice in self.choices)}"]


@dataclass(frozen=True)
class Strings(Option):
    """A list of strings. A lone string is an error: read character by character, its `*`
    would match everything."""

    default: tuple[str, ...] = ()
    kind: ClassVar[str] = "list of strings"

    def problems(self, key: str, value: Any) -> list[str]:
        problems: list[str] = []
        _string_list(value, key, problems)
        return problems

    def convert(self, value: Any) -> tuple[str, ...]:
        return tuple(value)

    def shown(self, value: Any) -> str:
        return json.dumps(list(value))


@dataclass(frozen=True)
class ChoiceList(Strings):
    """A list of strings, each one of a closed set."""

    choices: tuple[str, ...] = ()
    kind: ClassVar[str] = "list of strings"

    def problems(self, key: str, value: Any) -> list[str]:
        problems = super().problems(key, value)
        if problems:
            return problems
        wrong = [item for item in value if item not in self.choices]
        if wrong:
            allowed = ", ".join(repr(choice) for choice in self.choices)
            return [f"'{key}' can hold only {allowed}; not {', '.join(repr(item) for item in wrong)}"]
        return []


@dataclass(frozen=True)
class Globs(Strings):
    """A list of fnmatch globs (`s3://bucket/*`, `logs/**`), matched against whole targets."""

    kind: ClassVar[str] = "list of globs"


@dataclass(frozen=True)
class GitignorePatterns(Strings):
    """A list of gitignore-style patterns, each checked to be valid and quick to match."""

    kind: ClassVar[str] = "list of gitignore-style patterns"

    def problems(self, key: str, value: Any) -> list[str]:
        problems: list[str] = []
        _patterns(value, key, problems)
        return problems


@dataclass(frozen=True)
class Aliases(Option):
    """`history.aliases`: person = [identities] ("Name <e-mail>", an e-mail, a name), held as
    (person, identities) pairs. An identity listed for two people would be both: an error."""

    default: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kind: ClassVar[str] = "table of lists of strings"

    def problems(self, key: str, value: Any) -> list[str]:
        problems: list[str] = []
        if not isinstance(value, Mapping):
            return [f"'{key}' must be a table: person = [identities]"]
        owner: dict[str, str] = {}
        for person, listed in value.items():
            where = f"{key}.{person}"
            if not person.strip():
                problems.append(f"'{key}' has an empty person's name")
            for identity in _string_list(listed, where, problems):
                spelled = " ".join(identity.split()).casefold()
                if not spelled:
                    problems.append(f"'{where}' lists an empty identity")
                elif owner.setdefault(spelled, person) != person:
                    problems.append(f"'{where}': {identity!r} is also listed under {owner[spelled]!r}")
        return problems

    def convert(self, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((person, tuple(listed)) for person, listed in value.items())

    def shown(self, value: Any) -> str:
        return "{}" if not value else json.dumps(dict(value))


def option(spec: Option) -> Any:
    """A field of an options dataclass, declared by its Option: ``hub: bool = option(Flag(...))``."""
    return field(default=spec.default, metadata={"option": spec})


_Declared = TypeVar("_Declared", bound="Declared")


@dataclass(frozen=True)
class Declared:
    """A frozen dataclass whose fields are declared with `option`; each field's TOML key is its
    name in kebab-case."""

    @classmethod
    def declared(cls) -> dict[str, Option]:
        """TOML key -> its Option, in declaration order."""
        return {f.name.replace("_", "-"): f.metadata["option"] for f in fields(cls)}

    @classmethod
    def parse(cls: type[_Declared], table: Mapping[str, Any], prefix: str, unknown: str, problems: list[str]) -> _Declared:
        """The options ``table`` (at ``prefix``) sets, defaults for the others; every unknown key
        (named as ``unknown``) and every bad value is added to ``problems``."""
        declared = cls.declared()
        problems.extend(f"unknown {unknown} '{prefix}.{key}'" for key in sorted(set(table) - set(declared)))
        values: dict[str, Any] = {}
        for key, spec in declared.items():
            if key in table:
                found = spec.problems(f"{prefix}.{key}", table[key])
                problems.extend(found)
                if not found:
                    values[key.replace("-", "_")] = spec.convert(table[key])
        return cls(**values)

    @classmethod
    def documented(cls) -> str:
        """One Markdown list item per option: its key, type, default and doc (whose line breaks
        are kept, as the docstring around it is wrapped by hand)."""
        return "\n".join(
            f"- `{key}` ({spec.kind}, default `{spec.shown(spec.default)}`): " + spec.doc.replace("\n", "\n  ")
            for key, spec in cls.declared().items()
        )


@dataclass(frozen=True)
class RuleOptions(Declared):
    """A rule's options, `[tool.mldebt.rules.<name>]`: a rule with options subclasses this with
    its fields, as its ``Options``. This base declares none."""


@dataclass(frozen=True)
class HistorySettings(Declared):
    """`[tool.mldebt.history]`: who is a bot, which files count, who authors them, and how long a
    developer stays active without a commit. The one place these defaults are decided, for the ownership rules,
    `mldebt ownership` and the history cache alike."""

    bots: tuple[str, ...] = option(Strings(DEFAULT_BOTS, doc="names or addresses of automation accounts"))
    include: tuple[str, ...] = option(GitignorePatterns(DEFAULT_INCLUDE, doc="the files whose authors count"))
    exclude: tuple[str, ...] = option(GitignorePatterns(DEFAULT_EXCLUDE, doc="files left out of `include`"))
    authorship_model: str = option(
        Choice(
            DEFAULT_MODEL, choices=tuple(MODELS),
            doc="who authors a file: `reference` as Avelino et al.'s tool decides it, `creator` also whoever created it",
        )
    )
    active_months: int = option(
        Number(DEFAULT_ACTIVE_MONTHS, integer=True, minimum=1, doc="months without a commit before an author is inactive")
    )
    maintainer_commits: int = option(
        Number(
            DEFAULT_MAINTAINER_COMMITS, integer=True, minimum=1,
            doc="commits to a pipeline's files within `active-months` that make a developer its maintainer",
        )
    )
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = option(
        Aliases(doc="person = [identities]: merges (and keeps apart) what the rules would not")
    )
    # Co-change coupling, as code-maat's options of the same names (mldebt.history.coupling).
    max_changeset_size: int = option(
        Number(DEFAULT_MAX_CHANGESET_SIZE, integer=True, minimum=1, doc="commits changing more files count for no coupling")
    )
    min_revs: int = option(Number(DEFAULT_MIN_REVS, integer=True, minimum=0, doc="coupling: least average revisions of a pair"))
    min_shared_revs: int = option(
        Number(DEFAULT_MIN_SHARED_REVS, integer=True, minimum=0, doc="coupling: least commits changing both files")
    )
    min_coupling: int = option(
        Number(DEFAULT_MIN_COUPLING, integer=True, minimum=0, maximum=100, doc="coupling: least degree, percent")
    )
    max_coupling: int = option(
        Number(DEFAULT_MAX_COUPLING, integer=True, minimum=0, maximum=100, doc="coupling: greatest degree, percent")
    )


class ConfigError(Exception):
    """The configuration is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    baseline: str | None = None
    data: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    catalog: Mapping[str, Any] = field(default_factory=dict)
    # The configured rules' options; a rule not configured has its Options' defaults.
    rules: Mapping[str, RuleOptions] = field(default_factory=dict)
    history: HistorySettings = field(default_factory=HistorySettings)
    # Run preview rules (`preview = true`, or --preview), as ruff does.
    preview: bool = False
    source: str | None = None

    def is_selected(self, code: str, preview: bool = False) -> bool:
        """Like ruff: the most specific matching prefix among select and ignore decides; a
        ``preview`` rule also needs preview mode, so that a new heuristic reaches only the users
        who asked for it."""
        if preview and not self.preview:
            return False
        best_select = max((len(p) for p in self.select if _matches(p, code)), default=-1)
        best_ignore = max((len(p) for p in self.ignore if _matches(p, code)), default=-1)
        return best_select >= 0 and best_select > best_ignore


def _matches(prefix: str, code: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def _string_list(raw: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        problems.append(f"'{key}' must be a list of strings")
        return ()
    return tuple(raw)


def _patterns(raw: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    patterns = _string_list(raw, key, problems)
    for pattern in patterns:
        if pattern.count("*") > MAX_GITIGNORE_WILDCARDS:
            problems.append(f"'{key}': {pattern!r} has more than {MAX_GITIGNORE_WILDCARDS} `*`: too slow to match")
        elif not is_gitignore_pattern(pattern):
            problems.append(f"'{key}': {pattern!r} is not a valid gitignore-style pattern")
    return patterns


def _codes(raw: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    codes = _string_list(raw, key, problems)
    for code in codes:
        if not _CODE_PREFIX.match(code):
            problems.append(f"'{key}': {code!r} is not a rule code or prefix (like MLD101, MLD1, ACME200 or ALL)")
    return codes


def _oversized_integers(table: Mapping[str, Any]) -> Iterator[str]:
    """The keys (``rules.x.threshold``, ``catalog.function[0].arg``) whose value is an integer
    TOML does not allow: tomllib reads integers of any size, the TOML specification 64 bits."""
    pending: list[tuple[str, Any]] = [(str(key), value) for key, value in table.items()]
    while pending:
        key, value = pending.pop()
        if isinstance(value, Mapping):
            pending.extend((f"{key}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((f"{key}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX:
            yield key


def parse_settings(
    table: Mapping[str, Any], source: str, rule_options: Mapping[str, type[RuleOptions]]
) -> Settings:
    """Validate a ``[tool.mldebt]`` table. ``rule_options`` maps each rule name to its Options
    class, so ``[tool.mldebt.rules.<name>]`` typos and ill-typed values are caught too."""
    # Checked first and alone: the checks below, and the catalog's digest, format values, and
    # Python cannot format an integer of more than 4300 decimal digits.
    oversized = sorted(_oversized_integers(table))
    if oversized:
        raise ConfigError(source, [f"'{key}' is an integer outside TOML's 64-bit range" for key in oversized])
    problems: list[str] = []
    for key in sorted(set(table) - TOP_LEVEL_KEYS):
        problems.append(f"unknown key '{key}'")
    select = _codes(table["select"], "select", problems) if "select" in table else ("ALL",)
    if "extend-select" in table:
        select += _codes(table["extend-select"], "extend-select", problems)
    ignore = _codes(table.get("ignore", []), "ignore", problems)
    per_file: list[tuple[str, tuple[str, ...]]] = []
    raw_pfi = table.get("per-file-ignores", {})
    if not isinstance(raw_pfi, Mapping):
        problems.append("'per-file-ignores' must be a table of glob = [codes]")
    else:
        _patterns(list(raw_pfi), "per-file-ignores", problems)
        for pattern, codes in raw_pfi.items():
            per_file.append((pattern, _codes(codes, f"per-file-ignores.{pattern}", problems)))
    exclude = _patterns(table.get("exclude", []), "exclude", problems)
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        problems.append("'baseline' must be a path string")
        baseline = None
    preview = table.get("preview", False)
    problems += Flag().problems("preview", preview)
    data: dict[str, tuple[str, ...]] = {}
    raw_data = table.get("data", {})
    if not isinstance(raw_data, Mapping):
        problems.append("'data' must be a table with 'inputs' and 'outputs'")
    else:
        for key in sorted(set(raw_data) - DATA_KEYS):
            problems.append(f"unknown key 'data.{key}' (expected inputs, outputs)")
        for key in DATA_KEYS & set(raw_data):
            data[key] = _string_list(raw_data[key], f"data.{key}", problems)
    catalog = table.get("catalog", {})
    problems += validate_extension(catalog)
    rules: dict[str, RuleOptions] = {}
    raw_rules = table.get("rules", {})
    if not isinstance(raw_rules, Mapping):
        problems.append("'rules' must be a table of [tool.mldebt.rules.<rule-name>] tables")
    else:
        for name, options in raw_rules.items():
            if name not in rule_options:
                problems.append(f"unknown rule 'rules.{name}'")
            elif not isinstance(options, Mapping):
                problems.append(f"'rules.{name}' must be a table")
            else:
                rules[name] = rule_options[name].parse(options, f"rules.{name}", "option", problems)
    raw_history = table.get("history", {})
    history = HistorySettings()
    if not isinstance(raw_history, Mapping):
        problems.append("'history' must be a table")
    else:
        history = HistorySettings.parse(raw_history, "history", "key", problems)
    if problems:
        raise ConfigError(source, problems)
    return Settings(
        select=select,
        ignore=ignore,
        per_file_ignores=tuple(per_file),
        exclude=exclude,
        baseline=baseline,
        data=data,
        catalog=dict(catalog) if isinstance(catalog, Mapping) else {},
        rules=rules,
        history=history,
        preview=preview is True,
        source=source,
    )


def load_settings(
    root: Path, rule_options: Mapping[str, type[RuleOptions]], config: Path | None = None
) -> Settings:
    """Settings from ``config`` or ``<root>/pyproject.toml``; defaults when there is no
    ``[tool.mldebt]`` table. Raises ConfigError for unreadable or invalid configuration."""
    path = config or root / "pyproject.toml"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if config is not None:
            raise ConfigError(str(path), ["file not found"]) from None
        return Settings()
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read: {exc.strerror or exc}"]) from None
    # A directory or a FIFO named pyproject.toml is not the configuration, and reading a FIFO
    # would wait forever for a writer.
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise ConfigError(str(path), [f"cannot read: it is {kind}"])
    try:
        # The repository's own pyproject.toml must not be a symlink out of it; a --config file
        # is the user's choice.
        data = read_regular(path, MAX_CONFIG_BYTES, follow=True) if config else read_inside(root, path.name, MAX_CONFIG_BYTES)
        document = tomllib.loads(data.decode("utf-8"))
    except RefusedFile as exc:
        raise ConfigError(str(path), [exc.strerror]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"invalid TOML: {exc}"]) from None
    # tomllib parses nested arrays and inline tables by recursion, and converts decimal
    # integers with int(), which refuses more than sys.get_int_max_str_digits() digits: neither
    # failure is a TOMLDecodeError.
    except RecursionError:
        raise ConfigError(str(path), ["invalid TOML: arrays or inline tables nested too deeply"]) from None
    except ValueError:
        raise ConfigError(str(path), ["invalid TOML: an integer too long to read (TOML integers are 64-bit)"]) from None
    tool = document.get("tool", {})
    table = tool.get("mldebt") if isinstance(tool, Mapping) else None
    if table is None:
        return Settings(source=str(path))
    if not isinstance(table, Mapping):
        raise ConfigError(str(path), ["[tool.mldebt] must be a table"])
    return parse_settings(table, str(path), rule_options)
