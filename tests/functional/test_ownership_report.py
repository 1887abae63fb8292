"""The HTML ownership report in a real browser: headless chromium loads it without a console
message, its DOM holds the pipelines and the plot (and no script, though a stage is named like
one), and its screenshot is not blank.

Skipped without /usr/bin/chromium; .ci/run installs Debian's package.
"""

from __future__ import annotations

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
    for name in ("train", "prepare", "evaluate", "notebooks/exploration.ipynb", "Maria Lopez"):
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
