"""Symbolic values: how a target path is built, evaluated once every module's constants are known.

Extraction turns an expression such as ``os.path.join(DATA_DIR, "raw", f"{NAME}.csv")`` into a
small JSON-shaped tree (see ``mldebt.parse.facts.Value``); ``evaluate`` folds it to a string, or
None when any part is dynamic. References to other modules are looked up through a callback,
so this module knows nothing about files or imports.

This module is the IR's only constructor and reader: extraction builds values with its
functions and asks them what they hold (``text_of``, ``is_dynamic``), never by their tags.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from mldebt.parse.facts import ARGV_MODULE, CONFIG_MODULE, CONFIG_SEPARATOR, Value

DYNAMIC: Value = ["d"]
# An in-memory buffer (`io.BytesIO()`, `io.StringIO(text)`): no file at all. Evaluates to
# nothing, like a dynamic value; an access to it is no access (``is_memory``).
MEMORY: Value = ["m"]
# Where `__file__` paths start when evaluated: an absolute stand-in for the repository root, so
# that joins and parents behave as at run time (a path from `__file__` is absolute), deep
# enough that going a few levels above the root stays recognisable. See `unanchor`.
ANCHOR_DEPTH = 8
ANCHOR = "/\x00" * ANCHOR_DEPTH
# Deep enough for real constant chains, shallow enough to stop reference cycles quickly.
MAX_DEPTH = 24
# Far longer than any path, URI or SQL statement a program builds from constants.
MAX_TEXT = 64 * 1024
# A loop over a literal names each file it touches (`for name in ("train.csv", "test.csv")`):
# a few, one access each. A table of hundreds is no list of datasets anyone declares one by
# one, and would multiply the accesses of every call in the loop: it stays dynamic.
MAX_ALTERNATIVES = 64

Lookup = Callable[[str, str], "Value | None"]


def literal(text: str) -> Value:
    return ["s", text]


def text_of(value: Value) -> str | None:
    """A literal's text; None for any other value."""
    return value[1] if value[0] == "s" else None  # type: ignore[no-any-return]


def is_memory(value: Value) -> bool:
    """Whether the value is an in-memory buffer, not a path."""
    return value[0] == "m"


def is_memory_in(value: Value, lookup: Lookup) -> bool:
    """Whether the value is, or names a constant that is, an in-memory buffer
    (`BUFFER = io.BytesIO()` in this module or another)."""
    for _ in range(MAX_DEPTH):
        if value[0] != "r":
            return value[0] == "m"
        found = lookup(str(value[1]), str(value[2]))
        if found is None:
            return False
        value = found
    return False


def is_dynamic(value: Value) -> bool:
    return value[0] == "d"


def local(name: str) -> Value:
    """A name of the module being extracted (`DATA_DIR`, `Config.ROOT`, `paths[raw]`), replaced
    by what it is bound to once the walk is over (see ``substitute``)."""
    return ["n", name]


def local_name(value: Value) -> str | None:
    """The name a value is, when it is one of the module's names and nothing more."""
    return value[1] if value[0] == "n" else None  # type: ignore[no-any-return]


def reference(module: str, name: str) -> Value:
    """A name another module binds, looked up once every module's constants are known."""
    return ["r", module, name]


def command_argument(position: str) -> Value:
    """`sys.argv[N]`: known only for a script a pipeline manifest runs with literal arguments."""
    return ["r", ARGV_MODULE, position]


def option(keys: list[str], default: Value) -> Value:
    """An argparse option, by its flags (or "#N" for the Nth positional): the value the
    running command gives it, else ``default``."""
    return ["o", keys, default]


HOME: Value = ["h"]


def config_key(source: Value, keys: list[str]) -> Value:
    """A key of a configuration file: what the file at ``source`` says at ``keys`` (none: the
    whole document), once the resolver reads it (`cfg.data.path` after
    `cfg = OmegaConf.load("conf/config.yaml")`)."""
    return DYNAMIC if is_dynamic(source) else ["k", source, keys]


def config_of(value: Value) -> tuple[Value, list[str]] | None:
    """The (file, keys) of a key of a configuration file; None for any other value."""
    return (value[1], list(value[2])) if value[0] == "k" else None


