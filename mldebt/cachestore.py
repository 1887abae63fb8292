"""Where mldebt's caches live, and why what is read back from them can be trusted.

Per-file facts, the findings of past revisions (`--new-since`) and the mined history are cached
per repository, outside it: in `--cache-dir` (or MLDEBT_CACHE_DIR) when given, else in the
user's cache directory ($XDG_CACHE_HOME/mldebt, else ~/.cache/mldebt), under
repos/<name>-<hash of the repository's path>/. A cache inside the work tree would be part of
what a pull request ships: a revisions entry that hides new debt from `--new-since`, a facts
entry that silently drops a file's findings, or a symlink that makes pruning delete elsewhere.

Wherever it lives, every file in it is signed: HMAC-SHA256, with a key created on first use in
the user's cache directory (mode 0600, never in a repository), over the file's name in the
cache and its content. A file that does not verify (another machine's, an older mldebt's, a
forgery) is treated as missing, rebuilt and counted, so that the run can say so once. Nothing
here follows a symlink: an entry or directory that is one is not read, written or deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from mldebt.safefile import MiB, read_regular, replace_file

CACHE_ENV = "MLDEBT_CACHE_DIR"
_KEY_FILE = "key"
_KEY_BYTES = 32
_MAGIC = b"mldebt-hmac-sha256 "
_SIGNATURE = len(_MAGIC) + 64 + 1  # magic, hex digest, newline
MAX_ENTRY_BYTES = 256 * MiB
STALE_DAYS = 30
_README = "This directory is mldebt's cache. It is safe to delete.\n"


def user_cache_home() -> Path:
    """mldebt's directory in the user's cache directory (XDG on every platform but Windows)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "mldebt" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mldebt"


def default_directory(root: Path) -> Path:
    """The cache directory of the repository at ``root`` when none is given."""
    resolved = os.path.realpath(root)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(resolved))[:40] or "root"
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    return user_cache_home() / "repos" / f"{name}-{digest}"


def _load_key(home: Path) -> bytes | None:
    """The machine's signing key, created on first use; None when it cannot be had (a
    read-only home: then nothing is cached)."""
    path = home / _KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=home, prefix=".key-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(_KEY_BYTES))
            # link() fails if another process made the key first: then theirs is the key.
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes:
    key = read_regular(path, _KEY_BYTES)
    if len(key) != _KEY_BYTES:
        raise OSError(f"{path}: not an mldebt cache key")
    return key


