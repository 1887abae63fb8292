"""`mldebt demo`: write the bundled example ML repository, with its git history, and check it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from mldebt.commands import error
from mldebt.commands.check import run_check
from mldebt.engine import CheckOptions


def run_demo(directory: Path | None, fmt: str, debug: bool) -> int:
    """Check the demo written to ``directory`` (new or empty; default: a temporary one)."""
    from mldebt.demo.write import write_demo

    target = directory or Path(tempfile.mkdtemp(prefix="mldebt-demo-")) / "churn-model"
    try:
        write_demo(target)
    except FileExistsError:
        return error(f"{target} is not empty; give a new directory")
    except OSError as exc:
        return error(f"cannot write the demo to {target}: {exc}")
    click.echo(f"mldebt: wrote the demo repository to {target}", err=True)
    click.echo("mldebt: running `mldebt check` in it\n", err=True)
    code = run_check(target, CheckOptions(paths=(target,), debug=debug), fmt, None, exit_zero=True, statistics=False)
    click.echo(f"\nmldebt: next, try `cd {target}` and `mldebt ownership`, `mldebt explain MLD101` or `mldebt graph --format dot`", err=True)
    return code
