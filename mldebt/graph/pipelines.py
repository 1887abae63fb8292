"""Which code is a pipeline: something that runs as a unit (a DVC stage, a Kedro pipeline, an
Airflow DAG, a console script, an entry script or a notebook), with every repository module it
imports."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.graph.model import ImportLink, Pipeline, stage_id
from mldebt.parse.facts import FLOW_KINDS, STEP_KINDS, FileFacts

Links = Mapping[str, Sequence[ImportLink]]


def _closure(entry: str, links: Links) -> tuple[str, ...]:
    """The entry and the repository modules running it imports. An import inside a function
    runs only with that function: it is followed in the entry, in a module imported whole, and
    in the functions and classes the pipeline imports by name (`from utils import export`
    follows what export imports; `from utils import seed` does not). A helper that such a
    function calls in its own module is not followed that way: what it imports is missed."""
    # Each module reached, with the names of it that the pipeline takes (None: all of it).
    taken: dict[str, set[str] | None] = {entry: None}
    stack = [entry]
    while stack:
        path = stack.pop()
        names = taken[path]
        for link in links.get(path, ()):
            if link.scope and names is not None and link.scope.partition(".")[0] not in names:
                continue
            before = taken.get(link.target, set())
            after = None if before is None or not link.name else {*before, link.name}
            if link.target not in taken or after != before:
                taken[link.target] = after
                stack.append(link.target)
    return tuple(sorted(taken))


def find_pipelines(facts: Mapping[str, FileFacts], declarations: Declarations, links: Links) -> list[Pipeline]:
    pipelines: list[Pipeline] = []
    stage_entries: set[str] = set()
    tests = {path for path, file in facts.items() if is_test_module(path, file)}
    # A module only tests import is still nobody's library: `tests/test_predict.py` importing
    # `predict.py` does not stop that script from being a pipeline.
    imported = {link.target for importer, targets in links.items() if importer not in tests for link in targets}
    for stage in declarations.pipelines:
        entry = stage.entry if stage.entry in facts else None
        if entry:
            stage_entries.add(entry)
        pipelines.append(
            Pipeline(
                id=stage_id(stage.source, stage.name),
                kind=stage.kind,
                name=stage.name,
                entry=entry,
                source=stage.source,
                line=stage.line,
                files=_closure(entry, links) if entry else (),
                declared=tuple(stage.inputs) + tuple(stage.outputs),
            )
        )
    # A console script the project installs is a pipeline of its own, declared where it is named,
    # unless a stage runs it (that stage is the pipeline); it stands for its module's script.
    scripts: set[str] = set()
    for script in declarations.console_scripts:
        if script.entry in facts and script.entry not in stage_entries | scripts | tests:
            scripts.add(script.entry)
            pipelines.append(
                Pipeline(
                    f"console-script:{script.source}:{script.name}", "console-script", script.name, script.entry,
                    script.source, script.line, _closure(script.entry, links),
                )
            )
    not_scripts = stage_entries | scripts | tests
    for path, file in sorted(facts.items()):
        kedro_seen = _is_kedro_registry(file)
        for definition in file.pipelines:
            if definition.kind in STEP_KINDS:
                continue
            if definition.kind == "kedro-pipeline":
                # One per module: its `pipeline(...)` calls, namespaced wrappers included, build
                # the one pipeline that `create_pipeline` returns.
                if kedro_seen:
                    continue
                kedro_seen = True
                parts = path.split("/")
                name = parts[-2] if len(parts) >= 2 and parts[-1] == "pipeline.py" else definition.name
            else:
                name = definition.name or path
            pipelines.append(
                Pipeline(
                    id=f"{definition.kind}:{path}:{name}",
                    kind=definition.kind,
                    name=name,
                    entry=path,
                    source=path,
                    line=definition.span.line,
                    files=_closure(path, links),
                )
            )
        if path in not_scripts or any(d.kind in FLOW_KINDS for d in file.pipelines):
            continue
        if path.endswith(".ipynb"):
            pipelines.append(Pipeline(f"notebook:{path}", "notebook", path, path, path, 1, _closure(path, links)))
        elif _runs_as_main(path, file, path in imported, facts, links) or (
            path not in imported and _runs_at_top_level(path, file)
        ):
            pipelines.append(Pipeline(f"script:{path}", "script", path, path, path, 1, _closure(path, links)))
    return _fold_launchers(pipelines, facts, links)


def _fold_launchers(pipelines: Sequence[Pipeline], facts: Mapping[str, FileFacts], links: Links) -> list[Pipeline]:
    """A thin launcher and the pipeline it launches are one pipeline. A launcher is an entry
    that does no work of its own (`_is_thin_launcher`) and imports the entry of exactly one other
    pipeline: `run/train/train.py` calling `train/train.py`'s `main()`, for a cluster submitter.
    A launcher script is folded into what it launches: its files join that pipeline's, and it is
    one of its `launchers`. A DVC stage whose command runs a launcher already holds what it
    launches, whose scripts are then no pipelines of their own. Chains of launchers fold to
    their end. A launcher's ownership is its pipeline's: mldebt.ownership judges the code
    launched, not the launchers."""
    by_entry: dict[str, list[Pipeline]] = {}
    for pipeline in pipelines:
        if pipeline.entry:
            by_entry.setdefault(pipeline.entry, []).append(pipeline)
    launches: dict[str, str] = {}
    for entry in by_entry:
        targets = sorted({link.target for link in links.get(entry, ()) if link.target in by_entry and link.target != entry})
        if len(targets) == 1 and entry in facts and _is_thin_launcher(facts[entry]):
            launches[entry] = targets[0]

    def scripts_only(entry: str) -> bool:
        return all(p.kind == "script" for p in by_entry[entry])

    dropped: set[str] = set()
    added: dict[str, set[str]] = {}  # pipeline id -> the launchers' files
    launched_by: dict[str, set[str]] = {}  # pipeline id -> its launchers
    for launcher, target in launches.items():
        seen = {launcher}
        # A launcher of a launcher script launches what the last one does.
        while target in launches and scripts_only(target) and target not in seen:
            seen.add(target)
            target = launches[target]
        if target in seen:
            continue  # launchers that launch each other: nothing to fold into
        if scripts_only(launcher):
            dropped.update(p.id for p in by_entry[launcher])
            for pipeline in by_entry[target]:
                added.setdefault(pipeline.id, set()).update(by_entry[launcher][0].files)
                launched_by.setdefault(pipeline.id, set()).update(seen)
        elif scripts_only(target):
            dropped.update(p.id for p in by_entry[target])
            for pipeline in by_entry[launcher]:
                launched_by.setdefault(pipeline.id, set()).update(seen)
    return [
        dataclasses.replace(
            p, files=tuple(sorted({*p.files, *added.get(p.id, ())})), launchers=tuple(sorted(launched_by[p.id]))
        )
        if p.id in launched_by
        else p
        for p in pipelines
        if p.id not in dropped
    ]


def _is_thin_launcher(file: FileFacts) -> bool:
    """Whether the module only starts code it imports: it reads and writes no data, builds or
    trains no model, names no column, and defines no class and no pipeline of its own."""
    return not (
        file.accesses
        or file.models
        or file.columns
        or file.pipelines
        or any(definition.kind == "class" for definition in file.definitions)
    )


_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$")
# The frameworks whose import, in a module that is not a test, makes its `__main__` guard a
# self-test (`doctest.testmod()`, `unittest.main()`, `pytest.main([__file__])`).
_SELF_TEST = frozenset({"doctest", "unittest", "pytest"})
# The functions Kedro calls to collect a project's pipelines: `register_pipelines` (0.17 and
# later, in pipeline_registry.py or a hooks class) and `create_pipelines` (0.16's pipeline.py).
_KEDRO_REGISTRIES = frozenset({"register_pipelines", "create_pipelines"})


def is_test_module(path: str, file: FileFacts) -> bool:
    """A unit-test module is never a pipeline, even when it calls training code: a file pytest
    collects by its default names (`test_*.py`, `*_test.py`, `conftest.py`), any module under a
    `tests/` directory (helpers and fixture builders of the suite), or one defining a
    `TestCase` class (unittest, absltest, `tf.test`). `test.py` alone is not one: in ML
    repositories it is the script that evaluates on the test split."""
    if _TEST_FILE.search(path) or path.startswith("tests/") or "/tests/" in path:
        return not path.endswith(".ipynb")
    return any(
        base.rpartition(".")[2].endswith("TestCase")
        for definition in file.definitions if definition.kind == "class" for base in definition.bases
    )


# Packaging and task runners' files, and the directories of docs and site generators.
_TOOLING_FILES = frozenset({"setup.py", "noxfile.py", "conftest.py"})
_TOOLING_DIRS = ("docs/", "doc/", "website/", "site/")


def is_tooling(path: str, file: FileFacts) -> bool:
    """Code that serves the repository rather than its ML work: tests, packaging, docs and
    site generators. What it reads from the repository's own files is not a data dependency."""
    return (
        is_test_module(path, file)
        or path.rpartition("/")[2] in _TOOLING_FILES
        or path.startswith(_TOOLING_DIRS)
    )


