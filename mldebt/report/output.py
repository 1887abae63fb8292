"""Where a rendered report goes: stdout, or the file given with --output."""

from __future__ import annotations

from pathlib import Path

import click

from mldebt.safefile import write_checked


class OutputError(Exception):
    """The report could not be written; the message says where and why."""


def write_report(text: str, output: Path | None, root: Path, *, configured: bool = False) -> None:
    """Write ``text`` to ``output``, or to stdout, flushed now: a full disk is then reported by
    the command (exit 2), not lost in a traceback at interpreter exit. A closed pipe (`| head`)
    raises BrokenPipeError: the reader stopped reading, and the entry point ends quietly.

    Inside the repository at ``root`` a file is never written through a symlink, and one the
    repository's configuration names (``configured``) never outside it (mldebt.safefile)."""
    try:
        if output is None:
            click.echo(text, nl=False)
        else:
            write_checked(root, output, text, configured=configured)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {output or 'to stdout'}: {exc.strerror or exc}") from None
