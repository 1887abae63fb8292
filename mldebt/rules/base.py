"""What a rule is: one class with its code, name, category, docs, options and examples."""

from __future__ import annotations

import functools
import inspect
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from mldebt.config import RuleOptions
from mldebt.declarations import Declarations
from mldebt.findings import Category, Finding, Location, RuleMeta, Severity
from mldebt.graph import DataGraph
from mldebt.history import History
from mldebt.ownership.model import OwnershipReport
from mldebt.parse.facts import FileFacts, locate
from mldebt.parse.fixes import Report

if TYPE_CHECKING:
    import libcst as cst

    from mldebt.demo.history import Commit
    from mldebt.parse.fixes import Replace
    from mldebt.parse.semantic import SemanticModel


@dataclass(frozen=True)
class Oversized:
    """The content of an example's file that is larger than mldebt reads (a generated dump):
    written as a sparse file one byte over the limit, so that the example costs no disk."""


@dataclass(frozen=True)
class Valid:
    """An example repository on which the rule reports nothing: ``files`` (path -> content)
    written over the git repository that ``history`` builds (mldebt.demo.history), if any."""

    files: Mapping[str, str | Oversized]
    history: tuple[Commit, ...] = ()


@dataclass(frozen=True)
class Invalid:
    """An example repository on which the rule reports once, and only once: at
    ``path``:``line``:``column`` (in notebook code cell ``cell``), saying ``message`` when it
    is given. ``files`` and ``history`` as in Valid. ``fixed``: for a file rule with a fix,
    what `mldebt check --fix` makes of ``path``."""

    files: Mapping[str, str | Oversized]
    path: str
    line: int
    column: int
    cell: int | None = None
    message: str | None = None
    history: tuple[Commit, ...] = ()
    fixed: str | None = None


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at. Rules return findings; they never print, write or run git."""

    facts: Mapping[str, FileFacts]
    graph: DataGraph
    declarations: Declarations
    # The rule's options: an instance of its Options, as configured or by default.
    options: RuleOptions = field(default_factory=RuleOptions)
    # The ownership report (mldebt.ownership), present only when a selected rule needs
    # history and the repository has one.
    ownership: OwnershipReport | None = None
    # The mined history it was built from (co-change counts among it), present with it.
    history: History | None = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity] = Severity.WARNING
    # The options [tool.mldebt.rules.<name>] accepts, typed (mldebt.config.RuleOptions): the
    # configuration is checked against them, and their docs are the page's "## Options".
    Options: ClassVar[type[RuleOptions]] = RuleOptions
    # A preview rule runs only in preview mode (Settings.preview), and its findings never enter
    # baselines or debt scores: a new heuristic does not move them until it is promoted.
    preview: ClassVar[bool] = False
    # Rules that need git history get ctx.ownership; the engine mines history only for them.
    needs_history: ClassVar[bool] = False
    # Examples, run as tests (tests/rules/test_examples.py): every rule has at least one of each.
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self, location: Location, message: str, scope: str = "", snippet: str = "", related: tuple[Location, ...] = ()
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            category=self.category,
            severity=self.severity,
            location=location,
            message=message,
            scope=scope,
            snippet=snippet,
            related=related,
        )

    @classmethod
    def docs(cls) -> str:
        """The docstring, with the "## Options" section generated from ``Options`` (before
        "## References", as ruff places it) when the rule declares any."""
        text = inspect.cleandoc(cls.__doc__ or "")
        options = cls.Options.documented()
        if not options:
            return text
        head, references, tail = text.partition("\n\n## References")
        return f"{head}\n\n## Options\n{options}{references}{tail}"

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it does" (one that introduces a list ends there)."""
        match = re.search(r"## What it does\s+(.+?)(?:\n\n|$)", cls.docs(), re.S)
        text = " ".join((match.group(1) if match else cls.docs()).split())
        return text.split(". ")[0].rstrip(".:") + "."

    @classmethod
    def meta(cls) -> RuleMeta:
        return RuleMeta(cls.code, cls.name, cls.category, cls.severity, cls.summary(), cls.docs())


def _contained(method: Callable[[FileRule, cst.CSTNode], object]) -> Callable[[FileRule, cst.CSTNode], None]:
    """A file rule's visit or leave method that, once the rule has raised, does nothing, and
    that records what it raised instead of letting it end the walk."""

    @functools.wraps(method)
    def run(rule: FileRule, node: cst.CSTNode) -> None:
        if rule.crash is not None:
            return
        try:
            method(rule, node)
        except RecursionError:
            # The tree is too deep for any visitor: extraction's analysis limit, not the rule's.
            raise
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            rule.crash = f"{type(exc).__name__}: {exc} ({where})"

    return run


class FileRule(Rule):
    """A rule that visits each file's walk (mldebt.parse.walk) beside the collectors, as a
    Fixit rule does: ``visit_<Node>``/``leave_<Node>`` methods on libcst nodes, with the file's
    semantic model (``self.semantic``: scopes, qualified names, values) as it stands at that
    node, and ``self.report(node, message, fix=...)`` for what it finds.

    The walk runs in the extraction worker, so a file rule costs no parse of its own, and its
    findings are cached with the file's facts; ``check`` then reports them like any rule's,
    through suppressions, per-file-ignores, selection and baselines. A fix (a
    mldebt.parse.fixes.Replace of a node of the walk) is rebuilt only by `check --fix`.

    A rule that raises (a user's rule from an entry point, say) stops visiting that file: its
    reports there are dropped, the collectors and the other rules finish the walk, and the
    engine reports the crash as the rule's internal error (exit 2), naming the file."""

    def __init__(self, semantic: SemanticModel | None = None) -> None:
        # None for the instance the engine runs `check` on; the walk makes one per file.
        self._semantic = semantic
        self.reports: list[Report] = []
        self.crash: str | None = None

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, method in list(vars(cls).items()):
            if name.startswith(("visit_", "leave_")) and callable(method):
                setattr(cls, name, _contained(method))

    @property
    def semantic(self) -> SemanticModel:
        assert self._semantic is not None, "a file rule's semantic model exists only during a walk"
        return self._semantic

    def report(self, node: cst.CSTNode, message: str, fix: Replace | None = None) -> None:
        self.reports.append(Report(self.code, node, message, fix))

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for _, file in sorted(ctx.facts.items()):
            for found in file.findings:
                if found.code == self.code:
                    yield self.finding(locate(file, found.span), found.message)
