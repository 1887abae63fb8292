"""The ownership report as one self-contained HTML page: inline CSS and an inline SVG plot, no
script, no network.

Every value that comes from the repository (names, paths, e-mail addresses, pipeline names)
is escaped: markup is built only from `_Html` fragments, and anything else that reaches a
fragment goes through `html.escape` first, so forgetting to escape is not possible by
construction.

The page is read by a tech lead on one screen width: long tables show their first rows and
fold the rest under `<details>`, the module table keeps the directory levels where the
repository branches, and the plot is drawn at the size it is shown, scaled to its points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from mldebt.escaping import printable
from mldebt.ownership.model import (
    OTHER_ENTRY_POINTS,
    OTHER_SHARED_CODE,
    UNATTRIBUTABLE,
    ModuleOwnership,
    OwnershipReport,
    PipelineOwnership,
    iso_date,
)
from mldebt.report.ownership_md import BUS_FACTOR, bus_factor_words

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1180px;color:#1d1d1f;padding:0 1rem;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top;overflow-wrap:anywhere}
th{background:#f5f5f7;font-weight:600;overflow-wrap:normal}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}.muted{color:#666}.small{font-size:.85em}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;min-width:11rem;flex:1}
.card b{font-size:1.8rem;display:block}.warn{background:#fff4e5;border-left:4px solid #e08a00;padding:.5rem 1rem}
details{margin:.3rem 0 .8rem}summary{cursor:pointer;color:#0b57d0;padding:.2rem 0}
code{font-size:.9em;background:#f5f5f7;padding:0 .2rem;border-radius:3px}
svg{max-width:100%;height:auto}svg text{font:13px system-ui,sans-serif;fill:#333}
svg text.label{font:13px ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;fill:#1d1d1f}
"""


class _Html(str):
    """Markup that is safe as it is: built here, never taken from the repository."""


def _e(value: object) -> _Html:
    """``value`` as HTML: markup fragments stay, everything else is escaped, its control,
    bidi and surrogate characters as ``printable`` shows them (a surrogate, from a file name
    that is not UTF-8, could not even be written)."""
    return value if isinstance(value, _Html) else _Html(escape(printable(str(value)), quote=True))


def _tag(name: str, *children: object, cls: str = "") -> _Html:
    attribute = f' class="{cls}"' if cls else ""
    return _Html(f"<{name}{attribute}>{''.join(_e(c) for c in children)}</{name}>")


_SHOWN = 10  # rows of a long table (items of a long list) shown before the rest is folded
_SLACK = 2  # folding away this many rows or fewer would save nothing


@dataclass(frozen=True)
class _Columns:
    """A table's headers, their share of the width (equal in a table and its folded rest, so
    that the two line up), and which of them are numbers."""

    headers: tuple[str, ...]
    widths: tuple[int, ...]  # per cent
    numeric: frozenset[int] = frozenset()


