"""The API catalog: which calls read or write data and where their target argument is.

The catalog is package data (``data_apis.toml``) so that a wheel carries it; users extend it
from ``[tool.mldebt.catalog]`` with entries of the same shape, which take precedence. The column
catalog (``mldebt.catalogs.columns``, extended from ``[tool.mldebt.catalog.columns]``) comes
with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mldebt.catalogs.columns import ColumnCatalog, ColumnCatalogError, bundled_text, load_columns
from mldebt.tomlcompat import tomllib

DIRECTIONS = ("read", "write", "mode", "none")
TARGET_KINDS = ("path", "receiver", "sql", "table", "hub", "dataset", "named", "object", "figure", "rooted")
MODE_SYNTAXES = ("open", "tarfile")
_ENTRY_KEYS = {
    "match", "direction", "arg", "keywords", "target", "mode_arg", "mode_keyword",
    "default_mode", "handle", "after", "receivers", "requires_suffix", "default_suffix", "writes_arg",
    "writes_keywords", "reads_arg", "reads_keywords", "prefix", "prefix_keyword", "name_segment",
    "bucket_arg", "bucket_keywords", "write_modes", "mode_syntax", "handle_of", "default_target",
    "text_arg", "filesystem", "service",
}


class CatalogError(ValueError):
    """A catalog entry is malformed; the message names the entry and the key."""


@dataclass(frozen=True)
class ApiEntry:
    """How one family of calls touches data."""

    match: tuple[str, ...]
    direction: str
    arg: int | None = None
    keywords: tuple[str, ...] = ()
    target: str = "path"
    mode_arg: int | None = None
    mode_keyword: str | None = None
    default_mode: str = "r"
    # Modes that are whole words (numpy.memmap's "readonly", "w+", "c"): the modes that write.
    # Without it a mode is open()'s letters, and any of w, a, x writes.
    write_modes: tuple[str, ...] = ()
    # Otherwise the mode's grammar: "open" (open()'s letters) or "tarfile" ("r:gz", "w|xz").
    mode_syntax: str = "open"
    handle: bool = False
    # A method that is the API only on a handle these calls open (`tar.extractall(d)` after
    # `tar = tarfile.open(p)`, or `tarfile.open(p).extractall(d)`): other objects have
    # methods of the same name (pandas' `str.extractall(pattern)`).
    handle_of: tuple[str, ...] = ()
    # The target when the call gives none (extractall() fills the working directory, ".").
    default_target: str | None = None
    after: tuple[str, ...] = ()
    receivers: tuple[str, ...] = ()
    # For generic method names (`save`, `load_model`): count the call only when its target
    # is a URI or a path with a file extension, since any object may have such a method.
    requires_suffix: bool = False
    # The extension the API appends when the path lacks it (`numpy.save("x")` writes x.npy).
    default_suffix: str = ""
    # The argument is the text itself unless it is an open file (`yaml.safe_load("a: 1")`
    # parses the string): a string known statically is no access.
    text_arg: bool = False
    # The receiver is an fsspec file system (s3fs, gcsfs): a path without a scheme is on its
    # store (`fs.open("bucket/key")` is s3://bucket/key).
    filesystem: bool = False
    # An HTTP GET: where its answer is parsed as JSON at once (`requests.get(api).json()`) or
    # thrown away (a connectivity ping), and its URL names no file, it calls a web service.
    service: bool = False
    # A second path the call writes, besides its target (urlretrieve(url, filename)).
    writes_arg: int | None = None
    writes_keywords: tuple[str, ...] = ()
    # A second path the call reads, besides its target (boto3's upload_file(Filename, ...)).
    reads_arg: int | None = None
    reads_keywords: tuple[str, ...] = ()
    # target = "named": the URI prefix the name goes after ("openml://", "models:/"); the
    # keyword whose value, plus "s/", extends it (huggingface_hub's repo_type: "hf://datasets/");
    # the segment of the called name that is the name (load_iris -> iris), instead of an argument.
    prefix: str = ""
    prefix_keyword: str | None = None
    name_segment: int | None = None
    # target = "object": where the bucket is; the key is at arg / keywords.
    bucket_arg: int | None = None
    bucket_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    functions: tuple[ApiEntry, ...]
    methods: tuple[ApiEntry, ...]
    # Identifies the catalog's content: part of every cache key, so extending the catalog
    # invalidates cached facts.
    digest: str
    # What calls do to the columns of data frames (mldebt.catalogs.columns).
    columns: ColumnCatalog
    # Lookup tables derived from the entries.
    _exact_functions: dict[str, ApiEntry] = field(init=False, repr=False, compare=False)
    _wildcard_functions: tuple[tuple[str, ApiEntry], ...] = field(init=False, repr=False, compare=False)
    _methods: dict[str, tuple[ApiEntry, ...]] = field(init=False, repr=False, compare=False)

    def function(self, qualified: str) -> tuple[str, ApiEntry] | None:
        """The entry for a call of ``qualified`` (e.g. ``pandas.read_csv``), with the name it matched."""
        hit = self._exact_functions.get(qualified)
        if hit is not None:
            return qualified, hit
        for prefix, entry in self._wildcard_functions:
            if qualified.startswith(prefix) and "." not in qualified[len(prefix) :]:
                return qualified, entry
        return None

    def methods_named(self, name: str) -> tuple[ApiEntry, ...]:
        return self._methods.get(name, ())

    def __post_init__(self) -> None:
        exact: dict[str, ApiEntry] = {}
        wildcard: list[tuple[str, ApiEntry]] = []
        for entry in self.functions:
            for pattern in entry.match:
                if pattern.endswith("*"):
                    wildcard.append((pattern[:-1], entry))
                else:
                    exact.setdefault(pattern, entry)
        methods: dict[str, list[ApiEntry]] = {}
        for entry in self.methods:
            for name in entry.match:
                methods.setdefault(name, []).append(entry)
        object.__setattr__(self, "_exact_functions", exact)
        object.__setattr__(self, "_wildcard_functions", tuple(wildcard))
        object.__setattr__(self, "_methods", {k: tuple(v) for k, v in methods.items()})


def _entry(raw: Any, where: str) -> ApiEntry:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: an entry must be a table")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    match = raw.get("match")
    if isinstance(match, str):
        match = [match]
    if not match or not all(isinstance(m, str) and m for m in match):
        raise CatalogError(f"{where}: 'match' must be a non-empty list of names")
    direction = raw.get("direction")
    if direction not in DIRECTIONS:
        raise CatalogError(f"{where}: 'direction' must be one of {', '.join(DIRECTIONS)}")
    target = raw.get("target", "path")
    if target not in TARGET_KINDS:
        raise CatalogError(f"{where}: 'target' must be one of {', '.join(TARGET_KINDS)}")
    for key in ("arg", "mode_arg", "writes_arg", "reads_arg", "bucket_arg"):
        if key in raw and (not isinstance(raw[key], int) or raw[key] < 0):
            raise CatalogError(f"{where}: '{key}' must be a non-negative integer")
    if "name_segment" in raw and not isinstance(raw["name_segment"], int):
        raise CatalogError(f"{where}: 'name_segment' must be an integer")
    if raw.get("mode_syntax", "open") not in MODE_SYNTAXES:
        raise CatalogError(f"{where}: 'mode_syntax' must be one of {', '.join(MODE_SYNTAXES)}")
    for key in ("prefix", "prefix_keyword", "default_target"):
        if key in raw and not isinstance(raw[key], str):
            raise CatalogError(f"{where}: '{key}' must be a string")
    for key in ("keywords", "after", "receivers", "writes_keywords", "reads_keywords", "bucket_keywords", "write_modes", "handle_of"):
        if key in raw and not (
            isinstance(raw[key], list) and all(isinstance(k, str) for k in raw[key])
        ):
            raise CatalogError(f"{where}: '{key}' must be a list of strings")
    return ApiEntry(
        match=tuple(match),
        direction=direction,
        arg=raw.get("arg"),
        keywords=tuple(raw.get("keywords", ())),
        target=target,
        mode_arg=raw.get("mode_arg"),
        mode_keyword=raw.get("mode_keyword"),
        default_mode=str(raw.get("default_mode", "r")),
        write_modes=tuple(raw.get("write_modes", ())),
        mode_syntax=raw.get("mode_syntax", "open"),
        handle=bool(raw.get("handle", False)),
        handle_of=tuple(raw.get("handle_of", ())),
        default_target=raw.get("default_target"),
        after=tuple(raw.get("after", ())),
        receivers=tuple(raw.get("receivers", ())),
        requires_suffix=bool(raw.get("requires_suffix", False)),
        default_suffix=str(raw.get("default_suffix", "")),
        text_arg=bool(raw.get("text_arg", False)),
        filesystem=bool(raw.get("filesystem", False)),
        service=bool(raw.get("service", False)),
        writes_arg=raw.get("writes_arg"),
        writes_keywords=tuple(raw.get("writes_keywords", ())),
        reads_arg=raw.get("reads_arg"),
        reads_keywords=tuple(raw.get("reads_keywords", ())),
        prefix=raw.get("prefix", ""),
        prefix_keyword=raw.get("prefix_keyword"),
        name_segment=raw.get("name_segment"),
        bucket_arg=raw.get("bucket_arg"),
        bucket_keywords=tuple(raw.get("bucket_keywords", ())),
    )


def _entries(document: Mapping[str, Any], kind: str, origin: str) -> list[ApiEntry]:
    raw = document.get(kind, [])
    if not isinstance(raw, list):
        raise CatalogError(f"{origin}: '{kind}' must be an array of tables")
    return [_entry(item, f"{origin} {kind}[{i}]") for i, item in enumerate(raw)]


def load_catalog(extension: Mapping[str, Any] | None = None) -> Catalog:
    """The bundled catalog, with a user's ``[tool.mldebt.catalog]`` entries placed first."""
    text = resources.files("mldebt.catalogs").joinpath("data_apis.toml").read_text("utf-8")
    bundled = tomllib.loads(text)
    extension = extension or {}
    unknown = sorted(set(extension) - {"function", "method", "columns"})
    if unknown:
        raise CatalogError(f"[tool.mldebt.catalog]: unknown key(s) {', '.join(unknown)}")
    functions = _entries(extension, "function", "[tool.mldebt.catalog]") + _entries(
        bundled, "function", "data_apis.toml"
    )
    methods = _entries(extension, "method", "[tool.mldebt.catalog]") + _entries(
        bundled, "method", "data_apis.toml"
    )
    try:
        columns = load_columns(extension.get("columns"))
    except ColumnCatalogError as exc:
        raise CatalogError(str(exc)) from None
    digest = hashlib.sha256(
        (text + bundled_text() + json.dumps(extension, sort_keys=True, default=str)).encode()
    ).hexdigest()[:16]
    return Catalog(tuple(functions), tuple(methods), digest, columns)


def validate_extension(extension: Any) -> Sequence[str]:
    """Every problem with a ``[tool.mldebt.catalog]`` table, for the config loader."""
    if not isinstance(extension, Mapping):
        return ["[tool.mldebt.catalog] must be a table"]
    try:
        load_catalog(extension)
    except CatalogError as exc:
        return [str(exc)]
    return []
