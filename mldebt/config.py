"""`[tool.mldebt]` in pyproject.toml -> frozen Settings, with every bad key reported at once.

A typo must never silently switch a check off, so unknown keys and ill-typed values are
errors (exit 2), all listed together.
"""

from __future__ import annotations

import math
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mldebt.catalogs import validate_extension
from mldebt.discovery.entries import MAX_GITIGNORE_WILDCARDS, is_gitignore_pattern
from mldebt.safefile import MiB, RefusedFile, read_inside, read_regular
from mldebt.tomlcompat import tomllib

MAX_CONFIG_BYTES = 4 * MiB

_CODE_PREFIX = re.compile(r"^(ALL|MLD\d{0,3})$")

TOP_LEVEL_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "exclude", "baseline", "data",
    "catalog", "rules", "history",
}
DATA_KEYS = {"inputs", "outputs"}
HISTORY_KEYS = {"bots", "active-months", "include", "exclude", "aliases"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


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
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    history: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None

    def is_selected(self, code: str) -> bool:
        """Like ruff: the most specific matching prefix among select and ignore decides."""
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


def _aliases(raw: Any, problems: list[str]) -> None:
    """`history.aliases`: person -> the identities ("Name <e-mail>", an e-mail, a name) that are
    them. An identity listed for two people would be both."""
    if not isinstance(raw, Mapping):
        problems.append("'history.aliases' must be a table: person = [identities]")
        return
    owner: dict[str, str] = {}
    for person, listed in raw.items():
        key = f"history.aliases.{person}"
        if not person.strip():
            problems.append("'history.aliases' has an empty person's name")
        for identity in _string_list(listed, key, problems):
            spelled = " ".join(identity.split()).casefold()
            if not spelled:
                problems.append(f"'{key}' lists an empty identity")
            elif owner.setdefault(spelled, person) != person:
                problems.append(f"'{key}': {identity!r} is also listed under {owner[spelled]!r}")


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
            problems.append(f"'{key}': {code!r} is not a rule code or prefix (like MLD101, MLD1 or ALL)")
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


def _option_problems(key: str, value: Any, default: Any) -> list[str]:
    """A rule option takes values of its default's type: true or false, a finite number, or a
    list of strings. A rule would otherwise read `hub = "no"` as true, or crash on `threshold = "x"`."""
    if isinstance(default, bool):
        return [] if isinstance(value, bool) else [f"'{key}' must be true or false"]
    if isinstance(default, (int, float)):
        # Integers beyond 64 bits, which math.isfinite cannot convert, were rejected already.
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return []
        return [f"'{key}' must be a finite number"]
    if isinstance(default, list):
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return []
        return [f"'{key}' must be a list of strings"]
    raise TypeError(f"the default of option {key} is of a type the configuration cannot check")


def parse_settings(
    table: Mapping[str, Any], source: str, rule_options: Mapping[str, Mapping[str, Any]]
) -> Settings:
    """Validate a ``[tool.mldebt]`` table. ``rule_options`` maps each rule name to its options
    and their defaults, so ``[tool.mldebt.rules.<name>]`` typos and ill-typed values are caught too."""
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
    rules: dict[str, Mapping[str, Any]] = {}
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
                for option, value in options.items():
                    if option not in rule_options[name]:
                        problems.append(f"unknown option 'rules.{name}.{option}'")
                    else:
                        problems += _option_problems(f"rules.{name}.{option}", value, rule_options[name][option])
                rules[name] = dict(options)
    history = table.get("history", {})
    if not isinstance(history, Mapping):
        problems.append("'history' must be a table")
        history = {}
    else:
        for key in sorted(set(history) - HISTORY_KEYS):
            problems.append(f"unknown key 'history.{key}'")
        if "bots" in history:
            _string_list(history["bots"], "history.bots", problems)
        for key in ("include", "exclude"):
            if key in history:
                _patterns(history[key], f"history.{key}", problems)
        if "aliases" in history:
            _aliases(history["aliases"], problems)
        months = history.get("active-months", 12)
        if not isinstance(months, int) or isinstance(months, bool) or months < 1:
            problems.append("'history.active-months' must be a positive integer")
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
        history=dict(history),
        source=source,
    )


def load_settings(
    root: Path, rule_options: Mapping[str, Mapping[str, Any]], config: Path | None = None
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
