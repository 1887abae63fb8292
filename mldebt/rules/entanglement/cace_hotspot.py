"""MLD302: a module or configuration constant whose every change reaches several pipelines."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, NamedTuple

from mldebt.config import Number, RuleOptions, option
from mldebt.demo.history import Commit
from mldebt.findings import Category, Finding
from mldebt.graph.impact import first_order, step_label
from mldebt.graph.model import NodeKind
from mldebt.history import History
from mldebt.history.coupling import coupling
from mldebt.history.truck import activity_window
from mldebt.metrics.cace import hotspot_score
from mldebt.metrics.ranking import kept_before_the_drop
from mldebt.ownership.model import OwnershipReport
from mldebt.parse.facts import Span, locate
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid

if TYPE_CHECKING:
    import networkx as nx

    from mldebt.parse.facts import FileFacts

_FEATURES = "def add_features(frame):\n    frame['tenure_years'] = frame['tenure_months'] / 12\n    return frame\n"
_STAGE = (
    "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom features import add_features\n\n"
    "if __name__ == '__main__':\n    frame = add_features(pd.read_csv('data/{name}.csv'))\n"
    "    LogisticRegression().fit(frame[['tenure_years']], frame['churned'])\n"
)
_PIPELINES = {name: _STAGE.format(name=name) for name in ("train", "retrain", "backtest")}


_PLOTS = (
    "import matplotlib.pyplot as plt\n\n\ndef add_features(frame):\n    plt.hist(frame['tenure_months'])\n"
    "    plt.savefig('reports/tenure.png')\n    return frame\n"
)


def _history(times: int, pipelines: dict[str, str], features: str = _FEATURES) -> tuple[Commit, ...]:
    """The pipelines, then ``times`` commits by Ann this year that change features.py."""
    first = Commit("Ann Active", "ann@example.org", "2025-01-02T12:00:00+00:00", "pipelines",
                   {f"{name}.py": text for name, text in pipelines.items()})
    return (first, *(
        Commit("Ann Active", "ann@example.org", f"2025-02-{day + 10:02d}T12:00:00+00:00", f"features {day}",
               {"features.py": features + f"# {day}\n"})
        for day in range(times)
    ))


class CaceHotspot(Rule):
    """
    ## What it does
    Flags the modules and configuration constants where one change fans out to several
    pipelines and the models they train, and that keep changing: CACE hotspots.

    A module or constant reaches a pipeline directly when the pipeline runs code that imports it
    (transitively), or reads it (`from config import SEED`, `config.SEED`); what a pipeline
    writes for the next one is not followed, since a chain of stages is a pipeline, not
    entanglement. One is reported when

    - it reaches at least `min-pipelines` pipelines directly, one of them training a model;
    - it changed in at least `min-commits` commits in the activity window (12 months by default);
    - and it is above the point where the ranking by score (pipelines reached times commits,
      mldebt.metrics.cace) drops off: before the largest fall by 1.5, as CodeScene cuts its
      hotspots.

    A package's `__init__.py` that defines nothing is left out: it is how every change to the
    package passes, not where one is made. So is a module that only draws (it imports a plotting
    library, builds no model and reads no data): a change to it changes figures. The message
    names the pipelines and the kinds of model reached and the path to one of them, and how many
    files keep changing with it (co-change coupling, as `mldebt coupling` computes it).
    `mldebt impact` shows every path. A module and one of its constants reaching the same pipelines are one
    finding, at the module.

    This is a preview rule: its precision on public repositories is not measured yet.

    ## Why is this bad?
    Changing Anything Changes Everything (Sculley et al.): a change made for one model retrains,
    and may break, every other model the code reaches, and one that changes often does so often.
    Such a spot needs the tests, the owners and the review that its reach calls for.

    ## Example
    `features.py`, imported by three training scripts, changed in six commits this year.

    ## Use instead
    Give the shared code a contract: version it or split what each pipeline needs, test the
    features it computes, and name its owners in CODEOWNERS; `mldebt impact` lists what a
    change reaches, for the reviewer of each change.

    ## References
    - Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015
    - Tornhill, "Your Code as a Crime Scene" (hotspots), 2015
    """

    code = "MLD302"
    name = "cace-hotspot"
    category = Category.CACE_HOTSPOT
    preview = True
    needs_history = True

    @dataclass(frozen=True)
    class Options(RuleOptions):
        min_pipelines: int = option(
            Number(3, integer=True, minimum=2, doc="the fewest pipelines a hotspot reaches directly.")
        )
        min_commits: int = option(
            Number(5, integer=True, minimum=1, doc="the fewest commits changing it in the activity window.")
        )

    VALID = [
        # Reached by three pipelines, but changed only twice this year.
        Valid({}, history=_history(2, _PIPELINES)),
        # The pipelines' plots, changed often: figures, not models.
        Valid({}, history=_history(6, _PIPELINES, features=_PLOTS)),
        # Changed often, but only two pipelines import it.
        Valid({}, history=_history(6, {name: text for name, text in _PIPELINES.items() if name != "backtest"})),
    ]
    INVALID = [
        Invalid(
            {},
            path="features.py", line=1, column=1,
            message=(
                "`features.py` reaches 3 pipelines directly (backtest.py, retrain.py, train.py) and the 3 models "
                "(sklearn.linear_model.LogisticRegression) they train, "
                "e.g. features.py -> backtest.py -> sklearn.linear_model.LogisticRegression (backtest.py); "
                "it changed in 6 commits in the last 12 months"
            ),
            history=_history(6, _PIPELINES),
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.options
        assert isinstance(options, self.Options)
        report = ctx.ownership
        if ctx.history is None or not isinstance(report, OwnershipReport):
            return
        graph = ctx.graph.graph
        commits = _commits_in_window(ctx.history, report.active_months, report.as_of)
        coupled = _coupled(ctx.history, ctx.facts)
        candidates = []
        for node, data in graph.nodes(data=True):
            kind = data.get("kind")
            if kind == NodeKind.FILE.value:
                path, name = str(data["path"]), f"`{data['path']}`"
            elif kind == NodeKind.CONSTANT.value:
                path, name = str(data["path"]), f"`{data['name']}` (in {data['path']})"
            else:
                continue
            changed = commits.get(path, 0)
            if changed < options.min_commits or path not in ctx.facts:
                continue
            if _plumbing(ctx.facts[path]) or _draws(ctx.facts[path]):
                continue
            reached = first_order(graph, node)
            pipelines = sorted(n for n in reached if graph.nodes[n].get("kind") == NodeKind.PIPELINE.value)
            models = sorted(n for n in reached if graph.nodes[n].get("kind") == NodeKind.MODEL.value)
            if len(pipelines) < options.min_pipelines or not models:
                continue
            score = hotspot_score(len(pipelines), changed)
            candidates.append(
                _Hotspot(score, path, kind == NodeKind.CONSTANT.value, node, name, pipelines, models, reached)
            )
        # Highest first; a module before its constants, which it explains.
        candidates.sort(key=lambda h: (-h.score, h.path, h.constant, h.node))
        seen: dict[str, frozenset[str]] = {}
        ranked = []
        for hotspot in candidates:
            if seen.get(hotspot.path) == frozenset(hotspot.pipelines):
                continue
            seen.setdefault(hotspot.path, frozenset(hotspot.pipelines))
            ranked.append(hotspot)
        for hotspot in ranked[: kept_before_the_drop([h.score for h in ranked])]:
            names = _some([step_label(graph, p).split(" ", 1)[-1] for p in hotspot.pipelines])
            example = " -> ".join(step_label(graph, n) for n in hotspot.reached[hotspot.models[0]])
            partners = coupled.get(hotspot.path, 0)
            coupling_note = f", {partners} file{'s' if partners != 1 else ''} changing with it" if partners else ""
            yield self.finding(
                locate(ctx.facts[hotspot.path], Span(1, 1, 1, 1)),
                f"{hotspot.name} reaches {len(hotspot.pipelines)} pipelines directly ({names}) and the "
                f"{_models(graph, hotspot.models)} they train, e.g. {example}; it changed in "
                f"{commits[hotspot.path]} commits in the last {report.active_months} months{coupling_note}",
                scope=hotspot.node,
            )


class _Hotspot(NamedTuple):
    """A module or constant that passes the thresholds, with what it reaches directly."""

    score: int
    path: str  # the module, or the constant's
    constant: bool
    node: str
    name: str  # how the message names it
    pipelines: list[str]
    models: list[str]
    reached: dict[str, tuple[str, ...]]  # each pipeline and model, with its path from the node


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _models(graph: nx.DiGraph, models: list[str]) -> str:
    """`3 models (sklearn.svm.SVC, ...)`: how many, and the first classes by name."""
    apis = sorted({str(graph.nodes[node]["api"]) for node in models})
    return f"{len(models)} model{'s' if len(models) != 1 else ''} ({_some(apis)})"


# Libraries that draw: a module built on them that models and reads nothing changes figures.
_PLOTTING = frozenset({"matplotlib", "seaborn", "plotly", "bokeh", "altair", "plotnine"})


def _draws(file: FileFacts) -> bool:
    """A module that only draws: it imports a plotting library, builds no model and reads no
    data; a change to it changes figures, not the models of the pipelines that import it."""
    return (
        any(i.module.split(".")[0] in _PLOTTING for i in file.imports)
        and not file.models
        and not any(a.direction == "read" for a in file.accesses)
    )


def _plumbing(file: FileFacts) -> bool:
    """A package's `__init__.py` that only imports: every change to the package passes it."""
    return file.path.endswith("__init__.py") and not file.definitions


def _commits_in_window(history: History, months: int, as_of: int) -> dict[str, int]:
    """Commits changing each file within the activity window ending at ``as_of``."""
    start, end = activity_window(history, months, datetime.fromtimestamp(as_of, timezone.utc))
    return {
        path: sum(1 for dates in record.changes.values() for date in dates if start <= date <= end)
        for path, record in history.paths.items()
    }


def _coupled(history: History, facts: Mapping[str, FileFacts]) -> dict[str, int]:
    """How many code files each code file is coupled with (code-maat's defaults)."""
    counts: dict[str, int] = {}
    for pair in coupling(history.co_changes, files=list(facts)):
        for path in (pair.entity, pair.coupled):
            counts[path] = counts.get(path, 0) + 1
    return counts
