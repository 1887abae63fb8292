"""What the manifests declare, and the index that answers "is this target declared?"."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from mldebt.declarations.patterns import ancestors, compile_glob, is_glob
from mldebt.targets import Target, TargetKind


@dataclass(frozen=True)
class Declaration:
    """One path, URI, table or glob that a manifest declares as data.

    ``role`` is one of input, output, params, metrics, plots, dataset; ``origin`` is dvc,
    kedro, pyproject, or schema (a table the repository's own database schema defines, in
    its code); ``owner`` is the DVC stage or Kedro dataset that declares it.
    """

    pattern: str
    kind: TargetKind
    role: str
    origin: str
    source: str
    line: int
    owner: str


@dataclass(frozen=True)
class DeclaredPipeline:
    """A pipeline step a manifest defines (a DVC stage), with the data it declares."""

    name: str
    kind: str
    source: str
    line: int
    command: str
    entry: str | None
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    # What the entry script receives as sys.argv[1:], and the directory the command runs it in.
    argv: tuple[str, ...] = ()
    cwd: str = ""
    # The parameter keys it declares (`params: [train.lr]`), by their dotted names.
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsoleScript:
    """A command the project installs (`[project.scripts]`, setup.py `console_scripts`): its
    name, the repository module it runs, and where it is declared."""

    name: str
    entry: str
    source: str
    line: int


@dataclass(frozen=True)
class ManifestError:
    """A manifest that could not be read, parsed or understood, with where the problem is."""

    path: str
    line: int
    column: int
    message: str


class _Index:
    """Exact values and directories are dictionary look-ups; only globs are scanned."""

    def __init__(self, declarations: tuple[Declaration, ...]) -> None:
        self.exact: dict[tuple[TargetKind, str], Declaration] = {}
        # Tables by their last name part, for code and manifests that qualify them differently.
        self.tables: dict[str, list[Declaration]] = {}
        self.globs: dict[TargetKind, list[tuple[re.Pattern[str], Declaration]]] = {}
        # Each directory above a declared path, with the first declaration inside it.
        self.holding: dict[str, Declaration] = {}
        for declaration in declarations:
            kind, pattern = declaration.kind, declaration.pattern
            if is_glob(pattern, kind):
                self.globs.setdefault(kind, []).append((compile_glob(pattern, kind), declaration))
                continue
            self.exact.setdefault((kind, pattern), declaration)
            if kind is TargetKind.PATH:
                for directory in ancestors(pattern, kind):
                    self.holding.setdefault(directory, declaration)
            if kind is TargetKind.TABLE:
                self.tables.setdefault(_table_name(pattern), []).append(declaration)

    def covering(self, target: Target) -> Declaration | None:
        kind, value = target.kind, target.value
        found = self.exact.get((kind, value))
        if found is not None:
            return found
        if kind is TargetKind.TABLE:
            found = self._table_covering(value)
        elif kind is TargetKind.PATH or kind is TargetKind.URI:
            found = next(
                (
                    self.exact[(kind, directory)]
                    for directory in ancestors(value, kind)
                    if (kind, directory) in self.exact
                ),
                None,
            )
        if found is not None:
            return found
        found = next((d for regex, d in self.globs.get(kind, ()) if regex.fullmatch(value)), None)
        if found is None and kind is TargetKind.PATH and "." not in posixpath.basename(value):
            # A directory the manifest declares the files of (DVC's `plots: [eval/cm.png]` for
            # the `eval` that DVCLive writes): what lies in it is declared.
            found = self.holding.get(value)
        return found

    def _table_covering(self, value: str) -> Declaration | None:
        # `events` and `analytics.events` name the same table when either side leaves the
        # schema to the connection's default; two different schemas do not.
        qualified = "." in value.removeprefix("table:")
        for declaration in self.tables.get(_table_name(value), ()):
            if not qualified or "." not in declaration.pattern.removeprefix("table:"):
                return declaration
        return None


def _table_name(pattern: str) -> str:
    return pattern.rsplit(".", 1)[-1].removeprefix("table:")


@dataclass(frozen=True)
class Declarations:
    """Everything the repository's manifests declare, the pipelines they define, the
    manifests that could not be understood, and the files that were read to find out."""

    declarations: tuple[Declaration, ...] = ()
    pipelines: tuple[DeclaredPipeline, ...] = ()
    errors: tuple[ManifestError, ...] = ()
    read: tuple[str, ...] = ()
    # Scripts that a README runs from their own folder (mldebt.declarations.readme).
    folder_runs: tuple[str, ...] = ()
    console_scripts: tuple[ConsoleScript, ...] = ()
    _index: _Index = field(init=False, repr=False, compare=False, hash=False)
    _shared: _Index = field(init=False, repr=False, compare=False, hash=False)
    _stages: dict[tuple[str, str], _Index] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self.declarations))
        stages: dict[tuple[str, str], list[Declaration]] = {}
        shared: list[Declaration] = []
        for declaration in self.declarations:
            # A DVC stage's own deps, outs, params, metrics and plots.
            if declaration.origin == "dvc" and declaration.owner:
                stages.setdefault((declaration.source, declaration.owner), []).append(declaration)
            else:
                shared.append(declaration)
        object.__setattr__(self, "_shared", _Index(tuple(shared)))
        object.__setattr__(self, "_stages", {key: _Index(tuple(found)) for key, found in stages.items()})

    def adding(self, declarations: tuple[Declaration, ...]) -> Declarations:
        """These declarations and ``declarations`` besides."""
        return replace(self, declarations=self.declarations + declarations) if declarations else self

    def covering(self, target: Target, stages: Iterable[tuple[str, str]] | None = None) -> Declaration | None:
        """The declaration that covers ``target``, or None; a dynamic target is never covered.

        The most specific one wins: an exact match, else the nearest declared directory that
        contains the target, else the first glob (in manifest order) that matches it.

        With ``stages`` ((dvc.yaml, stage name) pairs: the stages that run the code asking),
        only those stages' own deps, outs and params count, besides what no stage owns (.dvc
        files, Kedro catalogs, [tool.mldebt.data]): DVC reruns a stage when its own
        dependencies change, not when another stage's do.
        """
        if target.kind is TargetKind.DYNAMIC:
            return None
        if stages is None:
            return self._index.covering(target)
        found = self._shared.covering(target)
        for key in stages:
            index = self._stages.get(key)
            if found is None and index is not None:
                found = index.covering(target)
        return found

    @property
    def manifests(self) -> tuple[str, ...]:
        """Every repository file that was read: manifests and the params or globals files
        their interpolations used."""
        return self.read
