"""The ownership report as one self-contained HTML page: inline CSS and SVG, no script, no
network. Every value from the repository (names, paths, e-mails) goes through `html.escape`."""

from __future__ import annotations

from html import escape

from mldebt.ownership.model import OwnershipReport, PipelineOwnership, iso

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f5f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}.muted{color:#666}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;min-width:12rem}
.card b{font-size:1.6rem;display:block}svg text{font:11px system-ui,sans-serif}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _date(timestamp: int | None) -> str:
    text = iso(timestamp)
    return text[:10] if text else "-"


def _scatter(pipelines: tuple[PipelineOwnership, ...]) -> str:
    """Complexity (y) against ownership (x: active authors + 2 for a CODEOWNERS owner)."""
    width, height, pad = 640, 320, 40
    points = [(len(p.active_authors) + (2 if p.codeowners else 0), p.complexity, p) for p in pipelines]
    max_x = max([x for x, _, _ in points] + [4])
    max_y = max([y for _, y, _ in points] + [1.0])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="Complexity against ownership per pipeline">',
        f'<rect x="{pad}" y="10" width="{width - pad - 10}" height="{height - pad - 10}" fill="#fafafa" stroke="#ccc"/>',
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">ownership (active authors + 2 for CODEOWNERS)</text>',
        f'<text x="12" y="{height / 2}" transform="rotate(-90 12 {height / 2})" text-anchor="middle">complexity</text>',
    ]
    for x, y, p in points:
        cx = pad + 10 + x / max_x * (width - pad - 40)
        cy = height - pad - 10 - y / max_y * (height - pad - 40)
        colour = "#b00020" if p.unowned else ("#e08a00" if len(p.active_authors) <= 1 else "#1b7f3b")
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{colour}" fill-opacity="0.75">'
            f"<title>{_e(p.name)}: complexity {p.complexity:g}, risk {p.risk:g}</title></circle>"
        )
        parts.append(f'<text x="{cx + 8:.1f}" y="{cy + 4:.1f}">{_e(p.name[:28])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_ownership_html(report: OwnershipReport) -> str:
    rows = []
    for p in report.pipelines:
        owners = ", ".join(p.codeowners) or ", ".join(p.active_authors)
        rows.append(
            "<tr>"
            f'<td class="num">{p.risk:.2f}</td><td>{_e(p.name)}</td><td>{_e(p.kind)}</td>'
            f'<td class="num">{p.bus_factor} ({p.active_bus_factor})</td><td class="num">{p.complexity:g}</td>'
            f'<td>{_e(owners) if owners else "<span class=bad>nobody</span>"}</td>'
            f"<td>{_e('; '.join(p.why))}</td></tr>"
        )
    modules = "".join(
        f'<tr><td>{_e(m.path)}</td><td class="num">{m.truck_factor}</td><td>{_e(", ".join(m.authors))}</td></tr>'
        for m in report.modules
    )
    lost = "".join(f"<li>{_e(path)}</li>" for path in report.knowledge_lost) or "<li class=ok>Nothing: every file has an active author.</li>"
    authors = "".join(
        f'<tr><td>{_e(a.name)}</td><td>{_e(a.email)}</td><td class="num">{a.commits}</td>'
        f"<td>{_date(a.first_commit)}</td><td>{_date(a.last_commit)}</td>"
        f"<td>{'<span class=ok>yes</span>' if a.active else '<span class=bad>no</span>'}</td></tr>"
        for a in report.authors
    )
    warnings = "".join(f"<p class=bad>{_e(w)}</p>" for w in report.warnings)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mldebt ownership report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>Ownership report</h1>
<p class="muted">HEAD {_e(report.head[:12])}, as of {_date(report.as_of)}{" &middot; <span class=bad>partial history (shallow clone)</span>" if report.partial else ""}</p>
{warnings}
<div class="cards">
<div class="card">Truck factor<b>{report.truck_factor}</b><span class="muted">{_e(", ".join(report.truck_factor_authors) or "nobody")}</span></div>
<div class="card">Active truck factor<b>{report.active_truck_factor}</b><span class="muted">authors inactive for a year count as gone</span></div>
<div class="card">Pipelines without an owner<b>{sum(1 for p in report.pipelines if p.unowned and p.ml_pipeline)}</b><span class="muted">of {len(report.pipelines)}</span></div>
</div>
<h2>Pipelines, riskiest first</h2>
<table><thead><tr><th>Risk</th><th>Pipeline</th><th>Kind</th><th>Bus factor (active)</th><th>Complexity</th><th>Owners</th><th>Why</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Complexity against ownership</h2>
{_scatter(report.pipelines)}
<p class="muted">Red: no owner; orange: one active author at most; green: shared ownership.</p>
<h2>Truck factor per module</h2>
<table><thead><tr><th>Module</th><th>Truck factor</th><th>Authors it removes</th></tr></thead><tbody>{modules}</tbody></table>
<h2>Knowledge already lost</h2>
<ul>{lost}</ul>
<h2>Authors</h2>
<table><thead><tr><th>Author</th><th>E-mail</th><th>Commits</th><th>First</th><th>Last</th><th>Active</th></tr></thead><tbody>{authors}</tbody></table>
</body></html>
"""