def _is_kedro_registry(file: FileFacts) -> bool:
    """Kedro's registry (`register_pipelines`) assembles the pipelines that modular pipelines
    define, which are pipelines of their own: it is not one more, unless it defines nodes itself
    (a one-module project)."""
    built = [d for d in file.pipelines if d.kind == "kedro-pipeline"]
    return (
        bool(built)
        and all(d.name.rpartition(".")[2] in _KEDRO_REGISTRIES for d in built)
        and not any(d.kind == "kedro-node" for d in file.pipelines)
    )


def _runs_as_main(path: str, file: FileFacts, imported: bool, facts: Mapping[str, FileFacts], links: Links) -> bool:
    """Whether the module's `__main__` guard makes it a pipeline.

    A module nothing imports is an entry point by its guard alone: what it runs may lie in code
    mldebt does not see (an installed package). Not when the guard is a self-test: the module
    imports doctest, unittest or pytest. A library module (another module imports it, or it
    defines a network or model class, which the code that trains it may load by name from a
    registry or a config) is one only when running it does a pipeline's work: it, or a
    repository module it imports, reads or writes data or trains a model. A guard that builds
    a network on random input to print its shape, or demonstrates a helper on a literal, is a
    demo of the library, not a pipeline."""
    if not file.has_main or any(imp.module.partition(".")[0] in _SELF_TEST for imp in file.imports):
        return False
    if not imported and not _defines_a_model(file):
        return True
    return any(
        facts[member].accesses or any(use.kind != "construct" for use in facts[member].models)
        for member in _closure(path, links) if member in facts
    )


def _defines_a_model(file: FileFacts) -> bool:
    """Whether the module defines a model class (a torch `nn.Module`, a LightningModule, a keras
    `Model`, ...): a model library, whatever else it holds."""
    model_bases = load_models().model_bases
    return any(
        definition.kind == "class" and any(base in model_bases for base in definition.bases)
        for definition in file.definitions
    )


def _runs_at_top_level(path: str, file: FileFacts) -> bool:
    """A script without a `__main__` guard (`python train.py` with the work at module level):
    a module no other repository module imports, that reads or writes data or builds, trains
    or loads a model outside any function, or whose module-level code calls its own functions
    and does such work in them. Packages are never scripts, nor is a module with a guard:
    its guard says what running it does (see _runs_as_main)."""
    if path.endswith("__init__.py") or file.has_main:
        return False
    if file.runs_own_code:
        return bool(file.accesses or file.models)
    return any(access.scope == "" for access in file.accesses) or any(use.scope == "" for use in file.models)


