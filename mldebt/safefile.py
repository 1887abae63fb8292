"""Opening files in a repository we do not trust, and writing files next to it.

Any path in the analysed repository, whether discovery listed it, its configuration named it or
a convention finds it (pyproject.toml, CODEOWNERS, .mailmap, the baseline), may be a symlink to
anywhere, a FIFO that blocks whoever opens it, a device that never ends, or gigabytes. Discovery
already leaves such files out, but what it checked can differ from what is opened later, and not
every file mldebt opens was listed. So every open goes through here:

- `read_inside` opens a path only when its resolved location is inside the root, and then without
  following a symlink in its last component (a link swapped in after the check is refused too);
  only a regular file is read (the open does not block on a FIFO), and at most ``limit`` bytes.
- `write_checked` and `read_checked` handle the files mldebt writes (a baseline, a report): inside
  the repository never through a symlink, and, for a path the repository's own configuration
  gave, never outside it at all.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

MiB = 1 << 20

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_UMASK = os.umask(0o22)
os.umask(_UMASK)


class RefusedFile(OSError):
    """A path mldebt will not open or write; ``strerror`` says why, in words for a message."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.filename = os.fspath(path)

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit >= MiB and limit % MiB == 0 else f"{limit} bytes"


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether the (already resolved) ``path`` is ``root`` or below it."""
    path, root = os.fspath(path), os.fspath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolve_inside(root: Path, rel: str | os.PathLike[str]) -> Path:
    """``root``/``rel`` with every symlink resolved; RefusedFile when that leaves ``root``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, rel))
    if not is_inside(real, real_root):
        raise RefusedFile(rel, "links to a file outside the repository; not read")
    return Path(real)


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = False) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them. Raises RefusedFile for
    a symlink (unless ``follow``), a directory, FIFO, socket or device, and a file larger than
    ``limit``; OSError as open and read do."""
    try:
        fd = os.open(path, _READ_FLAGS | (0 if follow else _NOFOLLOW))
    except OSError as exc:
        if not follow and exc.errno == getattr(errno, "ELOOP", None):
            raise RefusedFile(path, "is a symlink; not read") from None
        raise
    return _read_open(fd, path, limit)


def _read_open(fd: int, path: str | os.PathLike[str], limit: int) -> bytes:
    """`read_regular` once ``fd`` is open; closes it."""
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile(path, "is not a regular file; not read")
        if status.st_size > limit:
            raise RefusedFile(path, f"is larger than {_size(limit)}; not read")
        chunks: list[bytes] = []
        remaining = limit + 1
        # st_size can lie (a file still growing, /proc): read until EOF, but never past the limit.
        while remaining > 0:
            chunk = os.read(fd, min(remaining, max(status.st_size + 1, 64 * 1024)))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise RefusedFile(path, f"is larger than {_size(limit)}; not read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_inside(root: Path, rel: str | os.PathLike[str], limit: int) -> bytes:
    """The file ``rel`` of the repository at ``root``, read as `read_regular` does, and only if
    it resolves inside ``root`` (a symlink that appears after it was resolved is refused)."""
    return read_regular(resolve_inside(root, rel), limit)


_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_WALKS_BY_FD = os.open in os.supports_dir_fd and bool(_NOFOLLOW) and hasattr(os, "O_DIRECTORY")


class Tree:
    """Reads many files of one repository, as `read_inside` does, but without resolving each
    path: every directory is opened relative to its parent with O_NOFOLLOW, and the file
    relative to its directory, so that no symlink is followed at any level and no path is
    resolved twice. Only a path with a symlink on it (which discovery keeps when it stays
    inside) takes `read_inside`'s way. Open directories are those of the current path only:
    read in sorted order, each is opened once, and the descriptors in use stay few."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._root_fd: int | None = None
        self._open: list[tuple[str, int]] = []  # the current directory below the root, outermost first

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *_: object) -> None:
        self._leave(0)
        if self._root_fd is not None:
            os.close(self._root_fd)
            self._root_fd = None

    def read(self, rel: str, limit: int) -> bytes:
        parts = rel.split("/")
        if not _WALKS_BY_FD or any(part in ("", ".", "..") for part in parts):
            return read_inside(self.root, rel, limit)
        try:
            fd = os.open(parts[-1], _READ_FLAGS | _NOFOLLOW, dir_fd=self._directory(parts[:-1]))
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                # A symlink on the way: resolved, and read only if it stays inside.
                return read_inside(self.root, rel, limit)
            raise
        return _read_open(fd, rel, limit)

    def _directory(self, parts: list[str]) -> int:
        """The descriptor of the directory ``parts`` below the root, opening what is missing."""
        shared = 0
        while shared < min(len(parts), len(self._open)) and self._open[shared][0] == parts[shared]:
            shared += 1
        self._leave(shared)
        if self._root_fd is None:
            self._root_fd = os.open(self.root, _DIRECTORY_FLAGS)
        for part in parts[shared:]:
            parent = self._open[-1][1] if self._open else self._root_fd
            self._open.append((part, os.open(part, _DIRECTORY_FLAGS, dir_fd=parent)))
        return self._open[-1][1] if self._open else self._root_fd

    def _leave(self, keep: int) -> None:
        """Close the open directories below the first ``keep`` components of the current path."""
        while len(self._open) > keep:
            os.close(self._open.pop()[1])


