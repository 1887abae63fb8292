"""The HTML ownership report as a tech lead reads it: a plot scaled to its points with labels
that neither repeat nor overlap, long tables folded, the module table kept to the levels
where the repository branches, and "bus factor N (active M)" said in words."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from mldebt.ownership.model import AuthorInfo, ModuleOwnership, OwnershipReport, PipelineOwnership
from mldebt.report.ownership_html import module_levels, plot_labels, render_ownership_html
from mldebt.report.ownership_md import render_ownership_markdown, render_ownership_text

T0 = 1_700_000_000
SVG = ""  # inline SVG in HTML needs no namespace
FONT, CHAR = 13, 0.62 * 13  # the labels' monospace font: its size and (at most) its advance


def pipeline(name: str, *, complexity: float = 1.0, active: int = 0, source: str | None = None,
             kind: str = "script", bus_factor: int = 1, active_bus_factor: int = 0) -> PipelineOwnership:
    authors = tuple(f"dev{i}" for i in range(active))
    return PipelineOwnership(
        name=name, kind=kind, entry=name, source=source or name, line=3, files=(name,), bus_factor=bus_factor,
        bus_factor_authors=authors[:1], active_bus_factor=active_bus_factor, authors=authors,
        active_authors=authors, codeowners=(), complexity=complexity, complexity_parts={"estimators": complexity},
        risk=complexity / (1 + active), unowned=not active, ml_pipeline=True, last_change=T0,
        why=("no CODEOWNERS entry",),
    )


def report(pipelines: tuple[PipelineOwnership, ...] = (), **changes: object) -> OwnershipReport:
    values: dict[str, object] = dict(
        head="b" * 40, as_of=T0, partial=False, truck_factor=1, truck_factor_authors=("dev0",),
        active_truck_factor=1, authors=(AuthorInfo("dev0", "dev0@example.org", 3, T0, T0, True),), files=(),
        modules=(), pipelines=tuple(sorted(pipelines, key=lambda p: -p.risk)), active_months=12,
    )
    values.update(changes)
    return OwnershipReport(**values)  # type: ignore[arg-type]


def plot(page: str) -> ET.Element:
    return ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])


def frame_of(svg: ET.Element) -> tuple[float, float, float, float]:
    rect = svg.find(f"{SVG}rect")
    assert rect is not None
    x, y, w, h = (float(rect.get(k, "")) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def points(svg: ET.Element) -> list[tuple[float, float]]:
    """The plotted pipelines (legend circles have no tooltip)."""
    return [
        (float(c.get("cx", "")), float(c.get("cy", ""))) for c in svg.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None
    ]


def label_boxes(svg: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        if text.get("class") != "label":
            continue
        x, y, width = float(text.get("x", "")), float(text.get("y", "")), len(text.text or "") * CHAR
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append((text.text or "", (left, y - 0.95 * FONT, left + width, y + 0.25 * FONT)))
    return boxes


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def ticks(svg: ET.Element, anchor: str) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == anchor and t.get("class") is None]


# ---- labels ---------------------------------------------------------------------------------


def test_labels_are_the_shortest_names_that_tell_pipelines_apart() -> None:
    pipelines = [
        pipeline("a/train.py"), pipeline("b/train.py"), pipeline("src/c/train.py"), pipeline("x/src/c/train.py"),
        pipeline("notebooks/eda.ipynb", kind="notebook"),
        pipeline("train", kind="dvc-stage", source="dvc.yaml"),
        pipeline("train", kind="dvc-stage", source="models/dvc.yaml"),
        pipeline("evaluate", kind="dvc-stage", source="dvc.yaml"),
    ]
    assert plot_labels(pipelines) == [
        "a/train.py", "b/train.py", "src/c/train.py", "x/src/c/train.py", "eda.ipynb",
        "train (dvc.yaml)", "train (models/dvc.yaml)", "evaluate",
    ]


def test_long_labels_keep_the_directory_that_tells_them_apart() -> None:
    long = "very_long_directory_name/another_directory/3_NeuralNetworks/dcgan.ipynb"
    labels = plot_labels([pipeline(long), pipeline("other/another_directory/3_NeuralNetworks/dcgan.ipynb")])
    assert labels == ["very_long_directory_name/…/dcgan.ipynb", "other/…/dcgan.ipynb"]


def test_elision_that_would_make_labels_equal_is_not_done() -> None:
    # One path ends the other: both would elide to `m/…/model.py`, so they keep their whole names.
    a, b = "m/a_directory_with_a_long_name/model.py", "m/m/a_directory_with_a_long_name/model.py"
    assert plot_labels([pipeline(a), pipeline(b)]) == [a, b]


def test_sixty_pipelines_of_one_name_are_labelled_apart_and_without_overlap() -> None:
    # 60 `train.py` in as many directories, nearly the same complexity: one crowded column.
    crowd = tuple(pipeline(f"projects/p{i:02d}/train.py", complexity=4 + (i % 7) / 10) for i in range(60))
    svg = plot(render_ownership_html(report(crowd)))
    boxes = label_boxes(svg)
    names = [name for name, _ in boxes]
    assert 8 <= len(names) <= 12 and len(set(names)) == len(names)
    assert all(re.fullmatch(r"p\d\d/train\.py", name) for name in names)
    left, top, right, bottom = frame_of(svg)
    dots = [(x - 7, y - 7, x + 7, y + 7) for x, y in points(svg)]
    assert len(dots) == 60
    for (_, a), (_, b) in itertools.combinations(boxes, 2):
        assert not overlap(a, b)
    for _, box in boxes:
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom
        assert not any(overlap(box, dot) for dot in dots)


def test_the_twelve_riskiest_are_labelled_when_there_is_room() -> None:
    spread = tuple(pipeline(f"p{i:02d}.py", complexity=float(i), active=i % 3) for i in range(20))
    names = {name for name, _ in label_boxes(plot(render_ownership_html(report(spread))))}
    assert names == {f"p{i:02d}.py" for i in range(20) if i / (1 + i % 3) >= sorted(
        (j / (1 + j % 3) for j in range(20)), reverse=True)[11]}


# ---- axes -----------------------------------------------------------------------------------


def test_axes_span_the_data_and_leave_no_half_empty() -> None:
    data = tuple(
        pipeline(f"p{i}.py", complexity=40 + i / 2, active=2 + i % 3) for i in range(11)
    )  # complexity 40 to 45, ownership 2 to 4
    svg = plot(render_ownership_html(report(data)))
    assert ticks(svg, "middle")[:3] == ["2", "3", "4"]
    assert ticks(svg, "end") == ["40", "42", "44", "46"]
    left, top, right, bottom = frame_of(svg)
    xs, ys = zip(*points(svg), strict=True)
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    assert min(xs) < middle_x < max(xs) and min(ys) < middle_y < max(ys)
    # The least complex point sits at the bottom of the plot, not 40 units above a zero.
    assert bottom - max(ys) < 20


def test_one_ownership_value_is_one_column_across_the_plot() -> None:
    svg = plot(render_ownership_html(report(tuple(pipeline(f"p{i}.py", complexity=i, active=1) for i in range(5)))))
    assert ticks(svg, "middle")[0] == "1" and "0" not in ticks(svg, "middle") and "2" not in ticks(svg, "middle")
    left, _, right, _ = frame_of(svg)
    assert all(abs(x - (left + right) / 2) < 40 for x, _ in points(svg))


def test_only_the_ownership_values_some_pipeline_has_are_columns() -> None:
    # One pipeline with nine owners does not push the others into the left tenth of the plot.
    svg = plot(render_ownership_html(report(tuple(pipeline(f"p{i}.py", active=i) for i in (0, 1, 1, 9)))))
    assert ticks(svg, "middle")[:3] == ["0", "1", "9"]
    left, _, right, _ = frame_of(svg)
    assert max(x for x, _ in points(svg)) > right - (right - left) / 4


def test_a_plot_without_points_or_spread_still_has_axes() -> None:
    for pipelines in ((), (pipeline("a.py", complexity=0.0), pipeline("b.py", complexity=0.0))):
        svg = plot(render_ownership_html(report(pipelines)))
        assert ticks(svg, "end") == ["0", "0.25", "0.5", "0.75", "1"]
        assert len(points(svg)) == len(pipelines)


# ---- tables ---------------------------------------------------------------------------------


def section(page: str, heading: str) -> str:
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start : end if end > 0 else len(page)]


def test_long_tables_show_ten_rows_and_fold_the_rest_in_order() -> None:
    many = tuple(pipeline(f"p{i:02d}.py", complexity=100.0 - i) for i in range(25))
    authors = tuple(AuthorInfo(f"dev{i:02d}", f"dev{i}@example.org", 50 - i, T0, T0, True) for i in range(14))
    page = render_ownership_html(report(many, authors=authors, knowledge_lost=tuple(f"f{i:02d}.py" for i in range(13))))
    pipelines = section(page, "Pipelines, riskiest first")
    shown, folded = pipelines.split("<details>")
    assert shown.count("<tr>") == 1 + 10 and folded.count("<tr>") == 1 + 15
    assert "<summary>15 more ML pipelines, riskiest first</summary>" in folded
    names = re.findall(r"<b>(p\d\d\.py)</b>", pipelines)
    assert names == [f"p{i:02d}.py" for i in range(25)]
    assert "<summary>4 more authors</summary>" in section(page, "Authors")
    assert "<summary>3 more files</summary>" in section(page, "Knowledge already lost")


def test_a_table_a_little_longer_than_ten_rows_is_not_folded() -> None:
    page = render_ownership_html(report(tuple(pipeline(f"p{i:02d}.py", complexity=20.0 - i) for i in range(12))))
    assert "<details>" not in page and page.count("<b>p") == 12


def test_paths_break_at_their_slashes() -> None:
    page = render_ownership_html(report((pipeline("examples/vision/mnist/train.py"),)))
    assert "<b>examples/<wbr>vision/<wbr>mnist/<wbr>train.py</b>" in page


def modules(*paths_and_factors: tuple[str, int]) -> tuple[ModuleOwnership, ...]:
    return tuple(ModuleOwnership(path, 2, ("dev0",), active) for path, active in paths_and_factors)


def test_the_module_table_keeps_two_levels_below_the_trunk() -> None:
    # `src` holds only `src/pkg`: the levels that matter start below it.
    tree = modules(
        ("src", 1), ("src/pkg", 1), ("src/pkg/data", 2), ("src/pkg/models", 0), ("src/pkg/models/nets", 1),
        ("src/pkg/models/nets/deep", 0), ("src/pkg/models/nets/deep/er", 0),
    )
    shown, deeper = module_levels(tree)
    assert [m.path for m in shown] == ["src", "src/pkg", "src/pkg/data", "src/pkg/models", "src/pkg/models/nets"]
    assert [m.path for m in deeper] == ["src/pkg/models/nets/deep", "src/pkg/models/nets/deep/er"]

    table = section(render_ownership_html(report(modules=tree)), "Truck factor per module")
    top, folded = table.split("<details>")
    # Fewest active authors between the module and none first.
    assert re.findall(r"<tr><td>([\w/<>]+)</td>", top) == [
        "src/<wbr>pkg/<wbr>models", "src", "src/<wbr>pkg", "src/<wbr>pkg/<wbr>models/<wbr>nets", "src/<wbr>pkg/<wbr>data",
    ]
    assert "<summary>2 deeper directories</summary>" in folded and "deep/<wbr>er" in folded


def test_without_a_trunk_the_levels_start_at_the_top() -> None:
    shown, deeper = module_levels(modules(("a", 1), ("a/b", 1), ("a/b/c", 1), ("d", 1)))
    assert [m.path for m in shown] == ["a", "a/b", "d"] and [m.path for m in deeper] == ["a/b/c"]
    assert module_levels(()) == ([], [])


# ---- bus factor in words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bus", "active", "words"),
    [(1, 0, "orphaned already"), (2, 0, "orphaned already"), (1, 1, "one departure orphans it"),
     (3, 2, "2 departures orphan it"), (0, 0, "no author in the history")],
)
def test_bus_factor_is_said_in_words_wherever_it_appears(bus: int, active: int, words: str) -> None:
    p = replace(pipeline("train.py", active=min(active, 1)), bus_factor=bus, active_bus_factor=active)
    page = render_ownership_html(report((p,)))
    assert f"{bus} (active {active})<br><span class=\"muted small\">{words}</span>" in page
    assert "active 0 means that has happened already: it is orphaned" in page
    assert f"bus factor {bus} (active {active}: {words})" in render_ownership_text(report((p,)))
    markdown = render_ownership_markdown(report((p,)))
    assert f"| {bus} (active {active}): {words} |" in markdown
    assert "active 0 means that has happened already: it is orphaned" in markdown
