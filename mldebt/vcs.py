"""Running git on an untrusted repository.

Every git invocation goes through here, with settings that keep the analysed repository's own
configuration from starting programs: no fsmonitor hook, no pager, no external diff or textconv
driver, no credential or terminal prompts, no optional locks (we never write to its index), and
no transport at all, so that a partial clone's lazy fetch of a missing object cannot run the
`ext::` command, `core.sshCommand` or `uploadpack` its configuration names. The caller's own
`GIT_*` variables are dropped (they would redirect git elsewhere), and every call has a
deadline: a configuration can point git at a file that never ends.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

# Passed as `git -c key=value` before the subcommand: they override whatever the repository's
# .git/config says.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.pager", "cat"),
    ("core.hooksPath", os.devnull),
    ("core.untrackedCache", "false"),
    ("diff.external", ""),
    ("log.showSignature", "false"),
    ("credential.helper", ""),
    ("protocol.allow", "never"),
    # A repository's `protocol.<name>.allow=always` beats the general policy above, so each
    # transport is forbidden by name too (GIT_ALLOW_PROTOCOL below forbids every other name).
    *((f"protocol.{name}.allow", "never") for name in ("ext", "fd", "file", "git", "http", "https", "ssh")),
    # The work tree's .mailmap is read (git refuses a symlinked one); a mailmap file or blob that
    # the configuration names could be /dev/zero or a FIFO.
    ("mailmap.file", ""),
    ("mailmap.blob", ""),
)

# Seconds a git command may go without printing anything before it is killed. `git log
# --date-order` walks the whole graph before its first line, which takes a minute or two on the
# largest repositories; MLDEBT_GIT_TIMEOUT changes it.
DEFAULT_TIMEOUT = 600.0
# How much of git's stderr an error message quotes.
_STDERR_LIMIT = 4096


class GitError(Exception):
    """git is missing, or a git command failed; the message says which and why."""


class GitTimeout(GitError):
    """A git command went quiet for longer than `timeout()` and was killed."""


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_CONFIG_NOSYSTEM="1",
        # Missing objects are errors, never fetched (git 2.45 and newer; older versions are held
        # by the transport policies, which the fetch git would start inherits).
        GIT_NO_LAZY_FETCH="1",
        # Set, it overrides every protocol.*.allow: the empty list allows no transport at all.
        GIT_ALLOW_PROTOCOL="",
        GIT_PROTOCOL_FROM_USER="0",
        # refs/replace/ would let the repository substitute one commit or blob for another.
        GIT_NO_REPLACE_OBJECTS="1",
        LC_ALL="C",
    )
    return env


def timeout() -> float:
    """MLDEBT_GIT_TIMEOUT in seconds, else DEFAULT_TIMEOUT; a value that is not a positive
    number is ignored rather than disabling the deadline."""
    try:
        value = float(os.environ.get("MLDEBT_GIT_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


class _Watchdog:
    """Kills ``proc`` when ``progress`` has not moved for ``timeout()`` seconds. Cheap on the
    hot path: the reader only increments a counter, a thread looks at it now and then."""

    def __init__(self, proc: subprocess.Popen[bytes], what: str) -> None:
        self.progress = 0
        self.expired = False
        self.what = what
        self._proc = proc
        self._limit = timeout()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        seen, quiet = -1, 0.0
        step = min(1.0, self._limit)
        while not self._done.wait(step):
            if self.progress != seen:
                seen, quiet = self.progress, 0.0
                continue
            quiet += step
            if quiet >= self._limit:
                self.expired = True
                self._proc.kill()
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def error(self) -> GitError:
        return GitTimeout(f"`git {self.what}` printed nothing for {self._limit:g} s and was stopped (MLDEBT_GIT_TIMEOUT)")


def git_argv(args: Sequence[str]) -> list[str]:
    argv = ["git", "--no-pager"]
    for key, value in SAFE_CONFIG:
        argv += ["-c", f"{key}={value}"]
    return argv + list(args)


def run_git(cwd: Path, args: Sequence[str]) -> str:
    """Run one short git command to completion and return its stdout, decoded as UTF-8.

    Discovery runs one on every check."""
    limit = timeout()
    try:
        done = subprocess.run(
            git_argv(args), cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL, capture_output=True, check=False,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        raise GitTimeout(f"`git {' '.join(args[:2])}` did not finish in {limit:g} s and was stopped (MLDEBT_GIT_TIMEOUT)") from None
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        stderr = " ".join(done.stderr.decode("utf-8", "replace").split())
        raise GitError(f"`git {' '.join(args[:2])}` failed: {stderr or f'exit status {done.returncode}'}")
    return done.stdout.decode("utf-8", errors="surrogateescape")


def stream_git(cwd: Path, args: Sequence[str]) -> Iterator[bytes]:
    """Run one git command and yield its stdout line by line as it arrives (bytes, with the newline).

    A plain subprocess, as every other call: gitpython merges the caller's environment into the
    one it is given, so the caller's GIT_DIR or GIT_CONFIG_* would reach git through it."""
    with tempfile.TemporaryFile() as stderr:
        try:
            proc = subprocess.Popen(
                git_argv(args), cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=stderr,
            )
        except OSError as exc:
            raise GitError(f"git could not be run: {exc}") from None
        assert proc.stdout is not None
        watchdog = _Watchdog(proc, " ".join(args[:2]))
        try:
            for line in proc.stdout:
                watchdog.progress += 1
                yield line
        finally:
            watchdog.stop()
            proc.stdout.close()
            # A consumer that stops early (an exception while parsing) must not leave git running.
            if proc.poll() is None:
                proc.kill()
            returncode = proc.wait()
        if watchdog.expired:
            raise watchdog.error()
        if returncode != 0:
            stderr.seek(0)
            message = " ".join(stderr.read(_STDERR_LIMIT).decode("utf-8", "replace").split())
            raise GitError(f"`git {' '.join(args[:2])}` failed: {message or f'exit status {returncode}'}")


def read_blobs(cwd: Path, object_ids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(id, content) for each object, from one `git cat-file --batch` process."""
    if not object_ids:
        return
    proc = subprocess.Popen(
        git_argv(["cat-file", "--batch"]), cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=_environment(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    request = "".join(f"{oid}\n" for oid in object_ids).encode()

    def feed() -> None:
        # Written from a thread: git answers while it reads, and a large answer would fill the
        # pipe and deadlock a writer that waits for all requests to be taken.
        assert proc.stdin is not None
        try:
            proc.stdin.write(request)
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    watchdog = _Watchdog(proc, "cat-file --batch")
    try:
        for oid in object_ids:
            header = proc.stdout.readline().rstrip(b"\n").split(b" ")
            if len(header) != 3:
                raise watchdog.error() if watchdog.expired else GitError(f"git cat-file could not read object {oid}")
            content = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)
            watchdog.progress += 1
            yield oid, content
    finally:
        watchdog.stop()
        writer.join()
        proc.stdout.close()
        proc.wait()
