"""Command line: parse flags, call the engine, choose a renderer, set the exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error (a crash
included: CI must never take one for findings), 141 when stdout is closed early (`| head`),
as for a program SIGPIPE ends. stdout carries results; stderr carries progress, notes and
the summary.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import click

from mldebt import __version__
from mldebt.baseline import BaselineError, build_baseline, dump_baseline, shrink
from mldebt.config import ConfigError
from mldebt.engine import CheckOptions, RevisionError, UsageError, analyse, check
from mldebt.escaping import printable_line
from mldebt.findings import RunResult
from mldebt.report.output import OutputError, write_report
from mldebt.rules import ALL_RULES, find_rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# What a shell reports for a program SIGPIPE killed (128 + 13).
EXIT_BROKEN_PIPE = 141
DEFAULT_BASELINE = ".mldebt-baseline.json"


def _fail(message: str) -> None:
    # Messages quote paths and keys of the analysed repository (mldebt.escaping).
    click.echo(printable_line(f"mldebt: error: {message}"), err=True)
    sys.exit(EXIT_ERROR)


def _codes(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """Rule codes or prefixes from --select/--ignore; a typo is an error, as in the config file."""
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    known = {rule.code for rule in ALL_RULES}
    bad = [c for c in codes if c != "ALL" and not any(code.startswith(c) for code in known)]
    if bad:
        _fail(f"{option}: {', '.join(bad)} matches no rule (`mldebt rules` lists them)")
    return codes


def _revision(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    # An empty REF, as an unset CI variable gives (`--new-since "$BASE"`), would otherwise
    # switch the filter off and report every finding as new.
    if value is not None and not value.strip():
        raise click.BadParameter("REF is empty; give a branch, tag or commit")
    return value


def _write(text: str, output: Path | None, root: Path | None = None, *, configured: bool = False) -> None:
    """Print ``text``, or write it to ``output``: inside the repository at ``root`` never through
    a symlink, and, for a path its configuration gave (``configured``), never outside it."""
    try:
        write_report(text, output, root or Path.cwd(), configured=configured)
    except OutputError as exc:
        _fail(str(exc))


FORMATS = ["text", "json", "sarif", "github"]


def _render(result: RunResult, fmt: str) -> str:
    if fmt == "json":
        from mldebt.report.json import render_json

        return render_json(result, __version__)
    if fmt == "sarif":
        from mldebt.report.sarif import render_sarif

        return render_sarif(result, [rule.meta() for rule in ALL_RULES], __version__)
    if fmt == "github":
        from mldebt.report.github import render_github

        return render_github(result)
    from mldebt.report.text import render_text

    return render_text(result)


def _run_check(paths: tuple[Path, ...], options: CheckOptions, fmt: str, output: Path | None,
               exit_zero: bool, statistics: bool, update_baseline: bool = False, fail_on_increase: bool = False) -> int:
    from mldebt.report.text import render_statistics, render_summary

    start = paths[0] if paths else Path.cwd()
    try:
        outcome = check(start, options)
    except BaselineError as exc:
        _fail(str(exc))
        return EXIT_ERROR
    except ConfigError as exc:
        click.echo(printable_line(f"mldebt: invalid configuration in {exc.source}:"), err=True)
        for problem in exc.problems:
            click.echo(printable_line(f"  - {problem}"), err=True)
        return EXIT_ERROR
    except (UsageError, RevisionError) as exc:
        _fail(str(exc))
        return EXIT_ERROR
    result, root, used = outcome.result, outcome.analysis.root, outcome.baseline
    for note in result.notes:
        click.echo(printable_line(f"mldebt: note: {note}"), err=True)
    _write(render_statistics(result) if statistics and fmt == "text" else _render(result, fmt), output, root)
    click.echo(render_summary(result), err=True, nl=False)
    if result.internal_errors:
        for error in result.internal_errors:
            # A traceback keeps its lines; an exception's text may quote the repository.
            click.echo("\n".join(map(printable_line, f"mldebt: internal error: {error}".split("\n"))), err=True)
        return EXIT_ERROR
    increased = False
    if (update_baseline or fail_on_increase) and used is None:
        _fail("--update-baseline and --fail-on-increase need a baseline (--baseline FILE or `baseline` in [tool.mldebt])")
    if used is not None:
        if update_baseline:
            shrunk = shrink(used.baseline, outcome.findings, result.summary.debt_score)
            _write(dump_baseline(shrunk, __version__), used.path, root, configured=used.configured)
            click.echo(printable_line(f"mldebt: baseline {used.path}: {len(used.baseline.entries) - len(shrunk.entries)} entries removed"), err=True)
        if fail_on_increase and result.summary.debt_score > used.baseline.debt_score:
            click.echo(f"mldebt: debt score rose from {used.baseline.debt_score:g} to {result.summary.debt_score:g}", err=True)
            increased = True
    # The ratchet is asked for explicitly, so --exit-zero does not silence it.
    if increased or (result.findings and not exit_zero):
        return EXIT_FINDINGS
    return EXIT_CLEAN


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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
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
@_with_common
def check_command(paths: tuple[Path, ...], fmt: str, output: Path | None, baseline: Path | None, no_baseline: bool,
                  update_baseline: bool, fail_on_increase: bool, select: tuple[str, ...],
                  ignore: tuple[str, ...], new_since: str | None, exit_zero: bool, statistics: bool,
                  config: Path | None, no_cache: bool, jobs: int | None, cache_dir: Path | None) -> None:
    """Check the repository containing PATHS (default: the current directory).

    The whole repository is analysed; PATHS only restrict where findings are reported.
    """
    options = CheckOptions(
        paths=paths, config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir,
        select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"), debug=_debugging(), new_since=new_since,
        baseline=baseline, use_baseline=not no_baseline,
    )
    sys.exit(_run_check(paths, options, fmt, output, exit_zero, statistics, update_baseline, fail_on_increase))


@main.command("baseline")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: `baseline` in [tool.mldebt], else .mldebt-baseline.json at the root).")
@_with_common
def baseline_command(path: Path | None, output: Path | None, config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Record the current findings of the repository containing PATH as accepted debt."""
    options = CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir, use_baseline=False,
                           debug=_debugging())
    try:
        outcome = check(path or Path.cwd(), options)
    except (ConfigError, UsageError) as exc:
        _fail(str(exc))
        return
    analysis = outcome.analysis
    target = output or Path(analysis.settings.baseline or DEFAULT_BASELINE)
    _write(dump_baseline(build_baseline(outcome.findings, outcome.result.summary.debt_score), __version__), target,
           analysis.root, configured=output is None)
    click.echo(printable_line(f"mldebt: wrote {len(outcome.findings)} findings to {target}"), err=True)


