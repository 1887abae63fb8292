"""The state shared by the manifest readers: safe file access, parsed documents, and what
has been declared or found broken so far."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from mldebt.declarations.model import ConsoleScript, Declaration, Declarations, DeclaredPipeline, ManifestError
from mldebt.declarations.patterns import is_too_broad
from mldebt.declarations.yamlfile import START, Position, YamlProblem, parse_yaml
from mldebt.safefile import MiB, RefusedFile, read_inside
from mldebt.targets import Target, TargetKind
from mldebt.tomlcompat import tomllib

# Manifests are hand-written and small; a multi-megabyte one is generated data, not worth parsing.
MAX_MANIFEST_BYTES = 4 * MiB
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class Harvest:
    """Collects declarations, pipelines and errors while manifests are read.

    Files are read only if discovery listed them and only if they resolve inside ``root``, so
    a symlinked manifest cannot make mldebt read outside the repository.
    """

    def __init__(self, root: Path, files: Iterable[str]) -> None:
        self.root = root.resolve()
        self.files = frozenset(files)
        self._declarations: dict[Declaration, None] = {}
        self._pipelines: list[DeclaredPipeline] = []
        self._folder_runs: dict[str, None] = {}
        self._errors: list[ManifestError] = []
        self._read: dict[str, None] = {}
        self._documents: dict[str, Any] = {}
        # The project's console scripts by name (the first declared wins), for stage commands.
        self.scripts: dict[str, ConsoleScript] = {}

    def error(self, path: str, where: Position, message: str) -> None:
        """Record that ``path`` is broken at ``where``."""
        self._errors.append(ManifestError(path, where[0], where[1], message))

    def declare(
        self, target: Target, *, role: str, origin: str, source: str, where: Position, owner: str
    ) -> str | None:
        """Record ``target`` as declared; its normalised pattern, or None when it names nothing
        usable (dynamic, or so broad it would cover everything)."""
        if target.kind is TargetKind.DYNAMIC or is_too_broad(target.value, target.kind):
            return None
        declaration = Declaration(target.value, target.kind, role, origin, source, where[0], owner)
        self._declarations[declaration] = None
        return target.value

    def add_console_script(self, script: ConsoleScript) -> None:
        """Record a console script the project declares."""
        self.scripts.setdefault(script.name, script)

    def add_pipeline(self, pipeline: DeclaredPipeline) -> None:
        """Record a pipeline step defined by a manifest."""
        self._pipelines.append(pipeline)

    def add_folder_run(self, script: str) -> None:
        """Record that a README runs ``script`` from its own folder."""
        self._folder_runs[script] = None

    def text(self, path: str, manifest: bool = True) -> str | None:
        """The decoded text of a listed repository file, or None (with an error recorded when
        the file is a manifest, listed but cannot be read: a README is none)."""
        if path not in self.files:
            return None
        try:
            data = read_inside(self.root, path, MAX_MANIFEST_BYTES)
        except RefusedFile as exc:
            if manifest:
                self.error(path, START, exc.strerror)
            return None
        except OSError as exc:
            if manifest:
                self.error(path, START, f"cannot be read: {exc.strerror or exc}")
            return None
        self._read[path] = None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            if manifest:
                self.error(path, (line, 1), "is not valid UTF-8")
            return None

    def document(self, path: str, prepare: Callable[[str], str] | None = None) -> Any:
        """The parsed YAML, JSON or TOML document at ``path``, parsed once; None when the file
        is not listed or is broken (the error is recorded once). ``prepare`` turns the text
        into what is parsed, as the tool that reads the manifest does first (Kedro's Jinja);
        a path is always read with the same one."""
        if path not in self._documents:
            self._documents[path] = self._parse(path, prepare)
        return self._documents[path]

    def _parse(self, path: str, prepare: Callable[[str], str] | None) -> Any:
        text = self.text(path)
        if text is None:
            return None
        if prepare is not None:
            text = prepare(text)
        if posixpath.splitext(path)[1].lower() == ".toml":
            try:
                return tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                found = _TOML_POSITION.search(str(exc))
                where = (int(found[1]), int(found[2])) if found else START
                self.error(path, where, f"invalid TOML: {exc}")
                return None
        try:
            return parse_yaml(text)
        except YamlProblem as exc:
            self.error(path, exc.where, exc.message)
            return None

    def mapping(self, path: str, prepare: Callable[[str], str] | None = None) -> Mapping[str, Any] | None:
        """The document at ``path`` when it is a mapping; an error is recorded when it is not."""
        document = self.document(path, prepare)
        if document is None or isinstance(document, Mapping):
            return document
        self.error(path, START, f"expected a mapping at the top level, got {type_name(document)}")
        self._documents[path] = None
        return None

    def result(self) -> Declarations:
        """Everything collected, frozen."""
        return Declarations(
            tuple(self._declarations),
            tuple(self._pipelines),
            tuple(self._errors),
            tuple(self._read),
            tuple(self._folder_runs),
            tuple(self.scripts.values()),
        )


def type_name(value: object) -> str:
    """How a wrong value is named in an error message."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "a string" if isinstance(value, str) else type(value).__name__
