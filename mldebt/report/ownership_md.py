"""The ownership report as Markdown (for a wiki page or a pull-request comment) and as a compact
terminal summary. Both read only the report model."""

from __future__ import annotations

import re

from mldebt.escaping import printable, printable_line
from mldebt.ownership.model import OTHER_ENTRY_POINTS, OTHER_SHARED_CODE, UNATTRIBUTABLE, OwnershipReport, PipelineOwnership, iso_date

# Markdown punctuation that could turn a name into a link, emphasis, code or a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#!~])")
_TEXT_LIMIT = 10


BUS_FACTOR = (
    "Bus factor N (active M): N authors leaving would leave most of a pipeline's files without an author; "
    "M counts only the authors still active, so active 0 means that has happened already: it is orphaned."
)


def bus_factor_words(bus_factor: int, active: int) -> str:
    """What "bus factor N (active M)" says of one pipeline, in words."""
    if bus_factor == 0:
        return "no author in the history"
    if active == 0:
        return "orphaned already"
    return "one departure orphans it" if active == 1 else f"{active} departures orphan it"


def _md(value: object) -> str:
    """Text for Markdown: punctuation escaped with backslashes, and `<`, `>`, `&` as entities
    so that names cannot inject HTML where the Markdown is rendered; line breaks become spaces
    and other controls ``printable`` escapes, for the Markdown is often printed in a CI log."""
    text = printable(" ".join(str(value).split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _names(names: tuple[str, ...], empty: str = "nobody") -> str:
    return ", ".join(names) or empty


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _header(report: OwnershipReport) -> list[str]:
    """The lines every format starts with: what was analysed, and the repository's truck factor."""
    partial = " History is partial (shallow clone)." if report.partial else ""
    return [
        f"HEAD {report.head[:12]}, as of {iso_date(report.as_of)}; authors without a commit in the "
        f"{report.active_months} months before count as inactive; authors read by the "
        f"{report.authorship_model!r} authorship model.{partial}",
        f"Truck factor {report.truck_factor} ({_names(report.truck_factor_authors)}); "
        f"counting only active authors: {report.active_truck_factor}.",
    ]


def render_ownership_markdown(report: OwnershipReport) -> str:
    """The whole report as one Markdown document."""
    out = ["# Ownership report", "", *(_md(line) + "  " for line in _header(report)), ""]
    out += [f"> **Warning:** {_md(w)}" for w in report.warnings]
    out += ["## Pipelines, riskiest first", "", _md(BUS_FACTOR), "", *_pipeline_table(report.ml_pipelines)]
    if report.other_entry_points:
        out += ["", "## Other entry points", "", _md(OTHER_ENTRY_POINTS), "", *_pipeline_table(report.other_entry_points)]
    if report.other_shared_code:
        out += ["", "## Other shared code", "", _md(OTHER_SHARED_CODE), "", *_pipeline_table(report.other_shared_code)]
    out += ["", "## Truck factor per module", "", _row("Module", "Truck factor", "Active", "Authors it removes")]
    out += [_row("---", "---:", "---:", "---")]
    out += [_row(_md(m.path), m.truck_factor, m.active_truck_factor, _md(_names(m.authors))) for m in report.modules]
    out += ["", "## Knowledge already lost", "", "Files whose authors are all inactive:", ""]
    out += [f"- {_md(path)}" for path in report.knowledge_lost] or ["- none: every file has an active author"]
    if report.unattributable:
        out += ["", "## Code by machine identities", "", _md(UNATTRIBUTABLE), ""]
        out += [_row("Identity", "Commits", "Code files it changed"), _row("---", "---:", "---")]
        out += [_row(_md(u.shown), u.commits, _md(", ".join(u.files) or "none")) for u in report.unattributable]
    out += ["", "## Authors", "", _row("Author", "E-mail", "Commits", "First", "Last", "Active")]
    out += [_row("---", "---", "---:", "---", "---", "---")]
    out += [
        _row(_md(a.name), _md(a.email), a.commits, iso_date(a.first_commit), iso_date(a.last_commit),
             "yes" if a.active else "**no**")
        for a in report.authors
    ]
    return "\n".join(out) + "\n"


def _pipeline_table(pipelines: tuple[PipelineOwnership, ...]) -> list[str]:
    if not pipelines:
        return ["None found."]
    return [
        _row("Risk", "Pipeline", "Kind", "Bus factor (active)", "Complexity", "Owners", "Last change", "Why"),
        _row("---:", "---", "---", "---:", "---:", "---", "---", "---"),
        *(
            _row(
                f"{p.risk:.2f}", _md(p.name) + (" **(unowned)**" if p.unowned and p.ml_pipeline else ""), _md(p.kind),
                f"{p.bus_factor} (active {p.active_bus_factor}): {bus_factor_words(p.bus_factor, p.active_bus_factor)}",
                f"{p.complexity:g}", _md(_names(p.owners)),
                iso_date(p.last_change), _md("; ".join(p.why)),
            )
            for p in pipelines
        ),
    ]


def _pipeline_line(p: PipelineOwnership) -> str:
    flag = "UNOWNED " if p.unowned and p.ml_pipeline else ""
    return (
        f"  {p.risk:>6.2f}  {flag}{p.kind} {p.name}: bus factor {p.bus_factor} "
        f"(active {p.active_bus_factor}: {bus_factor_words(p.bus_factor, p.active_bus_factor)}), "
        f"complexity {p.complexity:g}, owners {_names(p.owners)}"
    )


def _files(files: tuple[str, ...]) -> str:
    if not files:
        return "no code file"
    more = f" and {len(files) - 3} more" if len(files) > 3 else ""
    return "in " + ", ".join(files[:3]) + more


def _commits(count: int) -> str:
    return "1 commit" if count == 1 else f"{count} commits"


def render_identities_text(report: OwnershipReport) -> str:
    """`mldebt ownership --identities`: each developer merged from several identities (and
    each bot and machine), its identities, and why each merge was made."""
    lines = [
        f"{len(report.identities)} developers merged from several identities, bots and machines "
        "(override in [tool.mldebt.history] aliases):"
    ]
    for group in report.identities:
        commits = sum(c for _, _, c in group.identities)
        kind = "" if group.kind == "person" else f" [{group.kind}]"
        lines += ["", f"{group.name}{kind}: {_commits(commits)}"]
        lines += [f"  {name} <{email}>: {_commits(count)}" for name, email, count in group.identities]
        lines += [f"    merged {m.identity} with {m.other}: {m.reason}" for m in group.merges]
    return "".join(printable_line(line) + "\n" for line in lines)


def render_ownership_text(report: OwnershipReport) -> str:
    """A compact summary for the terminal: the riskiest pipelines with their reasons, the
    knowledge already lost, and who is still around."""
    lines = [*_header(report), "", "Pipelines by risk:"]
    ml = report.ml_pipelines
    for p in ml[:_TEXT_LIMIT]:
        lines += [_pipeline_line(p), f"          {'; '.join(p.why)}"]
    if len(ml) > _TEXT_LIMIT:
        lines.append(f"  ... and {len(ml) - _TEXT_LIMIT} more (all of them: --format markdown, html or json)")
    if not ml:
        lines.append("  none found")
    others = report.other_entry_points
    if others:
        lines += ["", f"Other entry points: {len(others)} scripts and notebooks that build, train or load no model"]
        lines += [f"  {p.kind} {p.name}" for p in others[:_TEXT_LIMIT]]
        if len(others) > _TEXT_LIMIT:
            lines.append(f"  ... and {len(others) - _TEXT_LIMIT} more")
    if report.other_shared_code:
        lines += ["", "Other shared code: modules three or more pipelines run, with no model in them"]
        lines += [f"  {p.name}: {', '.join(p.own_files)}" for p in report.other_shared_code]
    if report.knowledge_lost:
        lost = report.knowledge_lost
        lines += ["", f"Knowledge already lost: {len(lost)} files whose authors are all inactive"]
        lines += [f"  {path}" for path in lost[:_TEXT_LIMIT]]
        if len(lost) > _TEXT_LIMIT:
            lines.append(f"  ... and {len(lost) - _TEXT_LIMIT} more")
    if report.unattributable:
        lines += ["", f"Machine identities: {len(report.unattributable)}, whose code nobody can be held to"]
        lines += [
            f"  {u.shown}: {_commits(u.commits)}, {_files(u.files)}"
            for u in report.unattributable[:_TEXT_LIMIT]
        ]
        if len(report.unattributable) > _TEXT_LIMIT:
            lines.append(f"  ... and {len(report.unattributable) - _TEXT_LIMIT} more")
    active = sum(1 for a in report.authors if a.active)
    lines += ["", f"Authors: {active} of {len(report.authors)} active"]
    lines += [
        f"  {a.name:<24} {a.commits:>5} commits, last {iso_date(a.last_commit)}{'' if a.active else '  (inactive)'}"
        for a in report.authors[: 2 * _TEXT_LIMIT]
    ]
    if len(report.authors) > 2 * _TEXT_LIMIT:
        lines.append(f"  ... and {len(report.authors) - 2 * _TEXT_LIMIT} more")
    # Names, paths and pipelines come from the repository: no line of theirs may control
    # the terminal or be a workflow command.
    return "".join(printable_line(line) + "\n" for line in lines)
