"""The HTML ownership report in a real browser: headless chromium loads it without a console
message, its DOM holds the pipelines and the plot (and no script, though a stage is named like
one), and its screenshot is not blank. The report of a repository with 60 pipelines, all named
`train.py`, stays under 6,000 px at 1,400 px wide, with every pipeline in it, its plot shown at
full size and no label on the plot covering another or a point, as the browser lays them out.

Skipped without /usr/bin/chromium; .ci/run installs Debian's package.
"""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mldebt.commands.ownership import run_ownership
from mldebt.demo.history import Commit, build_history
from mldebt.demo.write import write_demo

CHROMIUM = Path("/usr/bin/chromium")
EVIL = "<script>alert(1)</script>"
WIDTH, HEIGHT = 1280, 2000
PIPELINES, READER_WIDTH, MAX_HEIGHT = 60, 1400, 6000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium; .ci/run does it)"),
]


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", *args,
        ],
        capture_output=True, text=True, timeout=90, check=False,
    )


def _png(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and a sample of the distinct pixels of an 8-bit RGB or RGBA PNG, decoded
    with zlib alone (scanline filters are left undone: equal rows still decode equal)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed, width, height, channels = 8, b"", 0, 0, 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            compressed += chunk
        position += 12 + length
    raw = zlib.decompress(compressed)
    assert len(raw) == height * (width * channels + 1)
    stride = width * channels + 1
    pixels: set[bytes] = set()
    for row in range(0, height, 5):
        line = raw[row * stride + 1 : (row + 1) * stride]
        pixels.update(line[i : i + channels] for i in range(0, len(line), channels * 3))
    return width, height, pixels


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the bundled demo repository (a DVC pipeline, a notebook, four authors, one
    of them gone), with one more stage whose name is a script tag."""
    root = write_demo(tmp_path_factory.mktemp("browser") / "demo")
    dvc = (root / "dvc.yaml").read_text() + f"  '{EVIL}':\n    cmd: python src/report.py\n"
    build_history(root, [Commit("Sam Chen", "sam@churnco.io", "2025-11-20T10:00:00+00:00", "stage", {"dvc.yaml": dvc})])
    out = root.parent / "report.html"
    assert run_ownership(root, "html", out, None, use_cache=False) == 0
    return out


def test_dom_holds_pipelines_and_plot_and_no_console_message(page: Path, tmp_path: Path) -> None:
    run = _chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-3000:]
    dom = run.stdout
    for name in ("train", "prepare", "evaluate", "notebooks/<wbr>exploration.ipynb", "Maria Lopez"):
        assert name in dom
    assert "<svg" in dom and dom.count("<circle") >= 6 and "<title>" in dom
    # The hostile stage name is text, not an element.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "<script" not in dom
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert console == []


def test_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    run = _chromium(tmp_path / "profile", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    assert run.returncode == 0 and shot.exists(), run.stderr[-3000:]
    assert shot.stat().st_size > 20_000
    width, height, pixels = _png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    # Text, tables and coloured points give many distinct pixels; a blank page gives one.
    assert len(pixels) > 20


def _training_script(i: int) -> str:
    """A script that trains one to three models: complexities differ from one to the next."""
    models = [f"RandomForestClassifier(n_estimators={50 + 10 * i})"]
    if i % 3 == 0:
        models.append("GradientBoostingClassifier(learning_rate=0.05)")
    if i % 5 == 0:
        models.append("LogisticRegression(C=0.5)")
    fits = "".join(f"    {model}.fit(frame.drop(columns='y'), frame['y'])\n" for model in models)
    return (
        "import pandas as pd\n"
        "from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier\n"
        "from sklearn.linear_model import LogisticRegression\n\n"
        "if __name__ == '__main__':\n"
        f"    frame = pd.read_csv('data/p{i:02d}.csv')\n{fits}"
    )


# Six developers, two of them gone for years; each commit brings ten projects.
TEAM = [("Ana Ruiz", "2025"), ("Ben Okafor", "2025"), ("Chen Wei", "2022"), ("Dana Ek", "2025"),
        ("Eli Mor", "2021"), ("Fay Lund", "2025")]


@pytest.fixture(scope="module")
def crowded_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crowded") / "repo"
    commits = [Commit("Ana Ruiz", "ana@example.org", "2021-01-04T10:00:00+00:00", "start",
                      {"pyproject.toml": "[project]\nname = 'projects'\n"})]
    for batch in range(PIPELINES // 10):
        name, year = TEAM[batch]
        files = {f"projects/p{i:02d}/train.py": _training_script(i) for i in range(10 * batch, 10 * batch + 10)}
        commits.append(Commit(name, f"{name.split()[0].lower()}@example.org", f"{year}-03-0{batch + 1}T10:00:00+00:00",
                              f"projects {batch}", files))
    # A second author on a few projects, so that the plot has more than one column.
    commits.append(Commit("Ben Okafor", "ben@example.org", "2025-09-01T10:00:00+00:00", "review",
                          {f"projects/p{i:02d}/train.py": _training_script(i) + "# reviewed\n" for i in range(0, 60, 4)}))
    build_history(root, commits)
    out = root.parent / "report.html"
    assert run_ownership(root, "html", out, None, use_cache=False) == 0
    return out


# Run in a copy of the page (the report itself has no script): the page's size, the plot's
# scale, and the labels on the plot that overlap another label or a point, as laid out.
MEASURE = """<script>
const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const svg = document.querySelector("svg");
const labels = [...svg.querySelectorAll("text.label")];
const boxes = labels.map(t => t.getBBox());
const dots = [...svg.querySelectorAll("circle")].filter(c => c.querySelector("title")).map(c => c.getBBox());
let overlaps = 0;
boxes.forEach((a, i) => {
  boxes.forEach((b, j) => { if (i < j && hit(a, b)) overlaps++; });
  dots.forEach(d => { if (hit(a, d)) overlaps++; });
});
document.title = JSON.stringify({
  height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
  scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
  labels: labels.map(t => t.textContent), overlaps: overlaps,
});
</script>"""


def test_a_report_of_sixty_pipelines_fits_a_tech_leads_screen(crowded_page: Path, tmp_path: Path) -> None:
    page = crowded_page.read_text(encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = _chromium(tmp_path / "profile", f"--window-size={READER_WIDTH},1000", "--dump-dom", measured.as_uri())
    assert run.returncode == 0, run.stderr[-3000:]
    dom = run.stdout
    title = dom[dom.index("<title>") + len("<title>") : dom.index("</title>")]
    metrics = json.loads(title.replace("&quot;", '"').replace("&amp;", "&"))
    assert metrics["height"] < MAX_HEIGHT and metrics["width"] <= READER_WIDTH
    # Shown at full size: the plot's 13 px text is 13 px on the screen.
    assert metrics["scale"] >= 1
    labels = metrics["labels"]
    assert len(labels) >= 8 and len(set(labels)) == len(labels)
    assert all(label.endswith("/train.py") and label != "train.py" for label in labels)
    assert metrics["overlaps"] == 0
    # Everything is reachable: every pipeline is on the page, the folded ones under <details>.
    assert "<details>" in dom
    for i in range(PIPELINES):
        assert f"p{i:02d}/<wbr>train.py" in dom
