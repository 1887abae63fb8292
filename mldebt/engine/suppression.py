"""What the repository says not to report: `# mldebt: ignore[...]` comments and
`per-file-ignores`.

A comment suppresses the findings on its own line, or, alone on its line, on the line below
(flake8's noqa and ruff's rules). One that suppresses nothing is itself a finding (MLD007),
so that a suppression outliving its reason does not hide the next finding there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pathspec

from mldebt.config import Settings
from mldebt.findings import Finding, Location
from mldebt.parse.facts import FileFacts, Span, locate
from mldebt.rules import UNUSED_SUPPRESSION


@dataclass
class _Comment:
    """One `# mldebt: ignore` comment, where findings are located (a notebook's cell and line)."""

    codes: tuple[str, ...]  # empty: every code
    reason: str
    location: Location
    # Set when it suppresses a finding; one never set is reported as unused.
    used: bool = False


def apply_suppressions(
    findings: list[Finding], facts: Mapping[str, FileFacts], settings: Settings
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed) and add one for every unused suppression."""
    by_place: dict[tuple[str, int | None, int], list[_Comment]] = defaultdict(list)
    comments: list[_Comment] = []
    for path, file in facts.items():
        for suppression in file.suppressions:
            location = locate(file, Span(suppression.line, 1, suppression.line, 1))
            comment = _Comment(suppression.codes, suppression.reason, location)
            comments.append(comment)
            by_place[(path, location.cell, location.line)].append(comment)
            if suppression.own_line:
                # The line below is in the same cell, or it is no line of this one.
                by_place[(path, location.cell, location.line + 1)].append(comment)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        loc = finding.location
        hit = next(
            (c for c in by_place.get((loc.path, loc.cell, loc.line), ()) if not c.codes or finding.code in c.codes), None
        )
        if hit is None:
            kept.append(finding)
            continue
        hit.used = True
        message = f"{finding.message} (suppressed: {hit.reason})" if hit.reason else finding.message
        suppressed.append(replace(finding, message=message))
    if settings.is_selected(UNUSED_SUPPRESSION.code):
        for comment in comments:
            # A suppression of rules this run does not select cannot be judged unused.
            if comment.used or (comment.codes and not any(settings.is_selected(c) for c in comment.codes)):
                continue
            label = f"[{', '.join(comment.codes)}]" if comment.codes else ""
            kept.append(
                UNUSED_SUPPRESSION().finding(
                    comment.location, f"unused suppression `# mldebt: ignore{label}`: nothing to suppress here",
                    snippet=f"ignore{label}",
                )
            )
    return kept, suppressed


def per_file_ignored(settings: Settings) -> Callable[[str, str], bool]:
    """Whether `per-file-ignores` silences a code in a path: a gitignore-style pattern and the
    codes or prefixes it ignores there (ALL: every code)."""
    specs = [
        (pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in settings.per_file_ignores
    ]

    def ignored(path: str, code: str) -> bool:
        return any(spec.match_file(path) and any(code.startswith(c) or c == "ALL" for c in codes) for spec, codes in specs)

    return ignored