@main.command("demo")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_debug_option
def demo_command(directory: Path | None, fmt: str) -> None:
    """Write the bundled example ML repository (with its git history) and check it.

    DIRECTORY must be new or empty; by default a temporary directory is used.
    """
    from mldebt.demo.write import write_demo

    target = directory or Path(tempfile.mkdtemp(prefix="mldebt-demo-")) / "churn-model"
    try:
        write_demo(target)
    except FileExistsError:
        _fail(f"{target} is not empty; give a new directory")
    except OSError as exc:
        _fail(f"cannot write the demo to {target}: {exc}")
    click.echo(f"mldebt: wrote the demo repository to {target}", err=True)
    click.echo("mldebt: running `mldebt check` in it\n", err=True)
    options = CheckOptions(paths=(target,), debug=_debugging())
    code = _run_check((target,), options, fmt, None, exit_zero=True, statistics=False)
    click.echo(f"\nmldebt: next, try `cd {target}` and `mldebt ownership`, `mldebt explain MLD101` or `mldebt graph --format dot`", err=True)
    sys.exit(code)


@main.command("graph")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "dot", "graphml"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the graph to this file.")
@_with_common
def graph_command(path: Path | None, fmt: str, output: Path | None, config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Export the data/feature/model graph of the repository containing PATH."""
    from mldebt.graph.export import export

    try:
        analysis = analyse(path or Path.cwd(), CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir))
    except (ConfigError, UsageError) as exc:
        _fail(str(exc))
        return
    graph = analysis.graph.graph
    _write(export(graph, fmt), output, analysis.root)
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)


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
    from mldebt.inventory import accesses_of, render_accesses

    try:
        analysis = analyse(paths[0] if paths else Path.cwd(), CheckOptions(config=config, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir))
        found = accesses_of(analysis, paths, dynamic)
    except ConfigError as exc:
        _fail(f"invalid configuration in {exc.source}: {'; '.join(exc.problems)}")
        return
    except UsageError as exc:
        _fail(str(exc))
        return
    _write(render_accesses(analysis, found, fmt), output, analysis.root)
    click.echo(f"{len(found)} data access{'es' if len(found) != 1 else ''}", err=True)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule."""
    if fmt == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "category": r.category.value, "severity": r.severity.value,
             "summary": r.summary()}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for rule in ALL_RULES:
        click.echo(f"{rule.code}  {rule.name:<30} {rule.category.value:<28} {rule.summary()}")


@main.command("explain")
@click.argument("rule")
def explain_command(rule: str) -> None:
    """Show the documentation of RULE (a code like MLD101 or a name)."""
    found = find_rule(rule)
    if found is None:
        _fail(f"unknown rule {rule!r}; `mldebt rules` lists them")
        return
    click.echo(f"# {found.name} ({found.code})\n\nCategory: {found.category.value}; default severity: "
               f"{found.severity.value}\n\n{found.docs()}")


@main.command("ownership")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge activity as of this date (default: the HEAD commit's date).")
@_with_common
def ownership_command(path: Path | None, fmt: str, output: Path | None, as_of: str | None,
                      config: Path | None, no_cache: bool, jobs: int | None,
                  cache_dir: Path | None) -> None:
    """Who knows the code of the repository containing PATH, who of them is still around, and
    which complex pipelines nobody owns."""
    from mldebt.ownership.command import run_ownership

    sys.exit(run_ownership(path or Path.cwd(), fmt, output, as_of, not no_cache, config=config, jobs=jobs,
                          cache_dir=cache_dir))
