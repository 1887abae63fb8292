"""The ownership report as terminal text and as Markdown."""

from __future__ import annotations

from mldebt.ownership.model import OwnershipReport, iso


def _date(timestamp: int | None) -> str:
    text = iso(timestamp)
    return text[:10] if text else "-"


def render_ownership_text(report: OwnershipReport) -> str:
    lines = [
        f"HEAD {report.head[:12]}, as of {_date(report.as_of)}{' (partial history)' if report.partial else ''}",
        f"Truck factor {report.truck_factor} ({', '.join(report.truck_factor_authors) or 'nobody'}); "
        f"counting only active authors: {report.active_truck_factor}",
        "",
        "Pipelines by risk:",
    ]
    for p in report.pipelines:
        flag = "UNOWNED " if p.unowned and p.ml_pipeline else ""
        lines.append(
            f"  {p.risk:>6.2f}  {flag}{p.kind} {p.name}: bus factor {p.bus_factor} (active {p.active_bus_factor}), "
            f"complexity {p.complexity:g}; {'; '.join(p.why)}"
        )
    if report.knowledge_lost:
        lines += ["", f"Knowledge already lost ({len(report.knowledge_lost)} files whose authors are all inactive):"]
        lines += [f"  {path}" for path in report.knowledge_lost[:20]]
        if len(report.knowledge_lost) > 20:
            lines.append(f"  ... and {len(report.knowledge_lost) - 20} more")
    lines += ["", "Authors:"]
    lines += [
        f"  {a.name:<24} {a.commits:>5} commits, {_date(a.first_commit)} .. {_date(a.last_commit)}"
        f"{'' if a.active else '  (inactive)'}"
        for a in report.authors
    ]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def _md(text: object) -> str:
    """Table-cell text: pipes and newlines would break the table; angle brackets are escaped
    so that names cannot inject HTML into rendered Markdown."""
    return (
        str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
        .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def render_ownership_markdown(report: OwnershipReport) -> str:
    out = [
        "# Ownership report",
        "",
        f"HEAD `{report.head[:12]}`, as of {_date(report.as_of)}."
        + (" **History is partial (shallow clone).**" if report.partial else ""),
        "",
        f"- Truck factor: **{report.truck_factor}** ({_md(', '.join(report.truck_factor_authors) or 'nobody')})",
        f"- Counting only active authors: **{report.active_truck_factor}**",
        "",
        "## Pipelines, riskiest first",
        "",
        "| Risk | Pipeline | Kind | Bus factor (active) | Complexity | Owners | Why |",
        "| ---: | --- | --- | --- | ---: | --- | --- |",
    ]
    for p in report.pipelines:
        owners = ", ".join(p.codeowners) or ", ".join(p.active_authors) or "**nobody**"
        out.append(
            f"| {p.risk:.2f} | {_md(p.name)} | {p.kind} | {p.bus_factor} ({p.active_bus_factor}) | {p.complexity:g} "
            f"| {_md(owners)} | {_md('; '.join(p.why))} |"
        )
    out += ["", "## Truck factor per module", "", "| Module | Truck factor | Authors |", "| --- | ---: | --- |"]
    out += [f"| {_md(m.path)} | {m.truck_factor} | {_md(', '.join(m.authors))} |" for m in report.modules]
    out += ["", "## Knowledge already lost", ""]
    out += [f"- {_md(path)}" for path in report.knowledge_lost] or ["Nothing: every file has an active author."]
    out += ["", "## Authors", "", "| Author | Commits | First | Last | Active |", "| --- | ---: | --- | --- | --- |"]
    out += [
        f"| {_md(a.name)} | {a.commits} | {_date(a.first_commit)} | {_date(a.last_commit)} | {'yes' if a.active else 'no'} |"
        for a in report.authors
    ]
    return "\n".join(out) + "\n"