def one_of(values: list[Value]) -> Value:
    """Each of ``values`` in turn: the variable of `for name in ("a.csv", "b.csv")`. An access
    whose target holds one is one access per value (see ``alternatives``); dynamic when any
    value is, or when there are more than MAX_ALTERNATIVES."""
    if not values or len(values) > MAX_ALTERNATIVES or any(is_dynamic(value) for value in values):
        return DYNAMIC
    return values[0] if len(values) == 1 else ["a", values]


def alternatives(value: Value) -> list[Value]:
    """The values ``value`` stands for, one per choice of each ``one_of`` in it, in order:
    `url + name` over two names is two URLs. ``[value]`` when it holds none; one dynamic value
    when the choices multiply beyond MAX_ALTERNATIVES."""
    tag = value[0]
    if tag == "a":
        out = [choice for option in value[1] for choice in alternatives(option)]
    elif tag in ("c", "j"):
        combinations: list[list[Value]] = [[]]
        for part in value[1]:
            choices = alternatives(part)
            if len(combinations) * len(choices) > MAX_ALTERNATIVES:
                return [DYNAMIC]
            combinations = [[*done, choice] for done in combinations for choice in choices]
        if len(combinations) == 1:
            return [value]
        out = [concat(parts) if tag == "c" else join(parts) for parts in combinations]
    elif tag == "P":
        out = [parent(inner) for inner in alternatives(value[1])]
    elif tag == "x":
        out = [with_suffix(inner, value[2]) for inner in alternatives(value[1])]
    elif tag == "o":
        out = [option(value[1], default) for default in alternatives(value[2])]
    else:
        return [value]
    return out if len(out) <= MAX_ALTERNATIVES else [DYNAMIC]


def substitute(value: Value, bound: Callable[[str], Value]) -> Value:
    """``value`` with each local name replaced by ``bound(name)``, folding what becomes known."""
    tag = value[0]
    if tag == "n":
        return bound(value[1])
    if tag in ("c", "j"):
        parts = [substitute(p, bound) for p in value[1]]
        return concat(parts) if tag == "c" else join(parts)
    if tag == "P":
        return parent(substitute(value[1], bound))
    if tag == "x":
        return with_suffix(substitute(value[1], bound), value[2])
    if tag == "o":
        return option(value[1], substitute(value[2], bound))
    if tag == "a":
        return one_of([substitute(p, bound) for p in value[1]])
    if tag == "k":
        return config_key(substitute(value[1], bound), value[2])
    return value


def map_literals(value: Value, change: Callable[[str], str]) -> Value:
    """``value`` with ``change`` applied to the text of each literal it concatenates."""
    if value[0] == "s":
        return literal(change(value[1]))
    if value[0] == "c":
        return ["c", [map_literals(p, change) for p in value[1]]]
    return value


def concat(parts: list[Value]) -> Value:
    if any(is_dynamic(p) for p in parts):
        return DYNAMIC
    if all(p[0] == "s" for p in parts):
        return _folded("".join(p[1] for p in parts))
    return ["c", parts]


def join(parts: list[Value]) -> Value:
    if not parts:
        return literal("")
    if any(is_dynamic(p) for p in parts):
        return DYNAMIC
    if all(p[0] == "s" for p in parts):
        return _folded(_join_strings([p[1] for p in parts]))
    return ["j", parts]


def _folded(text: str) -> Value:
    # `A1 = A0 + A0; A2 = A1 + A1; ...` doubles at every line: thirty lines make a gigabyte.
    return literal(text) if len(text) <= MAX_TEXT else DYNAMIC


def with_suffix(value: Value, suffix: str) -> Value:
    """The path ``value`` with ``suffix`` appended unless it ends with it already, as
    `numpy.save("x")` writes `x.npy`; a buffer stays one."""
    if is_dynamic(value) or is_memory(value):
        return value
    if value[0] == "s":
        return literal(_with_suffix(value[1], suffix))
    return ["x", value, suffix]


def on_store(value: Value, scheme: str) -> Value:
    """A path of an object store's file system as a URI of that store: `bucket/key` on s3 is
    `s3://bucket/key`. A path that has a scheme already, or whose start is not known, stays."""
    head = value[1][0] if value[0] == "c" and value[1] else value
    text = text_of(head)
    if text is None or "://" in text:
        return value
    uri = literal(f"{scheme}://{text.lstrip('/')}")
    return concat([uri, *value[1][1:]]) if value[0] == "c" else uri


