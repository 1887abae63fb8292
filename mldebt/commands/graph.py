"""`mldebt graph`: the data/feature/model graph, exported as JSON, DOT or GraphML."""

from __future__ import annotations

from pathlib import Path

import click

from mldebt.commands import EXIT_CLEAN, reporting_errors
from mldebt.engine import CheckOptions, analyse
from mldebt.report.output import write_report


def run_graph(start: Path, fmt: str, output: Path | None, options: CheckOptions) -> int:
    """Export the graph of the repository containing ``start``; its size goes to stderr."""
    from mldebt.graph.export import export

    def export_graph() -> int:
        analysis = analyse(start, options)
        graph = analysis.graph.graph
        write_report(export(graph, fmt), output, analysis.root)
        click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)
        return EXIT_CLEAN

    return reporting_errors(export_graph)
