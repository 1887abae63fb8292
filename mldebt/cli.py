"""Command line: parse the flags and call the command (mldebt.commands) that does the work.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error (a crash
included: CI must never take one for findings), 141 when stdout is closed early (`| head`),
as for a program SIGPIPE ends. stdout carries results; stderr carries progress, notes and
the summary.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from mldebt import __version__
from mldebt.commands import EXIT_ERROR, error
from mldebt.engine import CheckOptions
from mldebt.rules import all_rules

# What a shell reports for a program SIGPIPE killed (128 + 13).
EXIT_BROKEN_PIPE = 141


def _codes(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """Rule codes or prefixes from --select/--ignore; a typo is an error, as in the config file."""
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    known = {rule.code for rule in all_rules()}
    bad = [c for c in codes if c != "ALL" and not any(code.startswith(c) for code in known)]
    if bad:
        sys.exit(error(f"{option}: {', '.join(bad)} matches no rule (`mldebt rules` lists them)"))
    return codes


def _revision(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    # An empty REF, as an unset CI variable gives (`--new-since "$BASE"`), would otherwise
    # switch the filter off and report every finding as new.
    if value is not None and not value.strip():
        raise click.BadParameter("REF is empty; give a branch, tag or commit")
    return value


_DEBUG = "mldebt.debug"


def _remember_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # Kept in meta, which every context of the run shares, for the entry point to see.
    ctx.meta[_DEBUG] = value


def _debugging() -> bool:
    return bool(click.get_current_context().meta.get(_DEBUG, False))


_debug_option = click.option(
    "--debug", is_flag=True, envvar="MLDEBT_DEBUG", expose_value=False, callback=_remember_debug,
    help="Show the traceback of an internal error (also MLDEBT_DEBUG=1).",
)


class _Main(click.Group):
    """The entry point: whatever a command raises ends the run with exit status 2, never the 1
    of findings, with one line on stderr; with --debug, with the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # stdout now leads to /dev/null, so that flushing it at exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:
            if ctx.meta.get(_DEBUG, False):
                traceback.print_exc()
            else:
                message = " ".join(str(exc).split())
                click.echo(f"mldebt: internal error: {type(exc).__name__}: {message} "
                           "(run with --debug for the traceback)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mldebt")
def main() -> None:
    """mldebt: find the technical debt of an ML repository, statically.

    Start with `mldebt demo`, then run `mldebt check` in your repository.

    Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error.

    In a repository you do not trust, run the `mldebt` command (or `python -P -m mldebt`):
    `python -m` imports modules from the current directory before mldebt starts.
    """


_common = [
    click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml to read [tool.mldebt] from."),
    click.option("--no-cache", is_flag=True, help="Analyse every file again; do not read or write the cache."),
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="This repository's cache directory (default: $MLDEBT_CACHE_DIR, else one under "
                      "~/.cache/mldebt/, outside the repository)."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes for parsing (default: all cores)."),
    _debug_option,
]


def _with_common(func):  # type: ignore[no-untyped-def]
    for option in reversed(_common):
        func = option(func)
    return func


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="text (like ruff), json, sarif (GitHub code scanning) or github (workflow annotations).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write results to this file instead of stdout.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not in this baseline (default: `baseline` in [tool.mldebt]).")
@click.option("--no-baseline", is_flag=True, help="Ignore the configured baseline.")
@click.option("--update-baseline", is_flag=True, help="Remove fixed findings from the baseline (it never grows).")
@click.option("--fail-on-increase", is_flag=True, help="Exit 1 when the debt score is above the baseline's.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated), replacing the configured ones.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip (comma-separated), added to the configured ones.")
@click.option("--new-since", metavar="REF", callback=_revision,
              help="Report only findings that revision REF (a branch, tag or commit) did not have.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Show the number of findings per rule instead of the findings.")
@click.option("--preview", is_flag=True, help="Also run preview rules (their findings never enter baselines or the debt score).")
@click.option("--fix", is_flag=True, help="Apply the fixes of the findings reported, then report what is left.")
@click.option("--diff", is_flag=True, help="Print what --fix would change, as a unified diff, and write nothing.")
@_with_common
def check_command(paths: tuple[Path, ...], fmt: str, output: Path | None, baseline: Path | None, no_baseline: bool,
                  update_baseline: bool, fail_on_increase: bool, select: tuple[str, ...],
                  ignore: tuple[str, ...], new_since: str | None, exit_zero: bool, statistics: bool, preview: bool,
                  fix: bool, diff: bool, config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Check the repository containing PATHS (default: the current directory).

    The whole repository is analysed; PATHS only restrict where findings are reported.
    """
    from mldebt.commands.check import run_check

    options = CheckOptions(
        paths=paths, config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir,
        select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"), debug=_debugging(), new_since=new_since,
        baseline=baseline, use_baseline=not no_baseline, preview=preview,
    )
    start = paths[0] if paths else Path.cwd()
    sys.exit(run_check(start, options, fmt, output, exit_zero, statistics, update_baseline, fail_on_increase, fix, diff))


@main.command("baseline")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: `baseline` in [tool.mldebt], else .mldebt-baseline.json at the root).")
@_with_common
def baseline_command(path: Path | None, output: Path | None, config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Record the current findings of the repository containing PATH as accepted debt."""
    from mldebt.commands.baseline import run_baseline

    options = CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir, use_baseline=False,
                           debug=_debugging())
    sys.exit(run_baseline(path or Path.cwd(), output, options))