class CacheStore:
    """One repository's cache directory. Entries are named by POSIX paths relative to it
    ("facts/<salt>/ab/cdef.json"); what a caller reads is only ever what this machine wrote."""

    def __init__(self, directory: Path, key: bytes) -> None:
        self.directory = Path(os.path.abspath(directory))
        self._key = key
        # Entries that existed but did not verify: the caller says so once.
        self.rejected = 0
        self._safe_dirs: dict[str, bool] = {}
        self._made: set[Path] = set()

    @classmethod
    def open(cls, root: Path, directory: Path | None = None) -> CacheStore | None:
        """The store for the repository at ``root``: ``directory``, else MLDEBT_CACHE_DIR, else
        `default_directory`. None when the key cannot be created or the directory is a symlink."""
        chosen = directory or (Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None)
        key = _load_key(user_cache_home())
        if key is None:
            return None
        store = cls(chosen or default_directory(root), key)
        if store.directory.is_symlink():
            return None
        # Its modification time says when the cache was last used: `sweep` goes by it.
        try:
            os.utime(store.directory)
        except OSError:
            pass
        return store

    def sweep(self) -> None:
        """Delete the default cache directories of repositories that no run has used for
        STALE_DAYS: the cache is outside the repositories, so deleting one leaves its cache
        behind. Never a --cache-dir, which is the user's to manage."""
        repos = user_cache_home() / "repos"
        cutoff = time.time() - STALE_DAYS * 86400
        try:
            with os.scandir(repos) as entries:
                stale = [
                    Path(entry.path) for entry in entries
                    if entry.is_dir(follow_symlinks=False) and Path(entry.path) != self.directory
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff
                ]
        except OSError:
            return
        for directory in stale:
            shutil.rmtree(directory, ignore_errors=True)

    def rejection_note(self) -> str:
        """What to tell the user, once, about the entries that did not verify."""
        many = self.rejected != 1
        return (
            f"{self.rejected} cache entr{'ies' if many else 'y'} in {self.directory} did not verify "
            f"(written by another machine, or tampered with) and {'were' if many else 'was'} rebuilt"
        )

    def _sign(self, name: str, data: bytes) -> bytes:
        # hmac.digest is OpenSSL's one-shot HMAC: no Python-level HMAC object per entry.
        return hmac.digest(self._key, name.encode() + b"\0" + data, "sha256").hex().encode()

    def _real(self, directory: Path) -> bool:
        """Whether ``directory`` (the store's or one below it) is reached from the store without
        a symlink; each directory is looked at once."""
        text = str(directory)
        known = self._safe_dirs.get(text)
        if known is None:
            if directory == self.directory:
                known = not os.path.islink(text)
            else:
                known = directory.is_relative_to(self.directory) and self._real(directory.parent) and not os.path.islink(text)
            self._safe_dirs[text] = known
        return known

    def path(self, name: str) -> Path:
        return self.directory / name

    def read(self, name: str) -> bytes | None:
        """The content written under ``name``, or None when it is missing, unreadable or does
        not verify (counted in `rejected`)."""
        path = self.path(name)
        if not self._real(path.parent):
            return None
        try:
            raw = read_regular(path, MAX_ENTRY_BYTES)
        except OSError:
            return None
        signature, data = raw[:_SIGNATURE], raw[_SIGNATURE:]
        if not (
            signature.startswith(_MAGIC)
            and signature.endswith(b"\n")
            and hmac.compare_digest(signature[len(_MAGIC) : -1], self._sign(name, data))
        ):
            self.rejected += 1
            return None
        return data

    def write(self, name: str, data: bytes) -> bool:
        """Store ``data`` under ``name`` atomically (readers see the old content or the new).
        False when it could not be written: a read-only cache still gets its analysis."""
        path = self.path(name)
        try:
            self._mark()
            if not self._makedirs(path.parent):
                return False
            replace_file(path, b"".join((_MAGIC, self._sign(name, data), b"\n", data)), private=True)
            return True
        except OSError:
            return False

    def _makedirs(self, directory: Path) -> bool:
        """Create ``directory`` below the store one level at a time, refusing to go through an
        existing symlink or non-directory; whether it now exists as a real directory."""
        if directory in self._made:
            return True
        current = self.directory
        for part in directory.relative_to(self.directory).parts:
            current = current / part
            try:
                os.mkdir(current)
            except FileExistsError:
                if current.is_symlink() or not current.is_dir():
                    return False
        if not self._real(directory):
            return False
        self._made.add(directory)
        return True

    def children(self, name: str) -> Iterator[Path]:
        """The real (not symlinked) directories and files directly under ``name``."""
        directory = self.path(name)
        if not self._real(directory):
            return
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if not entry.is_symlink():
                        yield Path(entry.path)
        except OSError:
            return

    def remove(self, path: Path) -> None:
        """Delete a file or directory that `children` listed; never through a symlink."""
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            return

    def _mark(self) -> None:
        """Keep git and backup tools out of the cache, as ruff and pytest do for theirs (the
        cache may be inside a work tree when --cache-dir says so)."""
        if os.path.lexists(self.directory / ".gitignore"):
            return
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name, text in ((".gitignore", "# Created by mldebt.\n*\n"),
                           ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# " + _README)):
            # O_EXCL: an existing file, or a symlink planted in its place, is left alone.
            try:
                fd = os.open(self.directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
