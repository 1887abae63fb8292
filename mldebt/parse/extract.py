"""Fact extraction from one parsed module: the semantic model and the collectors ride one
read-only walk (``mldebt.parse.walk``), without metadata providers.

Each collector is one concern, in its own module under ``mldebt.parse.collectors``; the
semantic model (``mldebt.parse.semantic``) is what they share. A visitor of the walk that
reports on nodes, such as a file rule, is one more entry after them in the visitors that
``extract`` walks with: it sees the model as the collectors do, at no extra traversal. Positions come from
``mldebt.parse.positions``, only for the nodes kept, once the walk is over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import libcst as cst

from mldebt.catalogs import Catalog
from mldebt.catalogs.models import ModelCatalog
from mldebt.parse.collectors.arguments import ArgumentCollector
from mldebt.parse.collectors.columns import ColumnCollector
from mldebt.parse.collectors.data_access import DataAccessCollector
from mldebt.parse.collectors.dataflow import DataflowCollector
from mldebt.parse.collectors.definitions import DefinitionCollector
from mldebt.parse.collectors.models import ModelCollector
from mldebt.parse.collectors.parameters import ParameterCollector
from mldebt.parse.collectors.pipelines import PipelineCollector
from mldebt.parse.collectors.schema import SchemaCollector
from mldebt.parse.collectors.settings import SettingsCollector
from mldebt.parse.facts import FileFacts, FileFinding, RuleCrash, Span
from mldebt.parse.fixes import Report, Reporter
from mldebt.parse.positions import AstView, Places, cst_positions, node_spans
from mldebt.parse.semantic import SemanticModel
from mldebt.parse.walk import walk


# A file rule as the walk takes it: made for one file, from the file's semantic model.
RuleFactory = Callable[[SemanticModel], Reporter]


def extract(
    tree: cst.Module,
    source: str,
    file: FileFacts,
    catalog: Catalog,
    models: ModelCatalog,
    view: AstView | None,
    rules: Sequence[RuleFactory] = (),
) -> tuple[FileFacts, list[tuple[Report, Span]]]:
    """``file`` (its path, digest, problems and lines already known) with the facts of its
    ``tree``, parsed from ``source``, and the findings of ``rules``; and those rules' reports,
    placed, for a caller that applies their fixes. ``view`` is ast's view of the same source,
    when CPython parsed it. Raises RecursionError for a tree nested too deeply to walk."""
    semantic = SemanticModel(file.module, file.path, file.path.endswith("__init__.py"))
    arguments = ArgumentCollector(semantic)
    parameters = ParameterCollector(semantic)
    definitions = DefinitionCollector(semantic)
    data = DataAccessCollector(semantic, catalog, models)
    columns = ColumnCollector(semantic)
    dataflow = DataflowCollector(
        semantic, catalog.columns, models, module_level_only=not catalog.columns.may_train(source)
    )
    model_uses = ModelCollector(semantic, models)
    pipelines = PipelineCollector(semantic, catalog, models)
    settings = SettingsCollector(semantic)
    schema = SchemaCollector(semantic)
    # The model first: it enters each scope before, and leaves it after, the others. The
    # arguments collector comes before every collector that asks a value of an `args.x`. File
    # rules come last, so that they see each node as every collector has seen it.
    reporters = [rule(semantic) for rule in rules]
    walk(tree, (
        semantic, arguments, parameters, definitions, data, columns, dataflow, model_uses, pipelines, settings, schema,
        *reporters,
    ))
    runs_own_code = parameters.runs_own_code
    if file.path.endswith(".ipynb") or parameters.has_main or runs_own_code:
        # A script or notebook: its own calls are all the calls its functions get.
        parameters.bind()
    if view is not None and len(view.calls) == semantic.call_count and len(view.defs) == semantic.def_count:
        places = Places(view.calls, view.defs)
    else:
        places = Places(*cst_positions(tree))
    reports = [report for reporter in reporters if reporter.crash is None for report in reporter.reports]
    placed = list(zip(reports, node_spans(tree, [r.node for r in reports]))) if reports else []
    return dataclasses.replace(
        file,
        accesses=tuple(data.accesses(places)),
        forwards=tuple(data.forwards()),
        calls=tuple(data.calls(places)),
        imports=tuple(semantic.imports),
        constants=semantic.constants(),
        definitions=definitions.definitions(places),
        models=model_uses.uses(places),
        columns=columns.columns(),
        settings=settings.constants(),
        settings_read=settings.referenced(),
        tables=schema.tables(places),
        column_lists=dataflow.column_lists(),
        model_inputs=dataflow.model_inputs(places),
        pipelines=pipelines.pipelines(places),
        has_main=parameters.has_main,
        runs_own_code=runs_own_code,
        findings=tuple(FileFinding(r.code, r.message, span, r.fix is not None) for r, span in placed),
        crashes=tuple(RuleCrash(r.code, r.crash) for r in reporters if r.crash is not None),
    ), placed