def _table(columns: _Columns, rows: Iterable[Sequence[object]]) -> _Html:
    widths = "".join(f'<col style="width:{w}%">' for w in columns.widths)
    head = "".join(_tag("th", h) for h in columns.headers)
    body = "".join(
        _tag("tr", *(_tag("td", cell, cls="num" if i in columns.numeric else "") for i, cell in enumerate(row)))
        for row in rows
    )
    return _Html(f"<table><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _fold(summary: str, content: _Html) -> _Html:
    return _tag("details", _tag("summary", summary), content)


def _folded_table(columns: _Columns, rows: Sequence[Sequence[object]], more: str) -> _Html:
    """The first rows of a long table, and the rest folded under "N more ..."."""
    if len(rows) <= _SHOWN + _SLACK:
        return _table(columns, rows)
    rest = rows[_SHOWN:]
    return _Html(_table(columns, rows[:_SHOWN]) + _fold(f"{len(rest)} more {more}", _table(columns, rest)))


def _list(items: Iterable[object], cls: str = "") -> _Html:
    return _tag("ul", *(_tag("li", item) for item in items), cls=cls)


def _folded_list(items: Sequence[object], more: str) -> _Html:
    if len(items) <= _SHOWN + _SLACK:
        return _list(items)
    return _Html(_list(items[:_SHOWN]) + _fold(f"{len(items) - _SHOWN} more {more}", _list(items[_SHOWN:])))


def _path(path: str) -> _Html:
    """A path that may break after any of its slashes, rather than inside a name."""
    return _Html("/<wbr>".join(_e(part) for part in path.split("/")))


def _names(names: tuple[str, ...]) -> _Html:
    return _e(", ".join(names)) if names else _tag("span", "nobody", cls="bad")


def _card(title: str, value: object, detail: object) -> _Html:
    return _tag("div", title, _tag("b", value), _tag("span", detail, cls="muted small"), cls="card")


# ---- the plot -------------------------------------------------------------------------------

_LABELLED = 12  # the riskiest pipelines get a label on the plot; every point has a tooltip
_LABEL_CHARS = 36  # a longer label loses the directories between its first and its last
_FONT = 13  # px, for the plot's text, at the size the plot is shown
_CHAR = 0.62 * _FONT  # the advance of a monospace character, a little generous
_RADIUS = 6
_WIDTH, _HEIGHT = 1100, 460
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 40, 50
_PAD = 14  # between the frame and the outermost points


def _colour(p: PipelineOwnership) -> str:
    if p.unowned:
        return "#b00020"
    # At most one active author's departure orphans it (an owner team in CODEOWNERS does not
    # make it known).
    return "#e08a00" if p.active_bus_factor <= 1 else "#1b7f3b"


_LEGEND = (
    ("#b00020", "no owner"),
    ("#e08a00", "active bus factor 0 or 1: orphaned, or one departure away"),
    ("#1b7f3b", "active bus factor 2 or more"),
)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at most ``low`` to at least ``high``, about ``count`` of them: the axis
    covers the data and little more."""
    if high <= low:
        low, high = max(0.0, low - 1), high + 1
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    start = math.floor(low / step + 1e-9) * step
    steps = math.ceil((high - start) / step - 1e-9)
    return [round(start + i * step, 10) for i in range(steps + 1)]


def _label_candidates(p: PipelineOwnership) -> list[str]:
    """Names for ``p`` from the shortest: a script's or notebook's file name (its name is its
    path) with more and more of its directories; a stage's name, then with more and more of the
    path of the file declaring it."""
    if p.name == p.source:
        parts = p.name.split("/")
        return ["/".join(parts[-n:]) for n in range(1, len(parts) + 1)]
    parts = p.source.split("/")
    return [p.name] + [f"{p.name} ({'/'.join(parts[-n:])})" for n in range(1, len(parts) + 1)]


def _elided(label: str) -> str:
    """A long path label as its first directory (the one that told it apart), `…` and its file."""
    if len(label) <= _LABEL_CHARS or label.count("/") < 2:
        return label
    first, _, rest = label.partition("/")
    return f"{first}/…/{rest.rpartition('/')[2]}"


def plot_labels(pipelines: Sequence[PipelineOwnership]) -> list[str]:
    """One label per pipeline, none the same as another's: the shortest of its names that no
    other pipeline has (pipelines with the same name are told apart by their paths), long ones
    elided where that keeps them apart."""
    candidates = [_label_candidates(p) for p in pipelines]
    chosen = [0] * len(pipelines)
    while True:
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(candidates):
            groups.setdefault(c[chosen[i]], []).append(i)
        longer = [i for group in groups.values() if len(group) > 1 for i in group if chosen[i] + 1 < len(candidates[i])]
        if not longer:
            break
        for i in longer:
            chosen[i] += 1
    labels = [c[chosen[i]] for i, c in enumerate(candidates)]
    elided = [_elided(label) for label in labels]
    clashes = {label for label in elided if elided.count(label) > 1}
    return [short if short not in clashes else label for short, label in zip(elided, labels, strict=True)]


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: _Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def inside(self, other: _Box) -> bool:
        return other.left <= self.left and self.right <= other.right and other.top <= self.top and self.bottom <= other.bottom


def _text_box(x: float, y: float, text: str, anchor: str) -> _Box:
    width = len(text) * _CHAR
    left = x - width if anchor == "end" else x
    # A font's ascent and descent, as browsers measure a text's box.
    return _Box(left, y - 0.95 * _FONT, left + width, y + 0.25 * _FONT)


def _circle_box(x: float, y: float) -> _Box:
    return _Box(x - _RADIUS - 1, y - _RADIUS - 1, x + _RADIUS + 1, y + _RADIUS + 1)


def _place_points(
    pipelines: Sequence[PipelineOwnership], x_of: Callable[[int], float], y_of: Callable[[float], float], spread: float
) -> list[tuple[float, float]]:
    """Where each point goes: at its ownership column and complexity, moved sideways (least
    first, at most ``spread``) until it no longer covers a point placed before it, riskier
    pipelines first (a beeswarm)."""
    placed: dict[int, tuple[float, float]] = {}
    columns: dict[int, list[tuple[float, float]]] = {}
    step = 2 * _RADIUS + 1
    offsets = [0.0] + [sign * k * step for k in range(1, int(spread // step) + 1) for sign in (1, -1)]
    for i in sorted(range(len(pipelines)), key=lambda i: -pipelines[i].risk):
        p = pipelines[i]
        x, y = x_of(p.ownership), y_of(p.complexity)
        column = columns.setdefault(p.ownership, [])
        near = [(px, py) for px, py in column if abs(py - y) < step]
        free = (x + dx for dx in offsets if all(math.hypot(x + dx - px, y - py) >= step for px, py in near))
        placed[i] = (next(free, x), y)
        column.append(placed[i])
    return [placed[i] for i in range(len(pipelines))]


def _label_spots() -> list[tuple[float, float, str]]:
    """Where a label may go, relative to its point and nearest first: right or left of it, then
    further out in eight directions."""
    gap = _RADIUS + 4
    spots = [(gap, 4.0, "start"), (-gap, 4.0, "end")]
    for reach in (30, 50, 75, 105):
        diagonal = reach * 0.7
        spots += [
            (reach, 4.0, "start"), (-reach, 4.0, "end"),
            (diagonal, -diagonal, "start"), (diagonal, diagonal + _FONT / 2, "start"),
            (-diagonal, -diagonal, "end"), (-diagonal, diagonal + _FONT / 2, "end"),
            (4.0, -reach, "start"), (4.0, reach + _FONT / 2, "start"),
        ]
    return spots


_SPOTS = _label_spots()
# A label right or left of its point is plainly its own; one further out, over a row of points,
# is joined to its point by a leader line.
_BESIDE = 2


@dataclass(frozen=True)
class _Label:
    x: float
    y: float
    anchor: str
    box: _Box
    leader: bool


def _place_label(x: float, y: float, text: str, frame: _Box, taken: list[_Box]) -> _Label | None:
    """The nearest spot around the point at (x, y) where ``text`` fits in ``frame`` and covers
    no point or label in ``taken``; None when there is no such spot (the tooltip still names
    the point)."""
    for n, (dx, dy, anchor) in enumerate(_SPOTS):
        box = _text_box(x + dx, y + dy, text, anchor)
        if box.inside(frame) and not any(box.overlaps(other) for other in taken):
            taken.append(box)
            return _Label(x + dx, y + dy, anchor, box, n >= _BESIDE)
    return None


def _scatter(pipelines: Sequence[PipelineOwnership]) -> _Html:
    """Complexity (y) against ownership (x: active authors, plus one for a CODEOWNERS owner),
    one point per pipeline with its details as a tooltip; the top left corner is the risk.
    Both axes span the data: one column per ownership value that some pipeline has (a pipeline
    with many authors does not squeeze the rest into a corner), complexity from a round value
    below the least to one above the most."""
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    frame = _Box(_LEFT, _TOP, _LEFT + plot_w, _TOP + plot_h)
    owned = sorted({p.ownership for p in pipelines}) or [0]
    column = plot_w / len(owned)
    y_ticks = _ticks(min([p.complexity for p in pipelines] or [0.0]), max([p.complexity for p in pipelines] or [0.0]))

    def x_of(value: int) -> float:
        return _LEFT + (owned.index(value) + 0.5) * column

    def y_of(value: float) -> float:
        share = (value - y_ticks[0]) / (y_ticks[-1] - y_ticks[0])
        return _TOP + plot_h - _PAD - share * (plot_h - 2 * _PAD)

    parts = [
        f'<svg width="{_WIDTH}" height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        'aria-label="Complexity against ownership, one point per pipeline">',
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>',
    ]
    for tick in owned:
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{_TOP + plot_h}" x2="{x:.1f}" y2="{_TOP + plot_h + 5}" stroke="#999"/>')
        parts.append(f'<text x="{x:.1f}" y="{_TOP + plot_h + 19}" text-anchor="middle">{tick}</text>')
        if tick > owned[0]:
            edge = x - column / 2
            parts.append(f'<line x1="{edge:.1f}" y1="{_TOP}" x2="{edge:.1f}" y2="{_TOP + plot_h}" stroke="#e4e4e4"/>')
    for value in y_ticks:
        y = y_of(value)
        parts.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_w}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{_LEFT - 7}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    parts += [
        f'<text x="{_LEFT + plot_w / 2}" y="{_HEIGHT - 8}" text-anchor="middle">'
        "ownership: active authors + 1 for a CODEOWNERS owner</text>",
        f'<text x="16" y="{_TOP + plot_h / 2}" transform="rotate(-90 16 {_TOP + plot_h / 2})" '
        'text-anchor="middle">model complexity</text>',
    ]
    legend_x = float(_LEFT)
    for colour, text in _LEGEND:
        parts.append(f'<circle cx="{legend_x + _RADIUS:.1f}" cy="16" r="{_RADIUS}" fill="{colour}" fill-opacity="0.8"/>')
        parts.append(f'<text x="{legend_x + 2 * _RADIUS + 6:.1f}" y="20">{text}</text>')
        legend_x += 2 * _RADIUS + 30 + len(text) * 0.55 * _FONT
    points = _place_points(pipelines, x_of, y_of, column / 2 - _RADIUS - 2)
    labels = plot_labels(pipelines)
    taken = [_circle_box(x, y) for x, y in points]
    texts = []
    named: set[int] = set()
    for i in sorted(range(len(pipelines)), key=lambda i: -pipelines[i].risk)[:_LABELLED]:
        label = _place_label(*points[i], labels[i], frame, taken)
        if label is None:
            continue
        named.add(i)
        if label.leader:
            # From the point (its circle hides the start) to the nearest point of the label's box.
            px, py = points[i]
            box = label.box
            tx, ty = min(max(px, box.left), box.right), min(max(py, box.top), box.bottom)
            parts.append(f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="#888"/>')
        end = ' text-anchor="end"' if label.anchor == "end" else ""
        texts.append(f'<text class="label" x="{label.x:.1f}" y="{label.y:.1f}"{end}>{_e(labels[i])}</text>')
    # The riskiest drawn last, on top of any point it still touches.
    for i in sorted(range(len(pipelines)), key=lambda i: pipelines[i].risk):
        p, (cx, cy) = pipelines[i], points[i]
        tooltip = (
            f"{p.name} ({p.kind}, {p.source}): complexity {p.complexity:g}, risk {p.risk:g}, "
            f"owners: {', '.join(p.owners) or 'nobody'}"
        )
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{_RADIUS}" fill="{_colour(p)}" fill-opacity="0.85" '
            # A named point is ringed: in a row of points, it is the one its label is about.
            f'stroke="{"#1d1d1f" if i in named else "#fff"}">{_tag("title", tooltip)}</circle>'
        )
    parts += texts
    parts.append("</svg>")
    return _Html("".join(parts))


# ---- tables ---------------------------------------------------------------------------------


_PIPELINE_COLUMNS = _Columns(
    ("Risk", "Pipeline", "Bus factor (active)", "Complexity", "Owners", "Why"),
    (5, 26, 12, 9, 10, 38),
    frozenset({0, 3}),
)


def _pipeline_row(p: PipelineOwnership) -> list[object]:
    # A script's or notebook's name is its path already; a stage is told apart by its file.
    where = p.kind if p.source == p.name else f"{p.kind} · {p.source}:{p.line}"
    name = _Html(
        _tag("b", _path(p.name))
        + (_tag("span", " unowned", cls="bad") if p.unowned and p.ml_pipeline else "")
        + _Html("<br>")
        + _tag("span", where, cls="muted small")
    )
    bus = _Html(
        _e(f"{p.bus_factor} (active {p.active_bus_factor})")
        + _Html("<br>")
        + _tag("span", bus_factor_words(p.bus_factor, p.active_bus_factor), cls="muted small")
    )
    return [
        # The reasons say when it last changed.
        f"{p.risk:.2f}", name, bus, f"{p.complexity:g}", _names(p.owners), _tag("span", "; ".join(p.why), cls="small"),
    ]


def _pipeline_table(pipelines: Sequence[PipelineOwnership], more: str) -> _Html:
    if not pipelines:
        return _tag("p", "None found.", cls="muted")
    return _folded_table(_PIPELINE_COLUMNS, [_pipeline_row(p) for p in pipelines], more)


def _warnings(warnings: Sequence[str]) -> _Html:
    """A few warnings in full; more (a CODEOWNERS file full of stale lines) folded under one."""
    if len(warnings) <= 3:
        return _Html("".join(_tag("p", "Warning: ", w, cls="warn") for w in warnings))
    return _tag(
        "details", _tag("summary", f"{len(warnings)} warnings"), _list(warnings, cls="small"), cls="warn",
    )


_MODULE_LEVELS = 2  # directory levels of the module table, below the repository's trunk
_MODULE_COLUMNS = _Columns(
    ("Module", "Truck factor", "Active truck factor", "Authors it removes"), (40, 12, 14, 34), frozenset({1, 2})
)


def module_levels(modules: Sequence[ModuleOwnership]) -> tuple[list[ModuleOwnership], list[ModuleOwnership]]:
    """The modules of the levels that matter, and the deeper ones. A directory that is the only
    one at its level (`src`, then `src/package`) is the trunk everything else grows from: the
    levels counted are the first ``_MODULE_LEVELS`` below it, where the repository branches."""
    paths = {m.path for m in modules}
    children: dict[str, list[str]] = {}
    for path in paths:
        children.setdefault(path.rpartition("/")[0], []).append(path)
    trunk = ""
    while len(children.get(trunk, ())) == 1:
        trunk = children[trunk][0]
    base = trunk.count("/") + 1 if trunk else 0
    shown = [m for m in modules if m.path.count("/") + 1 - base <= _MODULE_LEVELS]
    deeper = [m for m in modules if m.path.count("/") + 1 - base > _MODULE_LEVELS]
    return shown, deeper


def _module_rows(modules: Iterable[ModuleOwnership]) -> list[list[object]]:
    # Riskiest first: the fewest active authors between the module and having none.
    ranked = sorted(modules, key=lambda m: (m.active_truck_factor, m.truck_factor, m.path))
    return [[_path(m.path), m.truck_factor, m.active_truck_factor, _names(m.authors)] for m in ranked]


def _module_table(modules: Sequence[ModuleOwnership]) -> _Html:
    if not modules:
        return _tag("p", "No code in directories.", cls="muted")
    shown, deeper = module_levels(modules)
    table = _folded_table(_MODULE_COLUMNS, _module_rows(shown), "directories at these levels")
    if not deeper:
        return table
    summary = f"{len(deeper)} deeper {'directory' if len(deeper) == 1 else 'directories'}"
    return _Html(table + _fold(summary, _table(_MODULE_COLUMNS, _module_rows(deeper))))


_AUTHOR_COLUMNS = _Columns(
    ("Author", "E-mail", "Commits", "First commit", "Last commit", "Active"), (26, 34, 10, 11, 11, 8), frozenset({2})
)
_MACHINE_COLUMNS = _Columns(("Identity", "Commits", "Code files it changed"), (35, 10, 55), frozenset({1}))


def render_ownership_html(report: OwnershipReport) -> str:
    """The whole report as one HTML document."""
    ml = report.ml_pipelines
    active = sum(1 for a in report.authors if a.active)
    partial = _tag("span", " · partial history (shallow clone)", cls="bad") if report.partial else ""
    body = [
        _tag("h1", "Ownership report"),
        _tag(
            "p",
            f"HEAD {report.head[:12]}, as of {iso_date(report.as_of)}; authors without a commit in the "
            f"{report.active_months} months before count as inactive; authors read by the "
            f"{report.authorship_model!r} authorship model",
            partial,
            cls="muted",
        ),
        _warnings(report.warnings),
        _tag(
            "div",
            _card("Truck factor", report.truck_factor, ", ".join(report.truck_factor_authors) or "nobody"),
            _card("Active truck factor", report.active_truck_factor, "with inactive authors gone already"),
            _card("ML pipelines without an owner", sum(1 for p in ml if p.unowned), f"of {len(ml)}"),
            _card("Knowledge already lost", len(report.knowledge_lost), "files whose authors are all inactive"),
            _card("Active authors", active, f"of {len(report.authors)}"),
            cls="cards",
        ),
        _tag("h2", "Pipelines, riskiest first"),
        _tag(
            "p",
            "Risk = complexity / (1 + active authors + 1 for a CODEOWNERS owner), weighed up to 1.5 "
            "for code untouched for a year. ",
            BUS_FACTOR,
            cls="muted small",
        ),
        _pipeline_table(ml, "ML pipelines, riskiest first"),
        _tag("h2", "Complexity against ownership"),
        _tag(
            "p",
            f"One point per ML pipeline; the {_LABELLED} riskiest are named where there is room, "
            "and every point names itself on hover.",
            cls="muted small",
        ),
        _scatter(ml),
        *(
            (
                _tag("h2", "Other entry points"),
                _tag("p", OTHER_ENTRY_POINTS, cls="muted small"),
                _pipeline_table(report.other_entry_points, "entry points, riskiest first"),
            )
            if report.other_entry_points
            else ()
        ),
        *(
            (
                _tag("h2", "Other shared code"),
                _tag("p", OTHER_SHARED_CODE, cls="muted small"),
                _pipeline_table(report.other_shared_code, "units of shared code, riskiest first"),
            )
            if report.other_shared_code
            else ()
        ),
        _tag("h2", "Truck factor per module"),
        _tag(
            "p",
            "Truck factor: how many authors must leave before most of a directory's files have no author; "
            "active: the same with inactive authors gone already. Fewest active first.",
            cls="muted small",
        ),
        _module_table(report.modules),
        _tag("h2", "Knowledge already lost"),
        _tag("p", "Files whose authors are all inactive: nobody still here wrote them.", cls="muted small"),
        _folded_list([_path(path) for path in report.knowledge_lost], "files")
        if report.knowledge_lost
        else _tag("p", "None: every file has an active author.", cls="ok"),
        *(
            (
                _tag("h2", "Code by machine identities"),
                _tag("p", UNATTRIBUTABLE, cls="muted small"),
                _folded_table(
                    _MACHINE_COLUMNS,
                    [[u.shown, u.commits, ", ".join(u.files) or "none"] for u in report.unattributable],
                    "machine identities",
                ),
            )
            if report.unattributable
            else ()
        ),
        _tag("h2", "Authors"),
        _tag("p", "Most commits first.", cls="muted small"),
        _folded_table(
            _AUTHOR_COLUMNS,
            [
                [a.name, a.email, a.commits, iso_date(a.first_commit), iso_date(a.last_commit),
                 _tag("span", "yes", cls="ok") if a.active else _tag("span", "no", cls="bad")]
                for a in report.authors
            ],
            "authors",
        ),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>mldebt ownership report</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>\n'
        f"<body>\n{''.join(body)}\n</body></html>\n"
    )