def _checked(root: Path, path: Path, *, configured: bool) -> tuple[str, bool]:
    """``path`` made absolute (from ``root`` when ``configured``, else from the working
    directory), and whether it is inside the repository; RefusedFile where mldebt must not go.

    A path the repository's configuration gave must be relative and stay inside the repository.
    A path from the command line may be anywhere, but inside the repository no symlink may lead
    it out, and it may not be a symlink or anything but a regular file itself."""
    real_root = os.path.realpath(root)
    lexical = os.path.abspath(os.path.join(real_root, path) if configured else path)
    inside = is_inside(lexical, real_root) or is_inside(lexical, os.path.abspath(root))
    if configured and (path.is_absolute() or not inside):
        raise RefusedFile(path, "must be a relative path inside the repository")
    if not inside:
        return lexical, False
    parent = os.path.realpath(os.path.dirname(lexical))
    if not is_inside(parent, real_root):
        raise RefusedFile(path, "leads out of the repository through a symlink")
    target = os.path.join(parent, os.path.basename(lexical))
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target, True
    if stat.S_ISLNK(mode):
        raise RefusedFile(path, "is a symlink inside the repository; mldebt does not follow it")
    if not stat.S_ISREG(mode):
        raise RefusedFile(path, "is not a regular file")
    return target, True


def read_checked(root: Path, path: Path, limit: int, *, configured: bool = False) -> bytes:
    """Read a file mldebt also writes (the baseline): inside the repository as `_checked` allows,
    elsewhere wherever the user pointed."""
    target, inside = _checked(root, path, configured=configured)
    return read_regular(target, limit, follow=not inside)


def write_checked(root: Path, path: Path, text: str, *, configured: bool = False) -> None:
    """Write ``text`` to ``path`` (a report, a baseline). Inside the repository, as `_checked`
    allows and by renaming a new file over the old one, so that a symlink planted after the
    check is replaced, never written through; elsewhere (`-o /dev/stdout`, a pipe), plainly."""
    target, inside = _checked(root, path, configured=configured)
    if not inside:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    replace_file(target, text.encode("utf-8"), private=False)


def replace_file(target: str | os.PathLike[str], data: bytes, *, private: bool) -> None:
    """Write ``data`` to ``target`` by renaming a new file over it: a reader sees the old
    content or the new, and a symlink at ``target`` is replaced, never written through. The
    file is the owner's alone when ``private`` (a cache entry), else it gets the mode a new file
    would (a report, a baseline)."""
    directory, name = os.path.split(os.fspath(target))
    fd, tmp = tempfile.mkstemp(dir=directory or ".", prefix=f".{name}.", suffix=".tmp")
    try:
        if not private:
            os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
