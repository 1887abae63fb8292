"""Per-file facts cached by content: `.mldebt_cache/` at the repository root.

An entry's key hashes the mldebt version, the catalogs, the file's path and its bytes, so any
change to one of them misses. Entries are written atomically (temporary file, then rename) and
read defensively: an entry that does not load into FileFacts is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from mldebt.parse.facts import FileFacts

CACHE_DIR = ".mldebt_cache"
_README = "This directory is mldebt's cache. It is safe to delete.\n"


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extractor_digest() -> str:
    """Identifies the extraction code itself, so that an upgrade, or an edit in a development
    install, never serves facts that the current code would not produce."""
    parse_dir = Path(__file__).parent / "parse"
    digest = hashlib.sha256()
    for source in sorted(parse_dir.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir(root: Path, name: str) -> Path | None:
    """``root``/.mldebt_cache/``name``, or None (no cache) when the repository has put a
    symlink there: a committed `.mldebt_cache -> /elsewhere` must not make mldebt read or
    write outside the repository."""
    base = root / CACHE_DIR
    path = base / name
    return None if base.is_symlink() or path.is_symlink() else path


class FactCache:
    """Entries live under facts/<salt id>/: an upgrade or an edit of the extractor starts a new
    directory, and `prune` removes the old ones and the entries no current file uses."""

    def __init__(self, root: Path, salt: str) -> None:
        facts = cache_dir(root, "facts")
        self.salt = salt
        self.salt_id = hashlib.sha256(salt.encode()).hexdigest()[:16]
        self.directory = facts / self.salt_id if facts is not None else None
        self.hits = 0
        self.misses = 0
        self._live: set[Path] = set()

    def prune(self) -> None:
        """Delete what this run did not use: other salts' directories and entries for file
        contents that no longer exist. Only for a run over the whole tree, since what it did
        not touch is what it considers dead."""
        if self.directory is None or not self.directory.parent.is_dir():
            return
        try:
            for other in self.directory.parent.iterdir():
                if other.name != self.salt_id and other.is_dir() and not other.is_symlink():
                    shutil.rmtree(other, ignore_errors=True)
            if self.directory.is_dir():
                for bucket in self.directory.iterdir():
                    if bucket.is_dir() and not bucket.is_symlink():
                        for entry in bucket.iterdir():
                            if entry not in self._live and entry.suffix == ".json":
                                entry.unlink(missing_ok=True)
        except OSError:
            return

    def _entry(self, path: str, digest: str) -> Path | None:
        if self.directory is None:
            return None
        # surrogatepass, as for fingerprints: a path that is not UTF-8 still has a key.
        key = hashlib.sha256(f"{self.salt}\0{path}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()
        entry = self.directory / key[:2] / f"{key[2:]}.json"
        if entry.parent.is_symlink():
            return None
        self._live.add(entry)
        return entry

    def get(self, path: str, digest: str) -> FileFacts | None:
        entry = self._entry(path, digest)
        try:
            raw = entry.read_bytes() if entry is not None else None
        except OSError:
            raw = None
        if raw is None:
            self.misses += 1
            return None
        try:
            facts = FileFacts.from_json(json.loads(raw))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            # Corrupt or from an incompatible layout: rebuilt by the caller and overwritten.
            self.misses += 1
            return None
        if facts.path != path or facts.digest != digest:
            self.misses += 1
            return None
        self.hits += 1
        return facts

    def put(self, facts: FileFacts) -> None:
        entry = self._entry(facts.path, facts.digest)
        if entry is not None:
            write_atomic(entry, json.dumps(facts.to_json(), separators=(",", ":")))


def write_atomic(path: Path, text: str) -> None:
    """Write a cache file so that readers see the old content or the new, never half of it.
    Failure is silent: a read-only checkout still gets its analysis, just without a cache."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_root(_cache_root_of(path))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _cache_root_of(path: Path) -> Path:
    for parent in path.parents:
        if parent.name == CACHE_DIR:
            return parent
    return path.parent


def _mark_cache_root(directory: Path) -> None:
    """Keep git and backup tools out of the cache, as ruff and pytest do for theirs."""
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Created by mldebt.\n*\n", encoding="utf-8")
        (directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# " + _README, encoding="utf-8"
        )
