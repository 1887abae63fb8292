"""Per-file facts cached by content, in the repository's cache store (mldebt.cachestore).

An entry's key hashes the mldebt version, the catalogs, the file's path and its bytes, so any
change to one of them misses. The store signs and verifies every entry; what it returns is then
still checked to load into FileFacts for this very path and content, and rebuilt otherwise.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mldebt.cachestore import CacheStore
from mldebt.parse.facts import FileFacts


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extractor_digest() -> str:
    """Identifies the extraction code itself, so that an upgrade, or an edit in a development
    install, never serves facts that the current code would not produce."""
    parse_dir = Path(__file__).parent / "parse"
    digest = hashlib.sha256()
    for source in sorted(parse_dir.rglob("*.py")):
        # The path too: moving code between modules changes what runs.
        digest.update(source.relative_to(parse_dir).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


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
