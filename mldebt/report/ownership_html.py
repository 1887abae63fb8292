"""The ownership report as one self-contained HTML page: inline CSS and an inline SVG plot, no
script, no network.

Every value that comes from the repository (names, paths, e-mail addresses, pipeline names)
is escaped: markup is built only from `_Html` fragments, and anything else that reaches a
fragment goes through `html.escape` first, so forgetting to escape is not possible by
construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from mldebt.escaping import printable
from mldebt.ownership.model import OTHER_ENTRY_POINTS, UNATTRIBUTABLE, OwnershipReport, PipelineOwnership, iso_date

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1180px;color:#1d1d1f;padding:0 1rem;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f5f5f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}.muted{color:#666}.small{font-size:.85em}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;min-width:11rem;flex:1}
.card b{font-size:1.8rem;display:block}.warn{background:#fff4e5;border-left:4px solid #e08a00;padding:.5rem 1rem}
ul.why{margin:0;padding-left:1.1rem}code{font-size:.9em;background:#f5f5f7;padding:0 .2rem;border-radius:3px}
svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#333}
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


def _table(headers: Iterable[str], rows: Iterable[Iterable[object]], numeric: Iterable[int] = ()) -> _Html:
    right = set(numeric)
    head = "".join(_tag("th", h) for h in headers)
    body = "".join(
        _tag("tr", *(_tag("td", cell, cls="num" if i in right else "") for i, cell in enumerate(row))) for row in rows
    )
    return _Html(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _list(items: Iterable[object], cls: str = "") -> _Html:
    return _tag("ul", *(_tag("li", item) for item in items), cls=cls)


def _names(names: tuple[str, ...]) -> _Html:
    return _e(", ".join(names)) if names else _tag("span", "nobody", cls="bad")


def _card(title: str, value: object, detail: object) -> _Html:
    return _tag("div", title, _tag("b", value), _tag("span", detail, cls="muted small"), cls="card")


_LABELLED = 12  # the riskiest pipelines get a label on the plot; every point has a tooltip
_FAN_OUT = 6  # pipelines at one spot spread right, up to this many steps


def _colour(p: PipelineOwnership) -> str:
    if p.unowned:
        return "#b00020"
    # At most one active author knows it (an owner team in CODEOWNERS does not make it known).
    return "#e08a00" if p.active_bus_factor <= 1 else "#1b7f3b"


def _scatter(pipelines: tuple[PipelineOwnership, ...]) -> _Html:
    """Complexity (y) against ownership (x: active authors, plus one for a CODEOWNERS owner),
    one point per pipeline with its details as a tooltip; the top left corner is the risk."""
    width, height, left, bottom, top, right = 760, 380, 56, 46, 16, 150
    plot_w, plot_h = width - left - right, height - top - bottom
    max_x = max([p.ownership for p in pipelines] + [3])
    max_y = max([p.complexity for p in pipelines] + [1.0]) * 1.1

    def x_of(value: float) -> float:
        return left + 12 + value / max_x * (plot_w - 24)

    def y_of(value: float) -> float:
        return top + plot_h - value / max_y * plot_h

    parts = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Complexity against ownership, one point per pipeline">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>',
    ]
    for tick in range(max_x + 1):
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="#999"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{tick}</text>')
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = y_of(max_y * fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{max_y * fraction:.1f}</text>')
    parts += [
        f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">'
        "ownership: active authors + 1 for a CODEOWNERS owner</text>",
        f'<text x="14" y="{top + plot_h / 2}" transform="rotate(-90 14 {top + plot_h / 2})" '
        'text-anchor="middle">model complexity</text>',
    ]
    seen: dict[tuple[int, float], int] = {}
    labels: list[tuple[float, float]] = []
    labelled = {id(p) for p in sorted(pipelines, key=lambda p: -p.risk)[:_LABELLED]}
    for p in sorted(pipelines, key=lambda p: (p.ownership, -p.complexity)):
        # Pipelines at the same spot fan out to the right instead of hiding each other.
        nudge = seen.get((p.ownership, p.complexity), 0)
        seen[(p.ownership, p.complexity)] = nudge + 1
        cx, cy = x_of(p.ownership) + 9 * min(nudge, _FAN_OUT), y_of(p.complexity)
        tooltip = (
            f"{p.name} ({p.kind}): complexity {p.complexity:g}, risk {p.risk:g}, "
            f"owners: {', '.join(p.owners) or 'nobody'}"
        )
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{_colour(p)}" fill-opacity="0.8" stroke="#fff">'
            f"{_tag('title', tooltip)}</circle>"
        )
        if nudge == 0 and id(p) in labelled:
            # Labels of nearby points are pushed down until they no longer overlap; one that
            # would leave the plot is dropped (the tooltip and the table still name it).
            ly = cy + 4
            while any(abs(x - cx) < 90 and abs(y - ly) < 12 for x, y in labels):
                ly += 12
            if ly <= top + plot_h - 4:
                labels.append((cx, ly))
                label = p.name if len(p.name) <= 24 else p.name[:23] + "…"
                parts.append(f'<text x="{cx + 9:.1f}" y="{ly:.1f}">{_e(label)}</text>')
    legend_x = left + plot_w + 14
    for i, (colour, text) in enumerate(
        (("#b00020", "no owner"), ("#e08a00", "bus factor ≤ 1"), ("#1b7f3b", "shared knowledge"))
    ):
        y = top + 12 + 20 * i
        parts.append(f'<circle cx="{legend_x + 6}" cy="{y}" r="6" fill="{colour}" fill-opacity="0.8"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{y + 4}">{text}</text>')
    parts.append("</svg>")
    return _Html("".join(parts))


def _pipeline_row(p: PipelineOwnership) -> list[object]:
    name = _Html(
        _tag("b", p.name)
        + (_tag("span", " unowned", cls="bad") if p.unowned and p.ml_pipeline else "")
        + _Html("<br>")
        + _tag("span", f"{p.kind} · {p.source}:{p.line}", cls="muted small")
    )
    return [
        f"{p.risk:.2f}", name, f"{p.bus_factor} ({p.active_bus_factor})",
        f"{p.complexity:g}", _names(p.owners), iso_date(p.last_change),
        _list(p.why, cls="why small"),
    ]


def _warnings(warnings: Sequence[str]) -> _Html:
    """A few warnings in full; more (a CODEOWNERS file full of stale lines) folded under one."""
    if len(warnings) <= 3:
        return _Html("".join(_tag("p", "Warning: ", w, cls="warn") for w in warnings))
    return _tag(
        "details", _tag("summary", f"{len(warnings)} warnings"), _list(warnings, cls="small"), cls="warn",
    )


def _pipeline_table(pipelines: Sequence[PipelineOwnership]) -> _Html:
    if not pipelines:
        return _tag("p", "None found.", cls="muted")
    return _table(
        ["Risk", "Pipeline", "Bus factor (active)", "Complexity", "Owners", "Last change", "Why"],
        (_pipeline_row(p) for p in pipelines),
        numeric=(0, 2, 3),
    )


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
            f"{report.active_months} months before count as inactive",
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
            "for code untouched for a year.",
            cls="muted small",
        ),
        _pipeline_table(ml),
        _tag("h2", "Complexity against ownership"),
        _scatter(ml),
        *(
            (
                _tag("h2", "Other entry points"),
                _tag("p", OTHER_ENTRY_POINTS, cls="muted small"),
                _pipeline_table(report.other_entry_points),
            )
            if report.other_entry_points
            else ()
        ),
        _tag("h2", "Truck factor per module"),
        _table(
            ["Module", "Truck factor", "Active truck factor", "Authors it removes"],
            ([m.path, m.truck_factor, m.active_truck_factor, _names(m.authors)] for m in report.modules),
            numeric=(1, 2),
        ),
        _tag("h2", "Knowledge already lost"),
        _tag("p", "Files whose authors are all inactive: nobody still here wrote them.", cls="muted small"),
        _list(report.knowledge_lost) if report.knowledge_lost else _tag("p", "None: every file has an active author.", cls="ok"),
        *(
            (
                _tag("h2", "Code by machine identities"),
                _tag("p", UNATTRIBUTABLE, cls="muted small"),
                _table(
                    ["Identity", "Commits", "Code files it changed"],
                    ([u.shown, u.commits, ", ".join(u.files) or "none"] for u in report.unattributable),
                    numeric=(1,),
                ),
            )
            if report.unattributable
            else ()
        ),
        _tag("h2", "Authors"),
        _table(
            ["Author", "E-mail", "Commits", "First commit", "Last commit", "Active"],
            (
                [a.name, a.email, a.commits, iso_date(a.first_commit), iso_date(a.last_commit),
                 _tag("span", "yes", cls="ok") if a.active else _tag("span", "no", cls="bad")]
                for a in report.authors
            ),
            numeric=(2,),
        ),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>mldebt ownership report</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>\n'
        f"<body>\n{''.join(body)}\n</body></html>\n"
    )
