"""The Markdown, text and HTML renderings: complete, ranked, and escaped everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mldebt.demo.history import Commit, build_history
from mldebt.ownership.model import (
    AuthorInfo,
    FileOwnership,
    ModuleOwnership,
    OwnershipReport,
    PipelineOwnership,
    Unattributable,
)
from mldebt.report.ownership_html import render_ownership_html
from mldebt.report.ownership_md import render_ownership_markdown, render_ownership_text

EVIL = "<script>alert(1)</script>"
T0 = 1_700_000_000


def _pipeline(name: str, risk: float, **changes: object) -> PipelineOwnership:
    values: dict[str, object] = dict(
        name=name, kind="script", entry=f"{name}.py", source=f"{name}.py", line=1, files=(f"{name}.py",),
        bus_factor=1, bus_factor_authors=(EVIL,), active_bus_factor=0, authors=(EVIL,), active_authors=(),
        codeowners=(), complexity=risk, complexity_parts={"estimators": risk}, risk=risk, unowned=True,
        ml_pipeline=True, last_change=T0, why=(f"no active author ({EVIL} inactive)",),
    )
    values.update(changes)
    return PipelineOwnership(**values)  # type: ignore[arg-type]


@pytest.fixture
def evil_report() -> OwnershipReport:
    """Every string a repository controls is the same script tag."""
    return OwnershipReport(
        head="a" * 40, as_of=T0, partial=True, truck_factor=1, truck_factor_authors=(EVIL,), active_truck_factor=0,
        authors=(AuthorInfo(EVIL, f"{EVIL}@example.org", 3, T0 - 10**8, T0 - 10**8, False),
                 AuthorInfo("Ann | Active", "ann@example.org", 1, T0, T0, True)),
        files=(FileOwnership(EVIL, 1, (EVIL,), (), (EVIL,), 2, T0),),
        modules=(ModuleOwnership(EVIL, 1, (EVIL,), 0),),
        pipelines=(
            _pipeline(EVIL, 9.0),
            _pipeline("score", 0.5, active_authors=("Ann | Active",), codeowners=("@team",), unowned=False),
        ),
        warnings=(f"shallow clone {EVIL}",), knowledge_lost=(EVIL,), active_months=12,
    )


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_everything(evil_report: OwnershipReport) -> None:
    page = render_ownership_html(evil_report)
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    # The escaped names are there as text, in every section.
    assert "".join(parser.text).count(EVIL) >= 10


def test_html_is_self_contained(evil_report: OwnershipReport) -> None:
    page = render_ownership_html(evil_report)
    assert not re.search(r"https?:|//[a-z]|\bsrc=|<link|@import|url\(", page, re.I)
    assert "<style>" in page and "<svg" in page


def test_html_sections_and_plot(evil_report: OwnershipReport) -> None:
    page = render_ownership_html(evil_report)
    for heading in ("Pipelines, riskiest first", "Complexity against ownership", "Truck factor per module",
                    "Knowledge already lost", "Authors"):
        assert f"<h2>{heading}</h2>" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<circle") == 2 + 3  # one per pipeline, three in the legend
    assert svg.count("<title>") == 2 and "complexity 9, risk 9" in svg
    # Riskiest first in the table.
    table = page[page.index("Pipelines, riskiest first") : page.index("Complexity against ownership")]
    assert table.index("&lt;script&gt;") < table.index("score")
    assert "partial history" in page and "@team, Ann | Active" in page


def test_the_text_summary_shows_the_ten_riskiest(evil_report: OwnershipReport) -> None:
    crowd = tuple(_pipeline(f"p{i:02d}", 40.0 - i) for i in range(25))
    text = render_ownership_text(replace(evil_report, pipelines=crowd))
    assert "p09" in text and "p10" not in text and "... and 15 more" in text


def test_many_warnings_fold_under_one_line(evil_report: OwnershipReport) -> None:
    page = render_ownership_html(replace(evil_report, warnings=tuple(f"CODEOWNERS:{i}: `{EVIL}`" for i in range(5))))
    assert "<details class=\"warn\"><summary>5 warnings</summary>" in page and page.count("<li>CODEOWNERS:") == 5
    assert "<details" not in render_ownership_html(evil_report)


def test_markdown_escapes_and_keeps_tables_whole(evil_report: OwnershipReport) -> None:
    markdown = render_ownership_markdown(evil_report)
    assert "<script" not in markdown and "&lt;script&gt;" in markdown
    assert "Ann \\| Active" in markdown  # a pipe would split the table cell
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    widths = {line.replace("\\|", "").count("|") for line in rows if "Risk" in line or "**(unowned)**" in line}
    assert len(widths) == 1
    for section in ("## Pipelines, riskiest first", "## Truck factor per module", "## Knowledge already lost", "## Authors"):
        assert section in markdown
    assert "History is partial" in markdown


def test_text_summary_is_compact(evil_report: OwnershipReport) -> None:
    text = render_ownership_text(evil_report)
    lines = text.splitlines()
    assert lines[0].startswith("HEAD aaaaaaaaaaaa, as of 2023-11-14") and "partial" in lines[0]
    assert any("UNOWNED script" in line for line in lines)
    assert "Authors: 1 of 2 active" in text and "(inactive)" in text
    assert len(lines) < 30


def test_entry_points_without_a_model_are_listed_apart(evil_report: OwnershipReport) -> None:
    tool = _pipeline("make_docs", 20.0, ml_pipeline=False)
    report = replace(evil_report, pipelines=(tool, *evil_report.pipelines))

    text = render_ownership_text(report)
    ranked, others = text.split("Other entry points: 1 ")
    assert "make_docs" not in ranked and "script make_docs" in others
    markdown = render_ownership_markdown(report)
    assert markdown.index("## Pipelines, riskiest first") < markdown.index("## Other entry points") < markdown.index("make\\_docs")
    page = render_ownership_html(report)
    assert page.index("<h2>Other entry points</h2>") < page.index("make_docs")
    # Not on the plot of ML pipelines either.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "make_docs" not in svg and svg.count("<title>") == 2


def test_renderers_on_a_history_with_hostile_names(tmp_path: Path, make_report: Callable[..., OwnershipReport]) -> None:
    """The same through git: a DVC stage and a file path named like a script tag (git itself
    drops angle brackets from author names)."""
    repo = build_history(tmp_path / "repo", [
        Commit("Eve O'Hara & co", "evil@example.org", "2024-01-01T12:00:00+00:00", "x", {
            "pyproject.toml": "[project]\nname = 'x'\n",
            f"src/{EVIL}.py": "import joblib\n\nif __name__ == '__main__':\n    joblib.load('m.pkl')\n",
            "dvc.yaml": f"stages:\n  '{EVIL}':\n    cmd: python 'src/{EVIL}.py'\n",
        }),
    ])
    report = make_report(repo)
    assert {p.name for p in report.pipelines} >= {EVIL} and report.authors[0].name == "Eve O'Hara & co"
    assert f"src/{EVIL}.py" in {f.path for f in report.files}
    for page in (render_ownership_html(report), render_ownership_markdown(report)):
        assert "<script" not in page and "&lt;script&gt;" in page and "O'Hara & co" not in page


def test_code_by_machine_identities_is_listed_in_every_format(evil_report: OwnershipReport) -> None:
    report = replace(evil_report, unattributable=(
        Unattributable("ubuntu@ip-10-0-0-1.ec2.internal", "ubuntu@ip-10-0-0-1.ec2.internal", 4,
                       ("a.py", "b.py", "c.py", "d.py")),
    ))
    text = render_ownership_text(report)
    assert (
        "Machine identities: 1, whose code nobody can be held to\n"
        "  ubuntu@ip-10-0-0-1.ec2.internal: 4 commits, in a.py, b.py, c.py and 1 more\n"
    ) in text
    markdown = render_ownership_markdown(report)
    assert "## Code by machine identities" in markdown
    assert "| ubuntu@ip-10-0-0-1.ec2.internal | 4 | a.py, b.py, c.py, d.py |" in markdown
    assert "<h2>Code by machine identities</h2>" in render_ownership_html(report)
    # Without any, nothing is said: the reports of most repositories do not change.
    assert "machine" not in render_ownership_markdown(evil_report).casefold()
    assert "Machine identities" not in render_ownership_text(evil_report)


def test_shared_code_without_a_model_is_listed_apart(evil_report: OwnershipReport) -> None:
    shared = replace(
        _pipeline("utils/", 3.0, ml_pipeline=False), kind="shared-code", entry=None,
        own_files=("utils/io.py", "utils/paths.py"), shared_by=4,
    )
    report = replace(evil_report, pipelines=(shared, *evil_report.pipelines))
    assert report.other_shared_code == (shared,) and shared not in report.other_entry_points

    text = render_ownership_text(report)
    assert "Other shared code: modules three or more pipelines run" in text
    assert "  utils/: utils/io.py, utils/paths.py" in text and "Other entry points" not in text
    assert "## Other shared code" in render_ownership_markdown(report)
    page = render_ownership_html(report)
    assert page.index("<h2>Other shared code</h2>") < page.index("utils/")