@main.command("demo")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_debug_option
def demo_command(directory: Path | None, fmt: str) -> None:
    """Write the bundled example ML repository (with its git history) and check it.

    DIRECTORY must be new or empty; by default a temporary directory is used.
    """
    from mldebt.commands.demo import run_demo

    sys.exit(run_demo(directory, fmt, _debugging()))


@main.command("graph")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "dot", "graphml"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the graph to this file.")
@_with_common
def graph_command(path: Path | None, fmt: str, output: Path | None, config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Export the data/feature/model graph of the repository containing PATH."""
    from mldebt.commands.graph import run_graph

    options = CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir)
    sys.exit(run_graph(path or Path.cwd(), fmt, output, options))


@main.command("accesses")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dynamic", is_flag=True, help="Only the accesses whose target is not known statically.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the list to this file.")
@_with_common
def accesses_command(paths: tuple[Path, ...], dynamic: bool, fmt: str, output: Path | None, config: Path | None,
                     no_cache: bool, jobs: int | None, cache_dir: Path | None) -> None:
    """List the data reads and writes in PATHS (default: the whole repository), each with its
    resolved target and the manifest that declares it."""
    from mldebt.commands.accesses import run_accesses

    options = CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir)
    sys.exit(run_accesses(paths, dynamic, fmt, output, options))


@main.command("impact")
@click.argument("targets", nargs=-1)
@click.option("--repository", "-C", "repository", type=click.Path(path_type=Path),
              help="The repository (default: the one containing the current directory).")
@click.option("--upstream", is_flag=True, help="What the targets depend on, instead of what they reach.")
@click.option("--new-since", "new_since", metavar="REF", callback=_revision,
              help="Also everything changed since the merge base of REF (the work tree included).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the answer to this file.")
@_with_common
def impact_command(targets: tuple[str, ...], repository: Path | None, upstream: bool, new_since: str | None, fmt: str,
                   output: Path | None, config: Path | None, no_cache: bool, jobs: int | None,
                   cache_dir: Path | None) -> None:
    """What changing TARGETS reaches: the models, pipelines, datasets, features and files
    downstream, each with the path that links it, and the owners of each pipeline reached. A
    target is a file, a folder, a module, a dataset path or URI, a Kedro catalog name, a
    pipeline or a column."""
    from mldebt.commands.impact import run_impact

    options = CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir)
    sys.exit(run_impact(targets, repository or Path.cwd(), fmt, output, upstream, new_since, options))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule."""
    from mldebt.commands.explain import run_rules

    sys.exit(run_rules(fmt))


@main.command("explain")
@click.argument("rule")
def explain_command(rule: str) -> None:
    """Show the documentation of RULE (a code like MLD101 or a name)."""
    from mldebt.commands.explain import run_explain

    sys.exit(run_explain(rule))


@main.command("ownership")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge activity as of this date (default: the HEAD commit's date).")
@click.option("--identities", is_flag=True, help="Print who is who instead: merged identities, bots, machines, and why.")
@_with_common
def ownership_command(path: Path | None, fmt: str, output: Path | None, as_of: str | None, identities: bool,
                      config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Who knows the code of the repository containing PATH, who of them is still around, and
    which complex pipelines nobody owns."""
    from mldebt.commands.ownership import run_ownership

    sys.exit(run_ownership(path or Path.cwd(), fmt, output, as_of, not no_cache, config=config, jobs=jobs,
                          cache_dir=cache_dir, identities=identities))


@main.command("coupling")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option("--min-revs", type=click.IntRange(min=0), help="Least average revisions of a pair (default 5).")
@click.option("--min-shared-revs", type=click.IntRange(min=0), help="Least commits changing both files (default 5).")
@click.option("--min-coupling", type=click.IntRange(0, 100), help="Least degree of coupling, percent (default 30).")
@click.option("--max-coupling", type=click.IntRange(0, 100), help="Greatest degree of coupling, percent (default 100).")
@click.option("--max-changeset-size", type=click.IntRange(min=1),
              help="Commits changing more files count for no coupling (default 30).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml to read [tool.mldebt] from.")
@click.option("--no-cache", is_flag=True, help="Mine the history again; do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="This repository's cache directory (as for check).")
@_debug_option
def coupling_command(path: Path | None, fmt: str, output: Path | None, min_revs: int | None,
                     min_shared_revs: int | None, min_coupling: int | None, max_coupling: int | None,
                     max_changeset_size: int | None, config: Path | None, no_cache: bool,
                     cache_dir: Path | None) -> None:
    """Files of the repository containing PATH that keep changing in the same commits, as
    code-maat's coupling analysis measures it; thresholds default to [tool.mldebt.history], then
    code-maat's."""
    from mldebt.commands.coupling import Thresholds, run_coupling

    thresholds = Thresholds(min_revs, min_shared_revs, min_coupling, max_coupling, max_changeset_size)
    sys.exit(run_coupling(path or Path.cwd(), fmt, output, thresholds, not no_cache, config=config,
                          cache_dir=cache_dir))
