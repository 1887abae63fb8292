"""MLD301: two files that keep changing together with nothing in the code linking them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mldebt.config import Number, RuleOptions, option
from mldebt.demo.history import Commit
from mldebt.findings import Category, Finding
from mldebt.graph.model import file_node
from mldebt.history.coupling import DEFAULT_MIN_REVS, DEFAULT_MIN_SHARED_REVS, coupling
from mldebt.parse.facts import FileFacts, Span, locate
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid


def _together(files: dict[str, str], times: int, importer: bool = False) -> tuple[Commit, ...]:
    """``times`` commits by Ann that each change every file of ``files``."""
    return tuple(
        Commit("Ann Active", "ann@example.org", f"2025-01-{day + 10:02d}T12:00:00+00:00", f"change {day}",
               {path: text + f"# {day}\n" for path, text in files.items()})
        for day in range(times)
    )


_PRICES = "RATE = 0.2\n\n\ndef price(x):\n    return x * RATE\n"
_REPORT = "def report(rows):\n    return [round(r * 0.2, 2) for r in rows]\n"


class HiddenCoupling(Rule):
    """
    ## What it does
    Flags two code files that keep changing in the same commits while nothing in the code
    links them: neither imports the other (directly or through other modules), neither reads
    data the other writes, and they share no module they both import and no dataset they both
    read. Their coupling is real (every change to one needed a change to the other) but hidden:
    the next developer who changes one will not know to change the other.

    Co-change coupling is computed as code-maat computes it (`mldebt coupling` shows every
    pair): over the commits that change at most 30 files, the degree is the commits changing
    both over the average of each file's commits, in percent. A pair is reported when its
    average commits are at least `min-revs`, its shared commits at least `min-shared-revs`, and
    its degree at least `min-coupling`; once, at the file that sorts first. Left out: a file
    coupled so with more than `max-partners` files (a bulk edit of every notebook couples each
    with all the others, and says nothing of one pair), a file that did not parse (its imports
    are unknown, not absent), and one with no code at all (an empty `__init__.py`).

    This is a preview rule: its precision on public repositories is not measured yet.

    ## Why is this bad?
    Changing Anything Changes Everything (Sculley et al.): a coupling the code does not show is
    one that no reviewer, test or import graph will catch. It is often a duplicated constant or
    rule (a rate hard-coded in two places), a file format written in one place and parsed by
    hand in another, or a feature computed twice.

    ## Example
    `prices.py` defines a rate, and `report.py` repeats it; every change of the rate changes both.

    ## Use instead
    Make the dependency explicit: import the shared constant or function from one place, or
    declare the data one writes and the other reads.

    ## References
    - Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015
    - Tornhill, "Software Design X-Rays" (change coupling), 2018
    - code-maat, `-a coupling`
    """

    code = "MLD301"
    name = "hidden-coupling"
    category = Category.CACE_HOTSPOT
    preview = True
    needs_history = True

    @dataclass(frozen=True)
    class Options(RuleOptions):
        min_revs: int = option(
            Number(DEFAULT_MIN_REVS, integer=True, minimum=1, doc="the fewest average commits of the two files.")
        )
        min_shared_revs: int = option(
            Number(DEFAULT_MIN_SHARED_REVS, integer=True, minimum=1, doc="the fewest commits changing both.")
        )
        min_coupling: int = option(
            Number(50, integer=True, minimum=1, maximum=100, doc="the lowest degree of coupling, in percent.")
        )
        max_partners: int = option(
            Number(
                3, integer=True, minimum=1,
                doc="the most files a file may be coupled with for its pairs to count: one that changes with "
                "many others is edited in bulk, not coupled to one of them.",
            )
        )

    VALID = [
        # report.py imports the rate: the coupling is in the code for all to see.
        Valid({}, history=_together({"prices.py": _PRICES, "report.py": "from prices import RATE\n" + _REPORT}, 6)),
        # Four commits together: fewer than min-shared-revs.
        Valid({}, history=_together({"prices.py": _PRICES, "report.py": _REPORT}, 4)),
        # Five notebooks-like scripts edited in bulk: each changes with all the others.
        Valid({}, history=_together({f"chapter{n}.py": f"def step{n}(x):\n    return x + {n}\n" for n in range(5)}, 6)),
        # An empty package __init__.py changes with its subpackage's; a file that does not parse
        # has links nobody knows.
        Valid({}, history=_together({"pkg/__init__.py": "", "pkg/sub/__init__.py": '"""Sub."""\n'}, 6)),
        Valid({}, history=_together({"a.py": "def f(x):\n    return x.cuda(async=True)\n", "b.py": _REPORT}, 6)),
    ]
    INVALID = [
        Invalid(
            {},
            path="prices.py", line=1, column=1,
            message="`prices.py` and `report.py` changed together in 6 of their commits (coupling 100%), "
            "but no import, data or shared module links them",
            history=_together({"prices.py": _PRICES, "report.py": _REPORT}, 6),
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.options
        assert isinstance(options, self.Options)
        if ctx.history is None:
            return
        graph = ctx.graph.graph
        pairs = coupling(
            ctx.history.co_changes, min_revs=options.min_revs, min_shared_revs=options.min_shared_revs,
            min_coupling=options.min_coupling, files=[path for path in ctx.facts if file_node(path) in graph],
        )
        partners: dict[str, set[str]] = {}
        for pair in pairs:
            partners.setdefault(pair.entity, set()).add(pair.coupled)
            partners.setdefault(pair.coupled, set()).add(pair.entity)
        seen: set[tuple[str, str]] = set()
        for pair in pairs:
            first, second = sorted((pair.entity, pair.coupled))
            if (first, second) in seen or _linked(graph, file_node(first), file_node(second)):
                continue
            if any(len(partners[path]) > options.max_partners or _unknown(ctx.facts[path]) for path in (first, second)):
                continue
            seen.add((first, second))
            yield self.finding(
                locate(ctx.facts[first], Span(1, 1, 1, 1)),
                f"`{first}` and `{second}` changed together in {pair.shared_revs} of their commits "
                f"(coupling {pair.degree}%), but no import, data or shared module links them",
                scope=second,
            )


def _unknown(file: FileFacts) -> bool:
    """Whether the file's links are not known, or it has none to know: it did not parse (its
    imports are unknown, not absent), or it holds no code (an empty `__init__.py`, whose
    changes come with its package's)."""
    return bool(file.problems) or (not file.definitions and not file.imports and not file.accesses and not file.settings)


def _linked(graph: object, first: str, second: str) -> bool:
    """Whether one reaches the other in the graph, or both depend directly on the same module
    or dataset."""
    import networkx as nx

    assert isinstance(graph, nx.DiGraph)
    if nx.has_path(graph, first, second) or nx.has_path(graph, second, first):
        return True
    return bool(set(graph.predecessors(first)) & set(graph.predecessors(second)))
