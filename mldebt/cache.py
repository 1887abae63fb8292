"""Per-file facts cached by content, in the repository's cache store (mldebt.cachestore).

An entry's key hashes the mldebt version, the catalogs, the file's path and its bytes, so any
change to one of them misses. The store signs and verifies every entry; what it returns is then
still checked to load into FileFacts for this very path and content, and rebuilt otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from mldebt.cachestore import CacheStore
from mldebt.parse.facts import FileFacts


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# `from mldebt.x import a, b` (parenthesised names included) and `import mldebt.x`, matched only
# where bytes.find puts them: a regular expression searching for them is ten times slower.
# The same text in a docstring counts too, which only ever misses more.
_FROM = re.compile(rb"from (mldebt[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)")
_IMPORT = re.compile(rb"import (mldebt[\w.]*)")


def _imports(text: bytes) -> Iterator[str]:
    """The modules a source imports from mldebt, and the names it imports from them (which
    may be submodules)."""
    for keyword, pattern in ((b"from mldebt", _FROM), (b"import mldebt", _IMPORT)):
        start = text.find(keyword)
        while start >= 0:
            match = pattern.match(text, start)
            if match:
                module = match.group(1).decode()
                yield module
                if pattern is _FROM:
                    for item in match.group(2).strip(b"() \t").split(b","):
                        words = item.split()
                        if words:
                            yield f"{module}.{words[0].decode()}"
            start = text.find(keyword, start + 1)


def extractor_digest(rules: Sequence[type] = ()) -> str:
    """Identifies the extraction code itself, so that an upgrade, or an edit in a development
    install, never serves facts that the current code would not produce: every module of ours
    that analysing a file imports, from mldebt.parse.analyze and from each file rule's
    module, however indirectly (a catalog's code decides facts too), and the file rules'
    codes, so that installing or removing one misses as well."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(f"{rule.__module__}.{rule.__qualname__}\0".encode())
    for name, source in _imported_closure(package, ["mldebt.parse.analyze", *(rule.__module__ for rule in rules)]):
        # The name too: moving code between modules changes what runs.
        digest.update(name.encode())
        digest.update(source)
    return digest.hexdigest()[:16]


def _imported_closure(package: Path, roots: Sequence[str]) -> list[tuple[str, bytes]]:
    """The source files of ``roots`` and of every module they import, read as text: imports
    inside functions and TYPE_CHECKING blocks count too, which only ever misses more. A root
    outside mldebt (a plugin's rule) is its own file, without what it imports."""
    ours = _modules(package)
    seen: dict[str, bytes] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = ours.get(name) or _plugin_file(name)
        if path is None:
            continue
        with open(path, "rb") as source:
            seen[name] = text = source.read()
        parent = name.rpartition(".")[0]
        if parent:
            # A module's package runs its __init__ first.
            todo.append(parent)
        if name not in ours:
            continue
        todo.extend(_imports(text))
    return sorted(seen.items())


def _modules(package: Path) -> dict[str, str]:
    """Every module of the package by name; one directory listing each, rather than a stat of
    every name an import might mean."""
    found: dict[str, str] = {}
    root = str(package)
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        prefix = "mldebt" + directory[len(root) :].replace(os.sep, ".")
        for file in files:
            if file.endswith(".py"):
                name = prefix if file == "__init__.py" else f"{prefix}.{file[:-3]}"
                found[name] = os.path.join(directory, file)
    return found


def _plugin_file(name: str) -> str | None:
    file = getattr(sys.modules.get(name), "__file__", None)
    return file if isinstance(file, str) else None


class FactCache:
    """Entries live under facts/<salt id>/: an upgrade or an edit of the extractor starts a new
    directory, and `prune` removes the old ones and the entries no current file uses."""

    def __init__(self, store: CacheStore, salt: str) -> None:
        self.store = store
        self.salt = salt
        self.salt_id = hashlib.sha256(salt.encode()).hexdigest()[:16]
        self.hits = 0
        self.misses = 0
        self._live: set[Path] = set()

    def prune(self) -> None:
        """Delete what this run did not use: other salts' directories and entries for file
        contents that no longer exist. Only for a run over the whole tree, since what it did
        not touch is what it considers dead. Other repositories' caches unused for a month go
        too."""
        self.store.sweep()
        for other in self.store.children("facts"):
            if other.name != self.salt_id:
                self.store.remove(other)
        for bucket in self.store.children(f"facts/{self.salt_id}"):
            for entry in self.store.children(f"facts/{self.salt_id}/{bucket.name}"):
                if entry.suffix == ".json" and entry not in self._live:
                    self.store.remove(entry)

    def _name(self, path: str, digest: str) -> str:
        # surrogatepass, as for fingerprints: a path that is not UTF-8 still has a key.
        key = hashlib.sha256(f"{self.salt}\0{path}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()
        name = f"facts/{self.salt_id}/{key[:2]}/{key[2:]}.json"
        self._live.add(self.store.path(name))
        return name

    def get(self, path: str, digest: str) -> FileFacts | None:
        raw = self.store.read(self._name(path, digest))
        if raw is None:
            self.misses += 1
            return None
        try:
            facts = FileFacts.from_json(json.loads(raw))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            # From an incompatible layout: rebuilt by the caller and overwritten.
            self.misses += 1
            return None
        if facts.path != path or facts.digest != digest:
            self.misses += 1
            return None
        self.hits += 1
        return facts

    def put(self, facts: FileFacts) -> None:
        self.store.write(self._name(facts.path, facts.digest), json.dumps(facts.to_json(), separators=(",", ":")).encode())