def source_file(path: str) -> Value:
    """`__file__` of the module at ``path``: anchored at the repository root, whatever the
    working directory."""
    return ["f", path]


def from_command_line(value: Value) -> bool:
    """Whether the value takes a command-line argument (``sys.argv``, an argparse option),
    which the resolver has already joined to the directory the command runs in."""
    tag = value[0]
    if tag == "o" or (tag == "r" and value[1] == ARGV_MODULE):
        return True
    if tag in ("P", "x"):
        return from_command_line(value[1])
    if tag in ("c", "j"):
        return any(from_command_line(part) for part in value[1])
    return False


def unanchor(text: str) -> tuple[str, bool]:
    """(``text`` relative to the repository root, whether it was anchored by `__file__`)."""
    if not text.startswith("/\x00"):
        return text, False
    parts = text.split("/")[1:]
    anchors = 0
    while anchors < len(parts) and parts[anchors] == "\x00":
        anchors += 1
    rest = "/".join(parts[anchors:])
    up = "../" * (ANCHOR_DEPTH - anchors)
    return (up + rest).rstrip("/") if (up or rest) else "", True


def _with_suffix(path: str, suffix: str) -> str:
    return path if path.endswith(suffix) else path + suffix


def parent(value: Value, levels: int = 1) -> Value:
    if is_dynamic(value):
        return DYNAMIC
    for _ in range(levels):
        value = literal(_parent(value[1])) if value[0] == "s" else ["P", value]
    return value


def _parent(path: str) -> str:
    folded = posixpath.normpath(posixpath.join(path or ".", ".."))
    return "" if folded == "." else folded


def _join_strings(parts: list[str]) -> str:
    joined = ""
    for part in parts:
        joined = posixpath.join(joined, part) if joined else part
    return joined


def evaluate(value: Value, lookup: Lookup) -> str | None:
    """The string a value denotes, or None when it cannot be known statically (or when it is
    not a value extraction makes: a cache entry planted in the repository)."""
    try:
        return _evaluate(value, lookup, 0, {})
    except (IndexError, TypeError, KeyError, AttributeError, ValueError):
        return None


def _evaluate(value: Value, lookup: Lookup, depth: int, found: dict[tuple[str, str], str | None]) -> str | None:
    """``found`` holds each reference evaluated so far: `B = A + A` in module after module
    costs the number of modules, not two to its power."""
    if depth > MAX_DEPTH:
        return None
    tag = value[0]
    if tag == "s":
        return str(value[1])
    if tag == "d":
        return None
    if tag == "h":
        return "~"
    if tag == "r":
        key = (str(value[1]), str(value[2]))
        if key not in found:
            found[key] = None  # while it evaluates: reached again, it is a cycle
            target = lookup(*key)
            found[key] = None if target is None else _evaluate(target, lookup, depth + 1, found)
        return found[key]
    if tag == "P":
        inner = _evaluate(value[1], lookup, depth + 1, found)
        return None if inner is None else _parent(inner)
    if tag == "f":
        return posixpath.join(ANCHOR, str(value[1]))
    if tag == "x":
        inner = _evaluate(value[1], lookup, depth + 1, found)
        return None if inner is None else _with_suffix(inner, str(value[2]))
    if tag == "k":
        source = _evaluate(value[1], lookup, depth + 1, found)
        if source is None or not isinstance(value[2], list):
            return None
        given = lookup(CONFIG_MODULE, CONFIG_SEPARATOR.join([source, *map(str, value[2])]))
        return None if given is None else _evaluate(given, lookup, depth + 1, found)
    if tag == "o":
        # A command-line option: the value the running command gives it, else its default.
        given = lookup(ARGV_MODULE, "\x00".join(value[1]))
        return _evaluate(given if given is not None else value[2], lookup, depth + 1, found)
    if tag not in ("c", "j") or not isinstance(value[1], list):
        return None
    parts = [_evaluate(p, lookup, depth + 1, found) for p in value[1]]
    if any(p is None for p in parts):
        return None
    strings = [p for p in parts if p is not None]
    text = "".join(strings) if tag == "c" else _join_strings(strings)
    return text if len(text) <= MAX_TEXT else None
