"""Running git on an untrusted repository.

Every git invocation goes through here, with settings that keep the analysed repository's own
configuration from starting programs: no fsmonitor hook, no pager, no external diff or textconv
driver, no credential or terminal prompts, no optional locks (we never write to its index).
"""

from __future__ import annotations

import os
import subprocess
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
)


class GitError(Exception):
    """git is missing, or a git command failed; the message says which and why."""


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_CONFIG_NOSYSTEM="1",
        LC_ALL="C",
    )
    return env


def git_argv(args: Sequence[str]) -> list[str]:
    argv = ["git", "--no-pager"]
    for key, value in SAFE_CONFIG:
        argv += ["-c", f"{key}={value}"]
    return argv + list(args)


def _gitpython():  # type: ignore[no-untyped-def]
    """gitpython, imported lazily (it costs startup time the warm path must not pay). Its import
    itself fails when no git executable exists; that is a GitError like any other."""
    # Without this, gitpython's import raises ImportError when git is not installed.
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git
    except ImportError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    return git


def run_git(cwd: Path, args: Sequence[str]) -> str:
    """Run one short git command to completion and return its stdout, decoded as UTF-8.

    A plain subprocess: discovery runs one on every check, and importing gitpython would cost
    the pre-commit hook a tenth of its time. The streamed `git log` goes through gitpython."""
    try:
        done = subprocess.run(
            git_argv(args), cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL, capture_output=True, check=False
        )
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        stderr = " ".join(done.stderr.decode("utf-8", "replace").split())
        raise GitError(f"`git {' '.join(args[:2])}` failed: {stderr or f'exit status {done.returncode}'}")
    return done.stdout.decode("utf-8", errors="surrogateescape")


def stream_git(cwd: Path, args: Sequence[str]) -> Iterator[bytes]:
    """Run one git command and yield its stdout line by line as it arrives (bytes, with the newline)."""
    git = _gitpython()

    try:
        proc = git.Git(str(cwd)).execute(git_argv(args), env=_environment(), as_process=True)
    except (git.GitCommandNotFound, OSError) as exc:
        raise GitError(f"git could not be run: {exc}") from None
    assert proc.proc is not None and proc.proc.stdout is not None
    stdout = proc.proc.stdout
    yield from stdout
    try:
        proc.wait()
    except git.GitCommandError as exc:
        raise GitError(f"`git {' '.join(args[:2])}` failed: {_stderr(exc)}") from None


def _stderr(exc: Exception) -> str:
    """What git printed on stderr, without gitpython's `stderr: '...'` wrapping."""
    text = getattr(exc, "stderr", None)
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text or ""
    text = text.strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:"):].strip()
    return " ".join(text.strip("'").split()) or str(exc)


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
    try:
        for oid in object_ids:
            header = proc.stdout.readline().rstrip(b"\n").split(b" ")
            if len(header) != 3:
                raise GitError(f"git cat-file could not read object {oid}")
            content = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)
            yield oid, content
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()
